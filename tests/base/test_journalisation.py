"""Logs and error reports carry no personal data (docs/rgpd.md): the filter masks what looks personal, every
record goes through it, no logging call of the code names a person, and neither gunicorn's access log nor Celery
write what a request searched for or what a task was given."""

import ast
import io
import logging
import os
import runpy
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from base.journalisation import MASQUE, MasquerDonneesPersonnelles, masquer

RACINE = Path(__file__).resolve().parents[2]


def test_masque_pass_dates_lignes_postgresql_et_recherches():
    assert masquer("PASS 999991234567 refusé") == f"PASS {MASQUE} refusé"
    assert masquer("née le 14/03/1985 (1985-03-14)") == f"née le {MASQUE} ({MASQUE})"
    assert masquer('"GET /parcours/?q=DUPONT&siae=3 HTTP/1.1" 200') == f'"GET /parcours/?{MASQUE} HTTP/1.1" 200'
    assert masquer("DETAIL:  Key (numero)=(999991234567) already exists.") == (
        f"DETAIL:  Key (numero)=({MASQUE}) already exists."
    )
    assert masquer("DETAIL:  Failing row contains (12, DUPONT, Jean, 1985-03-14, F, null).") == (
        f"DETAIL:  Failing row contains ({MASQUE})."
    )


def test_laisse_les_identifiants_et_les_mots():
    texte = "annexe ACI055240001A0M0, import 42, SIRET 12345678901234, CONSOMMATION, salarié 7"
    assert masquer(texte) == texte


def test_chaque_enregistrement_passe_par_le_filtre():
    """The handler the settings give the root logger masks the message, its arguments and the exception."""
    gestionnaires = [
        h for h in logging.getLogger().handlers if any(isinstance(f, MasquerDonneesPersonnelles) for f in h.filters)
    ]
    assert gestionnaires, "aucun gestionnaire filtré sur la racine"
    gestionnaire = gestionnaires[0]
    tampon = io.StringIO()
    ancien = gestionnaire.setStream(tampon)
    try:
        journal = logging.getLogger("tests.journalisation")
        try:
            raise ValueError("PASS 999991234567 de la personne née le 01/02/1990")
        except ValueError:
            journal.exception("import %s : numéro %s, date %s", 12, "999991234567", "1990-02-01")
    finally:
        gestionnaire.setStream(ancien)
    ecrit = tampon.getvalue()
    assert "import 12" in ecrit and "ValueError" in ecrit
    assert "999991234567" not in ecrit and "1990" not in ecrit


def test_configuration_des_journaux():
    journaux = settings.LOGGING["loggers"]
    # SQL and its parameters are never written, whatever LOG_LEVEL asks.
    assert journaux["django.db.backends"]["level"] == "INFO"
    # Django's loggers write to the filtered console only: no e-mail of a failing request's data to administrators.
    assert journaux["django"]["handlers"] == ["console"] and journaux["django"]["propagate"] is False
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["donnees_personnelles"]
    # The worker keeps these handlers rather than install its own; results (counts) leave the broker after a day.
    assert settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False
    assert settings.CELERY_RESULT_EXPIRES == 24 * 3600


def test_le_journal_d_acces_de_gunicorn_sans_chaine_de_requete():
    format_ = runpy.run_path(str(RACINE / "gunicorn.conf.py"))["access_log_format"]
    assert "%(U)s" in format_
    for champ in ("%(r)s", "%(q)s", "%(f)s", "%(u)s"):
        assert champ not in format_
    for fichier in ("Dockerfile", "docker-compose.yml"):
        assert "gunicorn.conf.py" in (RACINE / fichier).read_text()


METHODES = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
# A person's fields, or a person's object (whose text is their name).
PERSONNEL = {"nom", "prenom", "date_naissance", "numero", "email", "first_name", "last_name", "salarie", "pass_iae"}


def _appels_de_journal(arbre):
    for noeud in ast.walk(arbre):
        if not (isinstance(noeud, ast.Call) and isinstance(noeud.func, ast.Attribute)):
            continue
        appelant = noeud.func.value
        if noeud.func.attr in METHODES and isinstance(appelant, ast.Name) and appelant.id in {"logger", "logging"}:
            yield noeud


def test_aucun_appel_de_journal_ne_nomme_une_personne():
    """Every logging call of the code base logs ids and counts: none of its arguments reads a personal field."""
    fautes = []
    fichiers = [
        f
        for f in RACINE.rglob("*.py")
        if not {".venv", "tests", "migrations", "node_modules"} & set(f.relative_to(RACINE).parts)
    ]
    appels = 0
    for fichier in fichiers:
        for appel in _appels_de_journal(ast.parse(fichier.read_text(encoding="utf-8"))):
            appels += 1
            for argument in [*appel.args[1:], *(k.value for k in appel.keywords)]:
                noms = {n.attr for n in ast.walk(argument) if isinstance(n, ast.Attribute)}
                noms |= {n.id for n in ast.walk(argument) if isinstance(n, ast.Name)}
                if noms & PERSONNEL:
                    fautes.append(f"{fichier.relative_to(RACINE)}:{appel.lineno}")
    assert appels >= 3  # the scan finds the calls it is meant to read
    assert not fautes, fautes


def test_les_recherches_de_l_api_sont_masquees_aussi():
    ligne = '"GET /api/v1/salaries/?search=Fictif-Aubry&page=2 HTTP/1.1" 200 512'
    assert masquer(ligne) == f'"GET /api/v1/salaries/?{MASQUE} HTTP/1.1" 200 512'
    assert masquer("Not Found: /salaries/?q=Fictif%20Aubry") == f"Not Found: /salaries/?{MASQUE}"


def _port_libre() -> int:
    with socket.socket() as prise:
        prise.bind(("127.0.0.1", 0))
        return prise.getsockname()[1]


@pytest.mark.lent
def test_le_journal_d_acces_de_gunicorn_ecrit_le_chemin_sans_la_recherche(tmp_path):
    """gunicorn itself, with the project's configuration: a search's terms never reach its access log."""
    port = _port_libre()
    journal = tmp_path / "acces.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "iae.settings.test"}
    serveur = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "iae.wsgi:application", "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", str(journal)],
        cwd=RACINE, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        limite = time.monotonic() + 60
        while time.monotonic() < limite:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/salaries/?q=Fictif-Aubry", timeout=5)
            except urllib.error.HTTPError:
                break  # any HTTP answer: the request was served and logged
            except OSError:
                time.sleep(0.3)
                continue
            break
        time.sleep(0.5)
        ecrit = journal.read_text()
    finally:
        serveur.terminate()
        serveur.wait(timeout=20)
    assert '"GET /salaries/ HTTP/1.1"' in ecrit
    assert "Fictif" not in ecrit and "q=" not in ecrit


def test_la_production_refuse_d_ecrire_les_courriels_dans_les_journaux():
    """The console backend writes every e-mail (agents' addresses, reset links) to the logs: production refuses
    it, and the compose file has no default for EMAIL_URL."""
    env = {**os.environ, "SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_SETTINGS_MODULE": "iae.settings.production"}
    lire = [sys.executable, "-c", "from django.conf import settings; print(settings.EMAIL_BACKEND)"]
    # Console, nothing (the default, console), or a scheme dj-email-url does not know (plain SMTP without TLS).
    for url in ("console://", None, "smtp+tls://u:p@smtp.example:587"):
        env_ici = {k: v for k, v in env.items() if k != "EMAIL_URL"} | ({"EMAIL_URL": url} if url else {})
        refus = subprocess.run(lire, cwd=RACINE, env=env_ici, capture_output=True, text=True)
        assert refus.returncode != 0 and "EMAIL_URL doit désigner le serveur d'envoi" in refus.stderr
    accepte = subprocess.run(
        lire, cwd=RACINE, env={**env, "EMAIL_URL": "submission://u:p@smtp.example:587"}, capture_output=True, text=True
    )
    assert accepte.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend", accepte.stderr
    compose = yaml.safe_load((RACINE / "docker-compose.yml").read_text())
    assert compose["x-app"]["environment"]["EMAIL_URL"].startswith("${EMAIL_URL:?")
    assert "console" not in (RACINE / "docker-compose.yml").read_text()
