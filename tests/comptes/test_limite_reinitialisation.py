"""The password reset page cannot flood an inbox: a few e-mails an hour per address asked for and per client, then it
answers the same and sends nothing, whether the address has an account or not (comptes/limitation.py)."""

import time
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.test import Client

pytestmark = pytest.mark.django_db

PAGE = "/comptes/mot-de-passe-oublie/"
ENVOYE = "/comptes/mot-de-passe-oublie/envoye/"


@pytest.fixture
def limites(settings):
    settings.REINITIALISATION_MAX_PAR_ADRESSE = 3
    settings.REINITIALISATION_MAX_PAR_CLIENT = 5


def _demander(client, email, **meta):
    reponse = client.post(PAGE, {"email": email}, **meta)
    assert (reponse.status_code, reponse["Location"]) == (302, ENVOYE)
    return reponse


@pytest.mark.usefixtures("limites")
def test_pas_plus_de_trois_courriels_par_heure_pour_une_adresse(agent_55):
    # Each time from another client: the limit is the address's, wherever the requests come from.
    for rang in range(6):
        _demander(Client(), agent_55.email.upper(), REMOTE_ADDR=f"203.0.113.{rang}")
    assert len(mail.outbox) == 3
    assert {tuple(message.to) for message in mail.outbox} == {(agent_55.email,)}


@pytest.mark.usefixtures("limites")
def test_la_limite_ne_dit_pas_si_le_compte_existe(agent_55):
    """The answers for an address with an account and one without are the same, before and past the limit; only the
    first asks send anything."""
    reponses = {}
    for email in (agent_55.email, "personne@ailleurs.test"):
        pages = []
        for rang in range(5):
            reponse = _demander(Client(), email, REMOTE_ADDR=f"198.51.100.{rang}")
            pages.append((reponse.status_code, reponse["Location"], Client().get(reponse["Location"]).content))
        reponses[email] = pages
    assert reponses[agent_55.email] == reponses["personne@ailleurs.test"]
    assert len(mail.outbox) == 3


@pytest.mark.usefixtures("limites")
def test_un_client_ne_peut_pas_inonder_plusieurs_adresses(django_user_model):
    for rang in range(8):
        django_user_model.objects.create_user(email=f"cible{rang}@ddets.test", password="x" * 20)
    client = Client()
    for rang in range(8):
        _demander(client, f"cible{rang}@ddets.test", REMOTE_ADDR="203.0.113.50")
    assert len(mail.outbox) == 5
    # Another client is not held back by the first one's flood.
    _demander(Client(), "cible7@ddets.test", REMOTE_ADDR="203.0.113.51")
    assert len(mail.outbox) == 6


@pytest.mark.usefixtures("limites")
def test_le_client_est_celui_que_nomme_le_proxy(settings, agent_55):
    """Behind the TLS proxy every request comes from its address: the clients are told apart by the address the
    proxy writes (comptes/adresse.py), so a flood from one does not stop the others' resets."""
    settings.PROXYS_DE_CONFIANCE = ["172.16.0.0/12"]
    for rang in range(5):
        _demander(Client(), f"autre{rang}@ailleurs.test", REMOTE_ADDR="172.18.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    _demander(Client(), agent_55.email, REMOTE_ADDR="172.18.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert len(mail.outbox) == 1


@pytest.mark.usefixtures("limites")
def test_une_nouvelle_heure_rouvre_les_envois(agent_55, monkeypatch):
    maintenant = time.time()
    monkeypatch.setattr(locmem.time, "time", lambda: maintenant)
    for _ in range(4):
        _demander(Client(), agent_55.email)
    assert len(mail.outbox) == 3
    maintenant += 3601
    _demander(Client(), agent_55.email)
    assert len(mail.outbox) == 4


@pytest.mark.usefixtures("limites")
def test_sans_cache_le_lien_part_quand_meme(agent_55):
    """Redis down: the page does not fail, and the link is sent as before the limits."""
    cache = caches["limites"]
    with mock.patch.object(cache, "add", side_effect=ConnectionError("Redis absent")):
        _demander(Client(), agent_55.email)
    assert len(mail.outbox) == 1
