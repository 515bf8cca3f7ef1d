import pytest
from django.test import Client

from tests.factories import ContactSiaeFactory, SiaeFactory, UtilisateurFactory


@pytest.fixture(autouse=True)
def _media_temporaire(settings, tmp_path):
    """Uploaded import files go to a temporary directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def siae_a(db):
    siae = SiaeFactory(nom="Jardins de Verdun", aci=True, commune="Verdun", code_postal="55100")
    ContactSiaeFactory(siae=siae, nom="Directrice Alpha", email="alpha@jardins.test")
    return siae


@pytest.fixture
def siae_b(db):
    siae = SiaeFactory(nom="Intérim du Barrois", etti=True, commune="Bar-le-Duc", code_postal="55000")
    ContactSiaeFactory(siae=siae, nom="Directeur Bravo")
    return siae


@pytest.fixture
def siae_57(db):
    return SiaeFactory(nom="Recyclerie de Metz", moselle=True)


@pytest.fixture
def agent_55(db):
    return UtilisateurFactory(email="agent55@ddets.test", first_name="Claire", agent_ddets="55")


@pytest.fixture
def agent_57(db):
    return UtilisateurFactory(email="agent57@ddets.test", first_name="Marc", agent_ddets="57")


@pytest.fixture
def personnel_a(siae_a):
    return UtilisateurFactory(email="personnel@siae-a.test", first_name="Samir", personnel_siae=siae_a)


@pytest.fixture
def personnel_b(siae_b):
    return UtilisateurFactory(email="personnel@siae-b.test", first_name="Bea", personnel_siae=siae_b)


@pytest.fixture
def membre_cdiae_55(db):
    return UtilisateurFactory(email="membre@cdiae55.test", first_name="Colette", membre_cdiae="55")


@pytest.fixture
def admin(db):
    return UtilisateurFactory(email="admin@pilot-iae.test", first_name="Alex", admin=True)


@pytest.fixture
def client_de(db):
    """client_de(user) → a test client logged in as that user (None: anonymous)."""

    def fabriquer(utilisateur=None):
        client = Client()
        if utilisateur is not None:
            client.force_login(utilisateur)
        return client

    return fabriquer
