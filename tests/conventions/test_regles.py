"""The rules of annexes and consumption (spec §2 and §4), without the database."""

import datetime as dt
from decimal import Decimal

import pytest

from base import calendrier
from conventions import regles
from declarations import regles as regles_declarations
from indicateurs import regles as regles_indicateurs


class TestNumeroAnnexe:
    def test_decoupe_un_numero(self):
        parties = regles.analyser_numero_annexe("ACI055220001A0M0")
        assert parties == {
            "type": "ACI",
            "departement": "055",
            "millesime": "22",
            "ordre": "0001",
            "avenant": 0,
            "modification": 0,
            "prefixe": "ACI055220001",
        }

    def test_avenant_de_rangs_superieurs(self):
        parties = regles.analyser_numero_annexe("eiti971250012a12m3")
        assert (parties["type"], parties["departement"], parties["avenant"], parties["modification"]) == (
            "EITI",
            "971",
            12,
            3,
        )
        assert parties["prefixe"] == "EITI971250012"

    @pytest.mark.parametrize(
        "numero", ["ACI55220001A0M0", "XYZ055220001A0M0", "ACI055220001", "ACI055220001A0", "ACI05522001A0M0", ""]
    )
    def test_refuse_les_formats_faux(self, numero):
        assert regles.analyser_numero_annexe(numero) is None

    @pytest.mark.parametrize(("code", "departement"), [("055", "55"), ("001", "01"), ("971", "971"), ("02A", "2A")])
    def test_departement_du_numero(self, code, departement):
        assert regles.departement_du_numero(code) == departement


class TestMois:
    def test_mois_entre_traverse_l_annee(self):
        assert calendrier.mois_entre(dt.date(2022, 11, 15), dt.date(2023, 2, 1)) == [
            dt.date(2022, 11, 1),
            dt.date(2022, 12, 1),
            dt.date(2023, 1, 1),
            dt.date(2023, 2, 1),
        ]

    def test_dernier_jour_bissextile(self):
        assert calendrier.dernier_jour_du_mois(dt.date(2024, 2, 1)) == dt.date(2024, 2, 29)
        assert calendrier.dernier_jour_du_mois(dt.date(2023, 12, 1)) == dt.date(2023, 12, 31)

    @pytest.mark.parametrize(
        ("debut", "fin", "attendu"),
        [
            (dt.date(2022, 1, 1), dt.date(2022, 12, 31), None),
            (dt.date(2022, 7, 1), dt.date(2022, 9, 30), None),
            (dt.date(2022, 1, 2), dt.date(2022, 12, 31), "la date de début doit être le premier jour d'un mois"),
            (dt.date(2022, 1, 1), dt.date(2022, 12, 30), "la date de fin doit être le dernier jour d'un mois"),
            (dt.date(2022, 5, 1), dt.date(2022, 3, 31), "la date de fin précède la date de début"),
        ],
    )
    def test_periode_en_mois_entiers(self, debut, fin, attendu):
        assert regles.periode_en_mois_entiers(debut, fin) == attendu

    def test_echeance_le_15_du_mois_suivant(self):
        assert regles_declarations.echeance_declaration(dt.date(2022, 6, 1)) == dt.date(2022, 7, 15)
        assert regles_declarations.echeance_declaration(dt.date(2022, 12, 1)) == dt.date(2023, 1, 15)


class TestEtp:
    def test_etp_aci_151_67_heures(self):
        # 1820 h a year: 151.666… h make one ETP in a month.
        assert regles_declarations.etp_realises(Decimal("1820") / 12, Decimal("1820")) == 1
        assert round(regles_declarations.etp_realises(Decimal("151.67"), Decimal("1820")), 6) == Decimal("1.000022")

    def test_etp_ei_133_92_heures(self):
        assert round(regles_declarations.etp_realises(Decimal("133.92"), Decimal("1607")), 4) == Decimal("1.0000")
        assert regles_declarations.etp_realises(Decimal("0"), Decimal("1607")) == 0

    def test_heures_par_defaut(self):
        assert regles.HEURES_ANNUELLES_PAR_DEFAUT == {
            "ACI": 1820,
            "AI": 1607,
            "ETTI": 1607,
            "EI": 1607,
            "EITI": 1505,
        }

    def test_taux_indefini_sans_conventionne(self):
        assert regles_indicateurs.taux_consommation(Decimal(3), Decimal(0)) is None
        assert regles_indicateurs.taux_consommation(Decimal("425.85"), Decimal("426.99")) == Decimal(
            "425.85"
        ) / Decimal("426.99")


class TestVersionsEnVigueur:
    """The ETP of a month is that of the latest version already in effect (spec §2)."""

    def test_un_avenant_posterieur_a_effet_anterieur_l_emporte(self):
        import types

        from conventions.services import etp_par_mois

        annexe = types.SimpleNamespace(
            date_debut=dt.date(2024, 1, 1), date_fin=dt.date(2024, 12, 31), etp_conventionnes=Decimal(12)
        )

        def version(rang, mois, etp):
            return types.SimpleNamespace(
                rang_avenant=rang,
                rang_modification=0,
                mois_effet=dt.date(2024, mois, 1),
                etp_conventionnes=Decimal(etp),
            )

        # A0: 12 from January; A1: 10 from June; A2 (decided last): 8 from March.
        par_mois = etp_par_mois(annexe, [version(0, 1, 12), version(1, 6, 10), version(2, 3, 8)])
        assert [par_mois[dt.date(2024, m, 1)] for m in range(1, 13)] == [12, 12] + [8] * 10
