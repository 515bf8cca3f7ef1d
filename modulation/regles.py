"""The proposal of the modulation rate of the aide au poste (spec §5: 0 to 10 % of the socle), as plain functions
on values: no database.

The three regulatory criteria (profile of the people hired, insertion effort, results) are each scored 0 to 100
from indicators. Every indicator is a value (a share, or hours per ETP) against a target (*cible*), on one scale:

- 0 scores 0, the target scores 50, and the ceiling (*plafond*: 100 % for a share, twice the target for hours
  per ETP) scores 100, linearly between these points: reaching every target proposes 5 %, the middle of the
  range, and each point of the way beyond a target up to the ceiling earns its share of the other half;
- an indicator without data (no hire, no salarié, no examined exit) is left out and its criterion is the weighted
  mean of the others; a criterion without any data is left out of the proposal in the same way; without any data
  at all there is no proposal (the agent decides alone).

The proposed rate is the weighted mean of the criteria's scores / 10 (in %), rounded half-up to the half point and
kept within 0–10 %. It is returned as a fraction (0.045 for 4.5 %), as `AnnexeFinanciere.taux_modulation`.

The criteria are measured over the year before the annexe's (the complete year the dialogue de gestion looks
back on): an annexe of 2026 is proposed from 2025's hires, actions and exits, against the objectives of the
structure's 2025 annexe (or, without them, the default targets below).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from indicateurs.regles_sorties import (
    OBJECTIF_PART_BRSA,
    PLANCHER_EMPLOI_DURABLE,
    PLANCHER_SORTIES_DYNAMIQUES,
    CompteSorties,
    EmbauchesPubliques,
)

ZERO = Decimal(0)
CENT = Decimal(100)
UN = Decimal(1)
TAUX_MAX = Decimal("0.10")
PAS_EN_POINTS = Decimal("0.5")  # the proposal is rounded to the half point of %


class Unite:
    PART = "part"  # a share of people: a ratio 0–1, shown in %
    HEURES_PAR_ETP = "heures_par_etp"


# Profile of the people hired: the share of the year's hires with each characteristic recorded at hire, against
# a target in % (bRSA: the annexe's negotiated objective, else the 40 % of the seed), with its weight.
CIBLES_PUBLICS = {
    "brsa": ("Bénéficiaires du RSA", "bRSA", Decimal(40), 2),
    "deld_detld": ("Demandeurs d'emploi de longue ou très longue durée", "DELD ou DETLD", Decimal(40), 2),
    "rqth": ("Travailleurs handicapés (RQTH)", "RQTH", Decimal(10), 1),
    "qpv": ("Résidents d'un QPV", "résidents d'un QPV", Decimal(10), 1),
    "infra_cap": ("Niveau de formation infra CAP", "infra CAP", Decimal(40), 1),
    "cinquante_ans_et_plus": ("50 ans et plus à l'embauche", "âgés de 50 ans et plus", Decimal(15), 1),
}
# Insertion effort: the share of the year's salariés with at least one action begun in the year (training, PMSMP,
# accompaniment), and the training hours begun in the year per ETP réalisé.
CIBLE_SALARIES_AVEC_ACTION = Decimal(50)  # %
CIBLE_HEURES_FORMATION_PAR_ETP = Decimal(20)  # hours per ETP réalisé, about three days a year
POIDS_SALARIES_AVEC_ACTION = 1
POIDS_HEURES_FORMATION = 1
# Results: the taux de sorties dynamiques and d'emploi durable of the year's examined exits against the
# objectives of the structure's annexe, else the historic floors (spec §7).
POIDS_SORTIES_DYNAMIQUES = 2
POIDS_EMPLOI_DURABLE = 1
# The three criteria weigh the same: the texts give none precedence.
POIDS_CRITERES = {"publics": 1, "effort": 1, "resultats": 1}


def note(valeur: Decimal | None, cible: Decimal, plafond: Decimal) -> Decimal | None:
    """The 0–100 score of a value against its target: 50 × valeur / cible up to the target, then linearly to 100
    at the ceiling, 100 beyond. None without a value. A target of 0 is met by any value."""
    if valeur is None:
        return None
    valeur, cible, plafond = Decimal(valeur), Decimal(cible), Decimal(plafond)
    if valeur >= plafond:
        return CENT
    if cible <= 0:
        return 50 + 50 * valeur / plafond
    if valeur <= cible:
        return 50 * valeur / cible
    return 50 + 50 * (valeur - cible) / (plafond - cible)


def arrondi_note(valeur: Decimal | None) -> Decimal | None:
    """A score as shown and stored: one decimal, half-up."""
    return None if valeur is None else Decimal(valeur).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def moyenne_ponderee(notes: list[tuple[Decimal | None, int]]) -> Decimal | None:
    """The weighted mean of the scores that exist; None when none does."""
    presentes = [(n, p) for n, p in notes if n is not None and p > 0]
    poids = sum(p for _, p in presentes)
    if not poids:
        return None
    return sum((n * p for n, p in presentes), ZERO) / poids


@dataclass(frozen=True)
class Indicateur:
    """One measured figure: numerateur / denominateur against a target, with its weight in its criterion.

    For a share, `cible` and `plafond` are ratios (0.40, 1); for hours per ETP, hours (20, 40)."""

    code: str
    libelle: str
    numerateur: Decimal | int
    denominateur: Decimal | int
    cible: Decimal
    plafond: Decimal
    poids: int
    unite: str = Unite.PART
    cible_par_defaut: bool = False  # the default target, for want of a negotiated objective
    libelle_numerateur: str = ""
    libelle_denominateur: str = ""

    @property
    def valeur(self) -> Decimal | None:
        if not self.denominateur:
            return None
        return Decimal(self.numerateur) / Decimal(self.denominateur)

    @property
    def note(self) -> Decimal | None:
        return note(self.valeur, self.cible, self.plafond)


@dataclass(frozen=True)
class Critere:
    code: str
    libelle: str
    indicateurs: tuple[Indicateur, ...]

    @property
    def note(self) -> Decimal | None:
        return moyenne_ponderee([(i.note, i.poids) for i in self.indicateurs])

    @property
    def poids(self) -> int:
        return POIDS_CRITERES[self.code]


def arrondi_au_demi_point(taux_en_points: Decimal) -> Decimal:
    """4.74 → 4.5, 4.75 → 5.0 (half-up to the half point)."""
    return (Decimal(taux_en_points) / PAS_EN_POINTS).quantize(UN, rounding=ROUND_HALF_UP) * PAS_EN_POINTS


def taux_propose(note_globale: Decimal | None) -> Decimal | None:
    """The proposed rate (a fraction) of a 0–100 score: score / 10 points of %, to the half point, 0 to 10 %."""
    if note_globale is None:
        return None
    points = arrondi_au_demi_point(Decimal(note_globale) / 10)
    return min(max(points, ZERO), TAUX_MAX * CENT) / CENT


@dataclass(frozen=True)
class Proposition:
    annee_reference: int
    criteres: tuple[Critere, ...]

    @property
    def note(self) -> Decimal | None:
        return moyenne_ponderee([(c.note, c.poids) for c in self.criteres])

    @property
    def taux(self) -> Decimal | None:
        return taux_propose(self.note)

    def critere(self, code: str) -> Critere:
        return next(c for c in self.criteres if c.code == code)


# The data of each criterion, as the queries read them -------------------------------------------------------


@dataclass(frozen=True)
class Effort:
    """The salariés with hours in the year, those with at least one action begun in the year, the training hours
    begun in the year and the year's ETP réalisés; `actions`: the number of actions begun per type."""

    salaries: int = 0
    salaries_avec_action: int = 0
    heures_formation: Decimal = ZERO
    etp_realises: Decimal = ZERO
    actions: dict[str, int] = field(default_factory=dict)


def _pourcentage_en_ratio(pourcentage: Decimal) -> Decimal:
    return Decimal(pourcentage) / CENT


def critere_publics(embauches: EmbauchesPubliques, objectif_part_brsa: Decimal | None = None) -> Critere:
    """`objectif_part_brsa` in % (the annexe's), None: the default 40 %."""
    indicateurs = []
    for code, (libelle, court, cible, poids) in CIBLES_PUBLICS.items():
        par_defaut = False
        if code == "brsa":
            par_defaut = objectif_part_brsa is None
            cible = OBJECTIF_PART_BRSA if par_defaut else Decimal(objectif_part_brsa)
        indicateurs.append(
            Indicateur(
                code=code,
                libelle=libelle,
                numerateur=getattr(embauches, code),
                denominateur=embauches.embauches,
                cible=_pourcentage_en_ratio(cible),
                plafond=UN,
                poids=poids,
                cible_par_defaut=par_defaut,
                libelle_numerateur=court,
                libelle_denominateur="embauches",
            )
        )
    return Critere("publics", "Profil des personnes embauchées", tuple(indicateurs))


def critere_effort(effort: Effort) -> Critere:
    return Critere(
        "effort",
        "Effort d'insertion",
        (
            Indicateur(
                code="salaries_avec_action",
                libelle="Salariés ayant bénéficié d'une action (formation, PMSMP, accompagnement)",
                numerateur=effort.salaries_avec_action,
                denominateur=effort.salaries,
                cible=_pourcentage_en_ratio(CIBLE_SALARIES_AVEC_ACTION),
                plafond=UN,
                poids=POIDS_SALARIES_AVEC_ACTION,
                libelle_numerateur="salariés avec une action",
                libelle_denominateur="salariés",
            ),
            Indicateur(
                code="heures_formation_par_etp",
                libelle="Heures de formation par ETP réalisé",
                numerateur=effort.heures_formation,
                denominateur=effort.etp_realises,
                cible=CIBLE_HEURES_FORMATION_PAR_ETP,
                plafond=2 * CIBLE_HEURES_FORMATION_PAR_ETP,
                poids=POIDS_HEURES_FORMATION,
                unite=Unite.HEURES_PAR_ETP,
                libelle_numerateur="heures de formation",
                libelle_denominateur="ETP réalisés",
            ),
        ),
    )


def critere_resultats(
    compte: CompteSorties,
    objectif_sorties_dynamiques: Decimal | None = None,
    objectif_emploi_durable: Decimal | None = None,
) -> Critere:
    """Objectives in % (the annexe's); None: the historic floors, 60 % and 25 %."""
    base = compte.examinees - compte.retraits

    def indicateur(code, libelle, numerateur, objectif, plancher, poids, libelle_numerateur):
        return Indicateur(
            code=code,
            libelle=libelle,
            numerateur=numerateur,
            denominateur=max(base, 0),
            cible=_pourcentage_en_ratio(plancher if objectif is None else objectif),
            plafond=UN,
            poids=poids,
            cible_par_defaut=objectif is None,
            libelle_numerateur=libelle_numerateur,
            libelle_denominateur="sorties examinées hors retraits",
        )

    return Critere(
        "resultats",
        "Résultats en matière d'insertion",
        (
            indicateur(
                "sorties_dynamiques",
                "Taux de sorties dynamiques",
                compte.sorties_dynamiques,
                objectif_sorties_dynamiques,
                PLANCHER_SORTIES_DYNAMIQUES,
                POIDS_SORTIES_DYNAMIQUES,
                "sorties dynamiques",
            ),
            indicateur(
                "emploi_durable",
                "Taux d'emploi durable",
                compte.emploi_durable,
                objectif_emploi_durable,
                PLANCHER_EMPLOI_DURABLE,
                POIDS_EMPLOI_DURABLE,
                "sorties en emploi durable",
            ),
        ),
    )


def proposition(
    annee_reference: int,
    embauches: EmbauchesPubliques,
    effort: Effort,
    sorties: CompteSorties,
    objectifs: dict[str, Decimal | None] | None = None,
) -> Proposition:
    """The proposal from the data of the reference year; `objectifs` (in %): `part_brsa`, `sorties_dynamiques`,
    `emploi_durable` of the structure's annexe of that year (missing or None: the defaults)."""
    objectifs = objectifs or {}
    return Proposition(
        annee_reference,
        (
            critere_publics(embauches, objectifs.get("part_brsa")),
            critere_effort(effort),
            critere_resultats(sorties, objectifs.get("sorties_dynamiques"), objectifs.get("emploi_durable")),
        ),
    )


def annee_de_reference(date_debut_annexe: dt.date) -> int:
    """The criteria of an annexe are measured over the year before its start."""
    return date_debut_annexe.year - 1


# The envelope -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BilanEnveloppe:
    """The département's total modulation against the envelope the agent entered (None: none entered)."""

    enveloppe: Decimal | None
    total: Decimal

    @property
    def reste(self) -> Decimal | None:
        """Envelope − total: positive, what remains; negative, the overrun."""
        return None if self.enveloppe is None else self.enveloppe - self.total

    @property
    def depassement(self) -> bool:
        return self.reste is not None and self.reste < 0

    @property
    def montant_du_depassement(self) -> Decimal:
        return -self.reste if self.depassement else ZERO

    @property
    def taux_consomme(self) -> Decimal | None:
        if not self.enveloppe:
            return None
        return self.total / self.enveloppe


def taux_en_fraction(points: Decimal) -> Decimal:
    """A rate typed in % (4.5) as stored (0.045)."""
    return Decimal(points) / CENT


def erreurs_taux(points: Decimal | None) -> list[str]:
    """A decided rate in %: 0 to 10, to the tenth of a point."""
    if points is None:
        return ["indiquez le taux décidé."]
    points = Decimal(points)
    erreurs = []
    if points < 0 or points > TAUX_MAX * CENT:
        erreurs.append("le taux de modulation est compris entre 0 et 10 %.")
    if points != points.quantize(Decimal("0.1")):
        erreurs.append("le taux se décide au dixième de point (4,5 % par exemple).")
    return erreurs
