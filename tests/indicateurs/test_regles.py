"""Rules without the database: months carried by the tasks, batching of refreshes, running sums, the consumption
curve, import progress."""

import datetime as dt
from decimal import Decimal

import pytest

from base.calendrier import de_mois, mois_de_l_annee, premier_du_mois
from imports.regles import (
    ENREGISTREMENT,
    LECTURE,
    VERIFICATION,
    a_noter,
    etape,
    mesurable,
    pas_de_progression,
    progression,
    texte_progression,
)
from indicateurs.regles import courbe_cumulee, cumuls, regrouper_demandes

MARS, AVRIL = dt.date(2024, 3, 1), dt.date(2024, 4, 1)


@pytest.mark.parametrize(
    "valeur",
    [dt.date(2024, 3, 17), dt.datetime(2024, 3, 17, 23, 59), "2024-03-01", "2024-03-17", "2024-03"],
)
def test_premier_du_mois(valeur):
    assert premier_du_mois(valeur) == MARS


@pytest.mark.parametrize(
    ("mois", "texte"),
    [
        (2, "de février 2026"),
        (4, "d'avril 2026"),
        (8, "d'août 2026"),
        (10, "d'octobre 2026"),
        (12, "de décembre 2026"),
    ],
)
def test_de_mois(mois, texte):
    assert de_mois(dt.date(2026, mois, 1)) == texte


def test_mois_de_l_annee():
    mois = mois_de_l_annee(2024)
    assert (len(mois), mois[0], mois[-1]) == (12, dt.date(2024, 1, 1), dt.date(2024, 12, 1))


class TestRegrouperDemandes:
    def test_un_seul_appel_pour_des_mois(self):
        demandes = [(7, MARS), (3, AVRIL), (7, AVRIL), (7, MARS)]
        assert regrouper_demandes(demandes) == [([3, 7], [MARS, AVRIL])]

    def test_les_annexes_entieres_a_part(self):
        # Annexe 7 is recomputed whole: its months asked besides are already in that call.
        demandes = [(7, None), (7, MARS), (3, AVRIL)]
        assert regrouper_demandes(demandes) == [([7], None), ([3], [AVRIL])]

    def test_rien_a_faire(self):
        assert regrouper_demandes(iter([])) == []


def test_cumuls():
    deux, un_et_demi = Decimal("2.00"), Decimal("1.50")
    assert cumuls([deux, un_et_demi, Decimal("0")]) == [deux, Decimal("3.50"), Decimal("3.50")]


class TestProgression:
    @pytest.mark.parametrize(
        ("traitees", "total", "pourcentage"),
        [(0, 0, 0), (0, 5000, 0), (1200, 5000, 24), (4999, 5000, 99), (5000, 5000, 100), (1, 3, 33), (2, 3, 66)],
    )
    def test_arrondi_vers_le_bas(self, traitees, total, pourcentage):
        # 100 % only when the last line is done; 4 999 / 5 000 is still 99 %.
        assert progression(traitees, total) == pourcentage

    @pytest.mark.parametrize(("total", "pas"), [(10, 200), (450, 200), (10_000, 200), (12_000, 240), (100_000, 2000)])
    def test_le_pas(self, total, pas):
        assert pas_de_progression(total) == pas

    def test_quand_noter(self):
        assert [rang for rang in range(1, 451) if a_noter(rang, 450)] == [200, 400, 450]
        assert [rang for rang in range(1, 4) if a_noter(rang, 3)] == [3]

    def test_le_texte(self):
        assert texte_progression(1200, 5000) == "1\u202f200 lignes sur 5\u202f000 (24\u00a0%)"
        assert texte_progression(0, 1) == "0 ligne sur 1 (0\u00a0%)"

    def test_les_etapes(self):
        assert (etape(0, 0), mesurable(0, 0)) == (LECTURE, False)
        assert (etape(0, 10), mesurable(0, 10)) == (VERIFICATION, True)
        assert (etape(9, 10), mesurable(9, 10)) == (VERIFICATION, True)
        assert (etape(10, 10), mesurable(10, 10)) == (ENREGISTREMENT, False)


class TestCourbe:
    def test_une_annee_terminee(self):
        """Every month réalisé: no projection."""
        mois = mois_de_l_annee(2024)
        courbe = courbe_cumulee(
            2024, dict.fromkeys(mois, Decimal(2)), dict.fromkeys(mois, Decimal("1.5")), dt.date(2024, 12, 1)
        )
        assert courbe.mois == mois
        assert courbe.cumul_conventionne[0] == 2 and courbe.cumul_conventionne[-1] == 24
        assert courbe.cumul_realise[2] == Decimal("4.5") and courbe.cumul_realise[-1] == 18
        assert courbe.projection is None and courbe.projection_fin_d_annee is None
        assert courbe.dernier_mois_realise == dt.date(2024, 12, 1)

    def test_l_annee_en_cours_et_sa_projection(self):
        """Réalisé jusqu'en mars (3 + 3 + 6 = 12 ETP-mois; avril, déclaré en avance, n'est pas montré): projection
        linéaire 12 × 12 / 3 = 48 à fin décembre, 12 × k / 3 au mois k, à partir de mars. Un mois absent vaut
        zéro."""
        conventionnes = {m: Decimal(4) for m in mois_de_l_annee(2026) if m.month != 8}
        realises = {dt.date(2026, 1, 1): Decimal(3), dt.date(2026, 2, 1): Decimal(3)}
        realises |= {dt.date(2026, 3, 1): Decimal(6), dt.date(2026, 4, 1): Decimal(5)}
        courbe = courbe_cumulee(2026, conventionnes, realises, dt.date(2026, 3, 1))
        assert courbe.realises[:4] == [3, 3, 6, None]
        assert courbe.cumul_realise[:4] == [3, 6, 12, None]
        assert courbe.conventionnes[7] == 0 and courbe.cumul_conventionne[-1] == 44
        assert courbe.projection[:2] == [None, None]
        assert (courbe.projection[2], courbe.projection[5], courbe.projection[-1]) == (12, 24, 48)
        assert courbe.projection_fin_d_annee == 48
        assert courbe.dernier_mois_realise == dt.date(2026, 3, 1)
        assert courbe.par_mois[2] == {
            "mois": dt.date(2026, 3, 1),
            "conventionne": 4,
            "realise": 6,
            "cumul_conventionne": 12,
            "cumul_realise": 12,
            "projection": 12,
        }

    def test_rien_de_du(self):
        """Before any month is due: the conventionné alone, no réalisé, no projection."""
        courbe = courbe_cumulee(2026, {dt.date(2026, 1, 1): Decimal(4)}, {dt.date(2026, 1, 1): Decimal(1)}, None)
        assert courbe.cumul_realise == [None] * 12 and courbe.realises == [None] * 12
        assert courbe.projection is None and courbe.dernier_mois_realise is None
        assert courbe.cumul_conventionne[-1] == 4

    def test_rien_de_realise_rien_de_projete(self):
        """Months due, nothing declared: the réalisé at zero, and no projection of zero."""
        courbe = courbe_cumulee(2026, {}, {}, dt.date(2026, 6, 1))
        assert courbe.cumul_realise[:7] == [0] * 6 + [None]
        assert courbe.projection is None
