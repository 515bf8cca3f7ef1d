"""Tables to CSV and XLSX: the same rows for the exporter command and the pages' downloads."""

import csv
import io

import openpyxl


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
