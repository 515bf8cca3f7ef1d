"""Set-based writes of materialised tables: one `INSERT … SELECT … ON CONFLICT … DO UPDATE … WHERE … IS DISTINCT
FROM …` statement, which writes only the rows whose values change (a refresh that finds everything up to date
writes nothing, so the table does not fill with dead rows).

PostgreSQL and SQLite (3.35 or later: `ON CONFLICT … DO UPDATE` after an `INSERT … SELECT`) both run it. SQLite
spells "is distinct from" `IS NOT` before 3.39; both spellings treat NULL as a value.
"""

from django.db import connection


def compiler(queryset) -> tuple[str, tuple]:
    """The SQL and parameters of a queryset, to be composed into a larger statement."""
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def selection(queryset, colonnes: dict[str, object], groupes: tuple[str, ...] = ()) -> tuple[str, tuple]:
    """A SELECT of the given expressions, in this order, over the queryset's rows: the source of
    `inserer_ou_mettre_a_jour`. With `groupes` (names among the columns), the rows are grouped by these columns
    and the others are aggregates; without, an aggregate among them groups by the queryset's model. The aliases
    keep clear of the model's own names."""
    alias = {f"c_{nom}": expression for nom, expression in colonnes.items()}
    if groupes:
        par = {f"c_{nom}": alias[f"c_{nom}"] for nom in groupes}
        queryset = queryset.annotate(**par).values(*par)
        alias_restants = {nom: expression for nom, expression in alias.items() if nom not in par}
        queryset = queryset.annotate(**alias_restants)
    else:
        queryset = queryset.annotate(**alias)
    sql, params = compiler(queryset.values(*alias).order_by())
    liste = ", ".join(connection.ops.quote_name(nom) for nom in alias)
    return f"SELECT {liste} FROM ({sql}) AS selection", params


def _distinct() -> str:
    return "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"


def inserer_ou_mettre_a_jour(
    modele, source_sql: str, params, colonnes: list[str], cles: list[str], sans_comparer: tuple[str, ...] = ()
) -> int:
    """Upsert into the model's table the rows of `source_sql`, whose columns are, in this order, the fields
    `colonnes`. A row already there (same `cles`, a unique constraint) is rewritten only when one of the other
    fields differs; the fields `sans_comparer` (a computation date) are written with it but never make it differ.
    Returns the number of rows inserted or changed."""
    table = connection.ops.quote_name(modele._meta.db_table)
    nom = {champ: connection.ops.quote_name(modele._meta.get_field(champ).column) for champ in colonnes}
    mises_a_jour = [c for c in colonnes if c not in cles]
    comparees = [c for c in mises_a_jour if c not in sans_comparer]
    liste = ", ".join(nom[c] for c in colonnes)
    differe = " OR ".join(f"{table}.{nom[c]} {_distinct()} EXCLUDED.{nom[c]}" for c in comparees)
    # `WHERE true`: SQLite would otherwise read ON CONFLICT as the join constraint of the SELECT.
    sql = (
        f"INSERT INTO {table} ({liste}) SELECT * FROM ({source_sql}) AS source WHERE true "
        f"ON CONFLICT ({', '.join(nom[c] for c in cles)}) DO UPDATE SET "
        + ", ".join(f"{nom[c]} = EXCLUDED.{nom[c]}" for c in mises_a_jour)
        + f" WHERE {differe}"
    )
    with connection.cursor() as curseur:
        curseur.execute(sql, params)
        return max(curseur.rowcount, 0)
