"""One half-up rounding for every figure shown or exported, and the numbers pre-filled in a form."""

from decimal import Decimal

import pytest

from base.formats import arrondi, etp, montant, nombre_fr, taux
from base.formulaires import en_pourcent, sans_zeros_inutiles

D = Decimal


@pytest.mark.parametrize(
    ("valeur", "decimales", "attendu"),
    [
        (D("1.005"), 2, D("1.01")),
        (D("-0.005"), 2, D("-0.01")),
        ("2.45", 1, D("2.5")),
        (0.1, 2, D("0.10")),
        (3, 0, D(3)),
    ],
)
def test_arrondi_au_plus_proche_les_moities_vers_le_haut(valeur, decimales, attendu):
    assert arrondi(valeur, decimales) == attendu


def test_les_chiffres_lisibles_par_une_machine():
    assert (etp(D("12.345")), montant(D("1234.565")), taux(D("0.99650"))) == ("12.35", "1234.57", "99.7")
    assert (etp(None), montant(None), taux(None)) == (None, None, None)
    assert montant(D("1E+3")) == "1000.00"


def test_l_affichage_francais():
    assert nombre_fr(D("1234567.891")) == "1\u202f234\u202f567,89"
    assert nombre_fr(D("-0.001")) == "0,00"


@pytest.mark.parametrize(
    ("fraction", "saisi"),
    [("0.0450", "4.5"), ("0.05", "5"), ("0.1250", "12.5"), ("0.2000", "20"), ("0.70", "70"), ("0", "0"), ("1", "100")],
)
def test_un_taux_stocke_en_fraction_se_saisit_en_pourcent(fraction, saisi):
    pourcent = en_pourcent(D(fraction))
    assert pourcent == D(saisi) and str(pourcent) == saisi


@pytest.mark.parametrize(("valeur", "attendu"), [("40.00", "40"), ("37.50", "37.5"), ("100", "100"), ("0.00", "0")])
def test_sans_zeros_inutiles(valeur, attendu):
    assert str(sans_zeros_inutiles(D(valeur))) == attendu
