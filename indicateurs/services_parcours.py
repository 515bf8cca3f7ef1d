"""Rebuilding the per-parcours facts (`FaitParcours`) and the years each parcours was worked in
(`PresenceAnnuelle`) for a set of structures: what the sorties and the publics read instead of aggregating the
declaration lines on every page.

Set-based, like the monthly indicators: one upsert per table whose SELECT is the live computation
(`queries_sorties`: the hours of the whole parcours, the 150-hour and duration rules, the age at hire), writing
only the rows that change, one delete of the presences that no longer hold, one update of the `seul` flags of the
PASS IAE concerned. The caller holds the transaction.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from base.ensembliste import inserer_ou_mettre_a_jour, selection
from conventions.models import ETATS_ACTIFS
from declarations.models import LigneDeclaration
from parcours.models import NIVEAUX_INFRA_CAP, DureeChomage, Genre, Parcours

from .models import FaitParcours, PresenceAnnuelle
from .queries_sorties import age_a_l_embauche, condition_examinee
from .regles_sorties import AGE_JEUNE, AGE_SENIOR


def _vrai_si(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _lignes_comptees(chemin: str = "") -> Q:
    """The lines whose hours count (`queries_sorties.lignes_comptees`), from the lines (`chemin` "") or from a
    parcours ("lignes_declaration__")."""
    return Q(**{f"{chemin}declaration__retenue": True, f"{chemin}declaration__annexe__etat__in": ETATS_ACTIFS})


def _faits(structures) -> tuple[str, tuple]:
    """One row per parcours of the structures, in the order of `CHAMPS_FAITS`."""
    heures = Coalesce(
        Sum("lignes_declaration__heures_travaillees", filter=_lignes_comptees("lignes_declaration__")),
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )
    parcours = (
        Parcours.objects.filter(siae__in=structures)
        .alias(heures=heures, age=age_a_l_embauche())
        .alias(examinee=Case(When(condition_examinee(), then=True), default=False, output_field=BooleanField()))
    )
    return selection(
        parcours,
        {
            "parcours": F("pk"),
            "siae": F("siae_id"),
            "pass_iae": F("pass_iae_id"),
            "annee_sortie": ExtractYear("date_sortie"),
            "motif_sortie": F("motif_sortie_id"),
            "heures": F("heures"),
            "examinee": F("examinee"),
            "femme": _vrai_si(Q(salarie__genre=Genre.FEMME)),
            "brsa": F("brsa"),
            "qpv": F("qpv"),
            "zrr": F("zrr"),
            "rqth": F("rqth"),
            "deld_detld": _vrai_si(Q(duree_chomage__in=[DureeChomage.DELD, DureeChomage.DETLD])),
            "infra_cap": _vrai_si(Q(niveau_formation__in=NIVEAUX_INFRA_CAP)),
            "moins_26_ans": _vrai_si(Q(age__lt=AGE_JEUNE * 10000)),
            "cinquante_ans_et_plus": _vrai_si(Q(age__gte=AGE_SENIOR * 10000)),
            "date_calcul": Value(timezone.now()),
        },
    )


CHAMPS_FAITS = [
    "parcours", "siae", "pass_iae", "annee_sortie", "motif_sortie", "heures", "examinee", "femme", "brsa", "qpv",
    "zrr", "rqth", "deld_detld", "infra_cap", "moins_26_ans", "cinquante_ans_et_plus", "date_calcul",
]  # fmt: skip
CHAMPS_PRESENCES = ["fait", "annee", "siae", "pass_iae"]


def _filtre_annees(annees: list[int] | None, champ: str) -> Q:
    return Q() if annees is None else Q(**{f"{champ}__in": annees})


def _presences(structures, annees: list[int] | None) -> tuple[str, tuple]:
    """One row per parcours of the structures and year it has hours worked in."""
    lignes = (
        LigneDeclaration.objects.filter(_lignes_comptees(), parcours__siae__in=structures, heures_travaillees__gt=0)
        .alias(annee=ExtractYear("declaration__mois"))
        .filter(_filtre_annees(annees, "annee"))
        .distinct()
    )
    return selection(
        lignes,
        {
            "fait": F("parcours_id"),
            "annee": F("annee"),
            "siae": F("parcours__siae_id"),
            "pass_iae": F("parcours__pass_iae_id"),
        },
    )


def rafraichir_parcours(structures, annees: Iterable[int] | None = None) -> tuple[int, int]:
    """The facts of every parcours of the structures (a queryset of `Siae`), and their presences in the given
    years (all when None). Returns (rows written, rows deleted)."""
    annees = None if annees is None else sorted(set(annees))
    sql, params = _faits(structures)
    ecrites = inserer_ou_mettre_a_jour(
        FaitParcours, sql, params, CHAMPS_FAITS, ["parcours"], sans_comparer=("date_calcul",)
    )
    sql, params = _presences(structures, annees)
    ecrites += inserer_ou_mettre_a_jour(PresenceAnnuelle, sql, params, CHAMPS_PRESENCES, ["fait", "annee"])
    encore_presente = Exists(
        LigneDeclaration.objects.filter(_lignes_comptees(), parcours=OuterRef("fait"), heures_travaillees__gt=0)
        .annotate(annee=ExtractYear("declaration__mois"))
        .filter(annee=OuterRef("annee"))
    )
    supprimees, _ = (
        PresenceAnnuelle.objects.filter(siae__in=structures)
        .filter(_filtre_annees(annees, "annee"))
        .exclude(encore_presente)
        .delete()
    )
    _marquer_les_seuls(structures, annees)
    return ecrites, supprimees


def _marquer_les_seuls(structures, annees: list[int] | None) -> None:
    """`seul` of every presence of the PASS IAE met in these structures (a presence added or removed here changes
    theirs elsewhere), written only where it changes."""
    autre = Exists(
        PresenceAnnuelle.objects.filter(pass_iae=OuterRef("pass_iae"), annee=OuterRef("annee")).exclude(
            fait=OuterRef("fait")
        )
    )
    passes = Parcours.objects.filter(siae__in=structures).values("pass_iae")
    (
        PresenceAnnuelle.objects.filter(pass_iae__in=passes)
        .filter(_filtre_annees(annees, "annee"))
        .alias(autre=autre)
        .filter(Q(seul=True, autre=True) | Q(seul=False, autre=False))
        .update(seul=~autre)
    )
