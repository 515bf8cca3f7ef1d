"""How much of a table of rows an import reads (settings `IMPORTS_*`), and the refusal of a file it cannot read.

The limits bound what a hostile file can cost the worker that reads it: its size is checked before a byte is
read, what an XLSX would unzip before a byte is inflated, the lines and columns while it is read."""

from dataclasses import dataclass

from django.conf import settings
from openpyxl.utils.cell import get_column_letter

from base.formats import nombre_fr

MAX_COLUMN_INDEX = 18_278  # ZZZ, the last column openpyxl can name


class FichierIllisible(Exception):
    """The file cannot be read as a table at all (or not within the limits): one French message, and the line
    and column where reading stopped when there is one."""

    def __init__(self, message: str, ligne: int = 1, colonne: str = "-"):
        super().__init__(message)
        self.message, self.ligne, self.colonne = message, ligne, colonne


@dataclass(frozen=True)
class Limites:
    taille: int  # bytes of the file
    lignes: int  # data lines holding a value
    colonnes: int  # columns holding a value
    xlsx_decompresse: int  # bytes an XLSX's parts read would unzip to
    xlsx_partie: int  # bytes of each part read whole (shared strings, styles, workbook)
    caracteres_par_ligne: int  # characters of one line of a CSV

    @classmethod
    def des_reglages(cls) -> "Limites":
        return cls(
            taille=settings.IMPORTS_TAILLE_MAX,
            lignes=settings.IMPORTS_LIGNES_MAX,
            colonnes=settings.IMPORTS_COLONNES_MAX,
            xlsx_decompresse=settings.IMPORTS_XLSX_DECOMPRESSE_MAX,
            xlsx_partie=settings.IMPORTS_XLSX_PARTIE_MAX,
            caracteres_par_ligne=settings.IMPORTS_CARACTERES_PAR_LIGNE_MAX,
        )

    def verifier_taille(self, octets: int) -> None:
        if octets > self.taille:
            raise FichierIllisible(f"le fichier dépasse {taille_fr(self.taille)}, la taille acceptée")

    def trop_de_lignes(self, numero: int) -> FichierIllisible:
        return FichierIllisible(
            f"le fichier a plus de {nombre_fr(self.lignes, 0)} lignes de données, le nombre accepté : "
            "découpez-le en plusieurs fichiers",
            ligne=numero,
        )

    def trop_de_colonnes(self, numero: int, colonne: int) -> FichierIllisible:
        """`colonne`: its number (1 for A); named as a spreadsheet names it."""
        return FichierIllisible(
            f"le fichier a plus de {self.colonnes} colonnes remplies, le nombre accepté",
            ligne=numero,
            colonne=get_column_letter(colonne) if colonne <= MAX_COLUMN_INDEX else str(colonne),
        )


def taille_fr(octets: int) -> str:
    """« 4 Go », « 1,5 Mo », « 10 octets »: as a French user reads a size (binary units, their usual names)."""
    for unite, facteur in (("Go", 1024**3), ("Mo", 1024**2), ("ko", 1024)):
        if octets >= facteur:
            valeur = octets / facteur
            return f"{nombre_fr(valeur, 0 if valeur == int(valeur) else 1)} {unite}"
    return f"{octets} octet{'s' if octets > 1 else ''}"
