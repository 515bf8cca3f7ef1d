"""The menu's entries by role, the breadcrumbs of the sub-pages, and the links a role cannot follow shown as text."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import AnnexeFinanciereFactory, DeclarationFactory

pytestmark = pytest.mark.django_db


def entrees(client) -> list[str]:
    reponse = client.get("/")
    return [lien["libelle"] for entree in reponse.context["navigation"] for lien in entree.get("sous_menu", [entree])]


def test_l_api_est_au_menu_des_agents_et_des_administrateurs(client_de, agent_55, admin):
    assert "API" in entrees(client_de(agent_55))
    assert "API" in entrees(client_de(admin))


def test_l_api_n_est_pas_au_menu_des_structures_ni_du_cdiae(client_de, personnel_a, membre_cdiae_55):
    assert "API" not in entrees(client_de(personnel_a))
    assert "API" not in entrees(client_de(membre_cdiae_55))


@pytest.mark.parametrize(
    "nom, args",
    [
        ("aides_au_poste:annexe", "annexe"),
        ("aides_au_poste:revalorisation", None),
        ("conventions:avenant", "annexe"),
        ("siae:modification", "siae"),
        ("siae:creation", None),
        ("imports:nouveau", None),
        ("comptes:mot-de-passe", None),
        ("conventions:annexe_creation", None),
    ],
)
def test_les_sous_pages_ont_un_fil_d_ariane(client_de, agent_55, siae_a, nom, args):
    annexe = AnnexeFinanciereFactory(siae=siae_a)
    objets = {"annexe": annexe.pk, "siae": siae_a.pk}
    url = reverse(nom, args=[objets[args]] if args else [])
    page = client_de(agent_55).get(url).content.decode()
    assert 'class="fr-breadcrumb"' in page


def test_le_cdiae_voit_l_etat_des_declarations_sans_lien(client_de, membre_cdiae_55, agent_55, siae_a):
    """A CDIAE member does not open declarations (404): the annexe's months show their state as text."""
    annexe = AnnexeFinanciereFactory(siae=siae_a, date_debut=dt.date(2025, 1, 1), date_fin=dt.date(2025, 12, 31))
    declaration = DeclarationFactory(annexe=annexe)
    lien = f'href="{reverse("declarations:detail", args=[declaration.pk])}"'
    url = reverse("pilotage:annexe", args=[annexe.pk])
    page_cdiae = client_de(membre_cdiae_55).get(url).content.decode()
    assert lien not in page_cdiae
    assert "Transmise" in page_cdiae
    assert lien in client_de(agent_55).get(url).content.decode()
    assert client_de(membre_cdiae_55).get(reverse("declarations:detail", args=[declaration.pk])).status_code == 404
