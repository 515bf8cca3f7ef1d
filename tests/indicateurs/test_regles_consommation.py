"""The rules of consumption (spec §4): rate, status against the thresholds, projection, reference period."""

import datetime as dt
from decimal import Decimal

import pytest

from indicateurs import regles as regles_indicateurs


class TestStatut:
    BAS, HAUT = Decimal("0.95"), Decimal("1.00")

    @pytest.mark.parametrize(
        ("taux", "statut"),
        [
            (Decimal("0.9499"), regles_indicateurs.SOUS_CONSOMMATION),
            (Decimal("0.95"), regles_indicateurs.CONFORME),
            (Decimal("1.00"), regles_indicateurs.CONFORME),
            (Decimal("1.0001"), regles_indicateurs.SUR_CONSOMMATION),
            (None, None),
        ],
    )
    def test_seuils(self, taux, statut):
        assert regles_indicateurs.statut_consommation(taux, self.BAS, self.HAUT) == statut


class TestProjection:
    def test_lineaire(self):
        # 10 months at 5 ETP-mois each: 50 ETP-mois, projected to 60 over the year.
        assert regles_indicateurs.projection_annuelle(Decimal(50), 10) == 60

    def test_sans_mois(self):
        assert regles_indicateurs.projection_annuelle(Decimal(0), 0) is None

    def test_l_ecart_projete_compare_a_l_annee_conventionnee(self):
        # An AF of 4 ETP from January to June then 6 ETP: 60 ETP-mois conventionnés over the year. 24 ETP-mois
        # réalisés January-June (4 ETP a month, the "ETP réalisés" of the reference period) project to 48: 12 ETP-mois
        # short, a gap of -1 ETP, where réalisés less conventionnés over January-June would say 0.
        assert regles_indicateurs.ecart_projete_etp(Decimal(24), 6, Decimal(60)) == -1

    def test_l_ecart_projete_sur_une_annee_close(self):
        # A year over: the projection is the réalisé itself.
        assert regles_indicateurs.ecart_projete_etp(Decimal(66), 12, Decimal(60)) == Decimal("0.5")

    def test_pas_d_ecart_sans_mois_ecoule(self):
        assert regles_indicateurs.ecart_projete_etp(Decimal(0), 0, Decimal(60)) is None


class TestPeriodeDeReference:
    @pytest.mark.parametrize(
        ("aujourd_hui", "mois"),
        [
            (dt.date(2026, 11, 23), dt.date(2026, 10, 1)),  # October was due on 15 November
            (dt.date(2026, 11, 15), dt.date(2026, 9, 1)),  # the deadline day itself: October not yet late
            (dt.date(2026, 1, 10), dt.date(2025, 11, 1)),
        ],
    )
    def test_dernier_mois_echu(self, aujourd_hui, mois):
        from indicateurs.queries_consommation import dernier_mois_echu

        assert dernier_mois_echu(aujourd_hui) == mois

    def test_annee_passee_et_annee_en_cours(self):
        from base.calendrier import Periode
        from indicateurs.queries_consommation import periode_de_reference

        assert periode_de_reference(None, 2025, dt.date(2026, 11, 23)) == Periode.annee(2025)
        assert periode_de_reference(None, 2026, dt.date(2026, 11, 23)) == Periode(
            dt.date(2026, 1, 1), dt.date(2026, 10, 1)
        )
        assert periode_de_reference(None, 2026, dt.date(2026, 1, 10)).nombre_de_mois == 1
