"""The fluxIAE import measured: a full import of the generated flux into an empty database, then the next week's
flux (one month more) on top of it; rows per second and peak memory of each.

    python -m benchmarks.import_fluxiae --departements 102 [--echelle 1.0]

The flux is generated once per size (`benchmarks/var/fluxiae-*`, `benchmarks/fluxiae.py`). The database is its own
(`pilotiae_bench_fluxiae`, reset at each run; BENCH_FLUXIAE_DATABASE_URL for another whose name contains "bench").
Each import runs in a child process that reports its own peak resident memory, so that generating the flux or
migrating the database never counts in it."""

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent
BASE_PAR_DEFAUT = "postgres://postgres@127.0.0.1:5432/pilotiae_bench_fluxiae"


def _env(url: str) -> dict:
    return {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "iae.settings.dev",
            "LOG_LEVEL": "WARNING"}  # fmt: skip


def generer(dossier: Path, codes: list[str], structures: int, semaine: int) -> None:
    """Week 0 declares up to October 2026, week 1 up to November: the same world a week later. Generated again
    when the generator changed since (its source's hash is kept beside the files)."""
    import hashlib
    import shutil

    from benchmarks.fluxiae import generer_flux

    version = hashlib.sha256((RACINE / "fluxiae.py").read_bytes()).hexdigest()
    marque = dossier / "fait"
    if marque.exists() and marque.read_text() == version:
        return
    shutil.rmtree(dossier, ignore_errors=True)

    generer_flux(
        dossier,
        codes,
        structures_par_departement=structures,
        mois_fin=dt.date(2026, 10 + semaine, 1),
        date_extraction=dt.date(2026, 11, 2) + dt.timedelta(days=7 * semaine),
        processus=os.cpu_count() or 1,
    )
    marque.write_text(version)


def lignes_emi(dossier: Path) -> int:
    """Data rows of the EtatMensuelIndiv file, as its FIN row says (read by the system's zcat and tail)."""
    fichier = next(dossier.glob("fluxIAE_EtatMensuelIndiv_*"))
    lecture = "zcat" if fichier.name.endswith(".gz") else "cat"
    derniere = subprocess.run(f"{lecture} {fichier} | tail -n 1", shell=True, capture_output=True, check=True).stdout
    return int(derniere.split(b"|")[0][3:] or 0)


def preparer_la_base(url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if "bench" not in config["NAME"]:
        sys.exit(f"Le nom de la base du banc d'essai doit contenir « bench » (reçu : {config['NAME']}).")
    serveur = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"] or "postgres",
    }
    with psycopg.connect(**serveur, dbname="postgres", autocommit=True) as connexion:
        nom = sql.Identifier(config["NAME"])
        connexion.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(nom))
        connexion.execute(sql.SQL("CREATE DATABASE {}").format(nom))
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], check=True, env=_env(url), cwd=RACINE.parent)


def importer(url: str, dossier: Path) -> dict:
    """One import in a child process: its duration, its peak memory and its journal."""
    sortie = subprocess.run(
        [sys.executable, "-m", "benchmarks.import_fluxiae", "--executer", str(dossier)],
        check=True, env=_env(url), cwd=RACINE.parent, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(sortie.stdout.strip().splitlines()[-1])


def executer(dossier: Path) -> None:
    """In the child: the import of the whole flux (a national instance), as the command runs it."""
    import django

    django.setup()
    from django.db import transaction

    from fluxiae.services import importer_flux

    etapes, courante = {}, [None, 0.0]

    def suivre(etape, _rang, _total):
        # Each step's duration: the end of one is the start of the next.
        maintenant = time.perf_counter()
        if courante[0] is not None:
            etapes[courante[0]] = maintenant - courante[1]
        courante[:] = [etape, maintenant]

    # The import's own transaction runs as a savepoint of this one, so that the commit (where PostgreSQL checks the
    # deferred foreign keys of every row written) and the refresh of the indicators (inline after it, without a
    # broker) are timed apart: the first callback registered runs right after the commit, before the refresh.
    instants = {}

    def commis():
        instants["commit"] = time.perf_counter()
        suivre("indicateurs (après commit)", 0, 0)

    debut = time.perf_counter()
    with transaction.atomic():
        transaction.on_commit(commis)
        bilan = importer_flux(dossier, suivre=suivre)
        suivre("commit", 0, 0)
    fin = time.perf_counter()
    etapes[courante[0]] = fin - courante[1]
    pic = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    # The EMI file is read by a child process (PostgreSQL): its peak counts beside the import's own.
    pic_lecture = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(json.dumps({"secondes": fin - debut, "chargement": instants["commit"] - debut, "memoire": pic,
                      "memoire_lecture": pic_lecture, "etapes": etapes, "durees": bilan.durees,
                      "vues": bilan.en_donnees()}))  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.import_fluxiae", description=__doc__.splitlines()[0])
    parser.add_argument("--departements", type=int, default=10, help="nombre de départements (102 : le pays)")
    parser.add_argument("--structures-par-departement", type=int, default=50)
    parser.add_argument("--executer", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.executer:
        executer(options.executer)
        return
    sys.path.insert(0, str(RACINE.parent))
    from base.departements import DEPARTEMENTS

    codes = list(DEPARTEMENTS)[: options.departements]
    url = os.environ.get("BENCH_FLUXIAE_DATABASE_URL", BASE_PAR_DEFAUT)
    resultats = []
    for semaine in (0, 1):
        dossier = RACINE / "var" / f"fluxiae-{len(codes)}-{options.structures_par_departement}-s{semaine}"
        debut = time.perf_counter()
        generer(dossier, codes, options.structures_par_departement, semaine)
        print(f"flux de la semaine {semaine} : {dossier} ({time.perf_counter() - debut:.0f} s)", flush=True)
        resultats.append((dossier, lignes_emi(dossier)))
    preparer_la_base(url)
    print(f"\nImport du fluxIAE, {len(codes)} départements, PostgreSQL ({url.rsplit('/', 1)[-1]})")
    # The load ends with the commit; end to end adds the refresh of the indicators that follows it (inline here, a
    # task of its own in production).
    print(f"{'':<28}{'':>12}{'chargement (commit compris)':>29}{'de bout en bout':>26}")
    print(f"{'import':<28}{'lignes EMI':>12}{'durée':>11}{'lignes EMI/s':>18}{'durée':>10}{'lignes EMI/s':>16}"
          f"{'mémoire max':>14}")  # fmt: skip
    mesures = []
    for libelle, (dossier, lignes) in zip(
        ("complet (semaine N)", "incrémental (semaine N+1)"), resultats, strict=True
    ):
        mesure = importer(url, dossier)
        chargement, total = mesure["chargement"], mesure["secondes"]
        # Both processes' peaks added: an upper bound, the child sharing the pages it was forked with.
        memoire = (mesure["memoire"] + mesure.get("memoire_lecture", 0)) / 2**20
        ligne = (f"{libelle:<28}{lignes:>12,}{chargement:>10.1f}s{lignes / chargement:>18,.0f}"
                 f"{total:>9.1f}s{lignes / total:>16,.0f}{memoire:>11.0f} Mo")  # fmt: skip
        print(ligne.replace(",", "\u202f"), flush=True)
        mesures.append((libelle, lignes, mesure["etapes"], mesure["durees"], mesure))
    # Where the time goes: the EMI file itself is read and staged in the "états mensuels" step; "déclarations"
    # builds the declarations and their lines from it; then the commit (foreign keys checked) and the refresh.
    print(f"\n{'durée par étape (s)':<28}" + "".join(f"{m[0].split(' ')[0]:>14}" for m in mesures))
    for etape in mesures[0][2]:
        print(f"{etape:<28}" + "".join(f"{m[2].get(etape, 0):>14.1f}" for m in mesures))
    # The EMI file is read by a process of its own (on PostgreSQL) during the steps "contrats" to "états mensuels".
    for libelle, lignes, _, durees, mesure in mesures:
        lecture = durees.get("lecture du fichier EtatMensuelIndiv") or 0
        if lecture:
            import_mo, lecture_mo = mesure["memoire"] / 2**20, mesure.get("memoire_lecture", 0) / 2**20
            print(f"lecture du fichier EtatMensuelIndiv (en parallèle), import {libelle} : {lecture:.1f} s, "
                  f"{lignes / lecture:,.0f} lignes/s ; mémoire max de l'import {import_mo:.0f} Mo et "
                  f"de la lecture {lecture_mo:.0f} Mo".replace(",", "\u202f"))  # fmt: skip


if __name__ == "__main__":
    main()
