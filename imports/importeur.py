"""The frame every import follows (formats.md): read, check every line, show what would change, then write
everything in one transaction or nothing.

An importer subclass declares its columns, turns a raw line into clean values (`nettoyer_ligne`, raising
`ErreurColonne`), and plans and applies the changes for the whole file at once (`planifier`, `appliquer`),
with a constant number of queries whatever the size of the file.
"""

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from .lecture import ErreurLigne, Tableau
from .lecture_xlsx import FormuleSansValeur
from .regles import a_noter


class ErreurColonne(Exception):
    def __init__(self, colonne: str, message: str):
        super().__init__(message)
        self.colonne = colonne
        self.message = message


# The control characters no cell may hold: all but tab, line feed and carriage return. Never typed, and PostgreSQL
# refuses a NUL in any text: such a line is refused before a query or a message could carry it.
CARACTERES_DE_CONTROLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORMULES_NON_LUES = (
    "la cellule contient une formule sans valeur calculée, et les formules ne sont pas lues : ouvrez le classeur "
    "dans votre tableur et enregistrez-le, ou remplacez les formules par leurs valeurs (collage spécial « valeurs »)"
)


def verifier_cellules(brut: dict) -> None:
    """ErreurColonne for the first cell of a raw line that cannot be read as it stands."""
    for colonne, valeur in brut.items():
        nom = CARACTERES_DE_CONTROLE.sub("\ufffd", colonne)
        if isinstance(valeur, FormuleSansValeur):
            raise ErreurColonne(nom, FORMULES_NON_LUES)
        if isinstance(valeur, str) and (controle := CARACTERES_DE_CONTROLE.search(valeur)):
            raise ErreurColonne(
                nom, f"caractère de contrôle interdit (U+{ord(controle.group()):04X}) : retirez-le du fichier"
            )


@dataclass
class Changement:
    action: str  # "creation", "modification", "inchange"
    ligne: int
    libelle: str
    details: str = ""


@dataclass
class Analyse:
    erreurs: list[ErreurLigne] = field(default_factory=list)
    changements: list[Changement] = field(default_factory=list)
    # In French, one sentence each: what the import would replace or remove that was already transmitted. Not an
    # error: the import runs once they are explicitly confirmed.
    avertissements: list[str] = field(default_factory=list)
    departements: set[str] = field(default_factory=set)
    plan: object = None

    @property
    def valide(self) -> bool:
        return not self.erreurs

    def compte(self, action: str) -> int:
        return sum(1 for c in self.changements if c.action == action)


class Importeur(ABC):
    type: str
    colonnes: tuple[str, ...]
    colonnes_optionnelles: frozenset[str] = frozenset()
    # What a column means, when its name does not say it all: shown under the list of columns on the upload page.
    explications: dict[str, str] = {}
    journal = None  # the Import being executed, set by imports.services.executer_import
    # Told (lines checked, lines in the file) every few hundred lines while the lines are checked; set by
    # imports.services.executer_import so that the import's page can show where it stands.
    suivre = None

    def __init__(self, utilisateur=None):
        # No user: the operator's command line, which may write anywhere.
        self.utilisateur = utilisateur

    def analyser(self, tableau: Tableau) -> Analyse:
        analyse = Analyse()
        manquantes = [c for c in self.colonnes if c not in tableau.entetes and c not in self.colonnes_optionnelles]
        for colonne in manquantes:
            analyse.erreurs.append(ErreurLigne(1, colonne, "colonne absente de l'en-tête"))
        if manquantes:
            return analyse
        if not tableau.lignes:
            analyse.erreurs.append(ErreurLigne(1, self.colonnes[0], "le fichier ne contient aucune ligne de données"))
            return analyse
        propres = []
        total = len(tableau.lignes)
        if self.suivre is not None:
            self.suivre(0, total)
        for rang, (numero, brut) in enumerate(tableau.lignes, start=1):
            try:
                verifier_cellules(brut)
                propres.append((numero, self.nettoyer_ligne(brut)))
            except ErreurColonne as erreur:
                analyse.erreurs.append(ErreurLigne(numero, erreur.colonne, erreur.message))
            if self.suivre is not None and a_noter(rang, total):
                self.suivre(rang, total)
        self.planifier(propres, analyse)
        return analyse

    def codes(self) -> dict[str, list[tuple[str, str]]]:
        """The codes a column accepts, as (code, label), by column: listed on the upload page and in the XLSX
        template. None by default; an importer whose columns take codes says them from its models."""
        return {}

    def colonnes_du_modele(self) -> list[str]:
        """The columns of the downloadable template: every column read, the optional ones read but not listed
        among `colonnes` last."""
        return [*self.colonnes, *sorted(self.colonnes_optionnelles - set(self.colonnes))]

    @abstractmethod
    def nettoyer_ligne(self, brut: dict) -> dict:
        """Clean values of one line, or ErreurColonne."""

    @abstractmethod
    def planifier(self, lignes: list[tuple[int, dict]], analyse: Analyse) -> None:
        """Check the lines against the database and each other; fill analyse.changements and analyse.plan."""

    @abstractmethod
    def appliquer(self, analyse: Analyse) -> None:
        """Write analyse.plan. Called inside a transaction, only when the analysis found no error."""


@dataclass
class Resultat:
    """What an archive import did or would do: counts, view by view, and the refusal when there is one."""

    erreurs: list[str] = field(default_factory=list)
    comptes: dict = field(default_factory=dict)
    fichiers_ignores: list[str] = field(default_factory=list)
    departements: set[str] = field(default_factory=set)

    @property
    def valide(self) -> bool:
        return not self.erreurs

    def total(self, action: str) -> int:
        return sum(vue.get(action, 0) for vue in self.comptes.values())


class ImporteurArchive(ABC):
    """An importer of a whole archive of files (the ASP's fluxIAE): streamed from where it is stored, never read
    into memory, checked and written in one transaction; `simuler=True` rolls it back (the preview)."""

    type: str

    def __init__(self, utilisateur=None, departements: list[str] | None = None):
        self.utilisateur = utilisateur
        # None: every département of the archive (an administrator, the command line of a national instance).
        self.departements = departements

    @abstractmethod
    def executer(self, chemin, *, simuler: bool, suivre=None) -> Resultat:
        """Load (or, with simuler, try and roll back) the archive at `chemin`."""
