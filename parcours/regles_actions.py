"""Rules of the insertion actions of a parcours (trainings, PMSMP, accompaniments), as plain functions.

An action starts within the parcours (from the hire, not after the exit) and not in the future: it is recorded
once it has begun. A PMSMP lasts at most one month (Code du travail, D. 5135-3); renewed, it is a second action. A
training gives its length in hours: they count in the structure's effort d'insertion (modulation of the aide au
poste).
"""

import datetime as dt
from decimal import Decimal

from .regles import ajouter_mois

PMSMP = "PMSMP"
FORMATION = "FORMATION"
DUREE_MAX_PMSMP_MOIS = 1

LIBELLES = {
    "type": "Type d'action",
    "libelle": "Intitulé",
    "organisme": "Organisme ou entreprise d'accueil",
    "date_debut": "Début",
    "date_fin": "Fin",
    "heures": "Durée (heures)",
}


def jour(date: dt.date) -> str:
    return f"{date:%d/%m/%Y}"


def fin_max_pmsmp(debut: dt.date) -> dt.date:
    """The last day of a one-month PMSMP: the day before the same day a month later (1 March → 31 March)."""
    return ajouter_mois(debut, DUREE_MAX_PMSMP_MOIS) - dt.timedelta(days=1)


def erreurs_action(
    *,
    type: str,
    libelle: str,
    date_debut: dt.date,
    date_fin: dt.date | None,
    heures: Decimal | None,
    date_embauche: dt.date,
    date_sortie: dt.date | None,
    aujourd_hui: dt.date,
) -> list[tuple[str, str]]:
    """The refusals of an action (field, message); an empty list when it is accepted."""
    erreurs = []
    if not libelle.strip():
        erreurs.append(("libelle", "indiquez l'intitulé de l'action."))
    if date_debut > aujourd_hui:
        erreurs.append(("date_debut", "une action s'enregistre une fois commencée, pas dans le futur."))
    if date_debut < date_embauche:
        erreurs.append(("date_debut", f"l'action commence avant l'embauche ({jour(date_embauche)})."))
    if date_sortie and date_debut > date_sortie:
        erreurs.append(("date_debut", f"le salarié est sorti du parcours le {jour(date_sortie)}."))
    if date_fin is not None and date_fin < date_debut:
        erreurs.append(("date_fin", "la fin précède le début."))
    if type == PMSMP:
        if date_fin is None:
            erreurs.append(("date_fin", "une PMSMP a une date de fin."))
        elif date_fin >= date_debut and date_fin > fin_max_pmsmp(date_debut):
            erreurs.append(
                ("date_fin", f"une PMSMP dure au plus un mois (jusqu'au {jour(fin_max_pmsmp(date_debut))}) ; "
                 "renouvelée, enregistrez une seconde période.")
            )  # fmt: skip
    if heures is not None and heures <= 0:
        erreurs.append(("heures", "la durée est positive."))
    if type == FORMATION and heures is None:
        erreurs.append(("heures", "la durée d'une formation est obligatoire : ses heures comptent dans l'effort "
                                  "d'insertion."))  # fmt: skip
    return erreurs


def message(champ: str, texte: str) -> str:
    return f"{LIBELLES.get(champ, champ)} : {texte}"
