"""What the bilans decide on plain values (no database): the prefect's title of a département, the editorial
texts cut into points, the short forms of amounts."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from base.departements import DEPARTEMENTS
from base.formats import nombre_fr

# The article before a département's name in the prefect's title: "de la" unless listed here.
ARTICLES = {
    **dict.fromkeys(
        ("04", "05", "06", "08", "13", "22", "40", "64", "65", "66", "78", "79", "88", "92"), "des"
    ),
    **dict.fromkeys(
        (
            "14", "15", "18", "25", "29", "30", "32", "39", "41", "45", "46", "47", "56", "59", "62", "63", "67",
            "68", "69", "81", "82", "83", "90", "94", "95",
        ),
        "du",
    ),
    **dict.fromkeys(
        ("01", "02", "03", "07", "09", "10", "11", "12", "27", "28", "34", "35", "36", "37", "38", "60", "61", "89",
         "91"),
        "de l'",
    ),
    # Names without an article, or whose article is part of the name ("La Réunion").
    **dict.fromkeys(("75", "84", "974", "975", "976"), "de"),
}  # fmt: skip


def prefet_de(departement: str) -> str:
    """ "Préfet de la Meuse", "Préfet du Nord", "Préfet de l'Ain", "Préfet des Vosges", "Préfet de Paris"."""
    nom = DEPARTEMENTS.get(departement, departement)
    article = ARTICLES.get(departement, "de la")
    return f"Préfet {article}{nom}" if article.endswith("'") else f"Préfet {article} {nom}"


def nom_du_fichier(departement: str, annee: int) -> str:
    return f"bilan-cdiae-{departement}-{annee}.pdf"


# Editorial texts: one point per line -----------------------------------------------------------------------------

MARQUES_DE_PUCE = ("-", "–", "•", "*", "→", "o ")
MARQUES_D_ACTION = ("-", "–", "•", "*", "o ")


def _sans_marque(ligne: str, marques=MARQUES_DE_PUCE) -> str:
    ligne = ligne.strip()
    for marque in marques:
        if ligne.startswith(marque):
            return ligne[len(marque) :].strip()
    return ligne


def puces(texte: str) -> list[str]:
    """The points of a text typed one per line (a leading dash, bullet or arrow is dropped; blank lines too)."""
    return [point for point in (_sans_marque(ligne) for ligne in (texte or "").splitlines()) if point]


@dataclass
class Axe:
    titre: str
    actions: list[str] = field(default_factory=list)


def plan_d_actions(texte: str) -> list[Axe]:
    """An action plan typed as the bilan shows it: an axis per line, its actions below it on lines that start with
    a dash, a bullet or "o ". Actions before any axis form an axis without a title."""
    axes: list[Axe] = []
    for brute in (texte or "").splitlines():
        ligne = brute.strip()
        if not ligne:
            continue
        if ligne.startswith(MARQUES_D_ACTION):
            if not axes:
                axes.append(Axe(""))
            axes[-1].actions.append(_sans_marque(ligne, MARQUES_D_ACTION))
        else:
            axes.append(Axe(_sans_marque(ligne)))
    return axes


# Key figures ---------------------------------------------------------------------------------------------------------

MILLION = Decimal(1_000_000)


def montant_abrege(montant: Decimal | None) -> str:
    """A key figure: "8,8 M€" from a million on (one decimal, half-up), else whole euros ("398 599 €")."""
    if montant is None:
        return "–"
    montant = Decimal(montant)
    if abs(montant) >= MILLION:
        return f"{nombre_fr((montant / MILLION).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP), 1)}\u00a0M€"
    return f"{nombre_fr(montant, 0)}\u00a0€"


def pourcentage(valeur: str | Decimal | None) -> Decimal | None:
    """An exported rate ("99.7", in %) as a ratio for the `taux` filter (0.997); None stays None."""
    return None if valeur is None else Decimal(valeur) / 100


def en_pourcent(ratio: Decimal | None) -> Decimal | None:
    """A ratio (0.997) in % (99.7), for the charts; None stays None."""
    return None if ratio is None else Decimal(ratio) * 100


def texte_pourcent(valeur: str | Decimal | None) -> str:
    """A rate already in % ("99.7" as exported, or a Decimal) written the French way: "99,7 %"; None: "–"."""
    return "–" if valeur is None else f"{nombre_fr(valeur, 1)}\u00a0%"


# The editorial sections a bilan prints, in its order, with their name on the form: an empty one prints "Rien de
# noté" or "Le plan d'actions n'a pas été rédigé", which the page says before the bilan is generated.
SECTIONS_REDIGEES = (
    ("faits_marquants", "Faits marquants"),
    ("forces", "Forces"),
    ("faiblesses", "Faiblesses"),
    ("opportunites", "Opportunités"),
    ("menaces", "Menaces"),
    ("plan_d_actions", "Plan d'actions"),
)


def sections_vides(sections) -> list[str]:
    """The names of the editorial sections left empty (blank text counts as empty), all of them when none were
    saved. `sections`: a `SectionsEditoriales` or None."""
    return [libelle for champ, libelle in SECTIONS_REDIGEES if not (getattr(sections, champ, "") or "").strip()]


def annee_par_defaut(annees_avec_donnees, aujourd_hui: dt.date) -> int:
    """The year the bilans page opens on: the latest one with data that is not in the future, else the year just
    ended (the one a CDIAE bilan presents)."""
    passees = [a for a in annees_avec_donnees if a is not None and a <= aujourd_hui.year]
    return max(passees) if passees else aujourd_hui.year - 1
