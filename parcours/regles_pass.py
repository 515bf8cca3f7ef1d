"""The life of a PASS IAE (suspensions, prolongations) and the rules of contracts (spec §6), as plain functions.

A PASS's dates may be unknown (the ASP's flux gives the number, not always the start): a rule that needs them
refuses with `debut_inconnu` rather than guess them.

Values in, values out, no database: the limits of a motif are the row of `MotifSuspension` or `MotifProlongation`
(the rules as data, loaded by migration 0005) passed as a `LimitesSuspension` or `LimitesProlongation`. Each check
returns a list of `Erreur` (field, French message naming the field); an empty list means accepted.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from base.formats import nombre_fr

from .models import Decideur, LimiteCumul, LimiteDecision, StatutProlongation, TypeContrat
from .regles import age_au, ajouter_mois, fin_pass_iae

UN_JOUR = dt.timedelta(days=1)

# The kinds of contract each kind of structure signs (spec §6).
CONTRATS_PAR_TYPE_DE_SIAE = {
    "ACI": {"CDDI", "CDI_INCLUSION", "PASSERELLE"},
    "EI": {"CDDI", "CDI_INCLUSION", "PASSERELLE"},
    "AI": {"CDDU", "MISSION", "CDI_INCLUSION"},
    "ETTI": {"MISSION", "CDI_INCLUSION"},
    "EITI": {"INDEPENDANT"},
}

# Contracts.
CDDI_DUREE_MIN_MOIS = 4
CDDI_HEURES_MIN = Decimal(20)
CDI_INCLUSION_AGE_MIN = 57
CDI_INCLUSION_PARCOURS_MIN_MOIS = 12
PASSERELLE_DUREE_MOIS = 3
PASSERELLE_NOMBRE_MAX = 2  # 3 months, renewable once

# Prolongations: the request window around the current end of the PASS.
DEMANDE_MOIS_AVANT_FIN = 12
DEMANDE_MOIS_APRES_FIN = 6

# What a motif's code says by itself and its row does not hold: the age its name gives, and the contract whose end
# bounds a decision "until the contract ends".
AGE_MINIMUM_DU_MOTIF = {"SENIOR_50": 50, "CDI_INCLUSION_57": CDI_INCLUSION_AGE_MIN}
CONTRAT_DU_MOTIF = {"CDI_INCLUSION_57": TypeContrat.CDI_INCLUSION}

# The field names, as the forms show them: every message starts with the field it is about.
LIBELLES = {
    "parcours": "Parcours",
    "motif": "Motif",
    "date_debut": "Début",
    "date_fin": "Fin",
    "date_demande": "Date de la demande",
    "date_decision": "Date de la décision",
    "date_fin_formation": "Fin de la formation",
    "prescripteur_organisation": "Organisation du prescripteur",
    "prescripteur_personne": "Prescripteur (personne)",
    "statut": "Décision",
    "motif_refus": "Motif du refus",
    "type": "Type de contrat",
    "heures_hebdo": "Heures par semaine",
    "derogation": "Dérogation",
    "motif_derogation": "Motif de la dérogation",
    "date_sortie": "Date de sortie",
    "motif_sortie": "Motif de sortie",
    "date_fin_officielle": "Fin officielle",
}


@dataclass(frozen=True)
class Erreur:
    champ: str
    texte: str

    @property
    def message(self) -> str:
        return f"{LIBELLES.get(self.champ, self.champ)} : {self.texte}"

    def __str__(self):
        return self.message


def jour(date: dt.date) -> str:
    return f"{date:%d/%m/%Y}"


def debut_inconnu(champ: str, consequence: str) -> Erreur:
    """The refusal of a rule that needs the PASS's start when it is unknown."""
    return Erreur(champ, f"la date de début du PASS IAE est inconnue : {consequence}")


@dataclass(frozen=True)
class Periode:
    """From `debut` to `fin`, both days included."""

    debut: dt.date
    fin: dt.date

    @property
    def jours(self) -> int:
        return (self.fin - self.debut).days + 1

    def chevauche(self, autre: "Periode") -> bool:
        return self.debut <= autre.fin and autre.debut <= self.fin

    def __str__(self):
        return f"du {jour(self.debut)} au {jour(self.fin)}"


def fin_apres_mois(debut: dt.date, mois: int) -> dt.date:
    """The last day of a period of `mois` months from `debut` (1 January + 4 months: 30 April)."""
    return ajouter_mois(debut, mois) - UN_JOUR


def types_de_siae(texte: str) -> frozenset[str]:
    """'EI,ACI' → {'EI', 'ACI'}; empty: every kind."""
    return frozenset(t.strip().upper() for t in (texte or "").split(",") if t.strip())


def _erreur_type_de_siae(libelle: str, types: frozenset[str], type_siae: str) -> list[Erreur]:
    if types and type_siae not in types:
        return [Erreur("motif", f"« {libelle} » n'est possible qu'en {', '.join(sorted(types))}, pas en {type_siae}.")]
    return []


# The end of a PASS IAE ---------------------------------------------------------------------------------------


def fin_du_pass(
    debut: dt.date | None, suspensions: Iterable[Periode] = (), prolongations: Iterable[Periode] = ()
) -> dt.date | None:
    """Start + 24 months − 1 day, pushed by each suspension's length in days (start and end days included), then by
    each granted prolongation's length: a prolongation starts the day after the current end and the end becomes
    its end. Lengths are added rather than the last end taken, so that a suspension recorded during a
    prolongation still pushes the end. None when the start is unknown."""
    if debut is None:
        return None
    jours_suspendus = sum(s.jours for s in suspensions)
    jours_prolonges = sum(p.jours for p in prolongations)
    return fin_pass_iae(debut, jours_suspendus) + dt.timedelta(days=jours_prolonges)


def decalage_de_la_fin(debut: dt.date | None, fin: dt.date | None) -> dt.timedelta:
    """How far the suspensions and prolongations have pushed a PASS's end beyond its 24 months: kept when its start
    is corrected. Nothing when a date is unknown: no suspension nor prolongation is recorded on such a PASS (they
    are refused), so nothing has pushed it."""
    if debut is None or fin is None:
        return dt.timedelta(0)
    return fin - fin_pass_iae(debut)


# The official end -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FinDuPass:
    """The end issued by les emplois de l'inclusion (`officielle`) and the end the rules compute (`calculee`),
    either unknown (None). The official end, when known, is the end in force; the computed one is shown beside it,
    and a difference is flagged: a suspension or a prolongation recorded on one side and not on the other, or a
    start that differs."""

    officielle: dt.date | None
    calculee: dt.date | None

    @property
    def en_vigueur(self) -> dt.date | None:
        return self.officielle if self.officielle is not None else self.calculee

    @property
    def ecart_jours(self) -> int | None:
        """Computed − official, in days; None when either is unknown or they agree."""
        if self.officielle is None or self.calculee is None or self.officielle == self.calculee:
            return None
        return (self.calculee - self.officielle).days

    @property
    def ecart(self) -> str:
        """The flag, in a sentence; empty when there is nothing to flag."""
        jours = self.ecart_jours
        if jours is None:
            return ""
        sens = "plus tard" if jours > 0 else "plus tôt"
        return (
            f"fin calculée : {jour(self.calculee)}, différente de la fin officielle ({jour(self.officielle)}) : "
            f"{nombre_fr(abs(jours), 0)} jour{'s' if abs(jours) > 1 else ''} {sens}."
        )


def erreurs_fin_officielle(fin_officielle: dt.date | None, debut_pass: dt.date | None) -> list[Erreur]:
    """An official end does not precede the PASS's start (when both are known)."""
    if fin_officielle is not None and debut_pass is not None and fin_officielle < debut_pass:
        return [Erreur("date_fin_officielle", f"elle précède le début du PASS IAE ({jour(debut_pass)}).")]
    return []


# Suspensions -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LimitesSuspension:
    libelle: str
    duree_max_mois: int
    types_siae: frozenset[str] = frozenset()
    actif: bool = True

    @classmethod
    def du_motif(cls, motif) -> "LimitesSuspension":
        return cls(motif.libelle, motif.duree_max_mois, types_de_siae(motif.types_siae), motif.actif)


def erreurs_suspension(
    periode: Periode,
    motif: LimitesSuspension,
    *,
    type_siae: str,
    debut_pass: dt.date | None,
    fin_pass: dt.date | None,
    autres: Iterable[Periode],
    aujourd_hui: dt.date,
) -> list[Erreur]:
    """A suspension: at most the motif's months, not starting in the future nor before the PASS's start (nor
    after its end: an expired PASS is not suspended), no overlap with another suspension of the same PASS, a motif
    allowed for the structure's kind. A PASS whose start is unknown is not suspended: neither its start nor the
    end the suspension would push can be checked."""
    erreurs = []
    if not motif.actif:
        erreurs.append(Erreur("motif", f"« {motif.libelle} » n'est plus en vigueur."))
    erreurs += _erreur_type_de_siae(motif.libelle, motif.types_siae, type_siae)
    if periode.debut > aujourd_hui:
        erreurs.append(
            Erreur("date_debut", f"une suspension ne commence pas dans le futur (après le {jour(aujourd_hui)}).")
        )
    if debut_pass is None or fin_pass is None:
        erreurs.append(
            debut_inconnu("date_debut", "la suspension ne peut pas être vérifiée ni la fin du PASS reportée.")
        )
    elif periode.debut < debut_pass:
        erreurs.append(
            Erreur("date_debut", f"la suspension ne peut pas commencer avant le PASS IAE ({jour(debut_pass)}).")
        )
    elif periode.debut > fin_pass:
        erreurs.append(Erreur("date_debut", f"le PASS IAE a pris fin le {jour(fin_pass)} : il ne se suspend plus."))
    if periode.fin < periode.debut:
        erreurs.append(Erreur("date_fin", "la fin précède le début de la suspension."))
        return erreurs
    limite = fin_apres_mois(periode.debut, motif.duree_max_mois)
    if periode.fin > limite:
        erreurs.append(
            Erreur(
                "date_fin",
                f"une suspension pour ce motif dure au plus {motif.duree_max_mois} mois : "
                f"elle finit au plus tard le {jour(limite)}.",
            )
        )
    for autre in sorted(autres, key=lambda p: p.debut):
        if periode.chevauche(autre):
            erreurs.append(Erreur("date_debut", f"la suspension chevauche celle {autre} du même PASS IAE."))
    return erreurs


# Prolongations -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LimitesProlongation:
    libelle: str
    decideur: str
    limite_decision: str
    duree_max_decision_mois: int | None
    limite_cumul: str
    duree_max_cumulee_mois: int | None
    types_siae: frozenset[str] = frozenset()
    actif: bool = True
    age_minimum: int | None = None
    contrat_requis: str | None = None

    @classmethod
    def du_motif(cls, motif) -> "LimitesProlongation":
        return cls(
            libelle=motif.libelle,
            decideur=motif.decideur,
            limite_decision=motif.limite_decision,
            duree_max_decision_mois=motif.duree_max_decision_mois,
            limite_cumul=motif.limite_cumul,
            duree_max_cumulee_mois=motif.duree_max_cumulee_mois,
            types_siae=types_de_siae(motif.types_siae),
            actif=motif.actif,
            age_minimum=AGE_MINIMUM_DU_MOTIF.get(motif.code),
            contrat_requis=CONTRAT_DU_MOTIF.get(motif.code),
        )


@dataclass(frozen=True)
class ContratEnCours:
    """The contract a decision "until the contract ends" is bounded by; `fin` None: open-ended (a CDI)."""

    type: str
    debut: dt.date
    fin: dt.date | None


def fenetre_de_demande(fin_pass: dt.date) -> Periode:
    """A prolongation is requested from 12 months before the current end of the PASS until 6 months after, both
    days included (months counted with `ajouter_mois`: 31 → the month's last day)."""
    return Periode(ajouter_mois(fin_pass, -DEMANDE_MOIS_AVANT_FIN), ajouter_mois(fin_pass, DEMANDE_MOIS_APRES_FIN))


def erreurs_fin_inconnue(fin_pass: dt.date | None) -> list[Erreur]:
    """A prolongation starts the day after the PASS's current end: none is asked while the end is unknown."""
    if fin_pass is None:
        return [debut_inconnu("date_fin", "sa fin, que la prolongation suit, ne peut pas être calculée.")]
    return []


def erreurs_demande(date_demande: dt.date, *, fin_pass: dt.date, aujourd_hui: dt.date) -> list[Erreur]:
    fenetre = fenetre_de_demande(fin_pass)
    if date_demande > aujourd_hui:
        return [Erreur("date_demande", f"elle ne peut pas être dans le futur (après le {jour(aujourd_hui)}).")]
    if not fenetre.debut <= date_demande <= fenetre.fin:
        return [
            Erreur(
                "date_demande",
                f"une prolongation se demande entre 12 mois avant la fin du PASS IAE ({jour(fin_pass)}) et 6 mois "
                f"après, soit {fenetre}.",
            )
        ]
    return []


def erreurs_prolongation(
    periode: Periode,
    motif: LimitesProlongation,
    *,
    type_siae: str,
    date_naissance: dt.date,
    contrat: ContratEnCours | None,
    date_fin_formation: dt.date | None,
    autres: Iterable[Periode],
) -> list[Erreur]:
    """The limits of a prolongation, checked at the request and again at the decision: the motif (in force, for
    this kind of structure, the age its name gives, the contract it needs), one decision at most (months, or until
    the contract ends: at most the contract's end, no bound when it has none), the total of the PASS's
    prolongations under the motif's cap (or until the training ends), no overlap.

    `autres`: all the PASS's other prolongations, granted or requested, whatever their motif: R.5132-1-8 caps the
    whole length of the parcours, so a training prolongation counts against the 36 months of an RQTH holder."""
    autres = list(autres)
    erreurs = []
    if not motif.actif:
        erreurs.append(Erreur("motif", f"« {motif.libelle} » n'est plus en vigueur."))
    erreurs += _erreur_type_de_siae(motif.libelle, motif.types_siae, type_siae)
    if motif.age_minimum is not None and age_au(date_naissance, periode.debut) < motif.age_minimum:
        erreurs.append(
            Erreur(
                "motif",
                f"« {motif.libelle} » suppose {motif.age_minimum} ans ou plus au début de la prolongation "
                f"({jour(periode.debut)}) ; le salarié a {age_au(date_naissance, periode.debut)} ans.",
            )
        )
    if motif.contrat_requis and (contrat is None or contrat.type != motif.contrat_requis):
        libelle_contrat = TypeContrat(motif.contrat_requis).label
        erreurs.append(
            Erreur(
                "motif", f"« {motif.libelle} » suppose un {libelle_contrat} dans ce parcours : enregistrez-le d'abord."
            )
        )
        contrat = None
    if periode.fin < periode.debut:
        erreurs.append(Erreur("date_fin", f"la fin précède le début de la prolongation ({jour(periode.debut)})."))
        return erreurs

    if motif.limite_decision == LimiteDecision.MOIS and motif.duree_max_decision_mois:
        limite = fin_apres_mois(periode.debut, motif.duree_max_decision_mois)
        if periode.fin > limite:
            erreurs.append(
                Erreur(
                    "date_fin",
                    f"une décision pour ce motif prolonge d'au plus {motif.duree_max_decision_mois} mois : "
                    f"au plus tard le {jour(limite)}.",
                )
            )
    elif motif.limite_decision == LimiteDecision.FIN_CONTRAT:
        if contrat is None and not motif.contrat_requis:
            erreurs.append(Erreur("motif", "ce motif prolonge jusqu'à la fin du contrat : le parcours n'en a aucun."))
        elif contrat is not None and contrat.fin is not None and periode.fin > contrat.fin:
            erreurs.append(
                Erreur(
                    "date_fin",
                    f"une décision pour ce motif va au plus jusqu'à la fin du contrat ({jour(contrat.fin)}).",
                )
            )

    if motif.limite_cumul == LimiteCumul.MOIS and motif.duree_max_cumulee_mois:
        erreurs += erreurs_cumul(periode, motif.duree_max_cumulee_mois, autres)
    elif motif.limite_cumul == LimiteCumul.FIN_FORMATION:
        if date_fin_formation is None:
            erreurs.append(
                Erreur("date_fin_formation", "obligatoire pour ce motif : la prolongation va au plus jusque-là.")
            )
        elif date_fin_formation < periode.debut:
            erreurs.append(
                Erreur(
                    "date_fin_formation",
                    f"la formation finit avant le début de la prolongation ({jour(periode.debut)}).",
                )
            )
        elif periode.fin > date_fin_formation:
            erreurs.append(
                Erreur(
                    "date_fin",
                    f"la prolongation va au plus jusqu'à la fin de la formation ({jour(date_fin_formation)}).",
                )
            )

    for autre in sorted(autres, key=lambda p: p.debut):
        if periode.chevauche(autre):
            erreurs.append(Erreur("date_fin", f"la prolongation chevauche celle {autre} du même PASS IAE."))
    return erreurs


def erreurs_cumul(periode: Periode, mois_max: int, autres: Iterable[Periode]) -> list[Erreur]:
    """The cap of a motif (R.5132-1-8) on the sum of ALL the PASS's prolongations, whatever their motif: the days
    of the others plus this one's, at most the days of `mois_max` calendar months from the start of the first
    prolongation (so 36 months is 1 095 or 1 096 days depending on the leap years it spans)."""
    autres = list(autres)
    premier = min([p.debut for p in autres] + [periode.debut])
    jours_max = (ajouter_mois(premier, mois_max) - premier).days
    jours_deja = sum(p.jours for p in autres)
    if jours_deja + periode.jours <= jours_max:
        return []
    reste = max(jours_max - jours_deja, 0)
    return [
        Erreur(
            "date_fin",
            f"avec ce motif, les prolongations du PASS IAE, tous motifs confondus, totalisent au plus {mois_max} "
            f"mois ({nombre_fr(jours_max, 0)} jours depuis le {jour(premier)}) ; {nombre_fr(jours_deja, 0)} jours "
            f"sont déjà accordés ou demandés, il en reste {nombre_fr(reste, 0)}"
            + (f" : au plus tard le {jour(periode.debut + dt.timedelta(days=reste - 1))}." if reste else "."),
        )
    ]


def erreurs_decision(
    statut: str,
    *,
    decideur: str,
    prescripteur_organisation: str,
    prescripteur_personne: str,
    motif_refus: str,
    date_decision: dt.date,
    date_demande: dt.date,
    aujourd_hui: dt.date,
) -> list[Erreur]:
    """A decision on a request: granted or refused; a refusal is written down; a prescripteur habilité who
    decides is recorded by organisation and by name."""
    erreurs = []
    if statut not in (StatutProlongation.ACCORDEE, StatutProlongation.REFUSEE):
        erreurs.append(Erreur("statut", "accordée ou refusée."))
    if statut == StatutProlongation.REFUSEE and not motif_refus.strip():
        erreurs.append(Erreur("motif_refus", "un refus s'explique par écrit."))
    if decideur == Decideur.PRESCRIPTEUR:
        if not prescripteur_organisation.strip():
            erreurs.append(
                Erreur("prescripteur_organisation", "obligatoire : ce motif est décidé par un prescripteur habilité.")
            )
        if not prescripteur_personne.strip():
            erreurs.append(
                Erreur("prescripteur_personne", "obligatoire : ce motif est décidé par un prescripteur habilité.")
            )
    if date_decision > aujourd_hui:
        erreurs.append(Erreur("date_decision", f"elle ne peut pas être dans le futur (après le {jour(aujourd_hui)})."))
    elif date_decision < date_demande:
        erreurs.append(Erreur("date_decision", f"elle précède la demande ({jour(date_demande)})."))
    return erreurs


# Contracts ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContratPropose:
    type: str
    debut: dt.date
    fin: dt.date | None = None
    heures_hebdo: Decimal | None = None
    derogation: bool = False
    motif_derogation: str = ""


def erreurs_type_de_contrat(type_contrat: str, type_siae: str) -> list[Erreur]:
    if type_contrat not in CONTRATS_PAR_TYPE_DE_SIAE.get(type_siae, set()):
        possibles = ", ".join(sorted(CONTRATS_PAR_TYPE_DE_SIAE.get(type_siae, set()))) or "aucun"
        return [Erreur("type", f"un contrat {type_contrat} n'existe pas en {type_siae} (possibles : {possibles}).")]
    return []


def erreurs_heures_cddi(type_contrat: str, heures_hebdo: Decimal | None, *, derogation: bool) -> list[Erreur]:
    """A CDDI is of at least 20 hours a week, unless a derogation is recorded."""
    if type_contrat != TypeContrat.CDDI:
        return []
    if heures_hebdo is None:
        return [Erreur("heures_hebdo", "obligatoires pour un CDDI (au moins 20 h par semaine).")]
    if heures_hebdo < CDDI_HEURES_MIN and not derogation:
        return [
            Erreur(
                "heures_hebdo", "un CDDI compte au moins 20 h par semaine, sauf dérogation enregistrée avec son motif."
            )
        ]
    return []


def erreurs_cdi_inclusion(
    type_contrat: str, debut: dt.date, *, date_naissance: dt.date, debut_parcours_iae: dt.date | None
) -> list[Erreur]:
    """A CDI inclusion: 57 years old or more when it starts, and at least 12 months after the start of the IAE
    parcours (the PASS IAE's start: in one or several structures; refused when it is unknown)."""
    if type_contrat != TypeContrat.CDI_INCLUSION:
        return []
    erreurs = []
    age = age_au(date_naissance, debut)
    if age < CDI_INCLUSION_AGE_MIN:
        erreurs.append(
            Erreur(
                "type", f"un CDI inclusion est réservé aux salariés de 57 ans et plus ; {age} ans le {jour(debut)}."
            )
        )
    if debut_parcours_iae is None:
        erreurs.append(
            debut_inconnu(
                "date_debut", "les 12 mois de parcours qu'un CDI inclusion suppose ne peuvent pas être vérifiés."
            )
        )
        return erreurs
    possible = ajouter_mois(debut_parcours_iae, CDI_INCLUSION_PARCOURS_MIN_MOIS)
    if debut < possible:
        erreurs.append(
            Erreur(
                "date_debut",
                f"un CDI inclusion suit au moins 12 mois de parcours IAE (commencé le {jour(debut_parcours_iae)}) : "
                f"au plus tôt le {jour(possible)}.",
            )
        )
    return erreurs


def erreurs_contrat(
    contrat: ContratPropose,
    *,
    type_siae: str,
    date_naissance: dt.date,
    debut_parcours_iae: dt.date | None,
    passerelles_du_parcours: int = 0,
) -> list[Erreur]:
    """Every rule of a contract recorded on a parcours: kind for the structure, CDDI of at least 4 months and 20 h
    a week unless a derogation is recorded with its reason, CDI inclusion from 57 years old after 12 months of
    parcours, passerelle of 3 months renewable once."""
    erreurs = erreurs_type_de_contrat(contrat.type, type_siae)
    if contrat.fin is not None and contrat.fin < contrat.debut:
        erreurs.append(Erreur("date_fin", "la fin précède le début du contrat."))
        return erreurs
    if contrat.derogation:
        if contrat.type != TypeContrat.CDDI:
            erreurs.append(Erreur("derogation", "une dérogation à la durée minimale ne concerne que le CDDI."))
        elif not contrat.motif_derogation.strip():
            erreurs.append(Erreur("motif_derogation", "obligatoire avec une dérogation."))
    if contrat.type == TypeContrat.CDDI:
        if contrat.fin is None:
            erreurs.append(Erreur("date_fin", "obligatoire pour un CDDI, contrat à durée déterminée."))
        elif not contrat.derogation and contrat.fin < fin_apres_mois(contrat.debut, CDDI_DUREE_MIN_MOIS):
            erreurs.append(
                Erreur(
                    "date_fin",
                    f"un CDDI dure au moins 4 mois, soit jusqu'au {jour(fin_apres_mois(contrat.debut, 4))}, "
                    "sauf dérogation enregistrée avec son motif.",
                )
            )
        erreurs += erreurs_heures_cddi(contrat.type, contrat.heures_hebdo, derogation=contrat.derogation)
    erreurs += erreurs_cdi_inclusion(
        contrat.type, contrat.debut, date_naissance=date_naissance, debut_parcours_iae=debut_parcours_iae
    )
    if contrat.type == TypeContrat.PASSERELLE:
        limite = fin_apres_mois(contrat.debut, PASSERELLE_DUREE_MOIS)
        if contrat.fin is None:
            erreurs.append(Erreur("date_fin", f"obligatoire pour un contrat passerelle (3 mois : le {jour(limite)})."))
        elif contrat.fin > limite:
            erreurs.append(
                Erreur("date_fin", f"un contrat passerelle dure au plus 3 mois : au plus tard le {jour(limite)}.")
            )
        if passerelles_du_parcours >= PASSERELLE_NOMBRE_MAX:
            erreurs.append(
                Erreur("type", "un contrat passerelle se renouvelle une seule fois : ce parcours en compte déjà deux.")
            )
    return erreurs
