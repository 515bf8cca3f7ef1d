"""The first sheet of an XLSX workbook, streamed: whatever the file declares or holds, memory keeps the shared
strings, the current cell and the values kept, and reading stops at the limits (`Limites`).

openpyxl's reader, even read-only, trusts the sheet's declared dimension (`A1:XFD1048576` pads every row to 16,384
cells and the sheet to a million rows) and keeps in memory every element it has parsed but not handled (a
`<cols>` of millions of entries, the attributes of every row). Here each XML part is read as a stream of events
and each element is dropped from its parent as soon as it ends; the rules of the format (shared strings, styles
that make a number a date, the 1904 epoch) are read with openpyxl's own helpers.
"""

import posixpath
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import ParseError, iterparse
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from .limites import FichierIllisible, Limites, taille_fr

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PAQUET = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# The names expat gives the elements of a sheet and of the shared strings ("namespace}name").
LIGNE, CELLULE, VALEUR, TEXTE, PHONETIQUE, DONNEES, CHAINE, FORMULE = (
    f"{MAIN[1:-1]}}}{nom}" for nom in ("row", "c", "v", "t", "rPh", "sheetData", "si", "f")
)


class FormuleSansValeur:
    """A cell whose formula was saved without its computed value (a file written by a program rather than a
    spreadsheet): formulas are not computed here, so the line is refused (`Importeur.analyser`), never read empty."""

    def __str__(self):
        return ""


FORMULE_SANS_VALEUR = FormuleSansValeur()
# Excel's limit of the characters of a cell.
CARACTERES_PAR_CELLULE_MAX = 32_767
# A part read whole keeps what one element holds until it ends, up to this many elements.
ELEMENTS_PAR_CELLULE_MAX = 1_000
BLOC = 64 * 1024
# No part of a workbook nests deeper than this; a deeper one is built to exhaust the parser.
PROFONDEUR_MAX = 32
# Excel's last column is XFD: a row with more cells is not a spreadsheet's.
CELLULES_PAR_LIGNE_MAX = 16_384
ILLISIBLE = "le classeur XLSX ne peut pas être ouvert"


def _evenements(archive: zipfile.ZipFile, nom: str, garder: str | None = None) -> Iterator[tuple[str, object, list]]:
    """("start" | "end", element, path to it) for each element of a part read whole. An element that has ended is
    dropped from its parent once the caller has read it, so memory holds the current path only; but an element of
    the tag `garder` keeps its content (a thousand elements at most) until it ends."""
    pile, dedans = [], 0
    try:
        with archive.open(nom) as source:
            for evenement, element in iterparse(source, events=("start", "end")):
                if evenement == "start":
                    pile.append(element)
                    if dedans or element.tag == garder:
                        dedans += 1
                        if dedans > ELEMENTS_PAR_CELLULE_MAX:
                            raise FichierIllisible(ILLISIBLE)
                    elif len(pile) > PROFONDEUR_MAX:
                        raise FichierIllisible(ILLISIBLE)
                    yield evenement, element, pile
                    continue
                pile.pop()
                yield evenement, element, pile
                if dedans and element.tag != garder:
                    continue
                dedans = 0
                element.clear()
                if pile:
                    del pile[-1][-1]  # the element that ends is its parent's last child
    except (ParseError, zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        raise FichierIllisible(ILLISIBLE) from exc


class ClasseurXlsx:
    """The parts of a workbook that give its first sheet its values."""

    def __init__(self, contenu, limites: Limites):
        self.limites = limites
        try:
            self.archive = zipfile.ZipFile(contenu)
            parties = {info.filename: info for info in self.archive.infolist()}
        except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
            raise FichierIllisible(ILLISIBLE) from exc
        self.parties = parties
        classeur = self._partie_obligatoire("xl/workbook.xml")
        relations = self._relations(classeur)
        self.epoque, self.id_feuille = self._lire_classeur(classeur)
        if self.id_feuille not in relations:
            raise FichierIllisible(ILLISIBLE)
        self.feuille = self._partie_obligatoire(relations[self.id_feuille][0])
        self._verifier_tailles([self.feuille] + [cible for cible, _ in relations.values() if cible in parties])
        par_type = {type_.rsplit("/", 1)[-1]: cible for cible, type_ in relations.values()}
        self.textes = self._lire_textes(par_type.get("sharedStrings"))
        self.dates, self.durees = self._lire_styles(par_type.get("styles"))

    def _partie_obligatoire(self, nom: str) -> str:
        if nom not in self.parties:
            raise FichierIllisible(ILLISIBLE)
        return nom

    def _verifier_tailles(self, lues: list[str]) -> None:
        """What reading would unzip, known from the archive's directory before a byte is inflated (zipfile stops
        at the size declared, and a part that lies about it fails its checksum)."""
        lues = set(lues)
        total = sum(self.parties[nom].file_size for nom in lues)
        if total > self.limites.xlsx_decompresse:
            raise FichierIllisible(
                f"le classeur décompressé dépasse {taille_fr(self.limites.xlsx_decompresse)} : "
                "enregistrez seulement la feuille à importer, ou exportez-la en CSV"
            )
        for nom in lues - {self.feuille}:
            if self.parties[nom].file_size > self.limites.xlsx_partie:
                raise FichierIllisible(
                    f"la partie « {nom} » du classeur dépasse {taille_fr(self.limites.xlsx_partie)} décompressée"
                )

    def _relations(self, partie: str) -> dict[str, tuple[str, str]]:
        """The relations of the workbook part: id → (path of the target in the archive, type)."""
        dossier, nom = posixpath.split(partie)
        chemin = posixpath.join(dossier, "_rels", f"{nom}.rels")
        self._partie_obligatoire(chemin)
        if self.parties[chemin].file_size > self.limites.xlsx_partie:
            raise FichierIllisible(ILLISIBLE)
        relations = {}
        for evenement, element, _ in _evenements(self.archive, chemin):
            if evenement == "end" and element.tag == f"{PAQUET}Relationship":
                cible = element.get("Target", "")
                cible = cible.lstrip("/") if cible.startswith("/") else posixpath.normpath(f"{dossier}/{cible}")
                relations[element.get("Id")] = (cible, element.get("Type", ""))
        return relations

    def _lire_classeur(self, partie: str) -> tuple[object, str | None]:
        if self.parties[partie].file_size > self.limites.xlsx_partie:
            raise FichierIllisible(ILLISIBLE)
        epoque, premiere = WINDOWS_EPOCH, None
        for evenement, element, _ in _evenements(self.archive, partie):
            if evenement != "start":
                continue
            if element.tag == f"{MAIN}workbookPr" and element.get("date1904") in ("1", "true"):
                epoque = MAC_EPOCH
            elif element.tag == f"{MAIN}sheet" and premiere is None:
                premiere = element.get(f"{RELATIONS}id")
        return epoque, premiere

    def _lire_textes(self, partie: str | None) -> list[str]:
        if partie is None or partie not in self.parties:
            return []
        textes = _Textes()
        analyseur = _analyseur(textes)
        try:
            with self.archive.open(partie) as source:
                analyseur.ParseFile(source)
        except (expat.ExpatError, zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
            raise FichierIllisible(ILLISIBLE) from exc
        return textes.textes

    def _lire_styles(self, partie: str | None) -> tuple[set[int], set[int]]:
        """The cell styles whose number format shows a date (and, among them, a duration)."""
        if partie is None or partie not in self.parties:
            return set(), set()
        formats, dates, durees, rang = dict(BUILTIN_FORMATS), set(), set(), 0
        for evenement, element, pile in _evenements(self.archive, partie):
            if evenement != "start":
                continue
            if element.tag == f"{MAIN}numFmt":
                try:
                    formats[int(element.get("numFmtId", ""))] = element.get("formatCode", "")
                except ValueError:
                    continue
            elif element.tag == f"{MAIN}xf" and len(pile) >= 2 and pile[-2].tag == f"{MAIN}cellXfs":
                try:
                    format_ = formats.get(int(element.get("numFmtId", "0")), "")
                except ValueError:
                    format_ = ""
                if is_date_format(format_):
                    dates.add(rang)
                    if is_timedelta_format(format_):
                        durees.add(rang)
                rang += 1
        return dates, durees

    def _valeur(self, type_: str, style: str | None, brut: str | None, morceaux: list[str]):
        """A cell's value, as openpyxl reads it with `data_only` (a formula's last computed value)."""
        if type_ == "inlineStr":
            return "".join(morceaux).replace("_x005F_", "_") or None
        if not brut:
            return None
        try:
            if type_ == "s":
                return self.textes[int(brut)]
            if type_ == "b":
                return brut.strip() in ("1", "true")
            if type_ in ("str", "e"):
                return brut
            if type_ == "d":
                return from_ISO8601(brut)
            nombre = float(brut) if any(c in brut for c in ".eE") else int(brut)
            if style and int(style) in self.dates:
                return from_excel(nombre, self.epoque, timedelta=int(style) in self.durees)
            return nombre
        except (IndexError, ValueError, OverflowError, TypeError):
            raise FichierIllisible(ILLISIBLE) from None

    def rangs(self) -> Iterator[tuple[int, dict[int, object]]]:
        """(row number, {column number: value}) of each row holding a value, in the order of the sheet. A value
        beyond the set number of columns refuses the file at once, naming its line and column."""
        feuille = _Feuille(self)
        try:
            with self.archive.open(self.feuille) as source:
                while not feuille.finie and (bloc := source.read(BLOC)):
                    feuille.analyseur.Parse(bloc, False)
                    yield from feuille.rangs_lus
                    feuille.rangs_lus.clear()
                if not feuille.finie:
                    feuille.analyseur.Parse(b"", True)
                    yield from feuille.rangs_lus
        except (expat.ExpatError, zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
            raise FichierIllisible(ILLISIBLE) from exc


def _analyseur(cible) -> "expat.XMLParserType":
    """An expat parser calling `cible.debut`, `.fin` and `.texte`; a document type (never in a workbook, the way
    to declare entities) refuses the file."""
    analyseur = expat.ParserCreate(namespace_separator="}")
    analyseur.buffer_text = True
    analyseur.StartElementHandler = cible.debut
    analyseur.EndElementHandler = cible.fin
    analyseur.CharacterDataHandler = cible.texte

    def type_de_document(*_):
        raise FichierIllisible(ILLISIBLE)

    analyseur.StartDoctypeDeclHandler = type_de_document
    return analyseur


def _colonne(reference: str) -> int:
    """The column number of a cell reference ("AB12" → 28), within Excel's three letters."""
    colonne, lettres = 0, 0
    for car in reference:
        if "A" <= car <= "Z":
            colonne, lettres = colonne * 26 + ord(car) - 64, lettres + 1
        else:
            break
    if not lettres or lettres > 3:
        raise FichierIllisible(ILLISIBLE)
    return colonne


class _Feuille:
    """The events of the sheet's XML, turned into rows of values as they come. Nothing but the row being read is
    kept: no tree is built, whatever the part holds."""

    def __init__(self, classeur: ClasseurXlsx):
        self.classeur, self.limites = classeur, classeur.limites
        self.analyseur = _analyseur(self)
        self.rangs_lus: list[tuple[int, dict]] = []
        self.finie = False
        self.profondeur = self.numero = self.colonne = self.cellules = self.caracteres = 0
        self.valeurs: dict[int, object] = {}
        self.cellule = None  # (column, type, style) of the cell being read
        self.brut, self.morceaux, self.tampon, self.phonetique = None, [], None, 0
        self.formule = False

    def debut(self, nom: str, attributs: dict) -> None:
        self.profondeur += 1
        if self.profondeur > PROFONDEUR_MAX:
            raise FichierIllisible(ILLISIBLE)
        if nom == LIGNE:
            try:
                self.numero = int(attributs.get("r") or self.numero + 1)
            except ValueError:
                raise FichierIllisible(ILLISIBLE) from None
            self.valeurs, self.colonne, self.cellules = {}, 0, 0
        elif nom == CELLULE:
            self.cellules += 1
            if self.cellules > CELLULES_PAR_LIGNE_MAX:
                raise FichierIllisible(ILLISIBLE)
            reference = attributs.get("r")
            self.colonne = _colonne(reference) if reference else self.colonne + 1
            self.cellule = (self.colonne, attributs.get("t", "n"), attributs.get("s"))
            self.brut, self.morceaux, self.caracteres, self.formule = None, [], 0, False
        elif self.cellule is not None:
            if nom == FORMULE:
                self.formule = True
            elif nom == VALEUR or (nom == TEXTE and not self.phonetique):
                self.tampon = []
            elif nom == PHONETIQUE:
                self.phonetique += 1

    def texte(self, donnees: str) -> None:
        if self.tampon is not None:
            self.caracteres += len(donnees)
            if self.caracteres > CARACTERES_PAR_CELLULE_MAX:
                raise FichierIllisible(ILLISIBLE)
            self.tampon.append(donnees)

    def fin(self, nom: str) -> None:
        self.profondeur -= 1
        if nom == CELLULE:
            colonne, type_, style = self.cellule
            valeur = self.classeur._valeur(type_, style, self.brut, self.morceaux)
            if valeur is None and self.formule:
                valeur = FORMULE_SANS_VALEUR
            if valeur is not None and valeur != "":
                if colonne > self.limites.colonnes:
                    raise self.limites.trop_de_colonnes(self.numero, colonne)
                self.valeurs[colonne] = valeur
            self.cellule = None
        elif nom == VALEUR and self.tampon is not None:
            self.brut, self.tampon = "".join(self.tampon), None
        elif nom == TEXTE and self.tampon is not None:
            self.morceaux.append("".join(self.tampon))
            self.tampon = None
        elif nom == PHONETIQUE and self.phonetique:
            self.phonetique -= 1
        elif nom == LIGNE:
            if self.valeurs:
                self.rangs_lus.append((self.numero, self.valeurs))
            self.valeurs = {}
        elif nom == DONNEES:
            self.finie = True  # what follows the cells (formatting, validations, links) is not read


class _Textes:
    """The shared strings: each `<si>`'s text runs, without its phonetic guide (`<rPh>`)."""

    def __init__(self):
        self.textes: list[str] = []
        self.morceaux, self.tampon, self.phonetique, self.profondeur = None, None, 0, 0

    def debut(self, nom: str, attributs: dict) -> None:
        self.profondeur += 1
        if self.profondeur > PROFONDEUR_MAX:
            raise FichierIllisible(ILLISIBLE)
        if nom == CHAINE:
            self.morceaux = []
        elif nom == PHONETIQUE:
            self.phonetique += 1
        elif nom == TEXTE and self.morceaux is not None and not self.phonetique:
            self.tampon = []

    def texte(self, donnees: str) -> None:
        if self.tampon is not None:
            self.tampon.append(donnees)

    def fin(self, nom: str) -> None:
        self.profondeur -= 1
        if nom == TEXTE and self.tampon is not None:
            self.morceaux.append("".join(self.tampon))
            self.tampon = None
        elif nom == PHONETIQUE and self.phonetique:
            self.phonetique -= 1
        elif nom == CHAINE and self.morceaux is not None:
            self.textes.append("".join(self.morceaux).replace("_x005F_", "_"))
            self.morceaux = None
