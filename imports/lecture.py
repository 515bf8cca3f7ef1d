"""Reading import files (formats.md): CSV with `;` or `,`, UTF-8 with or without BOM or Windows-1252, or XLSX.

A file is read as a stream, within `Limites` (settings `IMPORTS_*`): its size is checked before it is read, its
lines and columns while it is read, and a file beyond them is refused with one French message naming the line.
The lines are kept as tuples of the columns the importer reads, not as a dict each.

Values are parsed by small functions that raise `ValueError` with a French message; the importer turns it
into `ligne N, colonne C : message`.
"""

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .lecture_xlsx import ClasseurXlsx
from .limites import FichierIllisible, Limites

__all__ = ["ErreurLigne", "FichierIllisible", "Lignes", "Tableau", "lire_tableau"]


@dataclass(frozen=True)
class ErreurLigne:
    ligne: int
    colonne: str
    message: str

    def __str__(self):
        return f"ligne {self.ligne}, colonne {self.colonne} : {self.message}"


class Lignes(Sequence):
    """The data lines of a file: (line number, values of the columns kept), read as (line number, {column: value})
    with "" for a column the line leaves empty."""

    def __init__(self, colonnes: list[str]):
        self.colonnes = colonnes
        self._rangs: list[tuple[int, tuple]] = []

    def ajouter(self, numero: int, valeurs: tuple) -> None:
        self._rangs.append((numero, valeurs))

    def __len__(self) -> int:
        return len(self._rangs)

    def __eq__(self, autre):
        return isinstance(autre, Sequence) and list(self) == list(autre)

    __hash__ = None

    def __getitem__(self, rang):
        if isinstance(rang, slice):
            return [self[i] for i in range(*rang.indices(len(self)))]
        numero, valeurs = self._rangs[rang]
        return numero, dict(zip(self.colonnes, valeurs, strict=True))


@dataclass
class Tableau:
    entetes: list[str]
    lignes: Sequence[tuple[int, dict[str, object]]]  # (line number, header as 1, {column: raw value})


def _normaliser_entete(valeur) -> str:
    return str(valeur or "").strip().lstrip("\ufeff").strip().lower()


class _Lecture:
    """What the reading of one file keeps: its header, then its lines, and the count that refuses too many."""

    def __init__(self, limites: Limites, colonnes: Iterable[str] | None):
        self.limites = limites
        self.voulues = None if colonnes is None else set(colonnes)
        self.entetes: list[str] | None = None

    def entete(self, numero: int, valeurs: dict[int, object]) -> None:
        derniere = max(valeurs)
        if derniere > self.limites.colonnes:
            raise self.limites.trop_de_colonnes(numero, derniere)
        self.entetes = [_normaliser_entete(valeurs.get(i)) for i in range(1, derniere + 1)]
        # The last of two columns of the same name is the one read, as a dict of the line would have it.
        gardees = {nom: i for i, nom in enumerate(self.entetes) if self.voulues is None or nom in self.voulues}
        self.positions = [i + 1 for i in sorted(gardees.values())]
        self.lignes = Lignes([self.entetes[i - 1] for i in self.positions])

    def ligne(self, numero: int, valeurs: dict[int, object]) -> None:
        if len(self.lignes) >= self.limites.lignes:
            raise self.limites.trop_de_lignes(numero)
        self.lignes.ajouter(numero, tuple(valeurs.get(i, "") for i in self.positions))

    def tableau(self) -> Tableau:
        if self.entetes is None:
            raise FichierIllisible("le fichier est vide")
        return Tableau(self.entetes, self.lignes)


def _encodage(contenu: bytes) -> str:
    """UTF-8 (with or without BOM) or, failing that, Windows-1252; checked piece by piece, never decoded whole."""
    if contenu.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decodeur = codecs.getincrementaldecoder("utf-8")()
    try:
        for debut in range(0, len(contenu), 1024**2):
            decodeur.decode(contenu[debut : debut + 1024**2])
        decodeur.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _lignes_de_texte(flux, limite: int) -> Iterator[str]:
    """The physical lines of the text, none longer than `limite` characters (a line of millions of separators
    would be a list of millions of cells)."""
    numero = 0
    while ligne := flux.readline(limite + 1):
        numero += 1
        if len(ligne) > limite and not ligne.endswith(("\n", "\r")):
            raise FichierIllisible(f"la ligne dépasse {limite} caractères", ligne=numero)
        yield ligne


def _lire_csv(contenu: bytes, lecture: _Lecture) -> Tableau:
    encodage = _encodage(contenu)
    flux = io.TextIOWrapper(io.BytesIO(contenu), encoding=encodage, errors="strict", newline="")
    try:
        lignes = _lignes_de_texte(flux, lecture.limites.caracteres_par_ligne)
        premiere = next(lignes, "")
        separateur = ";" if premiere.count(";") >= premiere.count(",") else ","
        lecteur = csv.reader(_chainer(premiere, lignes), delimiter=separateur)
        for numero, rang in enumerate(lecteur, start=1):
            valeurs = {i: cellule for i, cellule in enumerate(rang, start=1) if cellule.strip()}
            if not valeurs:
                continue
            if lecture.entetes is None:
                lecture.entete(numero, valeurs)
                continue
            derniere = max(valeurs)
            if derniere > lecture.limites.colonnes:
                raise lecture.limites.trop_de_colonnes(numero, derniere)
            lecture.ligne(numero, {i: rang[i - 1] if i <= len(rang) else "" for i in lecture.positions})
    except UnicodeDecodeError as exc:
        raise FichierIllisible("encodage non reconnu : enregistrez le fichier en UTF-8 ou Windows-1252") from exc
    except csv.Error as exc:
        raise FichierIllisible(f"le CSV ne peut pas être lu ({exc})", ligne=lecteur.line_num) from exc
    return lecture.tableau()


def _chainer(premiere: str, suite: Iterator[str]) -> Iterator[str]:
    if premiere:
        yield premiere
    yield from suite


def _lire_xlsx(contenu: bytes, lecture: _Lecture) -> Tableau:
    classeur = ClasseurXlsx(io.BytesIO(contenu), lecture.limites)
    for numero, valeurs in classeur.rangs():
        if lecture.entetes is None:
            lecture.entete(numero, valeurs)
        else:
            lecture.ligne(numero, valeurs)
    return lecture.tableau()


def lire_tableau(
    nom_fichier: str, contenu: bytes, colonnes: Iterable[str] | None = None, limites: Limites | None = None
) -> Tableau:
    """The header and the lines of a CSV or XLSX file; of the lines, only the `colonnes` given (all without)."""
    lecture = _Lecture(limites or Limites.des_reglages(), colonnes)
    lecture.limites.verifier_taille(len(contenu))
    if contenu[:4] == b"PK\x03\x04" or nom_fichier.lower().endswith(".xlsx"):
        return _lire_xlsx(contenu, lecture)
    return _lire_csv(contenu, lecture)


# Value parsers -----------------------------------------------------------------------------------------------


def texte(valeur) -> str:
    if isinstance(valeur, float) and valeur.is_integer():
        valeur = int(valeur)
    return str(valeur).strip()


def texte_limite(valeur, longueur: int) -> str:
    """A text that fits a column of `longueur` characters: a longer one is refused, never cut."""
    brut = texte(valeur)
    if len(brut) > longueur:
        raise ValueError(f"trop long : {len(brut)} caractères, {longueur} au plus")
    return brut


def _decimales(nombre: Decimal) -> int:
    """The decimals a number really has (« 151,670 » has 2), read from its digits: never rounded to do so."""
    _, chiffres, exposant = nombre.as_tuple()
    ecrits = "".join(map(str, chiffres))
    significatifs = ecrits.rstrip("0")
    if not significatifs:
        return 0
    return max(0, -(exposant + len(ecrits) - len(significatifs)))


def decimal_fr(valeur, *, entiers: int | None = None, decimales: int | None = None) -> Decimal:
    """A number. With `entiers`, the digits allowed before the decimal point, and `decimales`, after it (for a
    DecimalField: max_digits - decimal_places and decimal_places), one that does not fit is refused with its reason:
    the database would fail on its size, or round its decimals silently."""
    if isinstance(valeur, int | Decimal):
        nombre = Decimal(valeur)
    elif isinstance(valeur, float):
        nombre = Decimal(str(valeur))
    else:
        brut = texte(valeur).replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            nombre = Decimal(brut)
        except InvalidOperation:
            raise ValueError(f"« {texte(valeur)} » n'est pas un nombre") from None
    if not nombre.is_finite():
        raise ValueError(f"« {texte(valeur)} » n'est pas un nombre")
    if entiers is not None and nombre and nombre.adjusted() + 1 > entiers:
        raise ValueError(f"« {texte(valeur)} » est trop grand : {entiers} chiffres au plus avant la virgule")
    if decimales is not None and _decimales(nombre) > decimales:
        unite = "décimale" if decimales == 1 else "décimales"
        raise ValueError(f"« {texte(valeur)} » a trop de décimales : {decimales} {unite} au plus")
    return nombre


def date_fr(valeur) -> dt.date:
    if isinstance(valeur, dt.datetime):
        return valeur.date()
    if isinstance(valeur, dt.date):
        return valeur
    brut = texte(valeur)
    for format_ in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(brut, format_).date()
        except ValueError:
            continue
    raise ValueError(f"« {brut} » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)")


VRAI = {"oui", "o", "true", "vrai", "1", "x"}
FAUX = {"non", "n", "false", "faux", "0", ""}


def booleen(valeur) -> bool:
    if isinstance(valeur, bool):
        return valeur
    brut = texte(valeur).lower()
    if brut in VRAI:
        return True
    if brut in FAUX:
        return False
    raise ValueError(f"« {texte(valeur)} » n'est pas oui/non")
