"""The one guard of every CSV and XLSX export: a text a spreadsheet would run as a formula is written as text."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from base.exports import (
    ANNEE,
    DATE,
    DATE_HEURE,
    DECIMAL,
    ENTIER,
    ETP,
    LARGEUR_MAX,
    MOIS,
    MONTANT,
    TAUX,
    TEXTE,
    Colonne,
    Tableau,
    Valeur,
    cellule_csv,
    en_csv,
    en_xlsx,
    est_une_formule,
    filtres_de_la_page,
    neutraliser,
    reponse_csv,
    reponse_tableaux,
    reponse_xlsx,
    tableau_en_csv,
    tableaux_en_xlsx,
)
from tests.base.formules import PIEGE, verifier_csv, verifier_xlsx


@pytest.mark.parametrize(
    "valeur", [PIEGE, "=1+1", "+33 cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "-", "+", "=", "-x"]
)
def test_ce_qu_un_tableur_prendrait_pour_une_formule(valeur):
    assert est_une_formule(valeur)
    assert neutraliser(valeur) == f"'{valeur}"


@pytest.mark.parametrize(
    "valeur",
    [
        "Jardins de Verdun",
        "-12.50",
        "-1 234,56",
        "+3",
        "-9446.67",
        "12",
        "",
        "a=b",
        "ACI - Verdun",
        -3,
        Decimal("-2.5"),
    ],
)
def test_ce_qui_reste_tel_quel(valeur):
    assert not est_une_formule(valeur)
    assert neutraliser(valeur) == valeur


LIGNES = [
    {"structure": PIEGE, "ecart": Decimal("-12.50"), "texte": "-12.50", "etp": -3, "jour": dt.date(2025, 1, 2)},
    {"structure": "+33 6 cmd", "ecart": None, "texte": "@SUM(A1)", "etp": 2, "jour": None},
]


def test_csv():
    contenu = en_csv(LIGNES).encode()
    verifier_csv(contenu)
    lignes = list(csv.DictReader(io.StringIO(contenu.decode()), delimiter=";"))
    assert (lignes[0]["ecart"], lignes[0]["texte"], lignes[0]["etp"]) == ("-12.50", "-12.50", "-3")
    assert (lignes[1]["structure"], lignes[1]["texte"], lignes[1]["ecart"]) == ("'+33 6 cmd", "'@SUM(A1)", "")
    assert reponse_csv(LIGNES, "x").content.decode("utf-8-sig") == contenu.decode()


def test_xlsx():
    contenu = en_xlsx({"Feuille": LIGNES})
    verifier_xlsx(contenu)
    feuille = openpyxl.load_workbook(io.BytesIO(contenu)).active
    # Negative numbers stay numbers; a number written as text stays as it was; the other traps are text too.
    assert [c.value for c in feuille[2]][1:4] == [-12.5, "-12.50", -3]
    assert (feuille["B2"].data_type, feuille["D2"].data_type) == ("n", "n")
    assert (feuille["A3"].value, feuille["A3"].data_type, feuille["A3"].quotePrefix) == ("+33 6 cmd", "s", True)
    assert (feuille["C3"].value, feuille["C3"].data_type) == ("@SUM(A1)", "s")
    assert reponse_xlsx({"Feuille": LIGNES}, "x").content[:2] == b"PK"


# Typed tables: the downloads of the pages ----------------------------------------------------------------------------

TABLEAU = Tableau(
    "Essai",
    [
        Colonne("nom", "Structure"),
        Colonne("montant", "Montant", MONTANT),
        Colonne("taux", "Taux", TAUX),
        Colonne("mois", "Mois", MOIS),
        Colonne("etp", "ETP", ETP, 12),
        Colonne("n", "Nombre", ENTIER),
        Colonne("annee", "Année", ANNEE),
        Colonne("jour", "Jour", DATE),
        Colonne("statut", "Statut", TEXTE, libelles={"sous-consommation": "Sous-consommation"}),
    ],
    [
        {
            "nom": PIEGE,
            "montant": "1234.5",
            "taux": "99.7",
            "mois": "2025-03",
            "etp": Decimal("1.234567"),
            "n": 1234,
            "annee": 2025,
            "jour": dt.date(2025, 6, 15),
            "statut": "sous-consommation",
        },
        {
            "nom": "ACI - Verdun",
            "montant": Decimal("-9446.665"),
            "taux": None,
            "mois": dt.date(2025, 4, 9),
            "etp": "–",
            "n": "2",
            "annee": None,
            "jour": None,
            "statut": "",
        },
    ],
    [("Année", "2025"), ("Département", "55 – Meuse"), ("Type", "")],
)


def test_csv_d_un_tableau_pour_un_tableur_francais():
    contenu = tableau_en_csv(TABLEAU)
    assert contenu.startswith(b"\xef\xbb\xbf")
    verifier_csv(contenu)
    entete, premiere, seconde = contenu.decode("utf-8-sig").splitlines()
    assert entete == "Structure;Montant (€);Taux (%);Mois;ETP;Nombre;Année;Jour;Statut"
    # Decimal commas without thousands separator (a number for Excel), the rate in %, months and dates in French.
    assert premiere.split(";")[-8:] == [
        "1234,50",
        "99,7",
        "mars 2025",
        "1,234567",
        "1234",
        "2025",
        "15/06/2025",
        "Sous-consommation",
    ]
    # Half-up to the cent; a value that is not a number ("–") stays as it is; empty cells stay empty.
    assert seconde == "ACI - Verdun;-9446,67;;avril 2025;–;2;;;"


def test_xlsx_d_un_tableau_type_et_mis_en_page():
    contenu = tableaux_en_xlsx([TABLEAU])
    verifier_xlsx(contenu)
    feuille = openpyxl.load_workbook(io.BytesIO(contenu))["Essai"]
    # The title row says the filters given (an empty one left out), the header is frozen below it.
    assert feuille["A1"].value == "Essai — Année : 2025 ; Département : 55 – Meuse"
    assert feuille["A1"].font.bold and feuille.freeze_panes == "A3" and feuille.auto_filter.ref == "A2:I4"
    assert [c.value for c in feuille[2]] == [
        "Structure",
        "Montant",
        "Taux",
        "Mois",
        "ETP",
        "Nombre",
        "Année",
        "Jour",
        "Statut",
    ]
    rang = {c.column_letter: c for c in feuille[3]}
    assert (rang["B"].value, rang["B"].number_format) == (1234.5, '#,##0.00 "€"')
    assert (rang["C"].value, rang["C"].number_format) == (pytest.approx(0.997), "0.0 %")
    assert (rang["D"].value, rang["D"].number_format) == (dt.datetime(2025, 3, 1), "mmmm yyyy")
    # ETP at full precision, shown with two decimals.
    assert (rang["E"].value, rang["E"].number_format) == (pytest.approx(1.234567), "#,##0.00")
    assert (rang["F"].value, rang["F"].number_format) == (1234, "#,##0")
    assert (rang["G"].value, rang["G"].number_format) == (2025, "0")
    assert (rang["H"].value, rang["H"].number_format) == (dt.datetime(2025, 6, 15), "dd/mm/yyyy")
    assert rang["I"].value == "Sous-consommation"
    seconde = {c.column_letter: c for c in feuille[4]}
    assert seconde["B"].value == pytest.approx(-9446.67) and seconde["E"].value == "–"
    # Widths: the one given, else from the label and the values.
    assert feuille.column_dimensions["E"].width == 12
    assert len(PIEGE) < feuille.column_dimensions["A"].width <= LARGEUR_MAX
    assert 8 <= feuille.column_dimensions["F"].width < 20


def test_plusieurs_tableaux():
    autre = Tableau("Essai", [Colonne("x", "Autre", ENTIER)], [{"x": 3}])
    feuilles = openpyxl.load_workbook(io.BytesIO(tableaux_en_xlsx([TABLEAU, autre]))).sheetnames
    assert feuilles == ["Essai", "Essai (2)"]
    # A CSV holds one table: each row names its own, the columns are the union.
    reponse = reponse_tableaux("csv", [TABLEAU, autre], "x")
    lignes = reponse.content.decode("utf-8-sig").splitlines()
    assert lignes[0].startswith("Section;Structure;") and lignes[0].endswith(";Autre")
    assert lignes[-1] == "Essai;;;;;;;;;;3"
    assert reponse["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert reponse_tableaux("xlsx", [autre], "x").content[:2] == b"PK"
    with pytest.raises(ValueError):
        reponse_tableaux("pdf", [autre], "x")


@pytest.mark.parametrize(
    "valeur,nature,attendu",
    [
        ("12.50", ETP, "12,50"),
        (Decimal("-0.001"), MONTANT, "0,00"),
        ("-0", DECIMAL, "0"),
        (3, ENTIER, "3"),
        (Decimal("2.5"), ENTIER, "2,5"),
        ("2025-13", MOIS, "2025-13"),
        (dt.datetime(2025, 1, 31, 10, 5), DATE, "31/01/2025"),
        ("31/01/2025 10:05:00", DATE_HEURE, "31/01/2025 10:05:00"),
        (Valeur(TAUX, "50.0"), TEXTE, "50,0"),
        (True, ENTIER, "True"),
        ("-x", TEXTE, "'-x"),
    ],
)
def test_cellule_csv(valeur, nature, attendu):
    assert cellule_csv(valeur, nature) == attendu


def test_filtres_de_la_page():
    assert filtres_de_la_page(2025, "55", type="ACI", structure=None) == [
        ("Année", "2025"),
        ("Département", "55 – Meuse"),
        ("Type", "ACI"),
    ]
    assert filtres_de_la_page(2025, None) == [("Année", "2025"), ("Département", "tous")]


def test_une_page_qui_exporte_dit_ses_tableaux():
    from base.exports import ExportDeLaPageMixin

    with pytest.raises(TypeError, match="tableaux_exportes"):
        type("PageSansTableaux", (ExportDeLaPageMixin,), {})
