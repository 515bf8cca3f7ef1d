"""`make run` serves the demo as the product runs: DEBUG off (the Makefile sets DEBUG=0), so a missing page is the
French 404, never Django's technical page listing every URL, and the static files are still served (WhiteNoise,
from the apps' folders, without collectstatic). Checked in a separate process, under the development settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[2]

SCRIPT = """
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
client = Client()
page = client.get("/cette-page-n-existe-pas/")
texte = page.content.decode()
print(settings.DEBUG, page.status_code, "Page introuvable" in texte, "URLconf" in texte)
css = client.get("/static/dsfr/dist/dsfr/dsfr.min.css")
print(css.status_code, css["Content-Type"])
"""


@pytest.mark.lent
def test_make_run_sert_les_pages_d_erreur_du_produit(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "iae.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'vide.sqlite3'}",
    }
    env.pop("REDIS_URL", None)
    sortie = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=RACINE, env=env, capture_output=True, text=True, timeout=120, check=True
    ).stdout.split("\n")
    assert sortie[0] == "False 404 True False"
    assert sortie[1].startswith("200 text/css")
