"""Pure rules, no database: SIRET (spec §1), départements, French number formats."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from base.departements import DEPARTEMENTS, departement_du_code_postal, normaliser_departement
from base.formats import arrondi, etp_fr, montant_fr, nombre_fr, taux_fr
from siae.regles import SIREN_LA_POSTE, erreur_siret, luhn_valide, normaliser_siret

NNBSP = "\u202f"  # French thousands separator
NBSP = "\u00a0"


def luhn_reference(chiffres: str) -> bool:
    """The Luhn rule written independently: from the right, double every second digit, sum the digits."""
    total = 0
    for i, c in enumerate(reversed(chiffres)):
        d = int(c) * (2 if i % 2 else 1)
        total += d // 10 + d % 10
    return total % 10 == 0


def completer(debut: str) -> tuple[str, list[str]]:
    """The only Luhn-valid completion of a 13-digit start, and the nine invalid ones."""
    candidats = [debut + str(cle) for cle in range(10)]
    valides = [s for s in candidats if luhn_reference(s)]
    assert len(valides) == 1  # exactly one check digit works
    return valides[0], [s for s in candidats if s != valides[0]]


# Real SIREN 732 829 320 with a fictive NIC: the check digit is computed, not hard-coded.
SIRET_VALIDE, SIRETS_INVALIDES = completer("7328293200007")


class TestSiret:
    @pytest.mark.parametrize("debut", ["7328293200007", "1234567890123", "0000000000001", "9999999999999"])
    def test_la_cle_de_luhn_calculee_est_acceptee(self, debut):
        valide, invalides = completer(debut)
        assert luhn_valide(valide)
        assert erreur_siret(valide) is None
        for siret in invalides:
            assert not luhn_valide(siret)
            assert erreur_siret(siret) == "SIRET invalide (clé de contrôle incorrecte)"

    def test_inverser_deux_chiffres_voisins_est_detecte(self):
        inverse = SIRET_VALIDE[:3] + SIRET_VALIDE[4] + SIRET_VALIDE[3] + SIRET_VALIDE[5:]
        assert inverse != SIRET_VALIDE
        assert erreur_siret(inverse) is not None

    @pytest.mark.parametrize(
        "valeur",
        ["", "1234567890123", "123456789012345", SIRET_VALIDE[:13] + "A", " " + SIRET_VALIDE[:13], "7328 2932 000 7"],
    )
    def test_quatorze_chiffres_exactement(self, valeur):
        assert erreur_siret(valeur) == "le SIRET doit compter exactement 14 chiffres"

    def test_normaliser_retire_les_espaces(self):
        espace = f"{SIRET_VALIDE[:3]} {SIRET_VALIDE[3:6]} {SIRET_VALIDE[6:9]} {SIRET_VALIDE[9:]}"
        assert normaliser_siret(espace) == SIRET_VALIDE
        assert normaliser_siret(f"\t{SIRET_VALIDE}\u00a0") == SIRET_VALIDE
        assert erreur_siret(normaliser_siret(espace)) is None


class TestLaPoste:
    """La Poste's establishments (SIREN 356 000 000) are checked by 'sum of the digits is a multiple of 5'."""

    def etablissements(self):
        return [f"{SIREN_LA_POSTE}{nic:05d}" for nic in range(1, 200)]

    def test_somme_multiple_de_5_sans_luhn_est_valide(self):
        cas = [s for s in self.etablissements() if sum(map(int, s)) % 5 == 0 and not luhn_reference(s)]
        assert cas, "there are La Poste SIRETs valid by their own rule only"
        for siret in cas:
            assert erreur_siret(siret) is None

    def test_somme_non_multiple_de_5_est_refusee_meme_si_luhn_passe(self):
        cas = [s for s in self.etablissements() if sum(map(int, s)) % 5 != 0]
        assert any(luhn_reference(s) for s in cas)
        for siret in cas:
            assert erreur_siret(siret) == "SIRET invalide (clé de contrôle incorrecte)"

    def test_le_siege_suit_la_regle_de_luhn(self):
        siege = SIREN_LA_POSTE + "00000"
        assert (erreur_siret(siege) is None) == luhn_reference(siege)

    def test_un_autre_siren_commencant_pareil_suit_luhn(self):
        valide, invalides = completer("3560000010000")
        assert valide.startswith("356000001")
        assert erreur_siret(valide) is None
        assert all(erreur_siret(s) is not None for s in invalides)


class TestDepartements:
    @pytest.mark.parametrize(
        ("saisie", "attendu"),
        [
            ("55", "55"), (" 55 ", "55"), ("055", "55"), ("5", "05"), ("01", "01"), ("1", "01"),
            ("2a", "2A"), ("2B", "2B"), ("971", "971"), ("976", "976"), (55, "55"), ("95", "95"),
        ],
    )  # fmt: skip
    def test_normaliser(self, saisie, attendu):
        assert normaliser_departement(saisie) == attendu

    @pytest.mark.parametrize("saisie", ["", "0", "00", "20", "96", "977", "99", "2C", "Meuse", "5 5", "100"])
    def test_pas_un_departement(self, saisie):
        assert normaliser_departement(saisie) is None

    def test_les_departements_attendus(self):
        # Spec §1: `01`..`95`, `2A`, `2B`, `971`..`976`.
        attendus = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"} | {str(n) for n in range(971, 977)}
        assert DEPARTEMENTS.keys() == attendus

    @pytest.mark.parametrize(
        ("code_postal", "attendu"),
        [
            ("55100", "55"), ("57000", "57"), ("01000", "01"), ("75015", "75"), ("20000", "2A"), ("20199", "2A"),
            ("20200", "2B"), ("20600", "2B"), ("97100", "971"), ("97400", "974"), ("97600", "976"),
            (" 55000 ", "55"),
        ],
    )  # fmt: skip
    def test_departement_du_code_postal(self, code_postal, attendu):
        assert departement_du_code_postal(code_postal) == attendu

    @pytest.mark.parametrize("code_postal", ["", "5510", "551000", "55A00", "98000", "96000"])
    def test_code_postal_inconnu(self, code_postal):
        assert departement_du_code_postal(code_postal) is None


class TestFormats:
    def test_nombre_a_virgule(self):
        assert nombre_fr(Decimal("426.99")) == "426,99"
        assert etp_fr(Decimal("54")) == "54,00"
        assert nombre_fr(3, decimales=0) == "3"

    def test_separateur_de_milliers(self):
        assert nombre_fr(Decimal("8800000")) == f"8{NNBSP}800{NNBSP}000,00"
        assert nombre_fr(Decimal("1234.5")) == f"1{NNBSP}234,50"
        assert nombre_fr(Decimal("-1234.5")) == f"-1{NNBSP}234,50"
        assert nombre_fr(Decimal("999.99")) == "999,99"

    def test_montant_en_euros(self):
        assert montant_fr(Decimal("8800000")) == f"8{NNBSP}800{NNBSP}000,00{NBSP}€"
        assert montant_fr(None) == "–"

    def test_taux_en_pourcentage_une_decimale(self):
        assert taux_fr(Decimal("0.997")) == f"99,7{NBSP}%"
        assert taux_fr(Decimal("1")) == f"100,0{NBSP}%"
        assert taux_fr(Decimal("0.99949")) == f"99,9{NBSP}%"
        assert taux_fr(Decimal("0.99950")) == f"100,0{NBSP}%"  # half-up
        assert taux_fr(None) == "–"

    def test_arrondi_au_demi_superieur(self):
        assert arrondi(Decimal("0.005")) == Decimal("0.01")
        assert arrondi(Decimal("0.015")) == Decimal("0.02")  # half-even would give 0.02 too…
        assert arrondi(Decimal("0.025")) == Decimal("0.03")  # …but 0.02 here: this one tells them apart
        assert arrondi(Decimal("-0.005")) == Decimal("-0.01")
        assert arrondi(Decimal("0.0049")) == Decimal("0.00")
        assert nombre_fr(Decimal("0.005")) == "0,01"

    def test_un_float_est_arrondi_sur_son_ecriture_decimale(self):
        # The binary float 2.675 is 2.67499999…: rounding its decimal text gives what the user expects.
        assert nombre_fr(2.675) == "2,68"

    def test_valeur_absente(self):
        assert nombre_fr(None) == "–"
        assert nombre_fr("") == "–"

    def test_filtres_de_gabarit(self):
        gabarit = Template(
            "{% load format_fr %}{{ v|nombre }}|{{ v|etp }}|{{ v|montant }}|{{ r|taux }}|{{ v|nombre:0 }}"
        )
        rendu = gabarit.render(Context({"v": Decimal("426.994"), "r": Decimal("0.997")}))
        assert rendu == f"426,99|426,99|426,99{NBSP}€|99,7{NBSP}%|427"
