"""The modulation of a set of annexes: for each, its aide au poste (socle conventionné, modulation at the annexe's
rate: `aides_au_poste.queries`), the proposal computed from its structure's data of the reference year (the year
before the annexe's: `regles.annee_de_reference`), and its latest decision.

A fixed number of queries whatever the number of annexes or salariés: the aides (four), then per reference year
(one for the département's page) the hires and their profile, the salariés and their actions, the actions by
type, the examined exits, the structures' annexes of that year (for the objectives); and the decisions.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from aides_au_poste.queries import AideAnnexe, aides_des_annexes
from aides_au_poste.regles import arrondi_euro
from aides_au_poste.regles import modulation as montant_modulation
from conventions.models import AnnexeFinanciere
from declarations.queries import etp_realises_expression
from indicateurs.queries_sorties import (
    annexes_de_l_annee,
    embauches_publiques,
    lignes_de_l_annee,
    sorties_par,
)
from indicateurs.regles_sorties import CompteSorties, EmbauchesPubliques
from parcours.models import ActionInsertion, TypeActionInsertion
from siae.models import Siae

from . import regles
from .models import DecisionModulation, EnveloppeModulation
from .regles import ZERO, BilanEnveloppe, Effort, Proposition

MOIS_PAR_AN = Decimal(12)


def _bornes(annee: int) -> tuple[dt.date, dt.date]:
    return dt.date(annee, 1, 1), dt.date(annee, 12, 31)


def actions_de_l_annee(annee: int):
    """The actions begun in the year: an action counts in the year of its start."""
    debut, fin = _bornes(annee)
    return ActionInsertion.objects.filter(date_debut__gte=debut, date_debut__lte=fin)


def efforts(structures, annee: int) -> dict[int, Effort]:
    """Two queries: per structure, the salariés with hours in the year (distinct PASS IAE, as for the publics),
    those of them with an action begun in the year in that parcours, the year's ETP réalisés; then the actions
    begun in the year by type, and the hours of the trainings."""
    avec_action = Exists(actions_de_l_annee(annee).filter(parcours=OuterRef("parcours")))
    lignes = (
        lignes_de_l_annee(structures, annee)
        .values_list("parcours__siae_id")
        .annotate(
            salaries=Count("parcours__pass_iae", distinct=True),
            salaries_avec_action=Count("parcours__pass_iae", distinct=True, filter=Q(avec_action)),
            etp_mois=Sum(etp_realises_expression()),
        )
        .order_by()
    )
    resultat = {
        siae_id: Effort(salaries, avec, etp_realises=Decimal(etp_mois or ZERO) / MOIS_PAR_AN, actions={})
        for siae_id, salaries, avec, etp_mois in lignes
    }
    par_type = (
        actions_de_l_annee(annee)
        .filter(parcours__siae__in=structures)
        .values_list("parcours__siae_id", "type")
        .annotate(nombre=Count("pk"), heures=Sum("heures"))
        .order_by()
    )
    heures_formation = defaultdict(lambda: ZERO)
    for siae_id, type_, nombre, heures in par_type:
        effort = resultat.setdefault(siae_id, Effort(actions={}))
        effort.actions[type_] = nombre
        if type_ == TypeActionInsertion.FORMATION:
            heures_formation[siae_id] += Decimal(heures or ZERO)
    return {
        siae_id: Effort(e.salaries, e.salaries_avec_action, heures_formation[siae_id], e.etp_realises, e.actions)
        for siae_id, e in resultat.items()
    }


def objectifs_de_l_annee(structures, annee: int) -> dict[int, dict[str, Decimal | None]]:
    """One query: the objectives (in %) of each structure's active annexe of the year (the latest)."""
    return {
        siae_id: {
            "part_brsa": annexe.objectif_part_brsa,
            "sorties_dynamiques": annexe.objectif_sorties_dynamiques,
            "emploi_durable": annexe.objectif_emploi_durable,
            "annexe": annexe.numero,
        }
        for siae_id, annexe in annexes_de_l_annee(structures, annee).items()
    }


@dataclass
class DonneesAnnee:
    """The data of every structure for one reference year."""

    embauches: dict[int, EmbauchesPubliques]
    efforts: dict[int, Effort]
    sorties: dict[int, CompteSorties]
    objectifs: dict[int, dict]

    def effort(self, siae_id: int) -> Effort:
        return self.efforts.get(siae_id) or Effort()

    def proposition(self, siae_id: int, annee: int) -> Proposition:
        return regles.proposition(
            annee,
            self.embauches.get(siae_id, EmbauchesPubliques()),
            self.effort(siae_id),
            self.sorties.get(siae_id, CompteSorties()),
            self.objectifs.get(siae_id),
        )


def donnees_de_l_annee(structures, annee: int) -> DonneesAnnee:
    """Five queries."""
    return DonneesAnnee(
        embauches=embauches_publiques(structures, annee),
        efforts=efforts(structures, annee),
        sorties={cle[1]: compte for cle, compte in sorties_par(structures, [annee], "siae").items()},
        objectifs=objectifs_de_l_annee(structures, annee),
    )


@dataclass
class LigneModulation:
    aide: AideAnnexe
    etat: str
    proposition: Proposition
    decisions: list[DecisionModulation]  # the latest first
    effort: Effort  # with the number of actions per type, beside the proposal's indicators

    @property
    def decision(self) -> DecisionModulation | None:
        return self.decisions[0] if self.decisions else None

    @property
    def publics(self) -> regles.Critere:
        return self.proposition.critere("publics")

    @property
    def critere_effort(self) -> regles.Critere:
        return self.proposition.critere("effort")

    @property
    def resultats(self) -> regles.Critere:
        return self.proposition.critere("resultats")

    @property
    def taux_annexe(self) -> Decimal:
        return self.aide.taux_modulation

    @property
    def socle_conventionne(self) -> Decimal:
        """To the cent, as shown: the total is the sum of the rows (docs/decisions.md)."""
        return arrondi_euro(self.aide.socle_conventionne)

    @property
    def modulation(self) -> Decimal:
        """The modulation at the annexe's rate, in euros to the cent (as paid)."""
        return arrondi_euro(self.aide.modulation)

    @property
    def modulation_proposee(self) -> Decimal | None:
        taux = self.proposition.taux
        return None if taux is None else arrondi_euro(montant_modulation(taux, self.aide.socle_conventionne))

    @property
    def taux_a_verifier(self) -> bool:
        """The annexe's rate is no longer the decided one: changed by an import or the annexe's form before they
        kept to the decisions (conventions/importation.py, conventions/forms.py)."""
        return self.decision is not None and self.decision.taux != self.taux_annexe


def lignes_de_modulation(annexes, bareme=None) -> list[LigneModulation]:
    """Each annexe of the queryset (in the aides' order: kind, structure, number)."""
    aides = aides_des_annexes(annexes, bareme, versements=False)
    if not aides:
        return []
    ids = [a.annexe_id for a in aides]
    etats = dict(AnnexeFinanciere.objects.filter(pk__in=ids).values_list("pk", "etat"))
    decisions = defaultdict(list)
    for decision in (
        DecisionModulation.objects.filter(annexe_id__in=ids)
        .select_related("auteur")
        .order_by("annexe_id", "-date", "-pk")
    ):
        decisions[decision.annexe_id].append(decision)
    par_annee = defaultdict(set)
    for aide in aides:
        par_annee[regles.annee_de_reference(aide.date_debut)].add(aide.siae_id)
    donnees = {
        annee: donnees_de_l_annee(Siae.objects.filter(pk__in=sorted(siae_ids)), annee)
        for annee, siae_ids in par_annee.items()
    }
    lignes = []
    for aide in aides:
        annee = regles.annee_de_reference(aide.date_debut)
        lignes.append(
            LigneModulation(
                aide=aide,
                etat=etats[aide.annexe_id],
                proposition=donnees[annee].proposition(aide.siae_id, annee),
                decisions=decisions[aide.annexe_id],
                effort=donnees[annee].effort(aide.siae_id),
            )
        )
    return lignes


def decisions_en_vigueur(annexe_ids) -> dict[int, DecisionModulation]:
    """The latest decision of each annexe that has one (one query). Its rate is the annexe's (`services`): neither
    the annexe's form nor an import changes it any more."""
    en_vigueur = {}
    for decision in (
        DecisionModulation.objects.filter(annexe_id__in=annexe_ids)
        .only("pk", "annexe_id", "taux", "date")
        .order_by("annexe_id", "-date", "-pk")
    ):
        en_vigueur.setdefault(decision.annexe_id, decision)
    return en_vigueur


def proposition_de(annexe: AnnexeFinanciere) -> Proposition:
    """The proposal of one annexe (five queries)."""
    annee = regles.annee_de_reference(annexe.date_debut)
    return donnees_de_l_annee(Siae.objects.filter(pk=annexe.siae_id), annee).proposition(annexe.siae_id, annee)


def enveloppe_de(departement: str | None, annee: int) -> EnveloppeModulation | None:
    if not departement:
        return None
    return EnveloppeModulation.objects.filter(departement=departement, annee=annee).first()


@dataclass
class Totaux:
    socle_conventionne: Decimal
    modulation: Decimal
    modulation_proposee: Decimal
    annexes: int
    sans_proposition: int
    sans_decision: int


def totaux(lignes: list[LigneModulation]) -> Totaux:
    """The sums of the annexes' amounts rounded to the cent, so that the total is the sum of the rows shown; an
    annexe without a proposal counts at its own rate in the total at the proposed rates."""
    return Totaux(
        socle_conventionne=sum((ligne.socle_conventionne for ligne in lignes), ZERO),
        modulation=sum((ligne.modulation for ligne in lignes), ZERO),
        modulation_proposee=sum(
            (ligne.modulation if ligne.modulation_proposee is None else ligne.modulation_proposee for ligne in lignes),
            ZERO,
        ),
        annexes=len(lignes),
        sans_proposition=sum(1 for ligne in lignes if ligne.proposition.taux is None),
        sans_decision=sum(1 for ligne in lignes if ligne.decision is None),
    )


def bilan_enveloppe(enveloppe: EnveloppeModulation | None, total: Totaux) -> BilanEnveloppe:
    return BilanEnveloppe(enveloppe.montant if enveloppe else None, total.modulation)
