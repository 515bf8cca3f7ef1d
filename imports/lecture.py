"""Reading import files (formats.md): CSV with `;` or `,`, UTF-8 with or without BOM or Windows-1252, or XLSX.

Values are parsed by small functions that raise `ValueError` with a French message; the importer turns it
into `ligne N, colonne C : message`.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import openpyxl


@dataclass(frozen=True)
class ErreurLigne:
    ligne: int
    colonne: str
    message: str

    def __str__(self):
        return f"ligne {self.ligne}, colonne {self.colonne} : {self.message}"


class FichierIllisible(Exception):
    """The file cannot be read as a table at all."""


@dataclass
class Tableau:
    entetes: list[str]
    lignes: list[tuple[int, dict[str, object]]]  # (line number, header as 1, {column: raw value})


def _normaliser_entete(valeur) -> str:
    return str(valeur or "").strip().lstrip("\ufeff").strip().lower()


def _decoder(contenu: bytes) -> str:
    if contenu.startswith(b"\xef\xbb\xbf"):
        return contenu[3:].decode("utf-8")
    try:
        return contenu.decode("utf-8")
    except UnicodeDecodeError:
        return contenu.decode("cp1252", errors="strict")


def _lire_csv(contenu: bytes) -> Tableau:
    try:
        texte = _decoder(contenu)
    except UnicodeDecodeError as exc:
        raise FichierIllisible("encodage non reconnu : enregistrez le fichier en UTF-8 ou Windows-1252") from exc
    premiere = texte.split("\n", 1)[0]
    separateur = ";" if premiere.count(";") >= premiere.count(",") else ","
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    rangs = list(lecteur)
    if not rangs:
        raise FichierIllisible("le fichier est vide")
    entetes = [_normaliser_entete(v) for v in rangs[0]]
    lignes = []
    for numero, rang in enumerate(rangs[1:], start=2):
        if not any(cellule.strip() for cellule in rang):
            continue
        lignes.append((numero, {entete: (rang[i] if i < len(rang) else "") for i, entete in enumerate(entetes)}))
    return Tableau(entetes, lignes)


class FormuleSansValeur:
    """A cell whose formula was saved without its computed value (a file written by a program rather than a
    spreadsheet): formulas are not computed here, so the line is refused (`Importeur.analyser`), never read empty."""

    def __str__(self):
        return ""


FORMULE_SANS_VALEUR = FormuleSansValeur()


def _sans_formules_muettes(valeurs, formules) -> tuple:
    """The row's values, a formula cell without its computed value marked as such (both readings are of one row)."""
    return tuple(
        FORMULE_SANS_VALEUR if valeur is None and formule is not None else valeur
        for valeur, formule in zip(valeurs, formules, strict=False)
    )


def _lire_xlsx(contenu: bytes) -> Tableau:
    try:
        classeur = openpyxl.load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
        # The same sheet with its formulas: a cell empty above and holding a formula here has no computed value.
        classeur_formules = openpyxl.load_workbook(io.BytesIO(contenu), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        raise FichierIllisible("le classeur XLSX ne peut pas être ouvert") from exc
    feuille = classeur.worksheets[0]
    rangs = map(
        _sans_formules_muettes,
        feuille.iter_rows(values_only=True),
        classeur_formules.worksheets[0].iter_rows(values_only=True),
    )
    try:
        entetes = [_normaliser_entete(v) for v in next(rangs)]
    except StopIteration as exc:
        raise FichierIllisible("le fichier est vide") from exc
    lignes = []
    for numero, rang in enumerate(rangs, start=2):
        if not any(v not in (None, "") for v in rang):
            continue
        lignes.append(
            (
                numero,
                {entete: ("" if i >= len(rang) or rang[i] is None else rang[i]) for i, entete in enumerate(entetes)},
            )
        )
    classeur.close()
    classeur_formules.close()
    return Tableau(entetes, lignes)


def lire_tableau(nom_fichier: str, contenu: bytes) -> Tableau:
    if contenu[:4] == b"PK\x03\x04" or nom_fichier.lower().endswith(".xlsx"):
        return _lire_xlsx(contenu)
    return _lire_csv(contenu)


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
