import datetime
import re
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

import matplotlib.pyplot as plt
import pytest
from django.core.cache import caches

from base import dessins, graphiques


@pytest.fixture(autouse=True)
def cache_vide():
    caches[graphiques.CACHE].clear()
    yield
    caches[graphiques.CACHE].clear()


SVG = "{http://www.w3.org/2000/svg}"
MOIS = [datetime.date(2025, m, 1) for m in range(1, 13)]
# 10,5 ETP conventionnés each month; 9,8 réalisés on the 7 declared months; projected at the same rate.
CONVENTIONNE = [Decimal("10.5") * m for m in range(1, 13)]
REALISE = [Decimal("9.8") * m if m <= 7 else None for m in range(1, 13)]
PROJECTION = [None] * 6 + [Decimal("9.8") * m for m in range(7, 13)]


def courbe(mois=MOIS, conventionne=CONVENTIONNE, realise=REALISE, projection=PROJECTION):
    """The attributes of `indicateurs.regles.Courbe` the chart reads: the base takes any object that has them."""
    return SimpleNamespace(mois=mois, cumul_conventionne=conventionne, cumul_realise=realise, projection=projection)


def textes(svg: str) -> list[str]:
    racine = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in racine.iter(f"{SVG}text")]


def verifier_accessible(svg: str, titre: str) -> ET.Element:
    racine = ET.fromstring(svg)
    assert racine.tag == f"{SVG}svg"
    assert racine.get("role") == "img"
    titre_svg = racine.find(f"{SVG}title")
    assert titre_svg.text == titre
    assert racine.get("aria-labelledby") == titre_svg.get("id")
    assert racine.get("width") == "100%"
    assert re.fullmatch(r"0 0 \d+(\.\d+)? \d+(\.\d+)?", racine.get("viewBox"))
    return racine


def test_courbe_consommation_svg_accessible_avec_mois_et_valeurs_en_francais():
    svg = graphiques.courbe_consommation(courbe(), titre="Consommation 2025")
    racine = verifier_accessible(svg, "Consommation 2025")
    assert racine.get("viewBox") == "0 0 720 320"
    ecrits = textes(svg)
    for libelle in ("janv.", "févr.", "juil.", "déc.", "Conventionné (cumul)", "Réalisé (cumul)", "Projection"):
        assert libelle in ecrits
    # Ends of the curves: 12 × 10,5 = 126 conventionnés; 7 × 9,8 = 68,6 réalisés; 12 × 9,8 = 117,6 projetés.
    assert "126,00" in ecrits
    assert "68,60" in ecrits
    assert "117,60" in ecrits
    # The projection is drawn dashed.
    assert "stroke-dasharray" in svg


def test_courbe_sans_projection_ni_declaration():
    svg = graphiques.courbe_consommation(courbe(MOIS[:3], CONVENTIONNE[:3], [None, None, None], None))
    verifier_accessible(svg, "Graphique")
    ecrits = textes(svg)
    assert "31,50" in ecrits  # 3 × 10,5
    assert "Réalisé (cumul)" not in ecrits


def test_barres_groupees_avec_objectif_et_unite():
    svg = graphiques.barres(
        ["ACI", "EI"],
        {"2024": [Decimal("45.5"), None], "2025": [Decimal("38.25"), Decimal("50")]},
        titre="Part des bRSA",
        unite="%",
        ligne_objectif=Decimal(40),
    )
    verifier_accessible(svg, "Part des bRSA")
    ecrits = textes(svg)
    assert {"ACI", "EI", "2024", "2025"} <= set(ecrits)
    # Rates keep one decimal, rounded half-up: 38,25 → 38,3.
    assert "45,5\u00a0%" in ecrits
    assert "38,3\u00a0%" in ecrits
    assert "50,0\u00a0%" in ecrits
    assert "Objectif 40\u00a0%" in ecrits
    # Three bars (the missing value draws none), each labelled once.
    assert sum(1 for t in ecrits if t.endswith("\u00a0%") and t[0].isdigit() and "," in t) == 3


def test_barres_horizontales_montants_separateur_de_milliers():
    svg = graphiques.barres_horizontales(
        ["État", "Département", "TOTAL"],
        [Decimal("1234567.89"), Decimal("250000"), Decimal("1484567.89")],
        titre="Financement par financeur",
        unite="€",
    )
    racine = verifier_accessible(svg, "Financement par financeur")
    ecrits = textes(svg)
    assert {"État", "Département", "TOTAL"} <= set(ecrits)
    # Amounts to the euro on the chart (the table gives the cents), thousands split by a narrow no-break space.
    assert "1\u00a0234\u00a0568\u00a0€" in ecrits
    assert "250\u00a0000\u00a0€" in ecrits
    assert "1\u00a0484\u00a0568\u00a0€" in ecrits
    # The height follows the number of categories.
    assert racine.get("viewBox") == f"0 0 720 {max(160, 60 + 34 * 3)}"


def test_graduations_a_la_francaise():
    formateur = dessins.FormatFrancais()
    assert formateur.format_ticks([0, 2.5, 5, 7.5]) == ["0,0", "2,5", "5,0", "7,5"]
    assert formateur.format_ticks([0, 200000, 400000]) == ["0", "200\u00a0000", "400\u00a0000"]
    assert dessins.FormatFrancais("%").format_ticks([0, 20, 40]) == ["0\u00a0%", "20\u00a0%", "40\u00a0%"]


def test_sans_donnees():
    for svg in (
        graphiques.courbe_consommation(courbe([], [], [], None), titre="Vide"),
        graphiques.barres(["ACI"], {"2025": [None]}, titre="Vide"),
        graphiques.barres_horizontales([], [], titre="Vide"),
    ):
        verifier_accessible(svg, "Vide")
        assert "Aucune donnée" in textes(svg)


def test_sortie_deterministe_et_identifiants_propres_a_chaque_graphique():
    premier = graphiques.courbe_consommation(courbe(), titre="A")
    caches[graphiques.CACHE].clear()  # drawn again, not read from the cache
    assert premier == graphiques.courbe_consommation(courbe(), titre="A")
    autre = graphiques.courbe_consommation(courbe(), titre="B")
    ids_premier = set(re.findall(r'\bid="([^"]+)"', premier))
    ids_autre = set(re.findall(r'\bid="([^"]+)"', autre))
    # Two charts on one page never share an id, and every reference points inside its own chart.
    assert not ids_premier & ids_autre
    references = set(re.findall(r'(?:url\(#|xlink:href="#)([^)"]+)', premier))
    assert references <= ids_premier
    # No date in the output, text kept as text (no glyph paths).
    assert "dc:date" not in premier
    assert "<text" in premier


def test_aucune_figure_laissee_ouverte():
    avant = plt.get_fignums()
    graphiques.courbe_consommation(courbe())
    graphiques.barres(["ACI"], {"2025": [Decimal(1)]})
    graphiques.barres_horizontales(["État"], [Decimal(1)])
    assert plt.get_fignums() == avant == []


def test_serie_sans_valeur_garde_sa_couleur_dans_la_legende():
    svg = graphiques.barres(
        ["ACI", "TOTAL"],
        {"2022": [None, None], "2023": [Decimal(50), Decimal(50)], "2024": [Decimal(60), Decimal(55)]},
        unite="%",
    )
    assert {"2022", "2023", "2024"} <= set(textes(svg))
    # The palette's third colour for the third series, never matplotlib's default blue.
    assert graphiques.GRIS in svg
    assert "#1f77b4" not in svg


def test_ecarts_negatifs_divergent_de_zero():
    svg = graphiques.barres_horizontales(["Sous", "Sur"], [Decimal("-0.2"), Decimal("1.25")])
    ecrits = textes(svg)
    assert "-0,20" in ecrits
    assert "+1,25" in ecrits
    assert graphiques.BLEU_CLAIR in svg and graphiques.BLEU_FRANCE in svg


def test_dessine_une_fois_par_version_des_chiffres():
    """Same figures: read from the shared cache, not drawn again; other figures: drawn."""
    with mock.patch.object(dessins, "barres", wraps=dessins.barres) as dessin:
        premier = graphiques.barres(["ACI"], {"2025": [Decimal(1)]}, titre="Cache")
        assert graphiques.barres(["ACI"], {"2025": [Decimal(1)]}, titre="Cache") == premier
        assert dessin.call_count == 1
        assert graphiques.barres(["ACI"], {"2025": [Decimal(2)]}, titre="Cache") != premier
        assert dessin.call_count == 2
    assert (
        caches[graphiques.CACHE].get(
            graphiques.cle(
                "barres",
                (["ACI"], {"2025": [Decimal(1)]}),
                {
                    "titre": "Cache",
                    "unite": "",
                    "ligne_objectif": None,
                    "largeur": 720,
                    "hauteur": 320,
                },
            )
        )
        == premier
    )


def test_un_cache_en_panne_ne_fait_pas_echouer_la_page():
    with mock.patch.object(caches[graphiques.CACHE], "get", side_effect=ConnectionError("Redis absent")):
        svg = graphiques.barres_horizontales(["A"], [Decimal(1)], titre="Panne")
    verifier_accessible(svg, "Panne")


def test_un_seul_dessin_quand_plusieurs_demandent_le_meme_graphique():
    """While one drawing is in progress, the others wait for its result instead of drawing it too."""
    commence, continuer = threading.Event(), threading.Event()
    vrai_dessin = dessins.barres_horizontales

    def dessin_lent(*args, **kwargs):
        commence.set()
        continuer.wait(5)
        return vrai_dessin(*args, **kwargs)

    resultats = []
    with mock.patch.object(dessins, "barres_horizontales", side_effect=dessin_lent) as dessin:
        premier = threading.Thread(target=lambda: resultats.append(graphiques.barres_horizontales(["A"], [1])))
        premier.start()
        assert commence.wait(5)
        second = threading.Thread(target=lambda: resultats.append(graphiques.barres_horizontales(["A"], [1])))
        second.start()
        continuer.set()
        premier.join(10)
        second.join(10)
    assert dessin.call_count == 1
    assert len(resultats) == 2 and resultats[0] == resultats[1]


def test_importer_les_graphiques_ne_charge_pas_matplotlib():
    """The URLconf and every command import `base.graphiques`: matplotlib comes only with a drawing."""
    code = (
        "import os, sys, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'iae.settings.test'; django.setup(); "
        "import base.graphiques, iae.urls; print('matplotlib' in sys.modules)"
    )
    sortie = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert sortie.stdout.strip() == "False"
