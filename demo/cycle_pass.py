"""A few samples of a PASS IAE's life (spec §6), planned on the demo's salariés: suspensions (the PASS end moves
later by their length in days) and prolongations requested, granted or refused. They change no hours: the
declaration lines stay valid, a PASS only lasting longer."""

import datetime as dt
import random
from dataclasses import dataclass

from base.calendrier import dernier_jour_du_mois
from parcours.regles import age_au, ajouter_mois, fin_pass_iae


@dataclass(frozen=True)
class SuspensionPrevue:
    numero_pass: str
    rang: int  # the structure that suspends
    motif: str
    date_debut: dt.date
    date_fin: dt.date

    @property
    def jours(self) -> int:
        return (self.date_fin - self.date_debut).days + 1


@dataclass(frozen=True)
class ProlongationPrevue:
    numero_pass: str
    rang: int
    motif: str
    statut: str  # DEMANDEE, ACCORDEE or REFUSEE
    decideur: str  # SIAE or PRESCRIPTEUR
    date_demande: dt.date
    date_debut: dt.date  # the day after the PASS end in force
    date_fin: dt.date
    date_decision: dt.date | None = None
    prescripteur_organisation: str = ""
    prescripteur_personne: str = ""
    date_fin_formation: dt.date | None = None
    motif_refus: str = ""


@dataclass
class CycleDuPass:
    suspensions: list[SuspensionPrevue]
    prolongations: list[ProlongationPrevue]
    fins_de_pass: dict[str, dt.date]  # PASS number → its end, suspensions and granted prolongations included


# The structure of the demo's SIAE account: it sees a suspension and a prolongation of its own.
RANG_DU_COMPTE_SIAE = 1


def _premier(rng: random.Random, candidats: list, pris: set, rang_prefere: int | None = None):
    """A candidate whose PASS has no sample yet, in the preferred structure when one is."""
    libres = [e for e in candidats if e.numero_pass not in pris]
    if not libres:
        raise AssertionError("la démo n'a pas de salarié pour cet exemple du cycle du PASS")
    dans_la_structure = [e for e in libres if e.rang == rang_prefere]
    choisi = rng.choice(dans_la_structure or libres)
    pris.add(choisi.numero_pass)
    return choisi


def _mois_creux(embauche, annee: int) -> dt.date | None:
    """A month of the year inside the parcours with less than half the person's usual hours (a long absence)."""
    heures = sorted(embauche.heures.values())
    if len(heures) < 6:
        return None
    mediane = heures[len(heures) // 2]
    for mois, h in sorted(embauche.heures.items()):
        entier = embauche.date_embauche < mois and (embauche.date_sortie or dt.date.max) > dernier_jour_du_mois(mois)
        if mois.year == annee and entier and h < mediane / 2:
            return mois
    return None


def _suspensions(rng, types, embauches, aujourd_hui, pris) -> list[SuspensionPrevue]:
    def sortis(type_, annee, jours_apres):
        return [
            e for e in embauches
            if types[e.rang - 1] == type_ and e.date_sortie and e.date_sortie.year == annee
            and e.date_sortie + dt.timedelta(days=jours_apres) <= aujourd_hui
        ]  # fmt: skip

    def en_parcours(types_, debut, fin):
        """Hired at least 4 months before, still there after."""
        return [
            e for e in embauches
            if types[e.rang - 1] in types_ and ajouter_mois(e.date_embauche, 4) < debut
            and (e.date_sortie or dt.date.max) > fin
        ]  # fmt: skip

    def apres_la_sortie(embauche, motif, jours):
        debut = embauche.date_sortie + dt.timedelta(days=1)
        return SuspensionPrevue(
            embauche.numero_pass, embauche.rang, motif, debut, debut + dt.timedelta(days=jours - 1)
        )

    suspensions = []
    # Contracts ended or broken: the PASS is suspended until the person finds another structure.
    suspensions.append(apres_la_sortie(_premier(rng, sortis("ACI", 2025, 92), pris), "CONTRAT_TERMINE", 92))
    suspensions.append(apres_la_sortie(_premier(rng, sortis("AI", 2025, 61), pris), "CONTRAT_ROMPU", 61))
    suspensions.append(apres_la_sortie(_premier(rng, sortis("ETTI", 2026, 45), pris), "CONTRAT_TERMINE", 45))
    # A contract suspended more than 15 days during a month of absence, and the PASS suspended again after the
    # contract ended.
    absents = [e for e in sortis("ACI", 2026, 60) if _mois_creux(e, 2025)]
    absent = _premier(rng, absents, pris, RANG_DU_COMPTE_SIAE)
    mois = _mois_creux(absent, 2025)
    suspensions.append(
        SuspensionPrevue(
            absent.numero_pass, absent.rang, "CONTRAT_SUSPENDU_15J", mois + dt.timedelta(days=4),
            mois + dt.timedelta(days=24),
        )
    )  # fmt: skip
    suspensions.append(apres_la_sortie(absent, "CONTRAT_TERMINE", 60))
    # A situation followed by the CTA, and a contrat passerelle (EI and ACI only).
    debut, fin = dt.date(2026, 4, 6), dt.date(2026, 5, 20)
    cta = _premier(rng, en_parcours(("EI",), debut, fin), pris)
    suspensions.append(SuspensionPrevue(cta.numero_pass, cta.rang, "SITUATION_CTA", debut, fin))
    debut, fin = dt.date(2026, 3, 2), dt.date(2026, 6, 1)
    passerelle = _premier(rng, en_parcours(("EI", "ACI"), debut, fin), pris)
    suspensions.append(SuspensionPrevue(passerelle.numero_pass, passerelle.rang, "CONTRAT_PASSERELLE", debut, fin))
    return suspensions


def _prolongations(rng, types, embauches, aujourd_hui, pris) -> list[ProlongationPrevue]:
    """On PASS ending in the next months of salariés still in parcours, requested a few weeks ago (allowed from
    12 months before the end): granted by the structure, granted by a prescripteur, refused, pending."""
    candidats = [
        e for e in embauches
        if e.date_sortie is None and e.heures and max(e.heures) >= dt.date(2026, 9, 1)
        and aujourd_hui + dt.timedelta(days=20) < e.fin_pass <= ajouter_mois(aujourd_hui, 6)
    ]  # fmt: skip

    def de_type(*types_):
        return [e for e in candidats if types[e.rang - 1] in types_]

    def prolongation(embauche, motif, statut, decideur, delai_de_decision=None, fin=None, **valeurs):
        demande = max(aujourd_hui - dt.timedelta(days=rng.randint(15, 50)), ajouter_mois(embauche.fin_pass, -12))
        debut = embauche.fin_pass + dt.timedelta(days=1)
        return ProlongationPrevue(
            embauche.numero_pass,
            embauche.rang,
            motif,
            statut,
            decideur,
            date_demande=demande,
            date_decision=demande + dt.timedelta(days=delai_de_decision) if delai_de_decision is not None else None,
            date_debut=debut,
            date_fin=fin or ajouter_mois(debut, 12) - dt.timedelta(days=1),
            **valeurs,
        )

    prolongations = []
    # The structure grants it itself while a training is under way, until the training ends (within 12 months).
    formation = _premier(rng, de_type("ACI", "EI"), pris, RANG_DU_COMPTE_SIAE)
    fin_formation = dernier_jour_du_mois(ajouter_mois(formation.fin_pass, 7))
    prolongations.append(
        prolongation(
            formation, "FIN_FORMATION", "ACCORDEE", "SIAE", 2, fin_formation, date_fin_formation=fin_formation
        )
    )
    # A prescripteur habilité grants 12 months to a salarié of 50 and over.
    seniors = [e for e in candidats if age_au(e.date_naissance, aujourd_hui - dt.timedelta(days=60)) >= 50]
    prolongations.append(
        prolongation(
            _premier(rng, seniors, pris), "SENIOR_50", "ACCORDEE", "PRESCRIPTEUR", 9,
            prescripteur_organisation="France Travail – agence fictive de Verdun",
            prescripteur_personne="Hélène Fictif-Marchal, conseillère",
        )
    )  # fmt: skip
    # Refused, with its written reason.
    prolongations.append(
        prolongation(
            _premier(rng, de_type("ACI", "AI"), pris), "DIFFICULTES_PARTICULIERES", "REFUSEE", "PRESCRIPTEUR", 12,
            prescripteur_organisation="Conseil départemental fictif de la Meuse – service insertion",
            prescripteur_personne="Marc Fictif-Humbert, référent RSA",
            motif_refus=(
                "Les difficultés invoquées ne sont pas étayées par le diagnostic socio-professionnel ; une entrée "
                "en formation qualifiante est à préparer avant la fin du PASS IAE."
            ),
        )
    )  # fmt: skip
    # Requested, not decided yet.
    rqth = _premier(rng, [e for e in candidats if e.situation["rqth"]], pris)
    prolongations.append(
        prolongation(
            rqth, "RQTH", "DEMANDEE", "PRESCRIPTEUR", prescripteur_organisation="Cap emploi fictif de la Meuse"
        )
    )
    return prolongations


def planifier_cycle_du_pass(rng: random.Random, types: list[str], embauches: list, aujourd_hui) -> CycleDuPass:
    pris = set()
    suspensions = _suspensions(rng, types, embauches, aujourd_hui, pris)
    prolongations = _prolongations(rng, types, embauches, aujourd_hui, pris)
    par_numero = {e.numero_pass: e for e in embauches}
    fins = {}
    for suspension in suspensions:
        fins.setdefault(suspension.numero_pass, 0)
        fins[suspension.numero_pass] += suspension.jours
    fins_de_pass = {
        numero: fin_pass_iae(par_numero[numero].date_embauche, jours_de_suspension=jours)
        for numero, jours in fins.items()
    }
    fins_de_pass.update({p.numero_pass: p.date_fin for p in prolongations if p.statut == "ACCORDEE"})
    return CycleDuPass(suspensions, prolongations, fins_de_pass)
