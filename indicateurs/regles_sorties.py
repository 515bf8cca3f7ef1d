"""Rules of the sorties dynamiques (spec §7) and of the publics (spec §8), as plain functions: no database.

An exit of year N is *examinée* when its date is in N and the parcours qualifies:
- ACI, EI: at least 3 months between hire and exit, that is an exit **on or after the hire date + 3 months**
  (the same day three months later, clamped to the end of a shorter month: hired on 30 November, an exit on
  28 February qualifies, or 29 February in a leap year). Hired on 15 January: an exit on 15 April qualifies,
  on 14 April it does not;
- AI, ETTI: at least 150 hours worked in the parcours (149.75 h no, 150 h yes);
- EITI: always.

`taux_sorties_dynamiques = (durable + transition + positive) / (examinées − retraits)`, and likewise the rate of
each category; undefined (None) when every examined exit is a retrait, or none is examined.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from parcours.regles import AGE_JEUNE, AGE_SENIOR, age_au, ajouter_mois

MOIS_MINIMUM = 3  # ACI, EI
HEURES_MINIMUM = Decimal(150)  # AI, ETTI
TYPES_A_DUREE = ("ACI", "EI")
TYPES_A_HEURES = ("AI", "ETTI")
TYPES_TOUJOURS_EXAMINES = ("EITI",)

# Publics: ages on the hire date, AGE_JEUNE (under 26) and AGE_SENIOR (50 and over), defined in parcours.regles
# with the age brackets an anonymised parcours keeps.

# Hires of bRSA: at least 40 % (seed 000, CAOM), unless the annexe negotiated another share.
OBJECTIF_PART_BRSA = Decimal(40)


def date_de_qualification(date_embauche: dt.date) -> dt.date:
    """ACI, EI: the first exit date that makes a parcours examined (hire + 3 months, clamped to the month end)."""
    return ajouter_mois(date_embauche, MOIS_MINIMUM)


def parcours_qualifie(type_siae: str, date_embauche: dt.date, date_sortie: dt.date, heures: Decimal) -> bool:
    """Whether a parcours that ended on `date_sortie` lasted long enough to be examined (spec §7)."""
    if type_siae in TYPES_A_DUREE:
        return date_sortie >= date_de_qualification(date_embauche)
    if type_siae in TYPES_A_HEURES:
        return Decimal(heures) >= HEURES_MINIMUM
    return type_siae in TYPES_TOUJOURS_EXAMINES


def sortie_examinee(
    annee: int, type_siae: str, date_embauche: dt.date, date_sortie: dt.date | None, heures: Decimal
) -> bool:
    """An exit of `annee` that counts in that year's sorties dynamiques."""
    if date_sortie is None or date_sortie.year != annee:
        return False
    return parcours_qualifie(type_siae, date_embauche, date_sortie, heures)


def taux_sur_examinees(nombre: int, examinees: int, retraits: int) -> Decimal | None:
    """A share of the examined exits, retraits neutralised: None when nothing is left to divide by."""
    denominateur = examinees - retraits
    if denominateur <= 0:
        return None
    return Decimal(nombre) / Decimal(denominateur)


def taux_sorties_dynamiques(
    emploi_durable: int, emploi_transition: int, sorties_positives: int, examinees: int, retraits: int
) -> Decimal | None:
    return taux_sur_examinees(emploi_durable + emploi_transition + sorties_positives, examinees, retraits)


def taux_emploi_durable(emploi_durable: int, examinees: int, retraits: int) -> Decimal | None:
    return taux_sur_examinees(emploi_durable, examinees, retraits)


@dataclass(frozen=True)
class CompteSorties:
    """The examined exits of a group (a kind, a structure, a département) in one year, by category.

    An examined exit without a motif counts as `autres` (it is not a retrait, nor a dynamic exit)."""

    examinees: int = 0
    retraits: int = 0
    emploi_durable: int = 0
    emploi_transition: int = 0
    sorties_positives: int = 0

    def __add__(self, autre: "CompteSorties") -> "CompteSorties":
        return CompteSorties(
            self.examinees + autre.examinees,
            self.retraits + autre.retraits,
            self.emploi_durable + autre.emploi_durable,
            self.emploi_transition + autre.emploi_transition,
            self.sorties_positives + autre.sorties_positives,
        )

    @property
    def sorties_dynamiques(self) -> int:
        return self.emploi_durable + self.emploi_transition + self.sorties_positives

    @property
    def autres(self) -> int:
        return self.examinees - self.retraits - self.sorties_dynamiques

    @property
    def taux_sorties_dynamiques(self) -> Decimal | None:
        return taux_sorties_dynamiques(
            self.emploi_durable, self.emploi_transition, self.sorties_positives, self.examinees, self.retraits
        )

    @property
    def taux_emploi_durable(self) -> Decimal | None:
        return taux_emploi_durable(self.emploi_durable, self.examinees, self.retraits)

    @property
    def taux_emploi_transition(self) -> Decimal | None:
        return taux_sur_examinees(self.emploi_transition, self.examinees, self.retraits)

    @property
    def taux_sorties_positives(self) -> Decimal | None:
        return taux_sur_examinees(self.sorties_positives, self.examinees, self.retraits)


# Publics (spec §8)


def moins_de_26_ans(date_naissance: dt.date, date_embauche: dt.date) -> bool:
    return age_au(date_naissance, date_embauche) < AGE_JEUNE


def cinquante_ans_et_plus(date_naissance: dt.date, date_embauche: dt.date) -> bool:
    return age_au(date_naissance, date_embauche) >= AGE_SENIOR


def part(nombre: int, total: int) -> Decimal | None:
    """A share of a population (a ratio, 0.41 for 41 %), None for an empty population."""
    return None if not total else Decimal(nombre) / Decimal(total)


def objectif_part_brsa(objectif_de_l_annexe: Decimal | None) -> Decimal:
    """The share of bRSA among hires to reach, in %: the annexe's when negotiated, else 40 %."""
    return OBJECTIF_PART_BRSA if objectif_de_l_annexe is None else Decimal(objectif_de_l_annexe)


def sous_l_objectif(ratio: Decimal | None, objectif_pourcent: Decimal | None) -> bool:
    """A realised ratio (0.35) below an objective in % (40): flagged. Nothing to compare: not flagged."""
    if ratio is None or objectif_pourcent is None:
        return False
    return Decimal(ratio) * 100 < Decimal(objectif_pourcent)


def ecart_en_points(ratio: Decimal | None, objectif_pourcent: Decimal | None) -> Decimal | None:
    """Realised minus objective, in percentage points (0.55 against 60 → −5)."""
    if ratio is None or objectif_pourcent is None:
        return None
    return Decimal(ratio) * 100 - Decimal(objectif_pourcent)


# The historic floors (spec §7), shown beside an objective that was not negotiated.
PLANCHER_SORTIES_DYNAMIQUES = Decimal(60)


PLANCHER_EMPLOI_DURABLE = Decimal(25)


@dataclass
class LigneDialogue:
    libelle: str
    objectif: Decimal | None  # in %, as negotiated
    realise: Decimal | None  # a ratio
    repere: Decimal | None = None  # the historic floor, in %, when no objective was negotiated
    objectif_par_defaut: bool = False

    @property
    def objectif_ratio(self) -> Decimal | None:
        return None if self.objectif is None else self.objectif / 100

    @property
    def ecart(self) -> Decimal | None:
        return ecart_en_points(self.realise, self.objectif)

    @property
    def sous_l_objectif(self) -> bool:
        return sous_l_objectif(self.realise, self.objectif)


@dataclass(frozen=True)
class EmbauchesPubliques:
    """The hires of the year (parcours begun in it) and how many of them have each characteristic at hire."""

    embauches: int = 0
    brsa: int = 0
    deld_detld: int = 0
    rqth: int = 0
    qpv: int = 0
    infra_cap: int = 0
    cinquante_ans_et_plus: int = 0
