"""PASS IAE and the checks of a declaration line (spec §3 and §6), without the database."""

import datetime as dt
from decimal import Decimal

import pytest

from parcours import regles

MOIS = dt.date(2022, 6, 1)


def erreurs(**kwargs):
    valeurs = {
        "mois": MOIS,
        "heures": Decimal("100"),
        "contrat_couvre_le_mois": True,
        "pass_debut": dt.date(2021, 1, 1),
        "pass_fin": dt.date(2022, 12, 31),
        "date_embauche": dt.date(2021, 3, 1),
        "date_sortie": None,
        "motif_sortie_connu": False,
        "motif_sortie_donne": False,
    }
    valeurs.update(kwargs)
    return [champ for champ, _ in regles.erreurs_ligne_declaration(**valeurs)]


class TestPass:
    def test_24_mois_moins_un_jour(self):
        assert regles.fin_pass_iae(dt.date(2022, 3, 15)) == dt.date(2024, 3, 14)
        assert regles.fin_pass_iae(dt.date(2022, 1, 1)) == dt.date(2023, 12, 31)

    def test_fin_de_mois_et_bissextile(self):
        # 31 August + 24 months = 31 August, less a day; 29 February 2024 + 24 months = 28 February 2026.
        assert regles.fin_pass_iae(dt.date(2022, 8, 31)) == dt.date(2024, 8, 30)
        assert regles.fin_pass_iae(dt.date(2024, 2, 29)) == dt.date(2026, 2, 27)

    def test_suspension_repousse_la_fin(self):
        assert regles.fin_pass_iae(dt.date(2022, 1, 1), jours_de_suspension=31) == dt.date(2024, 1, 31)

    @pytest.mark.parametrize(
        ("debut", "fin", "attendu"),
        [
            (dt.date(2022, 6, 30), None, True),  # the last day of the month is enough
            (dt.date(2022, 7, 1), None, False),
            (dt.date(2020, 1, 1), dt.date(2022, 6, 1), True),  # the first day is enough
            (dt.date(2020, 1, 1), dt.date(2022, 5, 31), False),
        ],
    )
    def test_chevauche_le_mois(self, debut, fin, attendu):
        assert regles.chevauche_le_mois(debut, fin, MOIS) is attendu


class TestLigne:
    def test_ligne_correcte(self):
        assert erreurs() == []

    @pytest.mark.parametrize(
        ("heures", "refusee"),
        [(Decimal("0"), False), (Decimal("208"), False), (Decimal("208.01"), True), (Decimal("-0.01"), True)],
    )
    def test_heures_entre_0_et_208(self, heures, refusee):
        assert ("heures_travaillees" in erreurs(heures=heures)) is refusee

    def test_sans_contrat(self):
        assert erreurs(contrat_couvre_le_mois=False) == ["numero_pass"]

    def test_pass_expire_avant_le_mois(self):
        assert erreurs(pass_fin=dt.date(2022, 5, 31)) == ["numero_pass"]

    def test_pass_valide_le_dernier_jour_seulement(self):
        assert erreurs(pass_debut=dt.date(2022, 6, 30), pass_fin=dt.date(2024, 6, 29)) == []

    def test_sortie_hors_du_mois(self):
        assert erreurs(date_sortie=dt.date(2022, 7, 1), motif_sortie_connu=True, motif_sortie_donne=True) == [
            "date_sortie"
        ]

    def test_sortie_avant_embauche(self):
        champs = erreurs(
            date_embauche=dt.date(2022, 6, 20),
            date_sortie=dt.date(2022, 6, 10),
            motif_sortie_connu=True,
            motif_sortie_donne=True,
        )
        assert champs == ["date_sortie"]

    def test_motif_inconnu(self):
        assert erreurs(date_sortie=dt.date(2022, 6, 10), motif_sortie_donne=True) == ["motif_sortie"]

    def test_sortie_sans_motif_et_motif_sans_sortie(self):
        assert erreurs(date_sortie=dt.date(2022, 6, 10)) == ["motif_sortie"]
        assert erreurs(motif_sortie_donne=True, motif_sortie_connu=True) == ["date_sortie"]


class TestContrat:
    def test_heures_du_mois(self):
        # 35 h a week make 151.67 h a month (35 × 52 / 12).
        assert round(regles.heures_contractuelles_du_mois(Decimal(35)), 2) == Decimal("151.67")

    def test_depassement_en_avertissement(self):
        assert regles.depasse_le_contrat(Decimal("151.67"), Decimal(35)) is True
        assert regles.depasse_le_contrat(Decimal("151.66"), Decimal(35)) is False
        assert regles.depasse_le_contrat(Decimal("300"), None) is False

    def test_age(self):
        assert regles.age_au(dt.date(1972, 6, 15), dt.date(2022, 6, 14)) == 49
        assert regles.age_au(dt.date(1972, 6, 15), dt.date(2022, 6, 15)) == 50
