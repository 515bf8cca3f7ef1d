"""/api/v1/modulation/ (proposals, decisions) and /api/v1/actions-insertion/: scope, figures, writes."""

import datetime as dt
from decimal import Decimal as D
from unittest import mock

import pytest
from rest_framework.pagination import PageNumberPagination

from conventions.models import AnnexeFinanciere
from modulation.models import DecisionModulation, EnveloppeModulation
from modulation.services import decider_modulation
from parcours.models import ActionInsertion
from tests.factories import ParcoursFactory
from tests.modulation.donnees import creer

pytestmark = pytest.mark.django_db


def test_la_liste_d_une_annee(client_de, agent_55, departement):
    decider_modulation(departement, D("0.045"), "Effort de formation.", agent_55)
    EnveloppeModulation.objects.create(departement="55", annee=2025, montant=D("100000.00"))
    donnees = client_de(agent_55).get("/api/v1/modulation/", {"annee": 2025, "departement": "55"}).json()
    assert (donnees["annee"], donnees["departement"]) == (2025, "55")
    (annexe,) = donnees["annexes"]
    assert (annexe["annexe"], annexe["numero"], annexe["annee_criteres"]) == (departement.pk, departement.numero, 2024)
    assert (annexe["taux_propose"], annexe["taux_decide"], annexe["taux_annexe"]) == ("6.0", "4.5", "4.5")
    notes = {c["code"]: c["note"] for c in annexe["criteres"]}
    assert notes == {"publics": "47.3", "effort": "75.0", "resultats": "63.9"}
    effort = next(c for c in annexe["criteres"] if c["code"] == "effort")
    assert [(i["numerateur"], i["denominateur"], i["valeur"], i["cible"], i["note"]) for i in effort["indicateurs"]][
        0
    ] == ("2", "4", "50.0", "50.0", "50.0")
    assert effort["indicateurs"][1]["cible"] == "20.0" and effort["indicateurs"][1]["plafond"] == "40.0"
    modulation = D(annexe["modulation"])
    assert donnees["enveloppe"] == {
        "montant": "100000.00",
        "modulation": annexe["modulation"],
        "reste": str(D("100000.00") - modulation),
    }


def test_perimetre_de_la_liste(client_de, departement, agent_57, personnel_a, personnel_b, membre_cdiae_55):
    parametres = {"annee": 2025}
    assert client_de(agent_57).get("/api/v1/modulation/", {**parametres, "departement": "55"}).status_code == 404
    assert client_de(agent_57).get("/api/v1/modulation/", parametres).json()["annexes"] == []
    assert client_de(membre_cdiae_55).get("/api/v1/modulation/", parametres).json()["annexes"] == []
    assert client_de(personnel_b).get("/api/v1/modulation/", parametres).json()["annexes"] == []
    siae = client_de(personnel_a).get("/api/v1/modulation/", {**parametres, "departement": "55"}).json()
    assert [a["annexe"] for a in siae["annexes"]] == [departement.pk]
    assert siae["enveloppe"] is None  # the département's envelope is the DDETS's
    sans_annee = client_de(personnel_a).get("/api/v1/modulation/")
    assert sans_annee.status_code == 400
    assert sans_annee.json()["annee"] == ["Indiquez l'année (par exemple annee=2026)."]
    assert client_de(None).get("/api/v1/modulation/", parametres).status_code == 403


def test_le_detail_et_ses_decisions(client_de, agent_55, agent_57, personnel_a, membre_cdiae_55, departement):
    decider_modulation(departement, D("0.045"), "Première.", agent_55)
    decider_modulation(departement, D("0.05"), "Seconde.", agent_55)
    url = f"/api/v1/modulation/{departement.pk}/"
    donnees = client_de(personnel_a).get(url).json()
    assert [(d["taux"], d["taux_propose"], d["commentaire"]) for d in donnees["decisions"]] == [
        ("5.0", "6.0", "Seconde."),
        ("4.5", "6.0", "Première."),
    ]
    assert donnees["taux_annexe"] == "5.0"
    assert client_de(agent_57).get(url).status_code == 404
    assert client_de(membre_cdiae_55).get(url).json() == {"detail": "Introuvable."}


def test_decider_par_l_api(client_de, agent_55, departement):
    reponse = client_de(agent_55).post(
        f"/api/v1/modulation/{departement.pk}/decisions/",
        {"taux": "5.5", "commentaire": "Accompagnement renforcé."},
        content_type="application/json",
    )
    assert reponse.status_code == 201, reponse.json()
    assert (reponse.json()["taux"], reponse.json()["taux_propose"]) == ("5.5", "6.0")
    assert AnnexeFinanciere.objects.get(pk=departement.pk).taux_modulation == D("0.055")


@pytest.mark.parametrize(
    "role,statut", [("personnel_a", 403), ("membre_cdiae_55", 403), ("agent_57", 404), (None, 403)]
)
def test_les_autres_ne_decident_pas(request, client_de, departement, role, statut):
    utilisateur = request.getfixturevalue(role) if role else None
    reponse = client_de(utilisateur).post(
        f"/api/v1/modulation/{departement.pk}/decisions/",
        {"taux": "5", "commentaire": "Tentative."},
        content_type="application/json",
    )
    assert reponse.status_code == statut
    assert not DecisionModulation.objects.exists()


BORNES = "Taux décidé : le taux de modulation est compris entre 0 et 10 %."
DIXIEME = "Taux décidé : le taux se décide au dixième de point (« 4.5 »)."


@pytest.mark.parametrize(
    "corps,champ,message",
    [
        ({"taux": "11", "commentaire": "x"}, "taux", BORNES),
        ({"taux": "-1", "commentaire": "x"}, "taux", BORNES),
        ({"taux": "4.25", "commentaire": "x"}, "taux", DIXIEME),
        ({"taux": "4"}, "commentaire", "Commentaire : expliquez la décision."),
    ],
)
def test_decision_refusee_par_l_api(client_de, agent_55, departement, corps, champ, message):
    reponse = client_de(agent_55).post(
        f"/api/v1/modulation/{departement.pk}/decisions/", corps, content_type="application/json"
    )
    assert reponse.status_code == 400
    assert reponse.json()[champ] == [message]
    assert not DecisionModulation.objects.exists()


def test_annexe_cloturee_refusee_par_l_api(client_de, agent_55, departement):
    AnnexeFinanciere.objects.filter(pk=departement.pk).update(etat="CLOTURE")
    reponse = client_de(agent_55).post(
        f"/api/v1/modulation/{departement.pk}/decisions/",
        {"taux": "5", "commentaire": "Trop tard."},
        content_type="application/json",
    )
    assert reponse.status_code == 400
    assert "rouvrez-la" in reponse.json()["non_field_errors"][0]


def test_nombre_de_requetes_de_l_api(client_de, agent_55, django_assert_max_num_queries):
    client = client_de(agent_55)
    EnveloppeModulation.objects.create(departement="55", annee=2025, montant=D("1000.00"))
    parametres = {"annee": 2025, "departement": "55"}
    creer(2)
    client.get("/api/v1/modulation/", parametres)
    # Sixteen queries of figures, two of pagination (the count, the page's annexes).
    with django_assert_max_num_queries(18):
        assert len(client.get("/api/v1/modulation/", parametres).json()["annexes"]) == 2
    creer(6)
    with django_assert_max_num_queries(18):
        assert len(client.get("/api/v1/modulation/", parametres).json()["annexes"]) == 8


@pytest.mark.parametrize("avec_enveloppe", [False, True])
def test_liste_paginee(client_de, agent_55, django_assert_max_num_queries, avec_enveloppe):
    """The annexes three at a time here: every annexe once over the pages; the envelope's balance is the
    département's on every page."""
    if avec_enveloppe:
        EnveloppeModulation.objects.create(departement="55", annee=2025, montant=D("1000.00"))
    creer(7)
    client = client_de(agent_55)
    parametres = {"annee": 2025, "departement": "55"}
    entiere = client.get("/api/v1/modulation/", parametres).json()
    with mock.patch.object(PageNumberPagination, "page_size", 3):
        pages = [client.get("/api/v1/modulation/", {**parametres, "page": n}).json() for n in (1, 2, 3)]
        assert client.get("/api/v1/modulation/", {**parametres, "page": 4}).status_code == 404
    assert [len(p["annexes"]) for p in pages] == [3, 3, 1]
    assert [a for p in pages for a in p["annexes"]] == entiere["annexes"]
    assert all(p["count"] == 7 and p["enveloppe"] == entiere["enveloppe"] for p in pages)
    assert (entiere["enveloppe"] is not None) == avec_enveloppe


# Insertion actions ----------------------------------------------------------------------------------------------


def test_enregistrer_une_action_par_l_api(client_de, personnel_a, parcours_2024):
    p3 = parcours_2024["P3"]
    reponse = client_de(personnel_a).post(
        "/api/v1/actions-insertion/",
        {
            "parcours": p3.pk,
            "type": "PMSMP",
            "libelle": "Immersion en cuisine",
            "organisme": "Restaurant",
            "date_debut": "2024-06-03",
            "date_fin": "2024-06-28",
        },
        content_type="application/json",
    )
    assert reponse.status_code == 201, reponse.json()
    action = ActionInsertion.objects.get(pk=reponse.json()["id"])
    assert (action.parcours, action.type, action.date_fin, action.auteur) == (
        p3, "PMSMP", dt.date(2024, 6, 28), personnel_a,
    )  # fmt: skip
    assert reponse.json()["salarie"]["id"] == p3.salarie_id


def test_les_regles_s_appliquent_dans_l_api(client_de, agent_55, parcours_2024):
    reponse = client_de(agent_55).post(
        "/api/v1/actions-insertion/",
        {
            "parcours": parcours_2024["P1"].pk,
            "type": "PMSMP",
            "libelle": "Immersion longue",
            "date_debut": "2024-03-01",
            "date_fin": "2024-04-15",
        },
        content_type="application/json",
    )
    assert reponse.status_code == 400
    assert reponse.json()["date_fin"] == [
        "Fin : une PMSMP dure au plus un mois (jusqu'au 31/03/2024) ; renouvelée, enregistrez une seconde période."
    ]


def test_perimetre_des_actions(client_de, personnel_a, personnel_b, membre_cdiae_55, agent_57, parcours_2024):
    assert client_de(personnel_a).get("/api/v1/actions-insertion/").json()["count"] == 4
    assert client_de(personnel_a).get("/api/v1/actions-insertion/", {"annee": 2024}).json()["count"] == 2
    assert client_de(personnel_a).get("/api/v1/actions-insertion/", {"type": "FORMATION"}).json()["count"] == 2
    for autre in (personnel_b, membre_cdiae_55, agent_57):
        assert client_de(autre).get("/api/v1/actions-insertion/").json()["count"] == 0
    corps = {"parcours": parcours_2024["P3"].pk, "type": "FORMATION", "libelle": "SST", "date_debut": "2024-05-02"}
    # The CDIAE records nothing; another structure's parcours is not found.
    assert client_de(membre_cdiae_55).post("/api/v1/actions-insertion/", corps).status_code == 403
    refus = client_de(personnel_b).post("/api/v1/actions-insertion/", {**corps, "heures": "14"})
    assert refus.status_code == 400 and "parcours" in refus.json()
    action = ActionInsertion.objects.filter(parcours=parcours_2024["P1"]).get()
    assert client_de(personnel_b).delete(f"/api/v1/actions-insertion/{action.pk}/").status_code == 404
    assert client_de(personnel_a).delete(f"/api/v1/actions-insertion/{action.pk}/").status_code == 204
    assert not ActionInsertion.objects.filter(pk=action.pk).exists()


def test_un_autre_parcours_du_departement_pour_l_agent(client_de, agent_55, siae_b):
    parcours = ParcoursFactory(siae=siae_b, date_embauche=dt.date(2024, 1, 8))
    reponse = client_de(agent_55).post(
        "/api/v1/actions-insertion/",
        {
            "parcours": parcours.pk,
            "type": "ACCOMPAGNEMENT_PROFESSIONNEL",
            "libelle": "Projet professionnel",
            "date_debut": "2024-02-05",
        },
        content_type="application/json",
    )
    assert reponse.status_code == 201
    assert reponse.json()["siae"] == siae_b.pk
