"""Reading import files (formats.md): CSV `;`/`,`, UTF-8 with or without BOM, Windows-1252, XLSX; value parsers."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from imports.lecture import ErreurLigne, FichierIllisible, booleen, date_fr, decimal_fr, lire_tableau, texte


def xlsx(*rangs) -> bytes:
    classeur = openpyxl.Workbook()
    feuille = classeur.active
    for numero, rang in enumerate(rangs, start=1):
        for colonne, valeur in enumerate(rang, start=1):
            if valeur is not None:
                feuille.cell(row=numero, column=colonne, value=valeur)
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


class TestCsv:
    def test_point_virgule(self):
        tableau = lire_tableau("f.csv", "siret;nom;commune\n123;Les Jardins;Verdun\n456;Atelier;Étain\n".encode())
        assert tableau.entetes == ["siret", "nom", "commune"]
        assert tableau.lignes == [
            (2, {"siret": "123", "nom": "Les Jardins", "commune": "Verdun"}),
            (3, {"siret": "456", "nom": "Atelier", "commune": "Étain"}),
        ]

    def test_virgule(self):
        tableau = lire_tableau("f.csv", b'siret,nom,montant\n123,"Dupont, Fils et Cie","426,99"\n')
        assert tableau.entetes == ["siret", "nom", "montant"]
        assert tableau.lignes == [(2, {"siret": "123", "nom": "Dupont, Fils et Cie", "montant": "426,99"})]

    def test_point_virgule_avec_decimales_a_virgule(self):
        # More `;` than `,` on the header line: the commas of the values are not separators.
        tableau = lire_tableau("f.csv", b"numero;etp\nA1;426,99\n")
        assert tableau.lignes == [(2, {"numero": "A1", "etp": "426,99"})]

    def test_utf8_avec_bom(self):
        contenu = "\ufeffsiret;nom\n1;Ménage & Cœur\n".encode()
        assert contenu.startswith(b"\xef\xbb\xbf")
        tableau = lire_tableau("f.csv", contenu)
        assert tableau.entetes == ["siret", "nom"]  # the BOM does not stick to the first column name
        assert tableau.lignes[0][1]["nom"] == "Ménage & Cœur"

    def test_windows_1252_et_fins_de_ligne_crlf(self):
        contenu = "siret;nom;commune\r\n1;Régie œuvrée;Saint-Mihiel\r\n2;Entraide;Montmédy\r\n".encode("cp1252")
        with pytest.raises(UnicodeDecodeError):
            contenu.decode("utf-8")
        tableau = lire_tableau("f.csv", contenu)
        assert tableau.lignes == [
            (2, {"siret": "1", "nom": "Régie œuvrée", "commune": "Saint-Mihiel"}),
            (3, {"siret": "2", "nom": "Entraide", "commune": "Montmédy"}),
        ]

    def test_entetes_normalises(self):
        tableau = lire_tableau("f.csv", b" SIRET ; Nom ;Code_Postal\n1;2;3\n")
        assert tableau.entetes == ["siret", "nom", "code_postal"]

    def test_lignes_vides_sautees_sans_decaler_la_numerotation(self):
        tableau = lire_tableau("f.csv", b"a;b\n1;2\n\n;\n   ;  \n3;4\n")
        assert [numero for numero, _ in tableau.lignes] == [2, 6]

    def test_ligne_courte_completee(self):
        tableau = lire_tableau("f.csv", b"a;b;c\n1\n")
        assert tableau.lignes == [(2, {"a": "1", "b": "", "c": ""})]

    def test_fichier_vide(self):
        with pytest.raises(FichierIllisible, match="vide"):
            lire_tableau("f.csv", b"")

    def test_encodage_inconnu(self):
        # 0x81 is neither UTF-8 here nor a Windows-1252 character.
        with pytest.raises(FichierIllisible, match="encodage"):
            lire_tableau("f.csv", b"a;b\n\x81;\x8d\n")


class TestXlsx:
    def test_classeur(self):
        contenu = xlsx(
            ["SIRET", "Nom", "ETP", "Date"],
            [12345678901234, "Jardins", 426.99, dt.datetime(2022, 6, 30)],
            [None, None, None, None],
            ["98765432109876", "Atelier", 3, None],
        )
        tableau = lire_tableau("structures.xlsx", contenu)
        assert tableau.entetes == ["siret", "nom", "etp", "date"]
        assert tableau.lignes == [
            (2, {"siret": 12345678901234, "nom": "Jardins", "etp": 426.99, "date": dt.datetime(2022, 6, 30)}),
            (4, {"siret": "98765432109876", "nom": "Atelier", "etp": 3, "date": ""}),
        ]

    def test_reconnu_a_son_contenu_quel_que_soit_son_nom(self):
        tableau = lire_tableau("export.csv", xlsx(["a"], ["x"]))
        assert tableau.lignes == [(2, {"a": "x"})]

    def test_classeur_vide(self):
        with pytest.raises(FichierIllisible, match="vide"):
            lire_tableau("f.xlsx", xlsx())

    def test_classeur_abime(self):
        with pytest.raises(FichierIllisible, match="XLSX"):
            lire_tableau("f.xlsx", b"PK\x03\x04 ceci n'est pas un classeur")

    def test_valeurs_du_classeur_lues_par_les_fonctions(self):
        (_, ligne), *_ = lire_tableau(
            "f.xlsx", xlsx(["n", "etp", "d", "b"], [12345678901234, 0.5, dt.date(2022, 1, 2), 1])
        ).lignes
        assert texte(ligne["n"]) == "12345678901234"
        assert decimal_fr(ligne["etp"]) == Decimal("0.5")
        assert date_fr(ligne["d"]) == dt.date(2022, 1, 2)
        assert booleen(ligne["b"]) is True


class TestValeurs:
    @pytest.mark.parametrize(
        ("brut", "attendu"),
        [
            ("426,99", Decimal("426.99")), ("426.99", Decimal("426.99")), (" 54 ", Decimal("54")),
            ("1 234,5", Decimal("1234.5")), ("8\u202f800\u202f000,00", Decimal("8800000.00")),
            ("8\u00a0800,5", Decimal("8800.5")), ("-0,25", Decimal("-0.25")), (3, Decimal(3)),
            (0.1, Decimal("0.1")), (Decimal("1.10"), Decimal("1.10")),
        ],
    )  # fmt: skip
    def test_decimal(self, brut, attendu):
        valeur = decimal_fr(brut)
        assert isinstance(valeur, Decimal)
        assert valeur == attendu

    @pytest.mark.parametrize("brut", ["", "abc", "1,2,3", "NaN", "Infinity", "12 €"])
    def test_decimal_invalide(self, brut):
        with pytest.raises(ValueError, match="n'est pas un nombre"):
            decimal_fr(brut)

    @pytest.mark.parametrize(
        ("brut", "attendu"),
        [
            ("2022-06-30", dt.date(2022, 6, 30)), ("30/06/2022", dt.date(2022, 6, 30)),
            (" 01/02/2023 ", dt.date(2023, 2, 1)), (dt.date(2022, 6, 30), dt.date(2022, 6, 30)),
            (dt.datetime(2022, 6, 30, 14, 5), dt.date(2022, 6, 30)),
        ],
    )  # fmt: skip
    def test_date(self, brut, attendu):
        assert date_fr(brut) == attendu

    @pytest.mark.parametrize("brut", ["31/02/2022", "2022/06/30", "30-06-2022", "06/30/2022", "", "demain"])
    def test_date_invalide(self, brut):
        with pytest.raises(ValueError, match=r"n'est pas une date \(AAAA-MM-JJ ou JJ/MM/AAAA\)"):
            date_fr(brut)

    @pytest.mark.parametrize("brut", ["oui", "OUI", "Oui ", "true", "TRUE", "1", "vrai", "x", "o", 1, 1.0, True])
    def test_vrai(self, brut):
        assert booleen(brut) is True

    @pytest.mark.parametrize("brut", ["non", "NON", "false", "0", "faux", "n", "", 0, False])
    def test_faux(self, brut):
        assert booleen(brut) is False

    @pytest.mark.parametrize("brut", ["peut-être", "2", "yes"])
    def test_booleen_invalide(self, brut):
        with pytest.raises(ValueError, match="n'est pas oui/non"):
            booleen(brut)

    def test_texte(self):
        assert texte("  Verdun ") == "Verdun"
        assert texte(55100.0) == "55100"  # an integral number read from a spreadsheet
        assert texte(2.5) == "2.5"
        assert texte(55) == "55"

    def test_message_d_erreur_de_ligne(self):
        assert str(ErreurLigne(3, "siret", "SIRET invalide")) == "ligne 3, colonne siret : SIRET invalide"
