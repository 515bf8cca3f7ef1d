"""Tables to CSV and XLSX: the same rows for the exporter command and the pages' downloads.

Every cell goes through `est_une_formule`: a text that a spreadsheet would take for a formula (a structure named
`=HYPERLINK(…)`, `+33…` typed as text, `@SUM(…)`) is written as text, never as a formula. In a CSV, which has no
types, it is prefixed with an apostrophe (the spreadsheets' own mark of "this is text"); in an XLSX it is a string
cell marked as quoted text, its value unchanged. Numbers, negative ones included, stay numbers."""

import csv
import io
import re

from django.http import HttpResponse

# What makes a spreadsheet read a cell as a formula (or, for a tab or a carriage return, shift it into one).
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")
# A number written as text ("-12.50", "-1 234,56", "+3"): a spreadsheet reads it as a number, never as a formula.
NOMBRE = re.compile(r"[+-]?\d[\d\u00a0\u202f ]*(?:[.,]\d+)?")


def est_une_formule(valeur) -> bool:
    """Whether this cell, as text, would be read as a formula: the one test of every export."""
    return isinstance(valeur, str) and valeur.startswith(DEBUTS_DE_FORMULE) and not NOMBRE.fullmatch(valeur)


def neutraliser(valeur):
    """The value as a CSV cell: a would-be formula prefixed with an apostrophe, anything else as it is."""
    return f"'{valeur}" if est_une_formule(valeur) else valeur


def en_csv(lignes: list[dict], colonnes: list[str] | None = None) -> str:
    colonnes = colonnes or list(dict.fromkeys(cle for ligne in lignes for cle in ligne))
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";", lineterminator="\n")
    ecrivain.writerow([neutraliser(c) for c in colonnes])
    for ligne in lignes:
        ecrivain.writerow([neutraliser("" if ligne.get(c) is None else ligne.get(c)) for c in colonnes])
    return sortie.getvalue()


def _ajouter_rang(feuille, valeurs: list) -> None:
    feuille.append(valeurs)
    for cellule in feuille[feuille.max_row]:
        if est_une_formule(cellule.value):
            # openpyxl typed "=…" as a formula: a string cell, quoted as Excel marks text typed after an apostrophe.
            cellule.data_type = "s"
            cellule.quotePrefix = True


def en_xlsx(feuilles: dict[str, list[dict]]) -> bytes:
    import openpyxl  # with numpy, half a second: only when a workbook is written

    classeur = openpyxl.Workbook()
    classeur.remove(classeur.active)
    for nom, lignes in feuilles.items():
        feuille = classeur.create_sheet(nom[:31])
        colonnes = list(dict.fromkeys(cle for ligne in lignes for cle in ligne))
        _ajouter_rang(feuille, colonnes)
        for ligne in lignes:
            _ajouter_rang(feuille, [ligne.get(c) for c in colonnes])
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def texte_sans_formule(valeur):
    """A text typed by someone, as a spreadsheet must show it: never a formula (`=`, `+`, `@`, or `-` before
    anything but a number, are quoted with an apostrophe)."""
    if not isinstance(valeur, str) or not valeur:
        return valeur
    if valeur[0] in "=+@\t\r" or (valeur[0] == "-" and not valeur[1:2].isdigit()):
        return "'" + valeur
    return valeur


TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _telechargement(contenu: bytes, content_type: str, nom_de_fichier: str) -> HttpResponse:
    reponse = HttpResponse(contenu, content_type=content_type)
    reponse["Content-Disposition"] = f'attachment; filename="{nom_de_fichier}"'
    return reponse


def reponse_csv(lignes: list[dict], nom: str, colonnes: list[str] | None = None) -> HttpResponse:
    """A page's table as `nom.csv`, with a BOM: spreadsheets then read the accents right."""
    return _telechargement(en_csv(lignes, colonnes).encode("utf-8-sig"), "text/csv; charset=utf-8", f"{nom}.csv")


def reponse_xlsx(feuilles: dict[str, list[dict]], nom: str) -> HttpResponse:
    return _telechargement(en_xlsx(feuilles), TYPE_XLSX, f"{nom}.xlsx")
