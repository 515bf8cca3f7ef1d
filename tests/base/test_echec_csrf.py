"""A form refused for its security token: a French page of the design system, not Django's English one."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_formulaire_sans_jeton(personnel_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personnel_a)
    reponse = client.post("/imports/nouveau/", {"type": "parcours"})
    assert reponse.status_code == 403
    page = reponse.content.decode()
    assert "<h1>Formulaire expiré</h1>" in page and "Rien n'a été enregistré." in page
    assert "fr-header" in page and "dsfr" in page  # the site's own page, header and styles
    assert "Forbidden" not in page and "CSRF verification failed" not in page


def test_connexion_sans_jeton():
    reponse = Client(enforce_csrf_checks=True).post("/comptes/connexion/", {"username": "x", "password": "y"})
    assert reponse.status_code == 403
    assert "Formulaire expiré" in reponse.content.decode()
