"""The rules of the contrôle a posteriori of auto-prescriptions (spec §9): plain values in, plain values out.

Sampling: a structure of a controlled kind (ACI, EI, ETTI, AI) is eligible with at least 2 auto-prescriptions
among the year's hires; the DDETS draws a share of the eligible structures (20 to 40 %, default 30 %), the nearest
whole number rounding halves up, at least one when any is eligible; in each drawn structure, 20 % of its
auto-prescriptions rounded up, at least 2, at most 20. The draw is reproducible: `random.Random(graine)` over
sorted ids, so the same seed and the same hires give the same sample.
"""

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

TYPES_CONTROLES = ("ACI", "AI", "EI", "ETTI")
PART_SIAE_MIN, PART_SIAE_MAX, PART_SIAE_DEFAUT = 20, 40, 30  # % of the eligible structures
AUTO_PRESCRIPTIONS_MIN = 2  # to be eligible
PART_EMBAUCHES = 20  # % of a drawn structure's auto-prescriptions
EMBAUCHES_MIN, EMBAUCHES_MAX = 2, 20

TAILLE_MAX_JUSTIFICATIF = 5 * 1024 * 1024  # 5 Mo
TROP_GRAND = "Le fichier dépasse 5 Mo : réduisez-le ou scannez moins de pages à la fois."
SIGNATURE_PDF = b"%PDF-"


def arrondi_demi_superieur(numerateur: int, denominateur: int) -> int:
    """numerateur / denominateur rounded to the nearest integer, halves up (2.5 → 3), in exact integer arithmetic."""
    return (2 * numerateur + denominateur) // (2 * denominateur)


def nombre_de_siae_tirees(nombre_eligibles: int, part: int) -> int:
    """`part` % of the eligible structures, halves rounded up, at least one when any is eligible."""
    if not PART_SIAE_MIN <= part <= PART_SIAE_MAX:
        raise ValueError(
            f"La part de structures contrôlées doit être comprise entre {PART_SIAE_MIN} et {PART_SIAE_MAX} %."
        )
    if nombre_eligibles <= 0:
        return 0
    return max(1, arrondi_demi_superieur(nombre_eligibles * part, 100))


def nombre_d_embauches_controlees(nombre_auto_prescriptions: int) -> int:
    """20 % of the structure's auto-prescriptions rounded up (never less than 20 %), at least 2, at most 20."""
    if nombre_auto_prescriptions < AUTO_PRESCRIPTIONS_MIN:
        return 0
    vingt_pour_cent = -(-nombre_auto_prescriptions * PART_EMBAUCHES // 100)  # ceiling
    return min(max(vingt_pour_cent, EMBAUCHES_MIN), EMBAUCHES_MAX, nombre_auto_prescriptions)


@dataclass(frozen=True)
class Candidate:
    """A structure of the département and the ids of its auto-prescribed hires of the year checked."""

    siae_id: int
    type: str
    embauches: tuple[int, ...]


@dataclass(frozen=True)
class Echantillon:
    eligibles: tuple[int, ...]  # ids of the eligible structures, sorted
    embauches: dict[int, tuple[int, ...]]  # drawn structure id → drawn hire ids, both sorted

    @property
    def siae_tirees(self) -> tuple[int, ...]:
        return tuple(self.embauches)


def est_eligible(candidate: Candidate) -> bool:
    return candidate.type in TYPES_CONTROLES and len(set(candidate.embauches)) >= AUTO_PRESCRIPTIONS_MIN


def tirer_echantillon(candidates: Iterable[Candidate], part: int, graine: int) -> Echantillon:
    """Draw the structures, then in each drawn structure (in id order) its hires, from one generator seeded with
    `graine`. Inputs are sorted first, so the order they come in does not change the draw."""
    generateur = random.Random(graine)
    par_siae = {c.siae_id: tuple(sorted(set(c.embauches))) for c in candidates if est_eligible(c)}
    eligibles = tuple(sorted(par_siae))
    tirees = sorted(generateur.sample(eligibles, nombre_de_siae_tirees(len(eligibles), part)))
    embauches = {}
    for siae_id in tirees:
        ids = par_siae[siae_id]
        embauches[siae_id] = tuple(sorted(generateur.sample(ids, nombre_d_embauches_controlees(len(ids)))))
    return Echantillon(eligibles=eligibles, embauches=embauches)


# The calendar (seed 000, the Meuse's 2022 campaign on the 2021 hires): sampling 4 weeks in April, checks 6 weeks
# in May–June ending on 21 June, contradictory phase 6 weeks in June–July, then the sanctions.


def calendrier_par_defaut(annee: int) -> dict[str, dt.date]:
    """The planned dates of the campaign on the hires of `annee`, held the following year."""
    campagne = annee + 1
    echantillonnage_debut = dt.date(campagne, 4, 1)
    controle_fin = dt.date(campagne, 6, 21)
    controle_debut = controle_fin - dt.timedelta(weeks=6) + dt.timedelta(days=1)
    contradictoire_debut = controle_fin + dt.timedelta(days=1)
    contradictoire_fin = contradictoire_debut + dt.timedelta(weeks=6) - dt.timedelta(days=1)
    return {
        "echantillonnage_debut": echantillonnage_debut,
        "echantillonnage_fin": echantillonnage_debut + dt.timedelta(weeks=4) - dt.timedelta(days=1),
        "controle_debut": controle_debut,
        "controle_fin": controle_fin,
        "contradictoire_debut": contradictoire_debut,
        "contradictoire_fin": contradictoire_fin,
        "sanctions_debut": contradictoire_fin + dt.timedelta(days=1),
    }


ORDRE_DES_DATES = (
    "echantillonnage_debut",
    "echantillonnage_fin",
    "controle_debut",
    "controle_fin",
    "contradictoire_debut",
    "contradictoire_fin",
    "sanctions_debut",
)


def erreurs_calendrier(annee: int, dates: dict[str, dt.date]) -> dict[str, str]:
    """field → message: the sampling starts after the year checked, a phase ends on or after its start, and the
    next one starts after it ends."""
    erreurs = {}
    debut = dates.get("echantillonnage_debut")
    if debut and debut.year <= annee:
        erreurs["echantillonnage_debut"] = f"L'échantillonnage commence après la fin de l'année contrôlée ({annee})."
    precedente = None
    for champ in ORDRE_DES_DATES:
        valeur = dates.get(champ)
        if valeur is None:
            continue
        if precedente is not None and champ not in erreurs:
            if champ.endswith("_fin") and valeur < precedente:
                erreurs[champ] = "La fin d'une phase ne peut précéder son début."
            elif champ.endswith("_debut") and valeur <= precedente:
                erreurs[champ] = "Une phase commence après la fin de la précédente."
        precedente = valeur
    return erreurs


def erreur_justificatif(taille: int, debut: bytes) -> str | None:
    """Why an uploaded proof is refused, or None: a PDF (recognised by its first bytes, not its name), 5 Mo at most."""
    if taille > TAILLE_MAX_JUSTIFICATIF:
        return TROP_GRAND
    if taille == 0:
        return "Le fichier est vide."
    if not debut.startswith(SIGNATURE_PDF):
        return "Le fichier n'est pas un PDF : enregistrez ou scannez le justificatif au format PDF."
    return None


# Where a phase of a campaign stands against its current one, as its page shows the calendar.
PASSEE, EN_COURS, A_VENIR = "passee", "en_cours", "a_venir"


def etats_des_phases(ordre: Sequence[str], courante: str) -> dict[str, str]:
    """Each phase of `ordre` (the phases in their order) against the current one: passee, en_cours or a_venir."""
    rang = list(ordre).index(courante)
    return {phase: PASSEE if i < rang else EN_COURS if i == rang else A_VENIR for i, phase in enumerate(ordre)}


def compter(valeurs: Iterable[str], cles: Iterable[str]) -> dict[str, int]:
    """How many of the values are each key (a decision, an outcome), every key present, zero included, in the
    keys' order."""
    comptes = dict.fromkeys(cles, 0)
    for valeur in valeurs:
        comptes[valeur] += 1
    return comptes
