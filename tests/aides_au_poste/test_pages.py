"""Who sees the aides au poste (aggregated amounts, not nominative: DDETS and CDIAE of the département, the
structure's own staff; the simulation for agents) and a fixed number of queries whatever the number of SIAE."""

import datetime as dt
from decimal import Decimal

import pytest

from aides_au_poste.models import NatureVersement, Versement
from tests.factories import AnnexeFinanciereFactory, LigneDeclarationFactory, SiaeFactory

pytestmark = pytest.mark.django_db

ROLES = ("agent_55", "agent_57", "personnel_a", "personnel_b", "membre_cdiae_55", "admin")


@pytest.fixture
def annexe_a(siae_a):
    annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2024)
    Versement.objects.create(annexe=annexe, date=dt.date(2024, 1, 31), montant=Decimal("1000"), nature="AVANCE")
    return annexe


@pytest.mark.parametrize(
    "url,attendus",
    [
        ("/aides-au-poste/?annee=2024", (200, 200, 200, 200, 200, 200)),
        ("/aides-au-poste/annexe/{a}/", (200, 404, 200, 404, 200, 200)),
        ("/aides-au-poste/revalorisation/", (200, 200, 404, 404, 404, 200)),
    ],
)
def test_qui_voit_quoi(request, client_de, annexe_a, siae_b, url, attendus):
    url = url.format(a=annexe_a.pk)
    assert client_de(None).get(url).status_code == 302
    for role, attendu in zip(ROLES, attendus, strict=True):
        assert client_de(request.getfixturevalue(role)).get(url).status_code == attendu, role


def test_chacun_ne_voit_que_son_perimetre(client_de, annexe_a, agent_57, personnel_b, membre_cdiae_55):
    assert "Jardins de Verdun" in client_de(membre_cdiae_55).get("/aides-au-poste/?annee=2024").content.decode()
    for utilisateur in (agent_57, personnel_b):
        reponse = client_de(utilisateur).get("/aides-au-poste/?annee=2024")
        assert "Jardins de Verdun" not in reponse.content.decode()
        assert reponse.context["par_type"][-1].socle_conventionne == 0


def test_api_versements_et_aides_filtrees(client_de, annexe_a, agent_57, personnel_a, membre_cdiae_55):
    assert client_de(personnel_a).get("/api/v1/versements/").json()["count"] == 1
    assert client_de(membre_cdiae_55).get("/api/v1/versements/").json()["count"] == 1
    assert client_de(agent_57).get("/api/v1/versements/").json()["count"] == 0
    assert client_de(None).get("/api/v1/versements/").status_code == 403
    assert client_de(agent_57).get("/api/v1/aides-au-poste/", {"annee": 2024, "departement": "55"}).status_code == 404
    assert client_de(personnel_a).get("/api/v1/aides-au-poste/", {"annee": 2024}).json()["siae"][0]["verse"] == (
        "1000.00"
    )
    assert client_de(personnel_a).get("/api/v1/bareme/").status_code == 200


def creer(nombre: int) -> None:
    for _ in range(nombre):
        annexe = AnnexeFinanciereFactory(siae=SiaeFactory(), annee=2024)
        ligne = LigneDeclarationFactory(declaration__annexe=annexe, declaration__mois=dt.date(2024, 3, 1))
        LigneDeclarationFactory(declaration=ligne.declaration)
        Versement.objects.create(
            annexe=annexe, date=dt.date(2024, 2, 28), montant=Decimal("500"), nature=NatureVersement.AVANCE
        )


@pytest.mark.parametrize(
    "url",
    ["/aides-au-poste/?annee=2024", "/aides-au-poste/revalorisation/?type=ACI&date_effet=2024-01-01&montant=24000"],
)
def test_nombre_de_requetes_constant(client_de, agent_55, django_assert_max_num_queries, url):
    client = client_de(agent_55)
    creer(3)
    client.get(url)  # the session, once
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    creer(17)
    with django_assert_max_num_queries(12):
        reponse = client.get(url)
    assert reponse.status_code == 200
    lignes = reponse.context["annexes"] if "annexes" in reponse.context else reponse.context["impacts"]
    assert len(lignes) == 20


def test_nombre_de_requetes_de_la_page_d_une_annexe(client_de, agent_55, annexe_a, django_assert_max_num_queries):
    client = client_de(agent_55)
    client.get(f"/aides-au-poste/annexe/{annexe_a.pk}/")
    with django_assert_max_num_queries(12):
        assert client.get(f"/aides-au-poste/annexe/{annexe_a.pk}/").status_code == 200
