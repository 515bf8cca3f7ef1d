"""`manage.py demo`: refused outside DEBUG without --force, and the accounts' password from the environment. On an
empty database and without the three years of activity (tested on the session's demo, tests/demo/test_demo.py),
so these stay quick."""

import io

import pytest
from django.core.management import CommandError, call_command

from comptes.models import Utilisateur
from demo.services import MOT_DE_PASSE_PAR_DEFAUT
from siae.models import Siae

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sans_activite(monkeypatch):
    monkeypatch.setattr("demo.services.creer_activite", lambda structures, auteurs=None: None)


def test_refusee_hors_debug_sans_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusée hors DEBUG"):
        call_command("demo", stdout=io.StringIO())
    assert not Siae.objects.exists()


def test_acceptee_en_debug(settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    assert Siae.objects.exists()


def test_la_commande_donne_les_comptes_et_le_mot_de_passe(monkeypatch):
    monkeypatch.delenv("DEMO_MOT_DE_PASSE", raising=False)
    sortie = io.StringIO()
    call_command("demo", force=True, stdout=sortie)
    assert Utilisateur.objects.count() == 4
    for user in Utilisateur.objects.all():
        assert user.check_password(MOT_DE_PASSE_PAR_DEFAUT)
        assert user.email in sortie.getvalue()
    assert MOT_DE_PASSE_PAR_DEFAUT in sortie.getvalue()


def test_mot_de_passe_de_l_environnement(monkeypatch):
    monkeypatch.setenv("DEMO_MOT_DE_PASSE", "un-autre-mot-de-passe-long")
    sortie = io.StringIO()
    call_command("demo", force=True, stdout=sortie)
    assert Utilisateur.objects.get(email="cdiae@pilot-iae.test").check_password("un-autre-mot-de-passe-long")
    assert "un-autre-mot-de-passe-long" in sortie.getvalue()
