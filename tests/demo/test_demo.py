"""`manage.py demo`: département 55 with fictive structures and one account per role, idempotent."""

import io

import pytest
from django.core.management import CommandError, call_command

from comptes.models import Membre, Organisation, Role, Utilisateur
from demo.services import MOT_DE_PASSE_PAR_DEFAUT
from siae.models import ContactSiae, Ensemblier, Siae
from siae.regles import erreur_siret

pytestmark = pytest.mark.django_db

MODELES = (Siae, ContactSiae, Ensemblier, Organisation, Membre, Utilisateur)


@pytest.fixture(autouse=True)
def _sans_activite(monkeypatch):
    """These tests are about the structures and the accounts; the three years of activity the demo also creates
    (several seconds each time) are tested once in test_demo_consommation.py."""
    monkeypatch.setattr("demo.services.creer_activite", lambda structures, auteurs=None: None)


def demo() -> str:
    sortie = io.StringIO()
    call_command("demo", force=True, stdout=sortie)
    return sortie.getvalue()


def comptes() -> dict[str, int]:
    return {modele.__name__: modele.objects.count() for modele in MODELES}


def test_refusee_hors_debug_sans_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusée hors DEBUG"):
        call_command("demo", stdout=io.StringIO())
    assert not Siae.objects.exists()


def test_acceptee_en_debug(settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    assert Siae.objects.exists()


def test_idempotente():
    demo()
    premier = comptes()
    siae_avant = list(Siae.objects.order_by("siret").values("siret", "nom", "type", "ensemblier_id"))
    demo()
    assert comptes() == premier
    assert list(Siae.objects.order_by("siret").values("siret", "nom", "type", "ensemblier_id")) == siae_avant
    assert premier["Utilisateur"] == 4
    assert premier["Ensemblier"] == 1


def test_structures_du_departement_55():
    demo()
    assert set(Siae.objects.values_list("departement", flat=True)) == {"55"}
    par_type = {t: Siae.objects.filter(type=t).count() for t in ("ACI", "AI", "EI", "ETTI", "EITI")}
    # Kinds in the proportions of the Meuse bilan: ACI far ahead of the others.
    assert par_type["ACI"] > par_type["AI"] > 0
    assert par_type["ACI"] > par_type["EI"] > 0
    assert par_type["ACI"] > par_type["ETTI"] > 0
    assert par_type["ACI"] > sum(par_type.values()) / 2
    for siret in Siae.objects.values_list("siret", flat=True):
        assert erreur_siret(siret) is None
        assert siret.startswith("000")  # a range no real establishment uses
    assert all(s.code_postal.startswith("55") for s in Siae.objects.all())
    regies = Siae.objects.filter(regie_de_quartier=True)
    assert regies.exists()
    assert set(regies.values_list("type", flat=True)) <= {"EI", "ACI"}
    assert Ensemblier.objects.get().siae.count() >= 2
    assert ContactSiae.objects.count() == Siae.objects.count()


def test_un_compte_par_role():
    sortie = demo()
    roles = {}
    for user in Utilisateur.objects.all():
        perimetre = user.perimetre
        roles[user.email] = (perimetre.roles, perimetre.administrateur)
        assert user.check_password(MOT_DE_PASSE_PAR_DEFAUT)
        assert user.email in sortie
    assert roles == {
        "agent.ddets@pilot-iae.test": ({Role.AGENT_DDETS}, False),
        "siae@pilot-iae.test": ({Role.PERSONNEL_SIAE}, False),
        "cdiae@pilot-iae.test": ({Role.MEMBRE_CDIAE}, False),
        "admin@pilot-iae.test": (set(), True),
    }
    assert Utilisateur.objects.get(email="agent.ddets@pilot-iae.test").perimetre.departements_ddets == {"55"}
    assert Utilisateur.objects.get(email="cdiae@pilot-iae.test").perimetre.departements_cdiae == {"55"}
    assert len(Utilisateur.objects.get(email="siae@pilot-iae.test").perimetre.siae_ids) == 1
    assert MOT_DE_PASSE_PAR_DEFAUT in sortie


def test_mot_de_passe_de_l_environnement(monkeypatch):
    monkeypatch.setenv("DEMO_MOT_DE_PASSE", "un-autre-mot-de-passe-long")
    sortie = demo()
    assert Utilisateur.objects.get(email="cdiae@pilot-iae.test").check_password("un-autre-mot-de-passe-long")
    assert "un-autre-mot-de-passe-long" in sortie


def test_les_comptes_de_demo_se_connectent(client):
    demo()
    reponse = client.post(
        "/comptes/connexion/", {"username": "siae@pilot-iae.test", "password": MOT_DE_PASSE_PAR_DEFAUT}
    )
    assert reponse.status_code == 302
    assert reponse["Location"] == "/"
    accueil = client.get("/").content.decode()
    assert "Ma structure" in accueil
    siae = Siae.objects.get(organisation__membres__utilisateur__email="siae@pilot-iae.test")
    assert siae.nom in accueil


def test_l_agent_et_le_cdiae_de_demo_voient_tout_le_departement(client):
    demo()
    client.force_login(Utilisateur.objects.get(email="agent.ddets@pilot-iae.test"))
    assert client.get("/api/v1/siae/").json()["count"] == Siae.objects.count()
    client.force_login(Utilisateur.objects.get(email="cdiae@pilot-iae.test"))
    liste = client.get("/api/v1/siae/").json()
    assert liste["count"] == Siae.objects.count()
    assert all(s["contacts"] is None for s in liste["results"])
