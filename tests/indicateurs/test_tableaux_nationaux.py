"""Nationally, the tables of structures show their first rows and say how many they leave to the export; within a
département they show every row; the export always has every row."""

import pytest

from base import vues
from base.vues import lignes_affichees
from indicateurs.services import rafraichir_tout
from tests.base.lecture_exports import feuilles_xlsx, rangs_xlsx
from tests.indicateurs.test_vues import donnees  # noqa: F401

PAGES = ["/consommation/", "/sorties/", "/publics/", "/aides-au-poste/"]


def test_lignes_affichees_sans_base(monkeypatch):
    monkeypatch.setattr(vues, "LIGNES_AFFICHEES", 2)
    assert lignes_affichees([1, 2, 3, 4], nationales=True) == ([1, 2], 2)
    assert lignes_affichees([1, 2, 3, 4], nationales=False) == ([1, 2, 3, 4], 0)
    assert lignes_affichees([1, 2], nationales=True) == ([1, 2], 0)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_page_nationale_limitee_et_export_entier(client_de, admin, donnees, monkeypatch, page):  # noqa: F811
    rafraichir_tout()
    monkeypatch.setattr(vues, "LIGNES_AFFICHEES", 1)
    client = client_de(admin)
    reponse = client.get(page, {"annee": 2024})
    assert reponse.status_code == 200
    contexte = reponse.context
    nom = "par_siae" if page == "/aides-au-poste/" else "structures"
    toutes = contexte[nom]
    assert len(toutes) > 1
    assert len(contexte[f"{nom}_affichees"]) == 1
    assert contexte[f"{nom}_non_affichees"] == len(toutes) - 1
    assert "choisissez un département pour les voir toutes" in reponse.content.decode()
    # The page's export keeps every row: one of its sheets has one row per structure.
    export = client.get(page, {"annee": 2024, "export": "xlsx"})
    assert export.status_code == 200
    assert len(toutes) in {len(rangs_xlsx(feuille)) for feuille in feuilles_xlsx(export.content).values()}
    # A département chosen: every one of its rows.
    departement = client.get(page, {"annee": 2024, "departement": "55"}).context
    assert len(departement[f"{nom}_affichees"]) == len(departement[nom])
    assert departement[f"{nom}_non_affichees"] == 0
