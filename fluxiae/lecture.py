"""Streaming reader of the ASP's fluxIAE files (shared/spec/fluxiae.md §1–3, fluxiae-cases.md 1–15).

`fichiers_du_flux(chemin)` finds one file per view read in a folder or in the Zip archive as delivered;
`LecteurVue(fichier)` streams the records of one view, converting only the allow-listed columns of
`colonnes.VUES`:

    flux = fichiers_du_flux("/data/fluxIAE_ITOU_03122026.tar.gz")
    with LecteurVue(flux.fichiers["EtatMensuelIndiv"], dedoublonner=True) as lecteur:
        for numero, valeurs in lecteur:
            ...

Every problem raises `ErreurFlux`, whose text names the file, the physical line (the `DEB` row being line 1)
and the column: `fichier fluxIAE_EtatMensuelIndiv_….csv.gz, ligne 12, colonne emi_sme_mois : message`.
Memory stays bounded whatever the size: the file is read by blocks, a record is kept only while it is converted,
and deduplication keeps one 64-bit hash per distinct record kept (about 90 bytes each).
"""

import codecs
import contextlib
import datetime as dt
import gzip
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from fluxiae.colonnes import VUES, VUES_REQUISES, Colonne

# The Zip methods the standard library reads (a member compressed otherwise is refused by name).
METHODES_ZIP = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)

# Bytes read at once: large enough for the per-block work to vanish, small enough to keep memory flat.
TAILLE_BLOC = 1 << 20
# Distinct raw values remembered per converted type and column (dates, hours, booleans repeat a lot).
TAILLE_CACHE = 1 << 16


def _reglage(nom: str, defaut: int) -> int:
    # The reader is also used outside Django (scripts, tests without settings): fall back to the default.
    try:
        return int(getattr(settings, nom, defaut))
    except ImproperlyConfigured:
        return defaut


class ErreurFlux(Exception):
    """A fluxIAE file that cannot be imported; `str()` gives the place then the French message."""

    def __init__(self, fichier: str, ligne: int | None = None, colonne: str | None = None, message: str = ""):
        # All four go to `args` so that the error survives pickling (Celery task results).
        super().__init__(fichier, ligne, colonne, message)
        self.fichier = fichier
        self.ligne = ligne
        self.colonne = colonne
        self.message = message

    def __str__(self):
        lieu = f"fichier {self.fichier}"
        if self.ligne is not None:
            lieu += f", ligne {self.ligne}"
        if self.colonne:
            lieu += f", colonne {self.colonne}"
        return f"{lieu} : {self.message}"


# Containers ------------------------------------------------------------------------------------------------------

_SONDE = 512  # bytes looked at to recognise a container
_GZIP = b"\x1f\x8b"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_SEPT_ZIP = b"7z\xbc\xaf\x27\x1c"
_AUTRES_FORMATS = {b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz", b"Rar!\x1a\x07": "RAR", b"\x28\xb5\x2f\xfd": "zstd"}
_AES = 99  # compression method written by AES-encrypted Zip entries


def _refus_chiffre(methode: int) -> str:
    procede = "Zip AES" if methode == _AES else "ZipCrypto"
    return f"fichier chiffré ({procede}) : déchiffrez-le avant de l'importer"


def _sorte(debut: bytes, nom: str) -> str:
    """The kind of container, "gzip", "zip" or "texte", from its first bytes: the ASP's extensions lie."""
    if debut.startswith(_GZIP):
        return "gzip"
    if debut.startswith(_ZIP):
        # The local header's flags tell an encrypted entry before anything is decompressed.
        if len(debut) >= 10 and int.from_bytes(debut[6:8], "little") & 1:
            raise ErreurFlux(nom, message=_refus_chiffre(int.from_bytes(debut[8:10], "little")))
        return "zip"
    if debut.startswith(_SEPT_ZIP):
        raise ErreurFlux(
            nom, message="format 7-Zip non pris en charge : extrayez le fichier et fournissez le .csv ou un .csv.gz"
        )
    for signature, format_ in _AUTRES_FORMATS.items():
        if debut.startswith(signature):
            raise ErreurFlux(nom, message=f"format {format_} non pris en charge : fournissez le .csv ou un .csv.gz")
    if b"\x00" in debut:
        raise ErreurFlux(nom, message="format non reconnu : ni gzip, ni Zip, ni texte")
    return "texte"


def _decompresser(flux: BinaryIO, nom: str, pile: contextlib.ExitStack, profondeur: int = 0) -> BinaryIO:
    """The decompressed bytes of `flux`, whatever the nesting of gzip and one-file Zip the ASP used."""
    if profondeur > 3:
        raise ErreurFlux(nom, message="compressions imbriquées trop nombreuses")
    try:
        sorte = _sorte(flux.peek(_SONDE)[:_SONDE], nom)
        if sorte == "gzip":
            return _decompresser(pile.enter_context(gzip.GzipFile(fileobj=flux)), nom, pile, profondeur + 1)
        if sorte == "texte":
            return flux
        archive = pile.enter_context(zipfile.ZipFile(flux))
        membres = [info for info in archive.infolist() if not info.is_dir()]
        if len(membres) != 1:
            raise ErreurFlux(nom, message=f"archive Zip de {len(membres)} fichiers : un seul fichier attendu")
        if membres[0].flag_bits & 1:
            raise ErreurFlux(nom, message=_refus_chiffre(membres[0].compress_type))
        if membres[0].compress_type not in METHODES_ZIP:
            raise ErreurFlux(
                nom, message=f"méthode de compression Zip non prise en charge (méthode {membres[0].compress_type})"
            )
        interne = pile.enter_context(archive.open(membres[0]))
        return _decompresser(interne, nom, pile, profondeur + 1)
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
        raise ErreurFlux(nom, message=f"fichier compressé illisible ({exc})") from None


@dataclass(frozen=True)
class FichierFlux:
    """One file of the flux: in a folder (`membre` None) or inside the Zip archive `chemin`."""

    vue: str
    nom: str
    taille: int  # bytes as delivered (compressed)
    chemin: Path
    membre: str | None = None
    horodatage: dt.datetime | None = None  # from the name `fluxIAE_<Vue>_<JJMMAAAA>_<HHMMSS>`

    def _ouvrir_tel_quel(self, pile: contextlib.ExitStack) -> BinaryIO:
        try:
            if self.membre is None:
                return pile.enter_context(open(self.chemin, "rb"))
            return pile.enter_context(pile.enter_context(zipfile.ZipFile(self.chemin)).open(self.membre))
        except (OSError, zipfile.BadZipFile, KeyError) as exc:
            raise ErreurFlux(self.nom, message=f"fichier illisible ({exc})") from None

    @contextlib.contextmanager
    def ouvrir(self) -> Iterator[BinaryIO]:
        """The decompressed bytes, as a binary stream, closed with the block."""
        with contextlib.ExitStack() as pile:
            yield _decompresser(self._ouvrir_tel_quel(pile), self.nom, pile)

    def _sonder(self):
        """Refuse now, before any import starts, a file whose container cannot be read (encrypted, 7-Zip…).
        Only the first bytes are looked at: opening a Zip nested in the archive would inflate it whole."""
        with contextlib.ExitStack() as pile:
            brut = self._ouvrir_tel_quel(pile)
            try:
                debut = brut.peek(_SONDE)[:_SONDE]
            except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
                raise ErreurFlux(self.nom, message=f"fichier illisible ({exc})") from None
            _sorte(debut, self.nom)


@dataclass
class Flux:
    fichiers: dict[str, FichierFlux]  # one per view of VUES_REQUISES
    ignores: list[str]  # every other file found, by name
    date: dt.date | None  # the latest date in the names of the files read


_NOM_FLUX = re.compile(r"fluxIAE_([^_]+)_(\d{8})_(\d{6})", re.ASCII)


def _vue_du_nom(nom: str) -> tuple[str | None, dt.datetime | None]:
    # The ASP's rule: a file is matched by its prefix `fluxIAE_<Vue>_`; the view name never holds `_`.
    morceaux = nom.split("_")
    if morceaux[0] != "fluxIAE" or len(morceaux) < 3:
        return None, None
    horodatage = None
    if correspondance := _NOM_FLUX.match(nom):
        with contextlib.suppress(ValueError):
            horodatage = dt.datetime.strptime(correspondance[2] + correspondance[3], "%d%m%Y%H%M%S")
    return morceaux[1], horodatage


def fichiers_du_flux(chemin: str | os.PathLike) -> Flux:
    """The files of a flux: a folder of `fluxIAE_<Vue>_<JJMMAAAA>_<HHMMSS>.csv[.gz]`, or the Zip archive as
    delivered whatever its name says (`fluxIAE_ITOU_….tar.gz` is a Zip). Exactly one file per required view."""
    chemin = Path(chemin)
    trouves: list[tuple[str, str, int, str | None]] = []  # (shown name, base name, size, archive member)
    if chemin.is_dir():
        with os.scandir(chemin) as entrees:
            for entree in entrees:
                if entree.is_dir():
                    trouves.append((entree.name + "/", "", 0, None))
                else:
                    trouves.append((entree.name, entree.name, entree.stat().st_size, None))
    elif chemin.is_file():
        with open(chemin, "rb") as fichier:
            debut = fichier.read(_SONDE)
        if not debut.startswith(_ZIP):
            if debut.startswith(_GZIP):
                raise ErreurFlux(
                    chemin.name, message="archive gzip ou tar non prise en charge : fournissez le Zip ou un dossier"
                )
            _sorte(debut, chemin.name)  # names 7-Zip and other known formats
            raise ErreurFlux(chemin.name, message="ni un dossier ni une archive Zip")
        try:
            with zipfile.ZipFile(chemin) as archive:
                for info in archive.infolist():
                    if info.is_dir():
                        continue
                    base = info.filename.rsplit("/", 1)[-1]
                    if _vue_du_nom(base)[0] in VUES and info.flag_bits & 1:
                        raise ErreurFlux(base, message=_refus_chiffre(info.compress_type))
                    trouves.append((info.filename, base, info.file_size, info.filename))
        except zipfile.BadZipFile as exc:
            raise ErreurFlux(chemin.name, message=f"archive Zip illisible ({exc})") from None
    else:
        raise ErreurFlux(str(chemin), message="chemin introuvable")

    par_vue: dict[str, list[FichierFlux]] = {}
    ignores = []
    for affiche, base, taille, membre in sorted(trouves):
        vue, horodatage = _vue_du_nom(base)
        if vue in VUES_REQUISES:
            fichier = FichierFlux(vue, base, taille, chemin if membre else chemin / base, membre, horodatage)
            par_vue.setdefault(vue, []).append(fichier)
        else:
            ignores.append(affiche)

    problemes = []
    for vue, fichiers in par_vue.items():
        if len(fichiers) > 1:
            noms = ", ".join(fichier.membre or fichier.nom for fichier in fichiers)
            problemes.append(f"plusieurs fichiers pour la vue {vue} : {noms}")
    if absentes := [vue for vue in VUES_REQUISES if vue not in par_vue]:
        problemes.append(f"vue(s) absente(s) du flux : {', '.join(absentes)}")
    if problemes:
        raise ErreurFlux(chemin.name, message=" ; ".join(problemes))

    fichiers = {vue: par_vue[vue][0] for vue in VUES_REQUISES}
    for fichier in fichiers.values():
        fichier._sonder()
    dates = [fichier.horodatage.date() for fichier in fichiers.values() if fichier.horodatage]
    return Flux(fichiers=fichiers, ignores=ignores, date=max(dates, default=None))


# Values ----------------------------------------------------------------------------------------------------------
# Each converter takes the raw field and returns the value or raises ValueError with the French message. They are
# the reference; the per-record function built by `_fabriquer_conversion` does the same work faster.

_ABSENTE = "valeur obligatoire absente"
_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)
_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?", re.ASCII)
_FIN = re.compile(r"FIN(\d*)", re.ASCII)


def _entier(brut: str):
    try:
        return int(brut)
    except ValueError:
        raise ValueError(f"« {brut} » n'est pas un nombre entier") from None


def _decimal(brut: str):
    valeur = brut.strip()
    if not _DECIMAL.fullmatch(valeur):
        raise ValueError(f"« {brut} » n'est pas un nombre décimal (séparateur « . »)")
    return Decimal(valeur)


def _date(brut: str):
    valeur = brut.strip()
    correspondance = _DATE.fullmatch(valeur)
    try:
        if correspondance is None:
            raise ValueError
        jour, mois, annee, heures, minutes, secondes = correspondance.groups()
        if heures is not None:
            dt.time(int(heures), int(minutes), int(secondes or 0))
        return dt.date(int(annee), int(mois), int(jour))
    except ValueError:
        raise ValueError(f"« {brut} » n'est pas une date JJ/MM/AAAA valide") from None


def _date_fin_effet(brut: str):
    # The referentials write `/` for a period without end.
    return None if brut.strip() == "/" else _date(brut)


def _mois(brut: str):
    valeur = brut.strip()
    if not (valeur.isascii() and valeur.isdigit() and 1 <= int(valeur) <= 12):
        raise ValueError(f"« {brut} » n'est pas un mois (1 à 12)")
    return int(valeur)


def _booleen(brut: str):
    valeur = brut.strip().lower()
    if valeur == "true":
        return True
    if valeur == "false":
        return False
    raise ValueError(f"« {brut} » n'est pas un booléen (true ou false)")


def _texte(brut: str):
    return brut.strip()


CONVERTISSEURS: dict[str, Callable[[str], object]] = {
    "entier": _entier,
    "decimal": _decimal,
    "date": _date,
    "date_fin_effet": _date_fin_effet,
    "mois": _mois,
    "booleen": _booleen,
    "code": _texte,
    "texte": _texte,
}


def _convertisseur(colonne: Colonne) -> Callable[[str], object]:
    """The reference converter of a column: empty field → None, or an error when the column is required."""
    convertir = CONVERTISSEURS[colonne.type]
    # Entiers are tested for emptiness as the fast path does (`int(" ")` is an error, not an empty value).
    vide = str.__len__ if colonne.type == "entier" else str.strip

    def convertisseur(brut: str):
        if not vide(brut):
            if colonne.obligatoire:
                raise ValueError(_ABSENTE)
            return None
        return convertir(brut)

    return convertisseur


class _Cache(dict):
    """Raw value → converted value, filled on first sight: dates, decimals and booleans repeat across millions of
    records, and a dict lookup costs far less than parsing. Bounded: emptied when full."""

    def __init__(self, convertisseur):
        super().__init__()
        self.convertisseur = convertisseur

    def __missing__(self, brut):
        valeur = self.convertisseur(brut)  # raises ValueError on a bad value, which is never stored
        if len(self) >= TAILLE_CACHE:
            self.clear()
        self[brut] = valeur
        return valeur


def _absente():
    raise ValueError(_ABSENTE)


def _fabriquer_conversion(colonnes: tuple[Colonne, ...], indices: list[int | None]) -> Callable[[list], tuple]:
    """One function per header, `champs -> valeurs`, with each column's conversion written inline: one Python
    call per record instead of one per column is what makes millions of EMI rows a matter of seconds. Any
    ValueError it raises is explained column by column by the reference converters."""
    espace: dict[str, object] = {"_absente": _absente}
    termes = []
    for rang, (colonne, indice) in enumerate(zip(colonnes, indices, strict=True)):
        if indice is None:  # an optional column the header lacks
            termes.append("None")
            continue
        champ = f"c[{indice}]"
        if colonne.type == "entier":
            termes.append(f"int({champ})" if colonne.obligatoire else f"(int({champ}) if {champ} else None)")
        elif colonne.type in ("code", "texte"):
            termes.append(f"({champ}.strip() or {'_absente()' if colonne.obligatoire else 'None'})")
        else:
            espace[f"cache{rang}"] = _Cache(_convertisseur(colonne))
            termes.append(f"cache{rang}[{champ}]")
    source = f"def convertir(c):\n    return ({', '.join(termes)},)\n"
    exec(compile(source, "<fluxiae.lecture.convertir>", "exec"), espace)
    return espace["convertir"]


# Reader ----------------------------------------------------------------------------------------------------------


class LecteurVue:
    """The records of one view, converted: `with LecteurVue(f) as lecteur: for numero, valeurs in lecteur: …`.

    `valeurs` holds the columns of `colonnes.VUES[vue]` in that order (`position(nom)` gives the index); `numero`
    is the physical line where the record starts. `garder(champs)`, if given (here or set after entering the
    block, once `index_brut` is known), receives the raw fields before conversion and returns False to skip the
    record. With `dedoublonner`, an exact repetition of a record already yielded is skipped and counted.
    After reading: `lues` (data records in the file), `ecartees` (refused by `garder`), `doublons`.
    """

    def __init__(
        self,
        fichier: FichierFlux,
        garder: Callable[[list[str]], bool] | None = None,
        dedoublonner: bool = False,
    ):
        self.fichier = fichier
        self.garder = garder
        self.dedoublonner = dedoublonner
        self.colonnes: tuple[Colonne, ...] = VUES[fichier.vue]
        self.noms: tuple[str, ...] = tuple(colonne.nom for colonne in self.colonnes)
        self._positions = {nom: rang for rang, nom in enumerate(self.noms)}
        self.longueur_max = _reglage("FLUXIAE_LONGUEUR_MAX_LIGNE", 100_000)
        self.lignes_max = _reglage("FLUXIAE_LIGNES_MAX", 50_000_000)
        self.ligne_deb: str | None = None  # the `DEB<Vue><JJMMAAAA>_<HHMMSS>` marker, when present
        self.ligne_entete: int | None = None
        self.entete: list[str] = []
        self.colonnes_absentes: tuple[str, ...] = ()  # optional columns the header lacks (always None)
        self.fin_annoncee: int | None = None  # the n of `FIN<n>`
        self.ligne_fin: int | None = None
        self.lues = 0
        self.ecartees = 0
        self.doublons = 0
        self._pile: contextlib.ExitStack | None = None
        self._iterateur = None

    # Public helpers

    def position(self, nom: str) -> int:
        """Index of an allow-listed column in `valeurs`."""
        try:
            return self._positions[nom]
        except KeyError:
            raise KeyError(f"colonne non lue dans la vue {self.fichier.vue} : {nom}") from None

    def index_brut(self, nom: str) -> int:
        """Index of a header column in the raw fields given to `garder`."""
        if self._pile is None:
            raise RuntimeError("index_brut() s'appelle dans le bloc with, une fois l'en-tête lu")
        try:
            return self._indices_bruts[nom]
        except KeyError:
            raise ErreurFlux(self.fichier.nom, self.ligne_entete, nom, "colonne absente de l'en-tête") from None

    # Context

    def __enter__(self):
        pile = contextlib.ExitStack()
        try:
            self._flux = pile.enter_context(self.fichier.ouvrir())
            self._paquets = self._lire_paquets()
            self._lire_entete()
        except BaseException:
            pile.close()
            raise
        self._pile = pile
        return self

    def __exit__(self, *exc):
        if self._iterateur is not None:
            self._iterateur.close()
        if self._pile is not None:
            self._pile.close()
            self._pile = None
        return False

    def __iter__(self):
        if self._pile is None:
            raise RuntimeError("LecteurVue se lit dans un bloc with")
        if self._iterateur is None:
            self._iterateur = self._enregistrements()
        return self._iterateur

    # Physical lines

    def _lire_paquets(self) -> Iterator[tuple[list[str], bool]]:
        """The physical lines by blocks, decoded (UTF-8, BOM dropped) and without their LF or CRLF, each block with
        whether one of its lines starts with `FIN`: the other blocks skip that test line by line."""
        nom = self.fichier.nom
        decodeur = codecs.getincrementaldecoder("utf-8-sig")()
        reste = ""
        emises = 0
        while True:
            try:
                octets = self._flux.read(TAILLE_BLOC)
            except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
                raise ErreurFlux(
                    nom, message=f"fichier compressé corrompu ou tronqué, illisible après la ligne {emises} ({exc})"
                ) from None
            final = not octets
            en_attente = decodeur.getstate()[0]
            try:
                texte = decodeur.decode(octets, final)
            except UnicodeDecodeError:
                raise ErreurFlux(
                    nom, emises + _ligne_non_utf8(en_attente + octets, final), None, "texte non encodé en UTF-8"
                ) from None
            bloc = reste + texte if reste else texte
            if "\r" in bloc:
                # A CR at the very end of the block stays in `reste` and meets its LF in the next block.
                bloc = bloc.replace("\r\n", "\n")
            lignes = bloc.split("\n")
            reste = lignes.pop()
            if final and reste:
                lignes.append(reste.removesuffix("\r"))
                reste = ""
            if len(reste) > self.longueur_max:
                self._trop_longue(emises + len(lignes) + 1)
            if lignes:
                if max(map(len, lignes)) > self.longueur_max:
                    rang = next(rang for rang, ligne in enumerate(lignes) if len(ligne) > self.longueur_max)
                    self._trop_longue(emises + 1 + rang)
                emises += len(lignes)
                yield lignes, bloc.startswith("FIN") or "\nFIN" in bloc
            if final:
                return

    def _trop_longue(self, numero: int):
        raise ErreurFlux(
            self.fichier.nom,
            numero,
            None,
            f"ligne de plus de {self.longueur_max} caractères (réglage FLUXIAE_LONGUEUR_MAX_LIGNE)",
        )

    # Header

    def _lire_entete(self):
        nom = self.fichier.nom
        numero = 0
        for paquet, fin_possible in self._paquets:
            for rang, ligne in enumerate(paquet):
                numero += 1
                ligne = ligne.lstrip("\ufeff")
                if not ligne.strip():
                    continue
                if self.ligne_deb is None and ligne.startswith("DEB"):
                    self.ligne_deb = ligne.split("|", 1)[0].strip()
                    continue
                self._premier_paquet = (paquet[rang + 1 :], fin_possible)
                self._numero = numero
                self.ligne_entete = numero
                self._analyser_entete(ligne)
                return
        raise ErreurFlux(nom, message="fichier vide : aucune ligne d'en-tête")

    def _analyser_entete(self, ligne: str):
        nom = self.fichier.nom
        self.entete = [colonne.strip().lower() for colonne in ligne.split("|")]
        self._indices_bruts: dict[str, int] = {}
        for indice, colonne in enumerate(self.entete):
            if colonne in self._indices_bruts and colonne in self._positions:
                raise ErreurFlux(nom, self.ligne_entete, colonne, "colonne en double dans l'en-tête")
            self._indices_bruts.setdefault(colonne, indice)
        indices = [self._indices_bruts.get(colonne.nom) for colonne in self.colonnes]
        manquantes = [c.nom for c, i in zip(self.colonnes, indices, strict=True) if i is None and c.obligatoire]
        if manquantes:
            message = "colonne absente de l'en-tête"
            if len(manquantes) > 1:
                message += f" (absentes aussi : {', '.join(manquantes[1:])})"
            raise ErreurFlux(nom, self.ligne_entete, manquantes[0], message)
        self.colonnes_absentes = tuple(c.nom for c, i in zip(self.colonnes, indices, strict=True) if i is None)
        self._plan = [
            (colonne, indice, _convertisseur(colonne))
            for colonne, indice in zip(self.colonnes, indices, strict=True)
            if indice is not None
        ]
        self._convertir = _fabriquer_conversion(self.colonnes, indices)

    # Records

    def _enregistrements(self) -> Iterator[tuple[int, tuple]]:
        nom = self.fichier.nom
        n = len(self.entete)
        attendu = n  # -1 while a record spans lines or after FIN: every line then takes the slow branch
        convertir = self._convertir
        garder = self.garder
        vus: set[int] | None = set() if self.dedoublonner else None
        longueur_max = self.longueur_max
        lignes_max = self.lignes_max
        numero = self._numero
        debut = 0
        lues = ecartees = doublons = 0
        en_cours: str | None = None  # a record cut by a newline inside a field
        try:
            paquets = chain([self._premier_paquet], self._paquets)
            # Let go of the first block's raw lines once read: they hold columns that are never returned.
            self._premier_paquet = None
            for paquet, fin_possible in paquets:
                for ligne in paquet:
                    numero += 1
                    champs = ligne.split("|")
                    if len(champs) != attendu or fin_possible and ligne.startswith("FIN"):
                        if self.ligne_fin is not None:
                            if ligne.strip():
                                raise ErreurFlux(nom, numero, None, "ligne après la ligne FIN")
                            continue
                        if en_cours is not None:
                            # The newline inside a field is dropped: the ASP's text never meant it.
                            en_cours += ligne
                            if len(en_cours) > longueur_max:
                                self._trop_longue(debut)
                            total = en_cours.count("|") + 1
                            if total < n:
                                continue
                            if total > n:
                                raise ErreurFlux(
                                    nom,
                                    debut,
                                    None,
                                    f"{total} champs au lieu des {n} de l'en-tête (enregistrement commencé ligne "
                                    f"{debut} et poursuivi jusqu'à la ligne {numero})",
                                )
                            ligne, en_cours, attendu = en_cours, None, n
                            champs = ligne.split("|")
                        elif not ligne.strip():
                            continue
                        elif (fin := _ligne_fin(champs)) is not None:
                            self.ligne_fin, attendu = numero, -1
                            if fin[1]:
                                self.fin_annoncee = int(fin[1])
                                if self.fin_annoncee != lues:
                                    raise ErreurFlux(
                                        nom,
                                        numero,
                                        None,
                                        f"FIN annonce {self.fin_annoncee} lignes, le fichier en contient {lues}",
                                    )
                            continue
                        elif len(champs) < n:
                            en_cours, debut, attendu = ligne, numero, -1
                            continue
                        elif len(champs) > n:
                            raise ErreurFlux(nom, numero, None, f"{len(champs)} champs au lieu des {n} de l'en-tête")
                        else:  # data that merely starts with "FIN"
                            debut = numero
                    else:
                        debut = numero
                    lues += 1
                    if lues > lignes_max:
                        raise ErreurFlux(
                            nom, debut, None, f"plus de {lignes_max} enregistrements (réglage FLUXIAE_LIGNES_MAX)"
                        )
                    if garder is not None and not garder(champs):
                        ecartees += 1
                        continue
                    if vus is not None:
                        # The built-in string hash is 64 bits: a false duplicate among millions of records is
                        # about one chance in a million, for far less memory than the texts themselves.
                        cle = hash(ligne)
                        if cle in vus:
                            doublons += 1
                            continue
                        vus.add(cle)
                    try:
                        valeurs = convertir(champs)
                    except ValueError:
                        self._expliquer(champs, debut)
                    yield debut, valeurs
                self.lues, self.ecartees, self.doublons = lues, ecartees, doublons
            if en_cours is not None:
                raise ErreurFlux(
                    nom,
                    debut,
                    None,
                    f"enregistrement incomplet en fin de fichier : {en_cours.count('|') + 1} champs au lieu des {n} "
                    "de l'en-tête",
                )
        finally:
            self.lues, self.ecartees, self.doublons = lues, ecartees, doublons

    def _expliquer(self, champs: list[str], numero: int):
        for colonne, indice, convertisseur in self._plan:
            try:
                convertisseur(champs[indice])
            except ValueError as exc:
                raise ErreurFlux(self.fichier.nom, numero, colonne.nom, str(exc)) from None
        raise ErreurFlux(self.fichier.nom, numero, None, "enregistrement illisible")  # pragma: no cover


def _ligne_fin(champs: list[str]) -> re.Match | None:
    """`FIN<n>` in the first field and nothing else: the closing row."""
    if any(champ.strip() for champ in champs[1:]):
        return None
    return _FIN.fullmatch(champs[0].strip())


def _ligne_non_utf8(octets: bytes, final: bool) -> int:
    """Rank (from 1) of the first line of `octets` that is not UTF-8; its last line may be cut mid-character."""
    morceaux = octets.split(b"\n")
    for rang, morceau in enumerate(morceaux):
        try:
            codecs.utf_8_decode(morceau, "strict", final or rang < len(morceaux) - 1)
        except UnicodeDecodeError:
            return rang + 1
    return 1  # pragma: no cover - the decoder found an error somewhere
