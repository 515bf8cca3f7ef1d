import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client, TestCase, TransactionTestCase

from demo.referentiels import charger_referentiels
from demo.services import creer_demo
from demo.structures import siret_demo
from siae.models import Siae
from tests.factories import ContactSiaeFactory, SiaeFactory, UtilisateurFactory

# The demo département (demo/), built once per session: see `demo` below.
DEMO = "demo"


def _usage_de_la_base(item) -> str:
    """How the test uses the database ("aucun", "db" or "transactionnel"), as pytest-django orders the tests."""
    classe = getattr(item, "cls", None)
    if classe and issubclass(classe, TransactionTestCase):
        return "db" if issubclass(classe, TestCase) else "transactionnel"
    noms = getattr(item, "fixturenames", ())
    marque = item.get_closest_marker("django_db")
    transaction = bool(marque) and bool(
        marque.kwargs.get("transaction") or marque.kwargs.get("reset_sequences") or (marque.args and marque.args[0])
    )
    if transaction or "transactional_db" in noms or "live_server" in noms:
        return "transactionnel"
    return "db" if marque or "db" in noms else "aucun"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's order (database tests, then transactional ones, then the others), the tests of the
    demo move together just before the tests without a database: first those in a rolled-back transaction, then
    the transactional ones, whose flush at the end removes the demo. So the demo's rows, committed once, are seen
    by no other test that reads the database."""
    rang = {"db": 0, "transactionnel": 1, "aucun": 4}

    def cle(item):
        usage = _usage_de_la_base(item)
        if DEMO in getattr(item, "fixturenames", ()):
            return 3 if usage == "transactionnel" else 2
        return rang[usage]

    items.sort(key=cle)


def _demo_presente() -> bool:
    return Siae.objects.filter(siret=siret_demo(1)).exists()


def _vider_la_base() -> None:
    """As a transactional test leaves it (flushed), with the reference data of the migrations loaded again."""
    call_command("flush", interactive=False, verbosity=0)
    charger_referentiels()


@pytest.fixture(scope="session")
def _demo_de_la_session(django_db_setup, django_db_blocker):
    """`manage.py demo`, once, committed: the browser's live server reads it too. The tests that use it run last
    among those that read the database (pytest_collection_modifyitems above); whatever is left of it when the
    session ends is removed, so that a kept test database (--reuse-db) is found as migrated."""
    with django_db_blocker.unblock():
        creer_demo()
    yield
    with django_db_blocker.unblock():
        if _demo_presente():
            _vider_la_base()


@pytest.fixture
def demo(_demo_de_la_session, django_db_blocker):
    """The demo département 55, built once per session (about 20 s). Each test runs as usual: in a transaction
    rolled back at its end (`db`), so what a test writes is undone and the demo stays; a transactional test
    (`live_server`) flushes the database at its end, hence runs after the others. Should a test find the demo
    gone (an unusual order), it builds it again rather than fail."""
    with django_db_blocker.unblock():
        if not _demo_presente():
            creer_demo()


@pytest.fixture(autouse=True)
def _limites_remises_a_zero():
    """The hourly counts of the password reset (comptes/limitation.py) live in the process' memory under tests:
    each test starts with none."""
    caches["limites"].clear()


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
