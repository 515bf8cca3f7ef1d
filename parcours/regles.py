"""Rules of PASS IAE, contracts and monthly declaration lines (spec §3 and §6), as plain functions."""

import datetime as dt
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

from base.calendrier import dernier_jour_du_mois
from base.formats import nombre_fr

# 48 h × 52 / 12: the legal maximum of hours in a month.
HEURES_MAX_PAR_MOIS = Decimal("208")
SEMAINES_PAR_MOIS = Decimal(52) / Decimal(12)


def ajouter_mois(jour: dt.date, mois: int) -> dt.date:
    """The same day `mois` months later, clamped to the month's last day (31 January + 1 month = 28/29 February)."""
    annee, rang = divmod(jour.month - 1 + mois, 12)
    cible = dt.date(jour.year + annee, rang + 1, 1)
    return cible.replace(day=min(jour.day, dernier_jour_du_mois(cible).day))


def fin_pass_iae(debut: dt.date, jours_de_suspension: int = 0) -> dt.date:
    """A PASS IAE lasts 24 months less a day; suspensions push its end by their length in days."""
    return ajouter_mois(debut, 24) - dt.timedelta(days=1) + dt.timedelta(days=jours_de_suspension)


def chevauche_le_mois(debut: dt.date, fin: dt.date | None, mois: dt.date) -> bool:
    """Whether [debut, fin] (fin None: open) shares at least one day with the month."""
    return debut <= dernier_jour_du_mois(mois) and (fin is None or fin >= mois)


def heures_contractuelles_du_mois(heures_hebdo: Decimal | None) -> Decimal | None:
    if heures_hebdo is None:
        return None
    return heures_hebdo * SEMAINES_PAR_MOIS


# Publics (spec §8): ages on the hire date. The indicators count by them; an anonymised parcours keeps its bracket.
AGE_JEUNE = 26  # "under 26": 25 at the latest
AGE_SENIOR = 50  # "50 and over"


def age_au(date_naissance: dt.date, jour: dt.date) -> int:
    return jour.year - date_naissance.year - ((jour.month, jour.day) < (date_naissance.month, date_naissance.day))


# A birth date is plausible when it gives 14 to 100 years on the hire date: anything else is a typing error.
AGE_MIN_EMBAUCHE = 14
AGE_MAX_EMBAUCHE = 100


def erreur_age_a_l_embauche(date_naissance: dt.date, date_embauche: dt.date) -> str | None:
    """Why a birth date is refused for a hire on that day, or None."""
    if date_naissance >= date_embauche:
        return "la date de naissance doit précéder l'embauche"
    age = age_au(date_naissance, date_embauche)
    if not AGE_MIN_EMBAUCHE <= age <= AGE_MAX_EMBAUCHE:
        return (
            f"la date de naissance donne {age} ans à l'embauche du {date_embauche:%d/%m/%Y} : "
            f"de {AGE_MIN_EMBAUCHE} à {AGE_MAX_EMBAUCHE} ans attendus"
        )
    return None


def forme_comparable(nom: str) -> str:
    """A name as two spellings of the same person compare equal: case, accents, hyphens, apostrophes and repeated
    spaces aside (« LEA » from the ASP's flux, « Léa » typed by the structure)."""
    decompose = unicodedata.normalize("NFKD", nom)
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c))
    return " ".join(sans_accents.casefold().replace("-", " ").replace("'", " ").replace("\u2019", " ").split())


def fin_de_la_suspension(
    discordances: list[tuple[dt.datetime, int]], maximum: int, fenetre: dt.timedelta
) -> dt.datetime | None:
    """When a user's parcours imports open again, given (date, number of lines) of their identity mismatches within
    the window: None while they total less than `maximum`; else once enough of the oldest have left the window."""
    restant = sum(nombre for _, nombre in discordances)
    if restant < maximum or not discordances:
        return None
    for date, nombre in sorted(discordances):
        restant -= nombre
        if restant < maximum:
            return date + fenetre
    return max(date for date, _ in discordances) + fenetre  # a maximum below 1: the window must pass over them all


def erreur_heures(heures: Decimal) -> str | None:
    """Why a month's hours are refused, said alike by the grid and the imported file; None when they are not."""
    if heures < 0:
        return "les heures ne peuvent pas être négatives"
    if heures > HEURES_MAX_PAR_MOIS:
        return f"{nombre_fr(heures)} h dépasse le maximum légal de 208 h dans un mois"
    return None


def message_motif_inconnu(motifs_valides: Iterable[str]) -> str:
    """« motif de sortie inconnu (codes valides : CDD_6M_PLUS, CDI, …) »."""
    codes = sorted(motifs_valides)
    return f"motif de sortie inconnu (codes valides : {', '.join(codes)})" if codes else "motif de sortie inconnu"


def erreurs_ligne_declaration(
    *,
    mois: dt.date,
    heures: Decimal,
    contrat_couvre_le_mois: bool,
    pass_debut: dt.date | None,
    pass_fin: dt.date | None,
    date_embauche: dt.date | None,
    date_sortie: dt.date | None,
    motif_sortie_connu: bool,
    motif_sortie_donne: bool,
    motifs_valides: Iterable[str] = (),
) -> list[tuple[str, str]]:
    """The refusals of one line (field, message), spec §3; an empty list when the line is accepted. An unknown exit
    motif is told with the valid codes (`motifs_valides`), so that the file can be corrected without looking them
    up elsewhere."""
    erreurs = []
    if (erreur := erreur_heures(heures)) is not None:
        erreurs.append(("heures_travaillees", erreur))
    if not contrat_couvre_le_mois:
        erreurs.append(("numero_pass", "aucun contrat avec la structure ne couvre ce mois"))
    if pass_debut is None:
        # A PASS from the ASP's flux may come without its start: its validity is not guessed.
        erreurs.append(
            (
                "numero_pass",
                "la date de début du PASS IAE est inconnue : sa validité ce mois ne peut pas être vérifiée",
            )
        )
    elif not chevauche_le_mois(pass_debut, pass_fin, mois):
        erreurs.append(("numero_pass", "le PASS IAE n'est valide aucun jour du mois"))
    if date_sortie is not None:
        if not (mois <= date_sortie <= dernier_jour_du_mois(mois)):
            erreurs.append(("date_sortie", f"la date de sortie {date_sortie:%d/%m/%Y} n'est pas dans le mois déclaré"))
        elif date_embauche is not None and date_sortie < date_embauche:
            erreurs.append(("date_sortie", "la date de sortie précède la date d'embauche"))
        if not motif_sortie_donne:
            erreurs.append(("motif_sortie", "le motif de sortie est obligatoire avec une date de sortie"))
    if motif_sortie_donne and not motif_sortie_connu:
        erreurs.append(("motif_sortie", message_motif_inconnu(motifs_valides)))
    if motif_sortie_donne and date_sortie is None and motif_sortie_connu:
        erreurs.append(("date_sortie", "la date de sortie est obligatoire avec un motif de sortie"))
    return erreurs


def depasse_le_contrat(heures: Decimal, heures_hebdo: Decimal | None) -> bool:
    """Accepted with a warning: more hours than the contract provides for a month."""
    contractuelles = heures_contractuelles_du_mois(heures_hebdo)
    return contractuelles is not None and heures > contractuelles
