"""Pages served again from the shared cache (base/pages.py) while the version of the data (base/versions.py) has
not moved: never to another session, never after a write, never with messages meant once."""

import gzip
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import connection, transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test.utils import CaptureQueriesContext

from base import versions
from base.historique import creer_en_masse
from comptes.models import Membre
from declarations.models import LigneDeclaration
from financements.models import LigneFinancement
from tests.factories import UtilisateurFactory
from tests.pilotage.test_cockpit import ANNEE, departement  # noqa: F401  (the cockpit's fixture)

pytestmark = pytest.mark.django_db

ADRESSE = f"/pilotage/?annee={ANNEE}"


@pytest.fixture(autouse=True)
def pages_en_cache(settings):
    settings.PAGES_EN_CACHE = True
    caches[versions.CACHE].clear()
    yield
    caches[versions.CACHE].clear()


def navigateur(client_de, utilisateur):
    """A logged-in client holding its CSRF cookie, as a browser does after the login page."""
    client = client_de(utilisateur)
    client.cookies["csrftoken"] = _get_new_csrf_string()
    return client


def requetes(client) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as capture:
        reponse = client.get(ADRESSE)
    assert reponse.status_code == 200
    return len(capture), reponse.content


def test_la_seconde_requete_est_lue_dans_le_cache(departement, agent_55, client_de, django_assert_max_num_queries):  # noqa: F811
    client = navigateur(client_de, agent_55)
    premiere = client.get(ADRESSE)
    assert premiere.status_code == 200
    # The session only: neither the user, nor its memberships, nor anything of the cockpit's figures is read again
    # (base.pages.ServirLesPagesGardees, before the login check).
    with django_assert_max_num_queries(1):
        seconde = client.get(ADRESSE)
    assert seconde.status_code == 200
    assert seconde.content == premiere.content


def test_la_page_gardee_part_compressee_au_navigateur_qui_l_accepte(departement, agent_55, client_de):  # noqa: F811
    client = navigateur(client_de, agent_55)
    rendue = client.get(ADRESSE)
    assert "Content-Encoding" not in rendue
    compressee = client.get(ADRESSE, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert compressee["Content-Encoding"] == "gzip" and "Accept-Encoding" in compressee["Vary"]
    assert gzip.decompress(compressee.content) == rendue.content
    assert len(compressee.content) < len(rendue.content) / 3
    # A client that does not accept it gets the page as rendered.
    simple = client.get(ADRESSE)
    assert "Content-Encoding" not in simple and simple.content == rendue.content


@contextmanager
def validee(capture):
    """A write committed, as far as the version is concerned: the version moves once per transaction, and the
    test's own transaction (which never commits) already holds the move asked by the fixture's writes."""
    connection.run_on_commit = [
        rappel for rappel in connection.run_on_commit if rappel[1] is not versions._incrementer
    ]
    with capture(execute=True):
        yield


def test_une_ecriture_validee_fait_relire_les_chiffres(
    departement,  # noqa: F811
    agent_55,
    client_de,
    django_capture_on_commit_callbacks,
):
    client = navigateur(client_de, agent_55)
    client.get(ADRESSE)
    lu, avant = requetes(client)
    version = versions.version()
    with validee(django_capture_on_commit_callbacks):
        LigneFinancement.objects.create(
        financeur="COMMUNE_EPCI", dispositif="AUTRE", siae=departement["a"].siae, annee=ANNEE,
        libelle="Aide régionale", montant_engage=Decimal("7000.00"),
    )  # fmt: skip
    assert versions.version() == version + 1
    rendu, apres = requetes(client)
    assert rendu > lu
    assert apres != avant


def test_une_ecriture_annulee_ne_change_pas_la_version(departement, django_capture_on_commit_callbacks):  # noqa: F811
    version = versions.version()
    with validee(django_capture_on_commit_callbacks), pytest.raises(RuntimeError), transaction.atomic():
        ligne = LigneDeclaration.objects.first()
        ligne.heures_travaillees -= Decimal(1)
        ligne.save()
        raise RuntimeError("annulée")
    assert versions.version() == version


def test_plusieurs_ecritures_d_une_transaction_changent_la_version_une_fois(
    departement,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    version = versions.version()
    with validee(django_capture_on_commit_callbacks), transaction.atomic():
        for ligne in LigneDeclaration.objects.all()[:5]:
            ligne.heures_travaillees -= Decimal(1)
            ligne.save()
    assert versions.version() == version + 1


def test_une_ecriture_en_masse_change_la_version(departement, django_capture_on_commit_callbacks):  # noqa: F811
    modele = LigneFinancement.objects.get(libelle="FSE+ du chantier")
    modele.pk = None
    version = versions.version()
    with validee(django_capture_on_commit_callbacks):
        creer_en_masse(LigneFinancement, [modele])
    assert versions.version() == version + 1


def test_une_session_n_ecrit_pas_de_version(django_capture_on_commit_callbacks):
    version = versions.version()
    with validee(django_capture_on_commit_callbacks):
        SessionStore().create()
    assert versions.version() == version


def test_un_rattachement_retire_n_est_plus_servi(
    departement,  # noqa: F811
    agent_55,
    client_de,
    django_capture_on_commit_callbacks,
):
    """The page is served before the user is loaded: removing the agent from the DDETS (a write) moves the version,
    and the next request goes through the checks again."""
    client = navigateur(client_de, agent_55)
    assert client.get(ADRESSE).status_code == 200
    with validee(django_capture_on_commit_callbacks), transaction.atomic():
        Membre.objects.filter(utilisateur=agent_55).delete()
    assert client.get(ADRESSE).status_code == 404


def test_apres_la_deconnexion_la_page_n_est_plus_servie(departement, agent_55, client_de):  # noqa: F811
    client = navigateur(client_de, agent_55)
    assert client.get(ADRESSE).status_code == 200
    client.logout()
    reponse = client.get(ADRESSE)
    assert reponse.status_code == 302 and "/comptes/connexion/" in reponse["Location"]


def test_une_page_ne_va_jamais_a_une_autre_session(departement, agent_55, client_de):  # noqa: F811
    collegue = UtilisateurFactory(email="collegue55@ddets.test", first_name="Roxane", agent_ddets="55")
    assert b"Claire" in navigateur(client_de, agent_55).get(ADRESSE).content
    page_de_la_collegue = navigateur(client_de, collegue).get(ADRESSE).content
    assert b"Roxane" in page_de_la_collegue
    assert b"Claire" not in page_de_la_collegue


def test_une_page_a_formulaires_ne_va_qu_au_navigateur_qui_a_le_cookie(departement, agent_55, client_de):  # noqa: F811
    client = navigateur(client_de, agent_55)
    rendue, _ = requetes(client)
    lue, _ = requetes(client)
    assert lue < rendue
    # Another CSRF cookie (another browser of the same session): the page is rendered, its tokens signed anew.
    client.cookies["csrftoken"] = _get_new_csrf_string()
    autre, _ = requetes(client)
    assert autre == rendue


def test_les_exports_ne_sont_pas_gardes(departement, agent_55, client_de):  # noqa: F811
    client = navigateur(client_de, agent_55)
    for _ in range(2):
        with CaptureQueriesContext(connection) as capture:
            reponse = client.get(ADRESSE + "&export=xlsx")
        assert reponse.status_code == 200
        assert len(capture) > 3
