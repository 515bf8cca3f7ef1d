"""Tables to CSV and XLSX: the same rows for the exporter command and the pages' downloads."""

import csv
import io

import openpyxl
from django.http import HttpResponse


def en_csv(lignes: list[dict], colonnes: list[str] | None = None) -> str:
    colonnes = colonnes or list(dict.fromkeys(cle for ligne in lignes for cle in ligne))
    sortie = io.StringIO()
    ecrivain = csv.DictWriter(sortie, fieldnames=colonnes, delimiter=";", lineterminator="\n", extrasaction="ignore")
    ecrivain.writeheader()
    for ligne in lignes:
        ecrivain.writerow({c: "" if ligne.get(c) is None else ligne.get(c) for c in colonnes})
    return sortie.getvalue()


def en_xlsx(feuilles: dict[str, list[dict]]) -> bytes:
    classeur = openpyxl.Workbook()
    classeur.remove(classeur.active)
    for nom, lignes in feuilles.items():
        feuille = classeur.create_sheet(nom[:31])
        colonnes = list(dict.fromkeys(cle for ligne in lignes for cle in ligne))
        feuille.append(colonnes)
        for ligne in lignes:
            feuille.append([ligne.get(c) for c in colonnes])
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
