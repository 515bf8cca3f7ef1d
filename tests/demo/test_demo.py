"""`manage.py demo`: département 55 with fictive structures and one account per role, on the session's demo
(tests/conftest.py); and the one test that runs it a second time: nothing changes."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from comptes.models import Role, Utilisateur
from demo.services import MOT_DE_PASSE_PAR_DEFAUT
from financements.models import CandidatureFdi, LigneBudgetaire, LigneFinancement, Projet
from indicateurs.sections import indicateurs
from modulation.models import DecisionModulation
from siae.models import ContactSiae, Ensemblier, Siae
from siae.regles import erreur_siret
from tests.demo.test_demo_sorties import etat as etat_des_sorties

pytestmark = [pytest.mark.django_db, pytest.mark.lent, pytest.mark.usefixtures("demo")]


def test_structures_du_departement_55():
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
    roles = {}
    for user in Utilisateur.objects.all():
        perimetre = user.perimetre
        roles[user.email] = (perimetre.roles, perimetre.administrateur)
        assert user.check_password(MOT_DE_PASSE_PAR_DEFAUT)
    assert roles == {
        "agent.ddets@pilot-iae.test": ({Role.AGENT_DDETS}, False),
        "siae@pilot-iae.test": ({Role.PERSONNEL_SIAE}, False),
        "cdiae@pilot-iae.test": ({Role.MEMBRE_CDIAE}, False),
        "admin@pilot-iae.test": (set(), True),
    }
    assert Utilisateur.objects.get(email="agent.ddets@pilot-iae.test").perimetre.departements_ddets == {"55"}
    assert Utilisateur.objects.get(email="cdiae@pilot-iae.test").perimetre.departements_cdiae == {"55"}
    assert len(Utilisateur.objects.get(email="siae@pilot-iae.test").perimetre.siae_ids) == 1


def test_les_comptes_de_demo_se_connectent(client):
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
    client.force_login(Utilisateur.objects.get(email="agent.ddets@pilot-iae.test"))
    assert client.get("/api/v1/siae/").json()["count"] == Siae.objects.count()
    client.force_login(Utilisateur.objects.get(email="cdiae@pilot-iae.test"))
    liste = client.get("/api/v1/siae/").json()
    assert liste["count"] == Siae.objects.count()
    assert all(s["contacts"] is None for s in liste["results"])


def photographie() -> dict:
    """The rows of every table, counted; the figures of the three years; and, value by value, what each part of
    the demo keys its writes on (structures, exits and PASS, modulation decisions, financing)."""
    return {
        "lignes": {modele._meta.label: modele.objects.count() for modele in apps.get_models()},
        "indicateurs": {annee: indicateurs(annee, "55") for annee in (2024, 2025, 2026)},
        "siae": list(Siae.objects.order_by("siret").values("siret", "nom", "type", "ensemblier_id")),
        "sorties": etat_des_sorties(),
        "decisions": list(
            DecisionModulation.objects.order_by("pk").values_list("annexe_id", "taux", "date", "commentaire")
        ),
        "financements": [
            list(modele.objects.order_by("pk").values())
            for modele in (Projet, LigneBudgetaire, LigneFinancement, CandidatureFdi)
        ],
    }


def test_relancer_la_demo_ne_change_rien():
    avant = photographie()
    call_command("demo", force=True, stdout=io.StringIO())
    apres = photographie()
    assert apres["lignes"] == avant["lignes"]
    assert apres == avant
    assert avant["lignes"]["parcours.Salarie"] > 0 and avant["lignes"]["declarations.LigneDeclaration"] > 0
    assert avant["lignes"]["comptes.Utilisateur"] == 4
    assert avant["lignes"]["siae.Ensemblier"] == 1
