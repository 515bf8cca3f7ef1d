"""/api/v1/financements/ (and /totaux/) and /api/v1/projets/: read-only, through the scope, filters, the budget
and its balance, a bounded number of queries."""

import datetime as dt
from decimal import Decimal as D

import pytest

from aides_au_poste.models import BaremeAideAuPoste
from financements.choix import EtatProjet
from tests.factories import AnnexeFinanciereFactory, SiaeFactory
from tests.financements.factories import LigneFinancementFactory, ProjetFactory, projet_seed_004

pytestmark = pytest.mark.django_db


@pytest.fixture
def lignes(siae_a, siae_57):
    projet = projet_seed_004(siae_porteuse=siae_a)
    return {
        "projet": projet,
        "a": LigneFinancementFactory(siae=siae_a, annee=2025, montant_engage=D("20000"), part_variable_max=D("5000")),
        "fse": LigneFinancementFactory(fse=True, siae=None, projet=projet, annee=2026, montant_engage=D("51911")),
        "57": LigneFinancementFactory(commune=True, siae=siae_57, annee=2025),
    }


def test_lignes_selon_le_perimetre(client_de, lignes, agent_55, agent_57, personnel_a, personnel_b, membre_cdiae_55):
    def ids(utilisateur, **filtres):
        return {r["id"] for r in client_de(utilisateur).get("/api/v1/financements/", filtres).json()["results"]}

    a, fse, l57 = lignes["a"].pk, lignes["fse"].pk, lignes["57"].pk
    assert ids(agent_55) == ids(membre_cdiae_55) == ids(personnel_a) == {a, fse}
    assert ids(agent_57) == {l57}
    assert ids(personnel_b) == set()
    assert ids(agent_55, annee=2026) == {fse}
    assert ids(agent_55, financeur="FSE") == {fse}
    assert ids(agent_55, projet=lignes["projet"].pk) == {fse}
    assert ids(agent_57, siae=lignes["a"].siae_id) == set()
    assert client_de(None).get("/api/v1/financements/").status_code == 403
    detail = client_de(agent_55).get(f"/api/v1/financements/{a}/").json()
    assert {
        k: detail[k] for k in ("financeur", "dispositif", "montant_engage", "reste_a_verser", "part_variable_max")
    } == {
        "financeur": "DEPARTEMENT",
        "dispositif": "AUTRE",
        "montant_engage": "20000.00",
        "reste_a_verser": "20000.00",
        "part_variable_max": "5000.00",
    }
    assert detail["siae"]["nom"] == "Jardins de Verdun" and detail["projet"] is None
    assert client_de(agent_57).get(f"/api/v1/financements/{a}/").status_code == 404
    assert client_de(agent_55).delete(f"/api/v1/financements/{a}/").status_code == 405


def test_totaux(client_de, lignes, agent_55, agent_57, siae_a):
    # A barème row of its own, so that the amount is computed here by hand.
    BaremeAideAuPoste.objects.update_or_create(
        type="ACI",
        date_effet=dt.date(2025, 1, 1),
        defaults={"montant_socle_annuel_par_etp": D("24000"), "source": "arrêté fictif"},
    )
    AnnexeFinanciereFactory(siae=siae_a, annee=2025, montant_cofinance_cd=D("6000"))
    reponse = client_de(agent_55).get("/api/v1/financements/totaux/", {"annee": 2025, "departement": "55"})
    donnees = reponse.json()
    # État: 2 ETP × 24 000 = 48 000 computed from the annexe; Département: 6 000 co-financed + the 20 000 line.
    assert [(t["financeur"], t["engage"], t["part_variable_max"]) for t in donnees["par_financeur"]] == [
        ("ETAT", "48000.00", "0.00"),
        ("DEPARTEMENT", "26000.00", "5000.00"),
        ("TOTAL", "74000.00", "5000.00"),
    ]
    assert [(t["dispositif"], t["calcule"], t["verse_suivi"]) for t in donnees["par_dispositif"]] == [
        ("AIDE_AU_POSTE", True, True),
        ("COFINANCEMENT", True, False),
        ("AUTRE", False, True),
    ]
    assert client_de(agent_57).get(
        "/api/v1/financements/totaux/", {"annee": 2025, "departement": "55"}
    ).status_code == (404)
    assert client_de(agent_55).get("/api/v1/financements/totaux/").status_code == 400


def test_projets_avec_budget_et_equilibre(client_de, lignes, agent_55, personnel_b, membre_cdiae_55):
    projet = lignes["projet"]
    donnees = client_de(membre_cdiae_55).get(f"/api/v1/projets/{projet.pk}/").json()
    assert donnees["equilibre"] is True and donnees["erreurs_equilibre"] == []
    assert donnees["taux_frais_indirects"] == "20.0"
    assert [
        (p["libelle"], p["personnel"], p["fonctionnement"], p["frais_indirects"], p["total_charges"], p["resultat"])
        for p in donnees["periodes"]
    ] == [
        ("05 à 12/2025", "49600.00", "5700.00", "11060.00", "66360.00", "0.00"),
        ("01 à 12/2026", "75600.00", "5000.00", "16120.00", "96720.00", "0.00"),
    ]
    assert len(donnees["lignes_budgetaires"]) == 24
    assert client_de(personnel_b).get(f"/api/v1/projets/{projet.pk}/").status_code == 404
    client = client_de(agent_55)
    assert client.get("/api/v1/projets/", {"financeur": "FSE"}).json()["count"] == 1
    assert client.get("/api/v1/projets/", {"financeur": "COMMUNE_EPCI"}).json()["count"] == 0
    assert client.get("/api/v1/projets/", {"annee": 2027}).json()["count"] == 0
    assert client.get("/api/v1/projets/", {"annee": 2026, "etat": EtatProjet.BROUILLON}).json()["count"] == 1
    assert client.post("/api/v1/projets/", {}).status_code == 405


def test_un_projet_desequilibre_dit_pourquoi(client_de, agent_55):
    projet = ProjetFactory()
    donnees = client_de(agent_55).get(f"/api/v1/projets/{projet.pk}/").json()
    assert (donnees["equilibre"], donnees["erreurs_equilibre"]) == (False, ["Le budget n'a aucune période."])


def test_nombre_de_requetes_de_l_api(client_de, agent_55, django_assert_max_num_queries):
    def creer(nombre):
        for i in range(nombre):
            siae = SiaeFactory()
            projet = projet_seed_004(siae_porteuse=siae, nom=f"P{i}-{siae.pk}")
            LigneFinancementFactory(siae=siae, annee=2025)
            LigneFinancementFactory(siae=None, projet=projet, annee=2025)

    client = client_de(agent_55)
    creer(2)
    for url in ("/api/v1/financements/", "/api/v1/projets/", "/api/v1/financements/totaux/?annee=2025"):
        client.get(url)
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
    creer(6)
    for url in ("/api/v1/financements/", "/api/v1/projets/", "/api/v1/financements/totaux/?annee=2025"):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
