"""Where a declaration comes from: typed or imported in Pilot'IAE, or the ASP's monthly state (EMI) read from the
fluxIAE. Shown on its page and in /api/v1/declarations/, read-only."""

import datetime as dt

import pytest

from declarations.models import SourceDeclaration
from tests.factories import AnnexeFinanciereFactory, DeclarationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deux_sources(siae_a):
    annexe = AnnexeFinanciereFactory(siae=siae_a, numero="ACI055240001A0M0")
    return {
        "pilotiae": DeclarationFactory(annexe=annexe, mois=dt.date(2024, 1, 1)),
        "asp": DeclarationFactory(
            annexe=annexe,
            mois=dt.date(2024, 2, 1),
            etat="VALIDEE",
            source=SourceDeclaration.ASP,
            version_asp=3,
            etat_asp="VALIDE",
        ),
    }


def test_par_defaut_pilotiae(deux_sources):
    assert deux_sources["pilotiae"].source == SourceDeclaration.PILOTIAE == "PILOTIAE"
    assert (deux_sources["pilotiae"].version_asp, deux_sources["pilotiae"].etat_asp) == (None, "")


def test_la_source_dans_l_api(client_de, agent_55, deux_sources):
    client = client_de(agent_55)
    resultats = client.get("/api/v1/declarations/").json()["results"]
    assert {d["id"]: d["source"] for d in resultats} == {
        deux_sources["pilotiae"].pk: "PILOTIAE",
        deux_sources["asp"].pk: "ASP",
    }
    detail = client.get(f"/api/v1/declarations/{deux_sources['asp'].pk}/").json()
    assert detail["source"] == "ASP"
    # Read-only: the API writes nothing.
    reponse = client.patch(
        f"/api/v1/declarations/{deux_sources['asp'].pk}/", {"source": "PILOTIAE"}, content_type="application/json"
    )
    assert reponse.status_code == 405
    deux_sources["asp"].refresh_from_db()
    assert deux_sources["asp"].source == SourceDeclaration.ASP


def test_la_source_sur_la_page(client_de, agent_55, deux_sources):
    client = client_de(agent_55)
    page = client.get(f"/declarations/{deux_sources['asp'].pk}/").content.decode()
    assert "Source : ASP (fluxIAE), état mensuel version 3 (VALIDE à l'ASP)." in page
    page = client.get(f"/declarations/{deux_sources['pilotiae'].pk}/").content.decode()
    assert "Source : Pilot&#x27;IAE." in page
