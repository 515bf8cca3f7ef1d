"""Staging tables of one fluxIAE import, and the SQL helpers that turn them into Pilot'IAE's rows.

A national flux holds a million contracts and seven million monthly states: they are streamed into temporary
tables (COPY on PostgreSQL, batched inserts on SQLite in development), then matched, grouped and written set-based,
so that neither the time nor the memory grows with Python objects per row. Temporary tables belong to the import's
connection and transaction: a refused flux rolls them back with everything else, a finished one drops them.
"""

import contextlib
import datetime as dt
import os
import pickle
import signal
import tempfile
import time
from decimal import Decimal

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

# Rows sent per batched insert on SQLite.
LOT_SQLITE = 5000
# Bytes of a prepared COPY file sent at once.
TAILLE_BLOC_COPIE = 1 << 20


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


# Settings of the import's transaction on PostgreSQL (docs/fluxiae.md, "Performance"). The staging tables and the
# set-based statements sort, hash and group millions of rows: with the server's defaults (4 MB per sort, 8 MB of
# buffers for temporary tables) every one of them spills to disk. JIT compilation is planned for these statements
# by their cost alone, and costs more to compile than it saves on a one-off statement of a few seconds.
REGLAGES_POSTGRESQL = {"work_mem": "128MB", "hash_mem_multiplier": "2", "jit": "off"}
# Taken by a session at its first use of a temporary table, and fixed for the session's life thereafter.
TEMP_BUFFERS = "256MB"


def regler_la_transaction() -> None:
    """`SET LOCAL` the settings of the import (they end with its transaction); the buffers of the temporary tables
    as well when the session has used none yet, else they stay as they are."""
    if not postgresql():
        return
    for nom, valeur in REGLAGES_POSTGRESQL.items():
        executer("SELECT set_config(%s, %s, true)", [nom, valeur])
    [(actuel,)] = sql("SELECT current_setting('temp_buffers')")
    if actuel != TEMP_BUFFERS:
        try:
            with transaction.atomic():
                executer("SELECT set_config('temp_buffers', %s, false)", [TEMP_BUFFERS])
        except DatabaseError:
            pass  # the session has used temporary tables already: it keeps its buffers


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


class Prelecture:
    """The rows of a staging table, produced ahead by a process of its own while the connection works on something
    else; `charger()` puts them in the table when they are needed.

    `produire(ecrire)` reads a file and calls `ecrire(ligne)` per row. On PostgreSQL it runs, from `demarrer()`, in
    a child process forked from the import's, writing the rows in COPY format into a temporary file (never the
    connection: it is the import's, busy with the statements of the other views), which `charger()` then sends in
    one COPY. A process rather than a thread: the reading is pure Python, and a thread would share the interpreter
    with the import's own reading of the contracts and persons, one at a time; a process reads on the other core.
    The child is forked, so it starts with what the import already knows (the annexes, the motifs) and opens the
    file itself; it never touches the inherited connections, and leaves by `os._exit`, which closes none of them.
    Its error, if any (`ErreurFlux` naming the file, line and column), comes back through a pipe and is raised by
    `charger()`, where the import would have read the file without the child; `abandonner()` stops it when the
    import fails before. On SQLite (development) `produire` runs in `charger()`, in line, through `Ecriture`."""

    def __init__(self, table: str, colonnes: tuple[str, ...], produire):
        self.table, self.colonnes, self.produire = table, colonnes, produire
        self.fils = self.tube = self.fichier = None
        self.duree = 0.0

    def demarrer(self) -> None:
        if not postgresql():
            return
        from psycopg import Copy
        from psycopg.copy import FileWriter

        # Rows written to disk, not kept in memory: a national EMI file is millions of rows.
        self.fichier = tempfile.TemporaryFile(prefix="fluxiae-")  # noqa: SIM115 - closed by charger() or abandonner()
        # A cursor used only for its adapters (how each Python value is written in COPY format), never executed.
        copie = Copy(connection.cursor().cursor, binary=False, writer=FileWriter(self.fichier))
        lecture, ecriture = os.pipe()
        self.fils = os.fork()
        if self.fils == 0:
            os.close(lecture)
            self._lire_dans_le_fils(copie, ecriture)
        os.close(ecriture)
        self.tube = lecture

    def _lire_dans_le_fils(self, copie, tube: int) -> None:
        """In the child: read, write the file, send (duration, error or None), leave."""
        code = 1
        try:
            debut = time.perf_counter()
            erreur = None
            try:
                with copie:
                    self.produire(copie.write_row)
                self.fichier.flush()
            except BaseException as exc:  # handed to the import by charger()
                erreur = exc
            duree = time.perf_counter() - debut
            try:
                compte_rendu = pickle.dumps((duree, erreur))
            except Exception:  # an error that cannot travel: its text does
                compte_rendu = pickle.dumps((duree, RuntimeError(repr(erreur))))
            with os.fdopen(tube, "wb") as sortie:
                sortie.write(compte_rendu)
            code = 0
        finally:
            os._exit(code)

    def charger(self) -> int:
        """The rows in the staging table (created beforehand); their number."""
        if self.fils is None:
            with Ecriture(self.table, self.colonnes) as ecriture:
                debut = time.perf_counter()
                self.produire(ecriture.ecrire)
                self.duree = time.perf_counter() - debut
            return ecriture.lignes
        with os.fdopen(self.tube, "rb") as entree:
            compte_rendu = entree.read()  # until the child closes its end: it has finished
        self.tube = None
        os.waitpid(self.fils, 0)
        self.fils = None
        try:
            if not compte_rendu:
                raise RuntimeError(f"la lecture de {self.table} s'est arrêtée sans rien dire (processus tué ?)")
            self.duree, erreur = pickle.loads(compte_rendu)  # noqa: S301 - our own child's
            if erreur is not None:
                raise erreur
            self.fichier.seek(0)
            colonnes = ", ".join(self.colonnes)
            with connection.cursor() as curseur:
                with curseur.cursor.copy(f"COPY {self.table} ({colonnes}) FROM STDIN") as copie:
                    while bloc := self.fichier.read(TAILLE_BLOC_COPIE):
                        copie.write(bloc)
                return max(curseur.cursor.rowcount, 0)
        finally:
            self.fichier.close()

    def abandonner(self) -> None:
        """Stop the reading (the import failed before needing it) and drop its file."""
        if self.fils is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.fils, signal.SIGKILL)
            os.waitpid(self.fils, 0)
            self.fils = None
        if self.tube is not None:
            os.close(self.tube)
            self.tube = None
        if self.fichier is not None:
            self.fichier.close()


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
