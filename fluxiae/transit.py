"""Staging tables of one fluxIAE import, and the SQL helpers that turn them into Pilot'IAE's rows.

A national flux holds a million contracts and seven million monthly states: they are streamed into temporary
tables (COPY on PostgreSQL, batched inserts on SQLite in development), then matched, grouped and written set-based,
so that neither the time nor the memory grows with Python objects per row. Temporary tables belong to the import's
connection and transaction: a refused flux rolls them back with everything else, a finished one drops them.
"""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.utils import timezone

# Rows sent per batched insert on SQLite.
LOT_SQLITE = 5000


def sql(requete: str, parametres=()) -> list[tuple]:
    """Run one statement; its rows when it returns some."""
    with connection.cursor() as curseur:
        curseur.execute(requete, parametres)
        return curseur.fetchall() if curseur.description else []


def executer(requete: str, parametres=()) -> int:
    """Run one write; the number of rows it wrote."""
    with connection.cursor() as curseur:
        curseur.execute(requete, parametres)
        return max(curseur.rowcount, 0)


def par_lots(valeurs, taille: int = 5000):
    """`valeurs` in lists of at most `taille` (one IN list per query)."""
    valeurs = list(valeurs)
    for debut in range(0, len(valeurs), taille):
        yield valeurs[debut : debut + taille]


def postgresql() -> bool:
    return connection.vendor == "postgresql"


def analyser(*tables: str) -> None:
    """Fresh statistics after a load: without them PostgreSQL plans for an empty table (nested loops over
    millions of rows)."""
    if postgresql():
        for table in tables:
            executer(f"ANALYZE {table}")


def creer(nom: str, definition: str) -> None:
    """A temporary table `nom` (`definition`: its columns, or `AS SELECT …`), replacing one left by an earlier
    import of the same connection."""
    executer(f"DROP TABLE IF EXISTS {nom}")
    executer(f"CREATE TEMPORARY TABLE {nom} {definition}")


def supprimer(*tables: str) -> None:
    for table in tables:
        executer(f"DROP TABLE IF EXISTS {table}")


def different(gauche: str, droite: str, colonnes) -> str:
    """SQL true when any column differs, NULLs compared as values."""
    return "(" + " OR ".join(f"{gauche}.{g} IS DISTINCT FROM {droite}.{d}" for g, d in colonnes) + ")"


class Ecriture:
    """Rows appended to a staging table: `with Ecriture(table, colonnes) as ecriture: ecriture.ecrire(ligne)`."""

    def __init__(self, table: str, colonnes: tuple[str, ...]):
        self.table, self.colonnes = table, colonnes
        self.tampon: list[tuple] = []
        self.copie = self.contexte = None
        self.lignes = 0

    def __enter__(self):
        if postgresql():
            self.contexte = connection.cursor().cursor.copy(
                f"COPY {self.table} ({', '.join(self.colonnes)}) FROM STDIN"
            )
            self.copie = self.contexte.__enter__()
        return self

    def ecrire(self, ligne: tuple) -> None:
        self.lignes += 1
        if self.copie is not None:
            self.copie.write_row(ligne)
            return
        self.tampon.append(tuple(_pour_sqlite(valeur) for valeur in ligne))
        if len(self.tampon) >= LOT_SQLITE:
            self._vider()

    def _vider(self) -> None:
        marques = ", ".join(["%s"] * len(self.colonnes))
        with connection.cursor() as curseur:
            curseur.executemany(
                f"INSERT INTO {self.table} ({', '.join(self.colonnes)}) VALUES ({marques})", self.tampon
            )
        self.tampon = []

    def __exit__(self, *exc):
        if self.contexte is not None:
            return self.contexte.__exit__(*exc)
        if exc[0] is None and self.tampon:
            self._vider()
        return False


def _pour_sqlite(valeur):
    # SQLite stores date-times, dates and decimals as text, as Django writes them.
    if isinstance(valeur, dt.datetime):
        return connection.ops.adapt_datetimefield_value(valeur)
    if isinstance(valeur, dt.date):
        return valeur.isoformat()
    if isinstance(valeur, Decimal):
        return str(valeur)
    return valeur


def inserer(modele, colonnes: dict[str, str], depuis: str, parametres=(), colonnes_parametres=()) -> int:
    """INSERT INTO the model's table the rows of `depuis` (`FROM … WHERE …`, with `parametres`), `colonnes` giving
    the SQL expression of each column filled from it (with `colonnes_parametres`); every other column gets the
    model field's default, so that a field added later with a default needs no change here. Returns the number of
    rows inserted."""
    autres, valeurs = [], []
    for champ in modele._meta.concrete_fields:
        if champ.primary_key or champ.column in colonnes:
            continue
        if getattr(champ, "auto_now", False) or getattr(champ, "auto_now_add", False):
            defaut = timezone.now()
        else:
            defaut = champ.get_default()  # "" for text, None for a nullable field
        autres.append(champ.column)
        valeurs.append(champ.get_db_prep_save(defaut, connection))
    noms = [*colonnes, *autres]
    expressions = [*colonnes.values(), *(["%s"] * len(autres))]
    return executer(
        f"INSERT INTO {modele._meta.db_table} ({', '.join(noms)}) SELECT {', '.join(expressions)} {depuis}",
        [*colonnes_parametres, *valeurs, *parametres],
    )


def nouvel_identifiant(modele, rang: str) -> str:
    """SQL for fresh primary keys of `modele`, one per row, `rang` (1, 2, …) telling rows apart: PostgreSQL's
    sequence, or on SQLite (one writer at a time, inside the import's transaction) the keys after the highest."""
    table = modele._meta.db_table
    if postgresql():
        return f"nextval(pg_get_serial_sequence('{table}', 'id'))"
    return f"(SELECT COALESCE(MAX(id), 0) FROM {table}) + {rang}"
