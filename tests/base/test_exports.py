"""The one guard of every CSV and XLSX export: a text a spreadsheet would run as a formula is written as text."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from base.exports import en_csv, en_xlsx, est_une_formule, neutraliser, reponse_csv, reponse_xlsx
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
