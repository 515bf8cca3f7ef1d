"""The value labels of a bar chart never overlap: three years of close rates per kind of structure (the sorties
chart) put them side by side, wider than their bars; they then stand upright, inside the chart."""

from decimal import Decimal as D

import pytest

from base import dessins

TYPES = ["ACI", "AI", "ETTI", "EI", "TOTAL"]
TROIS_ANNEES = {
    "2024": [D("45.2"), D("44.1"), D("60.5"), D("55.0"), D("47.3")],
    "2025": [D("46.0"), D("43.9"), D("58.1"), D("54.5"), D("48.0")],
    "2026": [D("44.7"), D("45.0"), D("59.9"), D("56.2"), D("46.8")],
}


@pytest.fixture
def dessinees(monkeypatch):
    """The labels of each drawn figure, measured just before the figure becomes SVG."""
    mesures = []
    en_svg = dessins._en_svg

    def mesurer(figure, titre, identifiant):
        axes = figure.axes[0]
        etiquettes = [t for t in axes.texts if t.get_text()]
        moteur = dessins._moteur(figure)
        haut = axes.get_window_extent(moteur).y1
        mesures.append(
            {
                "nombre": len(etiquettes),
                "chevauchements": dessins._chevauchements(figure, etiquettes),
                "debordent": [t.get_text() for t in etiquettes if t.get_window_extent(moteur).y1 > haut + 0.5],
                "rotations": {t.get_rotation() for t in etiquettes},
            }
        )
        return en_svg(figure, titre, identifiant)

    monkeypatch.setattr(dessins, "_en_svg", mesurer)
    return mesures


def test_trois_annees_de_taux_proches_sans_chevauchement(dessinees):
    dessins.barres(TYPES, TROIS_ANNEES, titre="Sorties", unite="%", ligne_objectif=D(50))
    (mesure,) = dessinees
    assert mesure["nombre"] == 15
    assert mesure["chevauchements"] == []
    assert mesure["debordent"] == []
    # Side by side they would have touched: they stand upright.
    assert mesure["rotations"] == {90.0}


def test_des_barres_larges_gardent_leurs_etiquettes_horizontales(dessinees):
    dessins.barres(["ACI", "AI"], {"2026": [D("45.2"), D("44.1")]}, titre="Sorties", unite="%")
    (mesure,) = dessinees
    assert mesure["chevauchements"] == [] and mesure["rotations"] == {0.0}


def test_sans_redressement_elles_se_chevaucheraient(monkeypatch, dessinees):
    # The check the test relies on sees the overlap this chart had.
    monkeypatch.setattr(dessins, "_etiquettes_lisibles", lambda figure, axes, etiquettes: None)
    dessins.barres(TYPES, TROIS_ANNEES, titre="Sorties", unite="%")
    (mesure,) = dessinees
    assert mesure["chevauchements"]
