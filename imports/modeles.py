"""The downloadable templates of each import of a table of rows: the columns the importer reads, written from its
own declaration (`Importeur.colonnes`, `colonnes_optionnelles`, `codes`), never by hand, so that a template cannot
drift from what the import reads.

CSV: UTF-8 with a BOM (spreadsheets then read the accents right), `;`-separated, the header line alone. XLSX: the
header on the first sheet, the one the import reads, and the valid codes of the columns that take codes on a
second sheet."""

import io

from base.exports import en_csv

from .registre import importeur_pour

FEUILLE_CODES = "Codes valides"


def nom_du_modele(type_: str, extension: str) -> str:
    return f"modele-import-{type_}.{extension}"


def modele_csv(type_: str) -> bytes:
    importeur = importeur_pour(type_)
    return en_csv([], importeur.colonnes_du_modele()).encode("utf-8-sig")


def modele_xlsx(type_: str) -> bytes:
    import openpyxl  # with numpy, half a second: only when a template is asked for

    importeur = importeur_pour(type_)
    classeur = openpyxl.Workbook()
    modele = classeur.active
    modele.title = "Modèle"
    modele.append(importeur.colonnes_du_modele())
    codes = importeur.codes()
    if codes:
        feuille = classeur.create_sheet(FEUILLE_CODES)
        feuille.append(["colonne", "code", "signification"])
        for colonne, valeurs in codes.items():
            for code, libelle in valeurs:
                feuille.append([colonne, code, libelle])
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()
