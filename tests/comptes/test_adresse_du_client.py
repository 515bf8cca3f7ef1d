"""The failed-login lockout behind the TLS proxy: failures count per account and per client, the client's address
being the one the trusted proxy writes last in X-Forwarded-For (comptes/adresse.py)."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from comptes.adresse import adresse_du_client
from tests.factories import MOT_DE_PASSE

PROXY = "172.18.0.1"


@pytest.fixture
def derriere_le_proxy(settings):
    settings.PROXYS_DE_CONFIANCE = ["127.0.0.1/32", "::1/128", "172.16.0.0/12"]


def _adresse(distante, transmises=None):
    meta = {"REMOTE_ADDR": distante}
    if transmises is not None:
        meta["HTTP_X_FORWARDED_FOR"] = transmises
    return adresse_du_client(RequestFactory().get("/", **meta))


@pytest.mark.usefixtures("derriere_le_proxy")
@pytest.mark.parametrize(
    ("distante", "transmises", "client"),
    [
        # The proxy writes the client's address last.
        (PROXY, "203.0.113.7", "203.0.113.7"),
        # What the client wrote before it is not believed.
        (PROXY, "198.51.100.9, 203.0.113.7", "203.0.113.7"),
        (PROXY, "n'importe quoi, 203.0.113.7", "203.0.113.7"),
        # Through two trusted proxies (a local one, then the one in the container network).
        (PROXY, "203.0.113.7, 127.0.0.1", "203.0.113.7"),
        # IPv6, and an IPv4 client seen through an IPv6 socket.
        ("::1", "2001:db8::42", "2001:db8::42"),
        (PROXY, "::ffff:203.0.113.7", "203.0.113.7"),
        # A proxy that wrote nothing, or garbage: the proxy's own address, never a guess.
        (PROXY, None, PROXY),
        (PROXY, "pas-une-adresse", PROXY),
        # Not from a trusted proxy: its own address, whatever it claims.
        ("203.0.113.50", "192.0.2.1", "203.0.113.50"),
    ],
)
def test_l_adresse_du_client(distante, transmises, client):
    assert _adresse(distante, transmises) == client


def test_sans_proxy_de_confiance_l_en_tete_est_ignore(settings):
    settings.PROXYS_DE_CONFIANCE = []
    assert _adresse(PROXY, "203.0.113.7") == PROXY


def test_axes_compte_par_l_adresse_du_client():
    from django.conf import settings

    assert settings.AXES_CLIENT_IP_CALLABLE == "comptes.adresse.adresse_du_client"
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def _echouer(client, email, adresse, fois=5):
    for _ in range(fois):
        client.post(
            "/comptes/connexion/",
            {"username": email, "password": "mauvais-mot-de-passe"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=adresse,
        )


@pytest.mark.django_db
@pytest.mark.usefixtures("derriere_le_proxy")
def test_un_intrus_derriere_le_proxy_ne_verrouille_que_lui_meme(agent_55):
    """Five wrong passwords from one client lock the account for that client only: its owner, behind the same
    proxy, still logs in."""
    intrus = Client()
    _echouer(intrus, agent_55.email, "198.51.100.66")
    bloque = intrus.post(
        "/comptes/connexion/",
        {"username": agent_55.email, "password": MOT_DE_PASSE},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.66",
    )
    assert bloque.status_code == 429
    # Forging the header does not change the client's bucket: the proxy's last entry is what counts.
    encore = intrus.post(
        "/comptes/connexion/",
        {"username": agent_55.email, "password": MOT_DE_PASSE},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="10.9.8.7, 198.51.100.66",
    )
    assert encore.status_code == 429
    assert AccessAttempt.objects.get(username=agent_55.email).ip_address == "198.51.100.66"

    proprietaire = Client()
    reponse = proprietaire.post(
        "/comptes/connexion/",
        {"username": agent_55.email, "password": MOT_DE_PASSE},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert reponse.status_code == 302
    assert int(proprietaire.session["_auth_user_id"]) == agent_55.pk


def test_la_production_croit_le_proxy_de_la_machine():
    """The production settings trust the local and Docker networks by default, and the compose file publishes the
    web port on the loopback only: no client talks to gunicorn without the proxy."""
    from pathlib import Path

    import yaml

    racine = Path(__file__).resolve().parents[2]
    texte = (racine / "iae/settings/production.py").read_text()
    assert '"127.0.0.1/32,::1/128,172.16.0.0/12"' in texte
    services = yaml.safe_load((racine / "docker-compose.yml").read_text())["services"]
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
