"""Reading a page's download back as a French spreadsheet would: the CSV's BOM, separator and decimal commas, the
XLSX's title row, frozen header, widths and number formats (base/exports.py)."""

import csv
import io
import re

import openpyxl

BOM = b"\xef\xbb\xbf"
FORMAT_MONTANT = '#,##0.00 "€"'
FORMAT_TAUX = "0.0 %"
FORMAT_MOIS = "mmmm yyyy"
# A technical key as a header ("etp_conventionnes"): what the French labels replaced.
CLE_TECHNIQUE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


def lignes_csv(contenu: bytes) -> list[dict]:
    """The rows under their French headers; the file starts with a BOM and is ";"-separated."""
    assert contenu.startswith(BOM)
    texte = contenu.decode("utf-8-sig")
    entetes = next(csv.reader(io.StringIO(texte), delimiter=";"))
    assert len(entetes) > 1 or not texte.strip("\r\n").count("\n")
    assert not [e for e in entetes if CLE_TECHNIQUE.match(e)], entetes
    return list(csv.DictReader(io.StringIO(texte), delimiter=";"))


def feuilles_xlsx(contenu: bytes) -> dict:
    """Each sheet, checked for the layout every export shares: title row, header frozen below it, widths set."""
    classeur = openpyxl.load_workbook(io.BytesIO(contenu))
    for feuille in classeur:
        verifier_mise_en_page(feuille)
    return {feuille.title: feuille for feuille in classeur}


def verifier_mise_en_page(feuille) -> None:
    assert feuille["A1"].font.bold and isinstance(feuille["A1"].value, str)
    assert feuille.freeze_panes == "A3"
    entetes = [c.value for c in feuille[2]]
    assert entetes and all(entetes)
    assert not [e for e in entetes if CLE_TECHNIQUE.match(e)], entetes
    for numero in range(1, len(entetes) + 1):
        lettre = openpyxl.utils.get_column_letter(numero)
        assert feuille.column_dimensions[lettre].width >= 8


def rangs_xlsx(feuille) -> list[dict]:
    """The rows under the header, by French label: the cells, to read their values and formats."""
    entetes = [c.value for c in feuille[2]]
    return [dict(zip(entetes, rang, strict=False)) for rang in feuille.iter_rows(min_row=3)]


def nombre_fr(texte: str):
    """A CSV cell "1234,56" as Excel France reads it (a number), "" as None."""
    from decimal import Decimal

    assert "." not in texte, texte
    return None if texte == "" else Decimal(texte.replace(",", "."))
