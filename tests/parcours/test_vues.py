"""The salariés' pages: nominative, never for CDIAE members, only the user's structures."""

import datetime as dt

import pytest

from tests.factories import ParcoursFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def parcours_a(siae_a):
    return ParcoursFactory(
        siae=siae_a, salarie__nom="Martin", salarie__prenom="Léa", date_embauche=dt.date(2024, 2, 1)
    )


def test_la_structure_corrige_l_identite_et_la_situation(client_de, personnel_a, parcours_a):
    reponse = client_de(personnel_a).post(
        f"/salaries/parcours/{parcours_a.pk}/modifier/",
        {
            "salarie-nom": "Martin-Durand",
            "salarie-prenom": "Léa",
            "salarie-date_naissance": "1990-05-01",
            "salarie-genre": "F",
            "situation-brsa": "on",
            "situation-qpv": "on",
            "situation-niveau_formation": "SANS",
            "situation-duree_chomage": "DETLD",
        },
    )
    assert reponse.status_code == 302
    parcours_a.refresh_from_db()
    parcours_a.salarie.refresh_from_db()
    assert parcours_a.salarie.nom == "Martin-Durand"
    assert (parcours_a.brsa, parcours_a.qpv, parcours_a.rqth, parcours_a.duree_chomage) == (True, True, False, "DETLD")


def test_une_erreur_n_enregistre_rien(client_de, personnel_a, parcours_a):
    reponse = client_de(personnel_a).post(
        f"/salaries/parcours/{parcours_a.pk}/modifier/",
        {
            "salarie-nom": "Autre",
            "salarie-prenom": "Léa",
            "salarie-date_naissance": "pas une date",
            "salarie-genre": "F",
            "situation-brsa": "on",
        },
    )
    assert reponse.status_code == 200
    parcours_a.refresh_from_db()
    parcours_a.salarie.refresh_from_db()
    assert (parcours_a.salarie.nom, parcours_a.brsa) == ("Martin", False)


@pytest.mark.parametrize("role", ["personnel_b", "agent_57", "membre_cdiae_55"])
def test_hors_perimetre_404(request, client_de, role, parcours_a):
    client = client_de(request.getfixturevalue(role))
    assert client.get(f"/salaries/parcours/{parcours_a.pk}/modifier/").status_code == 404
    assert client.get(f"/salaries/{parcours_a.salarie_id}/").status_code == 404


def test_liste_et_recherche(client_de, agent_55, parcours_a, siae_b):
    ParcoursFactory(siae=siae_b, salarie__nom="Bernard")
    client = client_de(agent_55)
    assert client.get("/salaries/").context["paginator"].count == 2
    reponse = client.get("/salaries/", {"q": "mart"})
    assert [p.salarie.nom for p in reponse.context["object_list"]] == ["Martin"]
    reponse = client.get("/salaries/", {"q": parcours_a.pass_iae.numero[:8]})
    assert reponse.context["paginator"].count >= 1


def test_une_autre_structure_du_meme_salarie_reste_cachee(client_de, personnel_a, parcours_a, siae_b):
    ParcoursFactory(
        siae=siae_b, salarie=parcours_a.salarie, pass_iae=parcours_a.pass_iae, date_embauche=dt.date(2025, 1, 6)
    )
    page = client_de(personnel_a).get(f"/salaries/{parcours_a.salarie_id}/").content.decode()
    assert siae_b.nom not in page


def test_nombre_de_requetes_de_la_liste(client_de, agent_55, siae_a, django_assert_max_num_queries):
    client = client_de(agent_55)
    ParcoursFactory(siae=siae_a)
    client.get("/salaries/")
    with django_assert_max_num_queries(10):
        client.get("/salaries/")
    for _ in range(20):
        ParcoursFactory(siae=siae_a)
    with django_assert_max_num_queries(10):
        assert client.get("/salaries/").context["paginator"].count == 21
