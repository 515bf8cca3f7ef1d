"""What both scripts share: the benchmark's own PostgreSQL database, created when missing, and Django set up on it.

The database is never the development or the test one: its name must contain "bench", so that a wrong
DATABASE_URL cannot have the generator write into (or drop) another database."""

import os
import sys

BASE_PAR_DEFAUT = "postgres://postgres@127.0.0.1:5432/pilotiae_bench"


def url_de_la_base() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or BASE_PAR_DEFAUT


def _parametres(url: str) -> dict:
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit(f"Le banc d'essai mesure PostgreSQL : {url} n'en est pas une base.")
    if "bench" not in config["NAME"]:
        sys.exit(f"Le nom de la base du banc d'essai doit contenir « bench » (reçu : {config['NAME']}).")
    return config


def _serveur(config: dict):
    import psycopg

    return psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def preparer_la_base(reinitialiser: bool = False) -> str:
    """Create the benchmark database if it is missing (drop it first when asked); its URL."""
    from psycopg import sql

    url = url_de_la_base()
    config = _parametres(url)
    nom = sql.Identifier(config["NAME"])
    with _serveur(config) as connexion:
        if reinitialiser:
            connexion.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(nom))
        existe = connexion.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not existe:
            connexion.execute(sql.SQL("CREATE DATABASE {}").format(nom))
    return url


def installer_django(reinitialiser: bool = False) -> str:
    """Django on the benchmark database, development settings without DEBUG (no query log slowing the reads)."""
    url = preparer_la_base(reinitialiser)
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iae.settings.dev")
    # Long-lived connection: the measured reads must not pay for a new connection each time.
    os.environ.setdefault("CONN_MAX_AGE", "600")
    # The logins of the measured pages would otherwise print their lines among the results.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    return url
