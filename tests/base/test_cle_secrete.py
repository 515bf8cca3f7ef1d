"""The production settings refuse a weak secret key: long is not enough, it must be random."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

from base.cle_secrete import faiblesse_de_la_cle

RACINE = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("cle", "raison"),
    [
        ("abcde" * 10, "elle n'a que 5 caractères différents, il en faut au moins 12"),
        ("x" * 49, "elle a 49 caractères, il en faut au moins 50"),
        ("django-insecure-" + secrets.token_urlsafe(50), "c'est une clé de développement (django-insecure)"),
        ("abcdefghijklmnopqrstuvwxy" * 2, "elle répète un motif"),
        ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "elle suit l'ordre de l'alphabet"),
        (
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabcdefghijklmn",
            "son entropie est d'environ 90 bits, il en faut au moins 160",
        ),
    ],
)
def test_une_cle_faible(cle, raison):
    assert faiblesse_de_la_cle(cle) == raison


@pytest.mark.parametrize(
    "fabrique",
    [lambda: secrets.token_urlsafe(50), get_random_secret_key, lambda: secrets.token_hex(32)],
    ids=["token_urlsafe", "django", "hexadecimale"],
)
def test_les_cles_aleatoires_usuelles_passent(fabrique):
    for _ in range(200):
        assert faiblesse_de_la_cle(fabrique()) is None


def charger_la_production(cle: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SECRET_KEY": cle, "DJANGO_SETTINGS_MODULE": "iae.settings.production",
           "EMAIL_URL": "submission://u:p@smtp.example:587"}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_la_production_refuse_de_demarrer_avec_une_cle_faible():
    refus = charger_la_production("abcde" * 10)
    assert refus.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY est trop faible (elle n'a que 5 caractères différents" in refus.stderr
    assert charger_la_production(secrets.token_urlsafe(50)).returncode == 0
