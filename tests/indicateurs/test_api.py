"""/api/v1/indicateurs/sorties/ and /api/v1/indicateurs/publics/: the exporter's rows, scoped like /consommation/."""

import datetime as dt
from unittest import mock

import pytest
from rest_framework.pagination import PageNumberPagination

from indicateurs.sections import indicateurs
from indicateurs.services import rafraichir_tout
from tests.factories import AnnexeFinanciereFactory, SiaeFactory, UtilisateurFactory
from tests.indicateurs.test_vues import donnees, embaucher  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

SORTIES, PUBLICS = "/api/v1/indicateurs/sorties/", "/api/v1/indicateurs/publics/"


def lire(client, url, **parametres):
    reponse = client.get(url, parametres)
    assert reponse.status_code == 200, reponse.content
    return reponse.json()


@pytest.mark.parametrize("url", [SORTIES, PUBLICS])
class TestParametres:
    def test_annee_obligatoire(self, client_de, agent_55, url):
        reponse = client_de(agent_55).get(url)
        assert reponse.status_code == 400
        assert reponse.json() == {"annee": ["Indiquez l'année (par exemple annee=2025)."]}

    @pytest.mark.parametrize("annee", ["deux-mille", "1850"])
    def test_annee_invalide(self, client_de, agent_55, url, annee):
        assert client_de(agent_55).get(url, {"annee": annee}).status_code == 400

    def test_departement_inconnu(self, client_de, agent_55, url):
        reponse = client_de(agent_55).get(url, {"annee": 2024, "departement": "99"})
        assert reponse.status_code == 400 and "departement" in reponse.json()

    def test_departement_hors_perimetre(self, client_de, agent_55, membre_cdiae_55, url):
        for utilisateur in (agent_55, membre_cdiae_55):
            assert client_de(utilisateur).get(url, {"annee": 2024, "departement": "57"}).status_code == 404

    def test_anonyme_et_lecture_seule(self, client_de, agent_55, url):
        assert client_de().get(url, {"annee": 2024}).status_code == 403
        assert client_de(agent_55).post(url, {}).status_code == 405


class TestSorties:
    def test_les_lignes_de_l_export(self, client_de, agent_55, donnees):  # noqa: F811
        reponse = lire(client_de(agent_55), SORTIES, annee=2024, departement="55")
        assert (reponse["annee"], reponse["departement"]) == (2024, "55")
        assert reponse["par_type"] == indicateurs(2024, "55")["sorties"]
        assert reponse["par_type"][0] == {
            "type": "ACI",
            "examinees": 3,
            "retraits": 0,
            "emploi_durable": 1,
            "emploi_transition": 0,
            "sorties_positives": 1,
            "autres": 1,
            "taux_sorties_dynamiques": "66.7",
            "taux_emploi_durable": "33.3",
        }
        jardins = reponse["siae"][0]
        assert (jardins["id"], jardins["nom"], jardins["type"]) == (donnees["a"].siae_id, "Jardins de Verdun", "ACI")
        assert jardins["taux_sorties_dynamiques"] == "66.7"
        assert [s["nom"] for s in reponse["siae"]] == ["Jardins de Verdun", "Intérim du Barrois"]

    def test_sans_departement_tout_le_perimetre(self, client_de, agent_55, admin, donnees):  # noqa: F811
        assert lire(client_de(agent_55), SORTIES, annee=2024)["par_type"][-1]["examinees"] == 4
        assert lire(client_de(admin), SORTIES, annee=2024)["par_type"][-1]["examinees"] == 5

    def test_membre_du_cdiae(self, client_de, membre_cdiae_55, donnees):  # noqa: F811
        reponse = lire(client_de(membre_cdiae_55), SORTIES, annee=2024, departement="55")
        assert reponse["par_type"] == indicateurs(2024, "55")["sorties"]

    def test_personnel_sa_structure(self, client_de, personnel_a, donnees):  # noqa: F811
        reponse = lire(client_de(personnel_a), SORTIES, annee=2024, departement="55")
        assert [s["nom"] for s in reponse["siae"]] == ["Jardins de Verdun"]
        assert [ligne["type"] for ligne in reponse["par_type"]] == ["ACI", "TOTAL"]
        assert lire(client_de(personnel_a), SORTIES, annee=2024)["par_type"][-1]["examinees"] == 3

    def test_sans_organisation(self, client_de, donnees):  # noqa: F811
        reponse = lire(client_de(UtilisateurFactory()), SORTIES, annee=2024)
        assert reponse["siae"] == [] and [ligne["type"] for ligne in reponse["par_type"]] == ["TOTAL"]
        assert reponse["par_type"][0]["taux_sorties_dynamiques"] is None


class TestPublics:
    def test_les_lignes_de_l_export(self, client_de, agent_55, donnees):  # noqa: F811
        reponse = lire(client_de(agent_55), PUBLICS, annee=2024, departement="55")
        assert reponse["par_type"] == indicateurs(2024, "55")["publics"]
        assert list(reponse["par_type"][0]) == [
            "type", "salaries", "femmes", "brsa", "qpv", "moins_26_ans", "50_ans_et_plus", "rqth", "zrr",
            "deld_detld", "infra_cap",
        ]  # fmt: skip
        jardins = next(s for s in reponse["siae"] if s["nom"] == "Jardins de Verdun")
        assert (jardins["salaries"], jardins["brsa"]) == (3, "33.3")
        assert (jardins["embauches"], jardins["part_brsa_embauches"], jardins["objectif_part_brsa"]) == (
            3,
            "33.3",
            "35.0",
        )
        assert jardins["sous_objectif_brsa"] is True
        barrois = next(s for s in reponse["siae"] if s["nom"] == "Intérim du Barrois")
        assert (barrois["objectif_part_brsa"], barrois["sous_objectif_brsa"]) == ("40.0", True)

    def test_personnel_sa_structure(self, client_de, personnel_b, donnees):  # noqa: F811
        reponse = lire(client_de(personnel_b), PUBLICS, annee=2024)
        assert [s["nom"] for s in reponse["siae"]] == ["Intérim du Barrois"]


def douze_structures_de_plus():
    for rang in range(12):
        annexe = AnnexeFinanciereFactory(siae=SiaeFactory(ai=rang % 2 == 0, nom=f"Structure {rang:02}"), annee=2024)
        embaucher(annexe, dt.date(2024, 1, 1), dt.date(2024, 6, 30), "CDI", heures="160")


@pytest.mark.parametrize("url, requetes", [(SORTIES, 11), (PUBLICS, 14)])
def test_nombre_de_requetes_constant(
    client_de,
    agent_55,
    donnees,  # noqa: F811
    django_assert_max_num_queries,
    url,
    requetes,
):
    """Nine queries of figures for the sorties, twelve for the publics (two per grouping: the salariés counted once,
    then those of several parcours), and two of pagination (the count, the page's structures)."""
    client = client_de(agent_55)
    client.get(url, {"annee": 2024})  # the session, once
    with django_assert_max_num_queries(requetes):
        lire(client, url, annee=2024, departement="55")
    douze_structures_de_plus()
    rafraichir_tout()
    with django_assert_max_num_queries(requetes):
        assert len(lire(client, url, annee=2024, departement="55")["siae"]) == 14


@pytest.mark.parametrize("url", [SORTIES, PUBLICS, "/api/v1/consommation/", "/api/v1/aides-au-poste/"])
def test_lignes_par_structure_paginees(client_de, agent_55, donnees, django_assert_max_num_queries, url):  # noqa: F811
    """The rows per structure come five at a time here (fifty in production): the pages together give every row
    of the unpaginated answer, each structure once; the rows by kind are the scope's on every page."""
    douze_structures_de_plus()
    rafraichir_tout()
    client = client_de(agent_55)
    entier = lire(client, url, annee=2024, departement="55")
    assert entier["count"] == 14 and entier["next"] is None and entier["previous"] is None
    with mock.patch.object(PageNumberPagination, "page_size", 5):
        pages = [lire(client, url, annee=2024, departement="55", page=n) for n in (1, 2, 3)]
        with django_assert_max_num_queries(14):
            assert client.get(url, {"annee": 2024, "departement": "55", "page": 4}).status_code == 404
    assert [len(p["siae"]) for p in pages] == [5, 5, 4]
    assert all(p["count"] == 14 and p["par_type"] == entier["par_type"] for p in pages)
    assert pages[0]["previous"] is None and "page=2" in pages[0]["next"] and pages[2]["next"] is None
    assert [ligne for p in pages for ligne in p["siae"]] == entier["siae"]


def test_dans_le_schema(client_de, agent_55):
    schema = client_de(agent_55).get("/api/v1/schema/").content.decode()
    assert "/api/v1/indicateurs/sorties/" in schema and "/api/v1/indicateurs/publics/" in schema
    assert "50_ans_et_plus" in schema
