"""Tables to CSV and XLSX: the exporter command's machine format (`en_csv`, `en_xlsx`: technical keys, dot
decimals, formats.md) and the pages' downloads for a French spreadsheet (`Tableau`, `reponse_tableaux`, below).

Every cell goes through `est_une_formule`: a text that a spreadsheet would take for a formula (a structure named
`=HYPERLINK(…)`, `+33…` typed as text, `@SUM(…)`) is written as text, never as a formula. In a CSV, which has no
types, it is prefixed with an apostrophe (the spreadsheets' own mark of "this is text"); in an XLSX it is a string
cell marked as quoted text, its value unchanged. Numbers, negative ones included, stay numbers."""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.http import Http404, HttpResponse
from django.utils import timezone

from base.calendrier import nom_du_mois

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
    """Rows in the exporter's machine format as `nom.csv`, with a BOM. A page's download is a `Tableau`."""
    return _telechargement(en_csv(lignes, colonnes).encode("utf-8-sig"), "text/csv; charset=utf-8", f"{nom}.csv")


def reponse_xlsx(feuilles: dict[str, list[dict]], nom: str) -> HttpResponse:
    return _telechargement(en_xlsx(feuilles), TYPE_XLSX, f"{nom}.xlsx")


# Typed tables: what a person downloads from a page ------------------------------------------------------------------
# The exporter command's tables above keep their machine format (formats.md: technical keys, dot decimals). A page's
# download is read in a French spreadsheet: its columns are described once (French label, kind, width) and the same
# description writes the CSV (UTF-8 BOM, ";", decimal comma, no thousands separator, French dates) and the XLSX
# (typed cells with number formats, a title row with the filters, the header frozen below it). docs/decisions.md.

TEXTE = "texte"
ENTIER = "entier"
DECIMAL = "decimal"
ETP = "etp"
MONTANT = "montant"
# A rate arrives as the pages' rows hold it, in percent ("99.7"); the XLSX stores the fraction (0.997) shown as %.
TAUX = "taux"
MOIS = "mois"
# A year: a number, without a thousands space ("2025", not "2 025").
ANNEE = "annee"
DATE = "date"
DATE_HEURE = "date_heure"
NATURES = (TEXTE, ENTIER, DECIMAL, ETP, MONTANT, TAUX, MOIS, ANNEE, DATE, DATE_HEURE)

# Excel's codes (stored in English; a French Excel shows "mmmm aaaa" for "mmmm yyyy", a space for ",").
FORMATS_XLSX = {
    ENTIER: "#,##0",
    ANNEE: "0",
    DECIMAL: "#,##0.00",
    ETP: "#,##0.00",
    MONTANT: '#,##0.00 "€"',
    TAUX: "0.0 %",
    MOIS: "mmmm yyyy",
    DATE: "dd/mm/yyyy",
    DATE_HEURE: "dd/mm/yyyy hh:mm:ss",
}
# The unit a CSV header carries, the file having no formats.
UNITES_CSV = {MONTANT: " (€)", TAUX: " (%)"}
LARGEUR_MIN, LARGEUR_MAX = 8, 60
# Characters a sheet name may not hold.
HORS_NOM_DE_FEUILLE = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Colonne:
    cle: str
    libelle: str
    nature: str = TEXTE
    # In characters; None: from the label and the values.
    largeur: int | None = None
    # A code as a person reads it ("sous-consommation" → "Sous-consommation"); other values as they are.
    libelles: dict | None = None


@dataclass(frozen=True)
class Valeur:
    """A cell whose kind is not its column's (a table of key figures: one kind per row)."""

    nature: str
    valeur: object


@dataclass
class Tableau:
    titre: str
    colonnes: list[Colonne]
    lignes: list[dict]
    # What the page showed: ("Année", "2025"), ("Département", "55 – Meuse")… written in the XLSX title row.
    filtres: list[tuple[str, str]] = field(default_factory=list)

    @property
    def titre_complet(self) -> str:
        filtres = " ; ".join(f"{nom} : {valeur}" for nom, valeur in self.filtres if valeur not in (None, ""))
        return f"{self.titre} — {filtres}" if filtres else self.titre


def _decimal(valeur) -> Decimal | None:
    """A figure of a row (Decimal, int, float, or the exporter's "12.50") as a Decimal; None when it is not one."""
    if isinstance(valeur, bool):
        return None
    if isinstance(valeur, Decimal | int):
        return Decimal(valeur)
    if isinstance(valeur, float):
        return Decimal(str(valeur))
    if isinstance(valeur, str) and NOMBRE.fullmatch(valeur.strip()):
        texte = re.sub(r"[\u00a0\u202f ]", "", valeur.strip()).replace(",", ".")
        try:
            return Decimal(texte)
        except InvalidOperation:
            return None
    return None


def _jour(valeur, nature: str):
    """A month ("2025-01", a date), a date or a date and time as the value a spreadsheet stores; None otherwise."""
    if nature == DATE_HEURE:
        if isinstance(valeur, dt.datetime):
            return timezone.localtime(valeur).replace(tzinfo=None) if timezone.is_aware(valeur) else valeur
        if isinstance(valeur, str):
            try:
                return dt.datetime.strptime(valeur, "%d/%m/%Y %H:%M:%S")
            except ValueError:
                return None
        return None
    if isinstance(valeur, dt.datetime):
        valeur = valeur.date()
    if isinstance(valeur, dt.date):
        return valeur.replace(day=1) if nature == MOIS else valeur
    if isinstance(valeur, str):
        for motif in ("%Y-%m", "%Y-%m-%d", "%d/%m/%Y"):
            try:
                jour = dt.datetime.strptime(valeur, motif).date()
            except ValueError:
                continue
            return jour.replace(day=1) if nature == MOIS else jour
    return None


def valeur_typee(valeur, nature: str):
    """The cell's value for its kind: a Decimal (a rate as its fraction), an int, a date, or, for a text or a
    value that is not of its kind ("–"), the text. None stays None (an empty cell)."""
    if isinstance(valeur, Valeur):
        valeur, nature = valeur.valeur, valeur.nature
    if valeur is None or valeur == "":
        return None, nature
    if nature in (MOIS, DATE, DATE_HEURE):
        jour = _jour(valeur, nature)
        return (jour, nature) if jour is not None else (str(valeur), TEXTE)
    if nature != TEXTE:
        nombre = _decimal(valeur)
        if nombre is None:
            return str(valeur), TEXTE
        if nature in (ENTIER, ANNEE):
            return (int(nombre), nature) if nombre == nombre.to_integral_value() else (nombre, DECIMAL)
        if nature == MONTANT:
            return arrondi_au_centime(nombre), nature
        return nombre, nature
    return str(valeur), TEXTE


def arrondi_au_centime(valeur: Decimal) -> Decimal:
    return valeur.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _decimal_fr(nombre: Decimal) -> str:
    """ "1234,56": a comma, no thousands separator (a French spreadsheet parses it as a number), never "-0"."""
    texte = format(nombre + 0 if nombre else abs(nombre), "f")
    return texte.replace(".", ",")


def cellule_csv(valeur, nature: str) -> str:
    valeur, nature = valeur_typee(valeur, nature)
    if valeur is None:
        return ""
    if nature == TEXTE:
        return neutraliser(valeur)
    if nature in (ENTIER, ANNEE):
        return str(valeur)
    if nature == MOIS:
        return nom_du_mois(valeur)
    if nature == DATE:
        return f"{valeur:%d/%m/%Y}"
    if nature == DATE_HEURE:
        return f"{valeur:%d/%m/%Y %H:%M:%S}"
    return _decimal_fr(valeur)


def _valeur(ligne: dict, colonne: Colonne):
    valeur = ligne.get(colonne.cle)
    if colonne.libelles and isinstance(valeur, str | int):
        return colonne.libelles.get(valeur, valeur)
    return valeur


def _entete_csv(colonne: Colonne) -> str:
    return neutraliser(colonne.libelle + UNITES_CSV.get(colonne.nature, ""))


def tableau_en_csv(tableau: Tableau) -> bytes:
    """The table as a French spreadsheet opens it: UTF-8 with a BOM (the accents), ";" (the comma is the
    decimal mark), numbers with a decimal comma, months and dates in French."""
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow([_entete_csv(c) for c in tableau.colonnes])
    for ligne in tableau.lignes:
        ecrivain.writerow([cellule_csv(_valeur(ligne, c), c.nature) for c in tableau.colonnes])
    return sortie.getvalue().encode("utf-8-sig")


def _nom_de_feuille(titre: str, pris: set[str]) -> str:
    nom = HORS_NOM_DE_FEUILLE.sub(" ", titre).strip("'")[:31] or "Feuille"
    base, n = nom, 2
    while nom.lower() in pris:
        suffixe = f" ({n})"
        nom, n = base[: 31 - len(suffixe)] + suffixe, n + 1
    pris.add(nom.lower())
    return nom


def _largeur(colonne: Colonne, lignes: list[dict]) -> int:
    if colonne.largeur:
        return colonne.largeur
    textes = [colonne.libelle] + [cellule_csv(_valeur(ligne, colonne), colonne.nature) for ligne in lignes[:500]]
    # Formats add their thousands spaces and units to the digits.
    marge = 4 if colonne.nature in (MONTANT, ENTIER, DECIMAL, ETP, TAUX) else 2
    return max(LARGEUR_MIN, min(LARGEUR_MAX, max(len(t) for t in textes) + marge))


def _ecrire_feuille(feuille, tableau: Tableau) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    nombre_de_colonnes = max(1, len(tableau.colonnes))
    titre = feuille.cell(row=1, column=1, value=tableau.titre_complet)
    if est_une_formule(titre.value):
        titre.data_type, titre.quotePrefix = "s", True
    titre.font = Font(bold=True, size=12)
    gras = Font(bold=True)
    for numero, colonne in enumerate(tableau.colonnes, start=1):
        entete = feuille.cell(row=2, column=numero, value=colonne.libelle)
        if est_une_formule(entete.value):
            entete.data_type, entete.quotePrefix = "s", True
        entete.font = gras
        entete.alignment = Alignment(wrap_text=True, vertical="top")
        feuille.column_dimensions[get_column_letter(numero)].width = _largeur(colonne, tableau.lignes)
    for rang, ligne in enumerate(tableau.lignes, start=3):
        for numero, colonne in enumerate(tableau.colonnes, start=1):
            valeur, nature = valeur_typee(_valeur(ligne, colonne), colonne.nature)
            if nature == TAUX and valeur is not None:
                valeur = valeur / 100
            cellule = feuille.cell(row=rang, column=numero)
            if nature == TEXTE and valeur is not None:
                cellule.value = valeur
                if est_une_formule(valeur):
                    # openpyxl typed "=…" as a formula: a string cell, quoted as Excel marks typed text.
                    cellule.data_type, cellule.quotePrefix = "s", True
            else:
                cellule.value = valeur
                if nature in FORMATS_XLSX:
                    cellule.number_format = FORMATS_XLSX[nature]
    # The header stays in view below the title; a filter on each column.
    feuille.freeze_panes = "A3"
    derniere = get_column_letter(nombre_de_colonnes)
    feuille.auto_filter.ref = f"A2:{derniere}{max(2, len(tableau.lignes) + 2)}"


def tableaux_en_xlsx(tableaux: list[Tableau]) -> bytes:
    import openpyxl  # with numpy, half a second: only when a workbook is written

    classeur = openpyxl.Workbook()
    classeur.remove(classeur.active)
    pris: set[str] = set()
    for tableau in tableaux:
        _ecrire_feuille(classeur.create_sheet(_nom_de_feuille(tableau.titre, pris)), tableau)
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def fusionner(tableaux: list[Tableau], titre: str, libelle_section: str = "Section") -> Tableau:
    """Several tables as one (a CSV holds one): each row says its table; the columns are the union of theirs."""
    colonnes = [Colonne("_section", libelle_section)]
    vues = set()
    for tableau in tableaux:
        for colonne in tableau.colonnes:
            if colonne.cle not in vues:
                vues.add(colonne.cle)
                colonnes.append(colonne)
    lignes = [{"_section": t.titre, **ligne} for t in tableaux for ligne in t.lignes]
    return Tableau(titre, colonnes, lignes, tableaux[0].filtres if tableaux else [])


FORMATS_D_EXPORT = ("csv", "xlsx")


def reponse_tableaux(format_: str, tableaux: list[Tableau], nom: str) -> HttpResponse:
    """`nom.csv` (one table; several are merged, each row naming its own) or `nom.xlsx` (one sheet each)."""
    if format_ == "csv":
        tableau = tableaux[0] if len(tableaux) == 1 else fusionner(tableaux, tableaux[0].titre)
        return _telechargement(tableau_en_csv(tableau), "text/csv; charset=utf-8", f"{nom}.csv")
    if format_ == "xlsx":
        return _telechargement(tableaux_en_xlsx(tableaux), TYPE_XLSX, f"{nom}.xlsx")
    raise ValueError(f"format d'export inconnu : {format_}")


def filtres_de_la_page(annee: int | None, departement: str | None, **autres) -> list[tuple[str, str]]:
    """The title row's filters: the year, the département (with its name; "tous" when none is chosen), then the
    page's others (`type="ACI"`, `structure="…"`), those left empty omitted."""
    from base.departements import DEPARTEMENTS

    filtres = []
    if annee is not None:
        filtres.append(("Année", str(annee)))
    nom = DEPARTEMENTS.get(departement or "")
    filtres.append(("Département", f"{departement} – {nom}" if nom else (departement or "tous")))
    filtres += [(cle.replace("_", " ").capitalize(), str(valeur)) for cle, valeur in autres.items() if valeur]
    return filtres


def format_demande(request) -> str | None:
    """The export format asked by `?export=`, None when the page itself is asked; 404 for an unknown one."""
    format_ = request.GET.get("export")
    if format_ is not None and format_ not in FORMATS_D_EXPORT:
        raise Http404("Format d'export inconnu.")
    return format_


class ExportDeLaPageMixin:
    """`?export=csv|xlsx` on a page of figures: its tables (`tableaux_exportes(contexte)`), computed by the very
    `get_context_data` of the page (same scope, same queries), instead of the page. The context gets
    `requete_export`, the page's query string for the links of `commun/_exports.html`."""

    nom_d_export = "export"

    def __init_subclass__(cls, **kwargs):
        # Each page says what it exports: a view without its tables is refused when it is defined, not when a user
        # asks for the file.
        super().__init_subclass__(**kwargs)
        if not callable(getattr(cls, "tableaux_exportes", None)):
            raise TypeError(f"{cls.__name__} doit définir tableaux_exportes(contexte) -> list[Tableau].")

    def filtres_exportes(self, contexte: dict) -> list[tuple[str, str]]:
        return filtres_de_la_page(contexte.get("annee"), contexte.get("departement"))

    def nom_de_fichier_exporte(self, contexte: dict) -> str:
        parties = [self.nom_d_export, contexte.get("departement") or "tous", contexte.get("annee")]
        return "-".join(str(p) for p in parties if p)

    def get(self, request, *args, **kwargs):
        format_ = format_demande(request)
        if format_ is None:
            return super().get(request, *args, **kwargs)
        contexte = self.get_context_data(**kwargs)
        return reponse_tableaux(format_, self.tableaux_exportes(contexte), self.nom_de_fichier_exporte(contexte))

    def get_context_data(self, **kwargs):
        parametres = self.request.GET.copy()
        for cle in ("export", "page"):
            parametres.pop(cle, None)
        return super().get_context_data(requete_export=parametres.urlencode(), **kwargs)


def filtres_du_formulaire(formulaire) -> list[tuple[str, str]]:
    """The filters a list page was given (a bound and validated filter form), as the title row shows them: each
    field's label and the value as the form offered it ("Tous les types" and other empty choices left out)."""
    if not formulaire.is_bound or not formulaire.is_valid():
        return []
    filtres = []
    for nom, champ in formulaire.fields.items():
        valeur = formulaire.cleaned_data.get(nom)
        if valeur is None or valeur == "":
            continue
        if hasattr(valeur, "pk"):
            texte = str(valeur)
        else:
            # The choices of a choice field or of a select (a yes/no filter); not a queryset's (a query each).
            choix = getattr(champ, "_choices", None) or getattr(champ.widget, "choices", None) or []
            libelles = {str(cle).lower(): libelle for cle, libelle in choix if not hasattr(choix, "queryset")}
            texte = str(libelles.get(str(valeur).lower(), valeur))
        filtres.append((str(champ.label or nom).capitalize(), texte))
    return filtres
