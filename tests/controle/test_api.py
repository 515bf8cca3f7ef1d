"""/api/v1/controles/: the campaigns, read-only, with the structures drawn and their outcomes."""

import pytest

from controle import services
from controle.models import Decision, Phase
from tests.factories import SiaeFactory, UtilisateurFactory

from .outils import avancer, embaucher, pdf

pytestmark = pytest.mark.django_db


def campagne_a_plusieurs_structures(agent, nombre=10, annee=2024):
    for _ in range(nombre):
        embaucher(SiaeFactory(), 5, annee=annee)
    return avancer(
        services.creer_campagne(annee=annee, departement="55", auteur=agent, part_siae=40, graine=11), Phase.CONTROLE
    )


def test_campagne_et_structures_tirees(client_de, agent_55, campagne_55, controle_a):
    avancer(campagne_55, Phase.CONTROLE)
    embauche = controle_a.embauches.first()
    services.decider_embauche(embauche, Decision.REFUSEE, agent_55, "Incomplet")
    reponse = client_de(agent_55).get("/api/v1/controles/")
    assert reponse.status_code == 200
    [campagne] = reponse.json()["results"]
    assert campagne["annee"] == 2024 and campagne["departement"] == "55"
    assert campagne["part_siae"] == 30 and campagne["graine"] == 1234 and campagne["nb_siae_eligibles"] == 1
    assert campagne["phase"] == "CONTROLE"
    assert campagne["controle_fin"] == "2025-06-21"
    [controle] = campagne["controles"]
    assert controle["siae"]["nom"] == "Jardins de Verdun" and controle["type"] == "ACI"
    assert controle["nb_auto_prescriptions"] == 3
    assert (controle["nb_embauches"], controle["nb_acceptees"], controle["nb_refusees"]) == (2, 0, 1)
    assert controle["resultat"] == "EN_COURS" and controle["sanctions"] == []


def test_une_structure_ne_voit_que_son_controle(client_de, agent_55):
    campagne = campagne_a_plusieurs_structures(agent_55)
    assert campagne.controles.count() == 4
    controle = campagne.controles.order_by("pk").first()
    personnel = UtilisateurFactory(personnel_siae=controle.siae)
    [vue] = client_de(personnel).get("/api/v1/controles/").json()["results"]
    assert [c["id"] for c in vue["controles"]] == [controle.pk]
    detail = client_de(personnel).get(f"/api/v1/controles/{campagne.pk}/").json()
    assert [c["id"] for c in detail["controles"]] == [controle.pk]
    assert len(client_de(agent_55).get(f"/api/v1/controles/{campagne.pk}/").json()["controles"]) == 4


def test_rien_pour_le_cdiae(client_de, membre_cdiae_55, campagne_55):
    reponse = client_de(membre_cdiae_55).get("/api/v1/controles/")
    assert reponse.status_code == 200 and reponse.json()["count"] == 0


def test_lecture_seule(client_de, agent_55, campagne_55):
    client = client_de(agent_55)
    assert client.post("/api/v1/controles/", {}, content_type="application/json").status_code == 405
    reponse = client.patch(f"/api/v1/controles/{campagne_55.pk}/", {"phase": "CLOTUREE"}, "application/json")
    assert reponse.status_code == 405


def test_filtres(client_de, agent_55, campagne_55):
    campagne_a_plusieurs_structures(agent_55, nombre=2, annee=2023)
    client = client_de(agent_55)
    assert [c["annee"] for c in client.get("/api/v1/controles/").json()["results"]] == [2024, 2023]
    assert [c["annee"] for c in client.get("/api/v1/controles/?annee=2023").json()["results"]] == [2023]
    assert [c["annee"] for c in client.get("/api/v1/controles/?phase=ECHANTILLONNAGE").json()["results"]] == [2024]
    assert client.get("/api/v1/controles/?departement=57").json()["count"] == 0


def test_nombre_de_requetes_constant(client_de, agent_55, django_assert_max_num_queries):
    campagne_a_plusieurs_structures(agent_55, nombre=2, annee=2022)
    client = client_de(agent_55)
    with django_assert_max_num_queries(7):
        assert client.get("/api/v1/controles/").status_code == 200
    grande = campagne_a_plusieurs_structures(agent_55, nombre=12, annee=2023)
    for controle in grande.controles.all():
        for embauche in controle.embauches.all():
            services.deposer_justificatif(embauche, pdf(), None)
    campagne_a_plusieurs_structures(agent_55, nombre=5, annee=2024)
    with django_assert_max_num_queries(7):
        assert client.get("/api/v1/controles/").status_code == 200
