"""Sorties dynamiques and publics (spec §7 and §8), without the database."""

import datetime as dt
from decimal import Decimal

import pytest

from indicateurs import regles_sorties as r

EMBAUCHE = dt.date(2024, 1, 15)


class TestTroisMois:
    """ACI, EI: the exit is on or after the hire date + 3 months."""

    @pytest.mark.parametrize("type_", ["ACI", "EI"])
    def test_exactement_trois_mois_oui_la_veille_non(self, type_):
        assert r.parcours_qualifie(type_, EMBAUCHE, dt.date(2024, 4, 15), Decimal(0))
        assert not r.parcours_qualifie(type_, EMBAUCHE, dt.date(2024, 4, 14), Decimal(0))
        assert r.parcours_qualifie(type_, EMBAUCHE, dt.date(2025, 1, 1), Decimal(0))

    def test_les_heures_ne_comptent_pas(self):
        assert not r.parcours_qualifie("ACI", EMBAUCHE, dt.date(2024, 4, 14), Decimal(2000))

    @pytest.mark.parametrize(
        ("embauche", "premiere_sortie_examinee"),
        [
            (dt.date(2023, 11, 30), dt.date(2024, 2, 29)),  # clamped to the end of February, leap year
            (dt.date(2024, 11, 30), dt.date(2025, 2, 28)),
            (dt.date(2024, 11, 29), dt.date(2025, 2, 28)),
            (dt.date(2024, 1, 31), dt.date(2024, 4, 30)),
            (dt.date(2024, 10, 1), dt.date(2025, 1, 1)),  # over the new year
            (dt.date(2024, 12, 31), dt.date(2025, 3, 31)),
        ],
    )
    def test_fins_de_mois(self, embauche, premiere_sortie_examinee):
        assert r.date_de_qualification(embauche) == premiere_sortie_examinee
        veille = premiere_sortie_examinee - dt.timedelta(days=1)
        assert r.parcours_qualifie("EI", embauche, premiere_sortie_examinee, Decimal(0))
        assert not r.parcours_qualifie("EI", embauche, veille, Decimal(0))


class TestCentCinquanteHeures:
    @pytest.mark.parametrize("type_", ["AI", "ETTI"])
    def test_149_75_non_150_oui(self, type_):
        sortie = EMBAUCHE + dt.timedelta(days=10)
        assert not r.parcours_qualifie(type_, EMBAUCHE, sortie, Decimal("149.75"))
        assert not r.parcours_qualifie(type_, EMBAUCHE, sortie, Decimal("149.99"))
        assert r.parcours_qualifie(type_, EMBAUCHE, sortie, Decimal("150"))
        assert r.parcours_qualifie(type_, EMBAUCHE, sortie, Decimal("150.00"))

    def test_la_duree_ne_compte_pas(self):
        assert not r.parcours_qualifie("AI", EMBAUCHE, dt.date(2026, 1, 1), Decimal("149.75"))


class TestEiti:
    def test_toujours(self):
        assert r.parcours_qualifie("EITI", EMBAUCHE, EMBAUCHE, Decimal(0))


class TestExaminee:
    def test_la_sortie_est_de_l_annee(self):
        assert r.sortie_examinee(2024, "EITI", EMBAUCHE, dt.date(2024, 12, 31), Decimal(0))
        assert not r.sortie_examinee(2024, "EITI", EMBAUCHE, dt.date(2025, 1, 1), Decimal(0))
        assert not r.sortie_examinee(2023, "EITI", EMBAUCHE, dt.date(2024, 1, 1), Decimal(0))

    def test_sans_sortie(self):
        assert not r.sortie_examinee(2024, "EITI", EMBAUCHE, None, Decimal(0))

    def test_qualification_et_annee(self):
        # Hired on 30 November 2023: examined from 29 February 2024 (clamped, leap year), an exit of 2024.
        assert r.sortie_examinee(2024, "ACI", dt.date(2023, 11, 30), dt.date(2024, 2, 29), Decimal(0))
        assert not r.sortie_examinee(2024, "ACI", dt.date(2023, 11, 30), dt.date(2024, 2, 28), Decimal(0))

    def test_type_inconnu(self):
        assert not r.parcours_qualifie("XYZ", EMBAUCHE, dt.date(2025, 1, 1), Decimal(1000))


class TestTaux:
    def test_formule(self):
        # 20 durable, 18 transition, 19 positive out of 120 examined, 4 retraits: 57 / 116.
        assert r.taux_sorties_dynamiques(20, 18, 19, 120, 4) == Decimal(57) / Decimal(116)
        assert r.taux_emploi_durable(20, 120, 4) == Decimal(20) / Decimal(116)

    def test_tous_retraits_indefini(self):
        assert r.taux_sorties_dynamiques(0, 0, 0, 3, 3) is None
        assert r.taux_emploi_durable(0, 3, 3) is None

    def test_aucune_sortie_indefini(self):
        assert r.taux_sorties_dynamiques(0, 0, 0, 0, 0) is None

    def test_compte(self):
        compte = r.CompteSorties(examinees=10, retraits=2, emploi_durable=2, emploi_transition=1, sorties_positives=1)
        assert compte.sorties_dynamiques == 4
        assert compte.autres == 4
        assert compte.taux_sorties_dynamiques == Decimal("0.5")
        assert compte.taux_emploi_durable == Decimal("0.25")
        assert compte.taux_emploi_transition == Decimal("0.125")
        assert compte.taux_sorties_positives == Decimal("0.125")
        total = compte + r.CompteSorties(examinees=2, retraits=2)
        assert (total.examinees, total.retraits, total.taux_sorties_dynamiques) == (12, 4, Decimal("0.5"))
        assert r.CompteSorties(examinees=1, retraits=1).taux_sorties_dynamiques is None


class TestPublics:
    NAISSANCE = dt.date(1998, 6, 10)

    def test_moins_de_26_ans_a_l_embauche(self):
        assert r.moins_de_26_ans(self.NAISSANCE, dt.date(2024, 6, 9))  # 25, the day before the 26th birthday
        assert not r.moins_de_26_ans(self.NAISSANCE, dt.date(2024, 6, 10))

    def test_50_ans_et_plus(self):
        naissance = dt.date(1974, 6, 10)
        assert not r.cinquante_ans_et_plus(naissance, dt.date(2024, 6, 9))
        assert r.cinquante_ans_et_plus(naissance, dt.date(2024, 6, 10))

    def test_29_fevrier(self):
        # Born on 29 February: a year older on 1 March of a non-leap year.
        naissance = dt.date(2000, 2, 29)
        assert r.moins_de_26_ans(naissance, dt.date(2026, 2, 28))
        assert not r.moins_de_26_ans(naissance, dt.date(2026, 3, 1))

    def test_part(self):
        assert r.part(41, 100) == Decimal("0.41")
        assert r.part(0, 0) is None

    def test_objectif_brsa(self):
        assert r.objectif_part_brsa(None) == Decimal(40)
        assert r.objectif_part_brsa(Decimal("35.00")) == Decimal(35)

    def test_sous_l_objectif(self):
        assert r.sous_l_objectif(Decimal("0.39"), Decimal(40))
        assert not r.sous_l_objectif(Decimal("0.40"), Decimal(40))
        assert not r.sous_l_objectif(None, Decimal(40))

    def test_ecart_en_points(self):
        assert r.ecart_en_points(Decimal("0.55"), Decimal(60)) == Decimal(-5)
        assert r.ecart_en_points(Decimal("0.625"), Decimal(60)) == Decimal("2.5")
        assert r.ecart_en_points(None, Decimal(60)) is None
        assert r.ecart_en_points(Decimal("0.5"), None) is None
