"""Set-based writes of materialised tables: the live aggregate is evaluated once into a temporary table, then one
UPDATE rewrites only the rows whose values differ, one INSERT adds the missing ones and one DELETE removes those
the aggregate no longer has (a refresh that finds everything up to date writes nothing, so the table does not
fill with dead rows).

PostgreSQL and SQLite (3.33 or later: `UPDATE … FROM`) both run it. SQLite spells "is distinct from" `IS NOT`
before 3.39; both spellings treat NULL as a value.
"""

from contextlib import contextmanager

from django.db import connection, transaction


def compiler(queryset) -> tuple[str, tuple]:
    """The SQL and parameters of a queryset, to be composed into a larger statement."""
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def selection(queryset, colonnes: dict[str, object], groupes: tuple[str, ...] = ()) -> tuple[str, tuple]:
    """A SELECT of the given expressions, in this order, over the queryset's rows: the source of
    `rafraichir_la_table`. With `groupes` (names among the columns), the rows are grouped by these columns
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


@contextmanager
def jointures_par_index(curseur):
    """Join a département's few thousand rows to a national table through the table's index, one lookup per row.
    PostgreSQL would otherwise read the whole table to hash or merge it with them: a refresh of each département
    would read the country's rows. The setting lasts for the statements of the block (`SET LOCAL`, reset after)."""
    if connection.vendor != "postgresql":
        yield
        return
    curseur.execute("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off")
    try:
        yield
    finally:
        curseur.execute("RESET enable_hashjoin; RESET enable_mergejoin")


def rafraichir_la_table(
    modele,
    source_sql: str,
    params,
    colonnes: list[str],
    cles: list[str],
    perimetre: tuple[str, tuple] | None = None,
    sans_comparer: tuple[str, ...] = (),
) -> tuple[int, int]:
    """Bring the model's rows in line with `source_sql`, whose columns are, in this order, the fields `colonnes`:
    rows of the source missing from the table are inserted, rows whose other fields differ are rewritten (the
    fields `sans_comparer` are written with them but never make them differ), and the rows of `perimetre` (the SQL
    and parameters of a SELECT of their ids) that the source no longer has are deleted. Returns (rows inserted or
    changed, rows deleted).

    The source is evaluated once, into a temporary table that the three statements read: the delete would
    otherwise evaluate it again, and an `INSERT … ON CONFLICT DO UPDATE … WHERE` locks (so writes to) every row
    it finds already there even when it changes nothing, which is every row of a refresh that finds the figures
    up to date."""
    table = connection.ops.quote_name(modele._meta.db_table)
    transit = connection.ops.quote_name(f"transit_{modele._meta.db_table}")
    nom = {champ: connection.ops.quote_name(modele._meta.get_field(champ).column) for champ in colonnes}
    liste = ", ".join(nom.values())
    with transaction.atomic(), connection.cursor() as curseur:
        # Shaped like the table, so that each value takes the column's type (a year computed as a numeric compared
        # with an integer column would keep its index from being used).
        curseur.execute(f"CREATE TEMPORARY TABLE {transit} AS SELECT {liste} FROM {table} WHERE 1 = 0")
        curseur.execute(f"INSERT INTO {transit} ({liste}) SELECT * FROM ({source_sql}) AS source", params)
        memes_cles = " AND ".join(f"{table}.{nom[c]} = t.{nom[c]}" for c in cles)
        mises_a_jour = [c for c in colonnes if c not in cles]
        differe = " OR ".join(
            f"{table}.{nom[c]} {_distinct()} t.{nom[c]}" for c in mises_a_jour if c not in sans_comparer
        )
        ecrites = 0
        if differe:
            with jointures_par_index(curseur):
                curseur.execute(
                    f"UPDATE {table} SET " + ", ".join(f"{nom[c]} = t.{nom[c]}" for c in mises_a_jour)
                    + f" FROM {transit} AS t WHERE {memes_cles} AND ({differe})"
                )  # fmt: skip
                ecrites = max(curseur.rowcount, 0)
        curseur.execute(
            f"INSERT INTO {table} ({liste}) SELECT {liste} FROM {transit} AS t "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {memes_cles}) "
            f"ON CONFLICT ({', '.join(nom[c] for c in cles)}) DO NOTHING"
        )
        ecrites += max(curseur.rowcount, 0)
        supprimees = 0
        if perimetre is not None:
            perimetre_sql, perimetre_params = perimetre
            curseur.execute(
                f"DELETE FROM {table} WHERE id IN ({perimetre_sql}) "
                f"AND NOT EXISTS (SELECT 1 FROM {transit} AS t WHERE {memes_cles})",
                perimetre_params,
            )
            supprimees = max(curseur.rowcount, 0)
        curseur.execute(f"DROP TABLE {transit}")
    return ecrites, supprimees
