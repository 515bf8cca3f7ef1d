"""The reads of the bilan that `indicateurs` does not carry: the barème revaluations of the year with their impact,
the contrôle a posteriori of the département. Each runs a fixed number of queries, whatever the number of
structures."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max
from django.utils import timezone

from aides_au_poste import regles as regles_aides
from aides_au_poste.queries import bareme_par_type
from controle.models import (
    CampagneControle,
    ChangementPhase,
    ControleEmbauche,
    ControleSiae,
    Decision,
    ResultatControle,
    Sanction,
    TypeSanction,
)
from controle.queries import compter_par_campagne
from conventions.models import EtpConventionneMensuel
from declarations.models import DeclarationMensuelle
from siae.models import ORDRE_DES_TYPES

from .models import BilanCdiae, SectionsEditoriales

ZERO = Decimal(0)


# Revaluations of the barème ----------------------------------------------------------------------------------------


@dataclass
class Revalorisation:
    """A barème row that took effect during the annexes of the year, and what it adds to them: for each month
    from its date, (new − previous amount) × ETP conventionnés / 12; the months before the current one are
    rétroactifs (already past when the bilan is written), the others prévisionnels."""

    type: str
    date_effet: dt.date
    montant: Decimal
    precedent: Decimal
    source: str
    retroactif: Decimal = ZERO
    previsionnel: Decimal = ZERO
    annexes: int = 0

    @property
    def total(self) -> Decimal:
        return self.retroactif + self.previsionnel

    @property
    def hausse(self) -> Decimal:
        return self.montant - self.precedent


@dataclass
class Revalorisations:
    lignes: list[Revalorisation]
    # The barème in force on the 1st of January of the year, per kind present.
    en_vigueur: list[tuple[str, regles_aides.LigneBareme]]

    @property
    def total(self) -> Revalorisation | None:
        if not self.lignes:
            return None
        total = Revalorisation("TOTAL", self.lignes[0].date_effet, ZERO, ZERO, "")
        for ligne in self.lignes:
            total.retroactif += ligne.retroactif
            total.previsionnel += ligne.previsionnel
        return total


def revalorisations(annexes_de_l_annee, annee: int, mois_courant: dt.date) -> Revalorisations:
    """The revaluations met by the annexes starting in the year (three queries): each row of the barème dated
    from the 1st of January of the year to the end of the kind's last such annexe."""
    bareme = bareme_par_type()
    infos = list(annexes_de_l_annee.order_by().values("pk", "type", "date_debut", "date_fin"))
    etp = defaultdict(dict)
    for annexe_id, mois, valeur in EtpConventionneMensuel.objects.filter(annexe__in=annexes_de_l_annee).values_list(
        "annexe_id", "mois", "etp_conventionnes"
    ):
        etp[annexe_id][mois] = valeur
    par_type = defaultdict(list)
    for info in infos:
        par_type[info["type"]].append(info)
    lignes = []
    for type_ in (t for t in ORDRE_DES_TYPES if t in par_type):
        annexes = par_type[type_]
        debut = dt.date(annee, 1, 1)
        fin = max(a["date_fin"] for a in annexes)
        lignes_du_type = bareme.get(type_, [])
        for ligne in sorted(lignes_du_type, key=lambda lb: lb.date_effet):
            if not debut <= ligne.date_effet <= fin:
                continue
            avant = [lb for lb in lignes_du_type if lb.date_effet != ligne.date_effet]
            precedente = regles_aides.ligne_en_vigueur(avant, ligne.date_effet)
            if precedente is None:
                continue  # the first row of a kind revalues nothing
            reval = Revalorisation(type_, ligne.date_effet, ligne.montant, precedente.montant, ligne.source)
            for annexe in annexes:
                impact = regles_aides.impact_revalorisation(etp[annexe["pk"]], avant, ligne, mois_courant)
                if impact.mois:
                    reval.retroactif += impact.retroactif
                    reval.previsionnel += impact.previsionnel
                    reval.annexes += 1
            lignes.append(reval)
    premier = dt.date(annee, 1, 1)
    en_vigueur = [
        (t, ligne)
        for t in ORDRE_DES_TYPES
        if t in par_type and (ligne := regles_aides.ligne_en_vigueur(bareme.get(t, []), premier))
    ]
    return Revalorisations(lignes, en_vigueur)


# The contrôle a posteriori ---------------------------------------------------------------------------------------


@dataclass
class EtapeControle:
    libelle: str
    debut: dt.date
    fin: dt.date | None
    commencee_le: dt.date | None  # the day the agent opened the phase


@dataclass
class BilanControle:
    """A campaign of the département in figures only: the bilan is read by the CDIAE, who sees no structure's
    control."""

    annee: int
    phase: str
    nb_eligibles: int
    nb_tirees: int
    nb_embauches: int
    part_siae: int
    calendrier: list[EtapeControle]
    decisions: dict[str, int] = field(default_factory=dict)
    resultats: dict[str, int] = field(default_factory=dict)
    sanctions: dict[str, int] = field(default_factory=dict)

    @property
    def resultats_affiches(self) -> list[tuple[str, int]]:
        return [(r.label, self.resultats.get(r.value, 0)) for r in ResultatControle]

    @property
    def decisions_affichees(self) -> list[tuple[str, int]]:
        return [(d.label, self.decisions.get(d.value, 0)) for d in Decision]

    @property
    def sanctions_affichees(self) -> list[tuple[str, int]]:
        return [(s.label, self.sanctions[s.value]) for s in TypeSanction if self.sanctions.get(s.value)]


def controle_du_departement(departement: str, annees: list[int]) -> list[BilanControle]:
    """The campaigns on the hires of these years (five queries)."""
    campagnes = list(
        compter_par_campagne(CampagneControle.objects.filter(departement=departement, annee__in=annees)).order_by(
            "annee"
        )
    )
    if not campagnes:
        return []
    ids = [c.pk for c in campagnes]
    ouvertures = {
        (campagne_id, phase): timezone.localtime(date).date()
        for campagne_id, phase, date in ChangementPhase.objects.filter(campagne_id__in=ids).values_list(
            "campagne_id", "phase", "date"
        )
    }
    decisions, resultats, sanctions = Counter(), Counter(), Counter()
    for campagne_id, decision, nombre in (
        ControleEmbauche.objects.filter(controle__campagne_id__in=ids)
        .values_list("controle__campagne_id", "decision")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        decisions[campagne_id, decision] = nombre
    for campagne_id, resultat, nombre in (
        ControleSiae.objects.filter(campagne_id__in=ids)
        .values_list("campagne_id", "resultat")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        resultats[campagne_id, resultat] = nombre
    for campagne_id, type_, nombre in (
        Sanction.objects.filter(controle__campagne_id__in=ids)
        .values_list("controle__campagne_id", "type")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        sanctions[campagne_id, type_] = nombre
    blocs = []
    for c in campagnes:
        calendrier = [
            EtapeControle(
                phase.label,
                debut,
                fin,
                ouvertures.get((c.pk, phase.value)),
            )
            for phase, debut, fin in c.calendrier()
        ]
        blocs.append(
            BilanControle(
                annee=c.annee,
                phase=c.get_phase_display(),
                nb_eligibles=c.nb_siae_eligibles,
                nb_tirees=c.nb_siae,
                nb_embauches=c.nb_embauches,
                part_siae=c.part_siae,
                calendrier=calendrier,
                decisions={d: n for (cid, d), n in decisions.items() if cid == c.pk},
                resultats={r: n for (cid, r), n in resultats.items() if cid == c.pk},
                sanctions={s: n for (cid, s), n in sanctions.items() if cid == c.pk},
            )
        )
    return blocs


# The year the page opens on ---------------------------------------------------------------------------------------


def annees_avec_donnees(departement: str) -> list[int | None]:
    """The latest year of each kind of data the bilan of a département reads or shows (three queries): the latest
    month declared by its structures, its latest bilan asked for and its latest editorial sections."""
    dernier_mois = DeclarationMensuelle.objects.filter(annexe__siae__departement=departement).aggregate(m=Max("mois"))[
        "m"
    ]
    return [
        dernier_mois.year if dernier_mois else None,
        BilanCdiae.objects.filter(departement=departement).aggregate(a=Max("annee"))["a"],
        SectionsEditoriales.objects.filter(departement=departement).aggregate(a=Max("annee"))["a"],
    ]
