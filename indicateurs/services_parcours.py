"""Rebuilding the per-parcours facts (`FaitParcours`) and the years each parcours was worked in
(`PresenceAnnuelle`) for a set of structures: what the sorties and the publics read instead of aggregating the
declaration lines on every page.

Set-based, like the monthly indicators: each table is brought in line with the live computation
(`queries_sorties`: the hours of the whole parcours, the 150-hour and duration rules, the age at hire), writing
only the rows that change and deleting the presences that no longer hold (`base.ensembliste`), then one update of
the `seul` flags of the PASS IAE concerned, then the publics of the presences counted once (`PublicsAnnuels`) of
every structure whose presences or flags may have moved, and the examined exits per year and category
(`SortiesAnnuelles`). The caller holds the transaction.
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils import timezone

from base.ensembliste import compiler, jointures_par_index, rafraichir_la_table, selection
from conventions.models import ETATS_ACTIFS
from declarations.models import LigneDeclaration
from parcours.models import NIVEAUX_INFRA_CAP, CategorieSortie, DureeChomage, Genre, Parcours

from .models import EmbauchesAnnuelles, FaitParcours, PresenceAnnuelle, PublicsAnnuels, SortiesAnnuelles
from .queries_sorties import SEUIL_HEURES_SQL, age_a_l_embauche, condition_examinee_hors_heures
from .regles_sorties import AGE_JEUNE, AGE_SENIOR, TYPES_A_HEURES


def _vrai_si(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _lignes_comptees(chemin: str = "") -> Q:
    """The lines whose hours count (`queries_sorties.lignes_comptees`), from the lines (`chemin` "") or from a
    parcours ("lignes_declaration__")."""
    return Q(**{f"{chemin}declaration__retenue": True, f"{chemin}declaration__annexe__etat__in": ETATS_ACTIFS})


def _oui_si(condition: Q) -> Case:
    """True or false, never NULL (a comparison with a missing exit date)."""
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _faits(structures) -> tuple[str, tuple]:
    """One row per parcours of the structures, in the order of `CHAMPS_FAITS`. The hours are summed per parcours
    apart and joined: grouping the parcours themselves would sort them by every column computed from them, and a
    subquery per parcours costs as much again. Examined: the rule without the hours
    (`condition_examinee_hors_heures`), or a kind judged on the hours with enough of them."""
    parcours = Parcours.objects.filter(siae__in=structures).alias(age=age_a_l_embauche())
    faits_sql, faits_params = selection(
        parcours,
        {
            "parcours": F("pk"),
            "siae": F("siae_id"),
            "pass_iae": F("pass_iae_id"),
            "annee_sortie": ExtractYear("date_sortie"),
            "motif_sortie": F("motif_sortie_id"),
            "examinee_hors_heures": _oui_si(condition_examinee_hors_heures()),
            "aux_heures": _oui_si(Q(siae__type__in=TYPES_A_HEURES)),
            "femme": _vrai_si(Q(salarie__genre=Genre.FEMME)),
            "brsa": F("brsa"),
            "qpv": F("qpv"),
            "zrr": F("zrr"),
            "rqth": F("rqth"),
            "deld_detld": _vrai_si(Q(duree_chomage__in=[DureeChomage.DELD, DureeChomage.DETLD])),
            "infra_cap": _vrai_si(Q(niveau_formation__in=NIVEAUX_INFRA_CAP)),
            "moins_26_ans": _oui_si(Q(age__lt=AGE_JEUNE * 10000)),
            "cinquante_ans_et_plus": _oui_si(Q(age__gte=AGE_SENIOR * 10000)),
            "date_calcul": Value(timezone.now()),
        },
    )
    heures_sql, heures_params = selection(
        LigneDeclaration.objects.filter(_lignes_comptees(), parcours__siae__in=structures),
        {"parcours": F("parcours_id"), "heures": Sum("heures_travaillees")},
        groupes=("parcours",),
    )
    heures = "COALESCE(h.c_heures, 0)"
    sql = (
        "SELECT f.c_parcours, f.c_siae, f.c_pass_iae, f.c_annee_sortie, f.c_motif_sortie, "
        f"{heures}, (f.c_examinee_hors_heures OR (f.c_aux_heures AND {heures} >= CAST(%s AS NUMERIC))), "
        "f.c_femme, f.c_brsa, f.c_qpv, f.c_zrr, f.c_rqth, f.c_deld_detld, f.c_infra_cap, f.c_moins_26_ans, "
        f"f.c_cinquante_ans_et_plus, f.c_date_calcul FROM ({faits_sql}) f "
        f"LEFT JOIN ({heures_sql}) h ON h.c_parcours = f.c_parcours"
    )
    return sql, (SEUIL_HEURES_SQL, *faits_params, *heures_params)


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


def sources_des_parcours(structures) -> list[tuple[str, tuple]]:
    """The SELECTs of the facts, of the presences (every year) of the structures' parcours, of their publics and of
    their exits."""
    return [
        _faits(structures),
        _presences(structures, None),
        _publics_annuels(structures, None),
        _sorties_annuelles(structures),
        _embauches_annuelles(structures),
    ]


def rafraichir_parcours(structures, annees: Iterable[int] | None = None) -> tuple[int, int]:
    """The facts of every parcours of the structures (a queryset of `Siae`), and their presences in the given
    years (all when None), then the publics counted from them. Returns (rows of facts and presences written, rows
    of presences deleted)."""
    annees = None if annees is None else sorted(set(annees))
    sql, params = _faits(structures)
    ecrites, _ = rafraichir_la_table(
        FaitParcours, sql, params, CHAMPS_FAITS, ["parcours"], sans_comparer=("date_calcul",)
    )
    sql, params = _presences(structures, annees)
    # Without the model's ordering: it would join the facts and the parcours for nothing.
    perimetre = compiler(
        PresenceAnnuelle.objects.filter(siae__in=structures).filter(_filtre_annees(annees, "annee")).order_by()
        .values("pk")
    )  # fmt: skip
    presences, supprimees = rafraichir_la_table(
        PresenceAnnuelle, sql, params, CHAMPS_PRESENCES, ["fait", "annee"], perimetre
    )
    changees = _marquer_les_seuls(structures, annees)
    _compter_les_publics(structures, annees, changees)
    _compter_les_sorties(structures)
    _compter_les_embauches(structures)
    return ecrites + presences, supprimees


def _marquer_les_seuls(structures, annees: list[int] | None) -> set[int]:
    """`seul` of every presence of the PASS IAE met in these structures (a presence added or removed here changes
        theirs elsewhere), from one count per PASS IAE and year, written only where it changes. Returns the structures
    whose flags changed: their publics are counted again."""
    table = PresenceAnnuelle._meta.db_table
    passes, params = compiler(Parcours.objects.filter(siae__in=structures).order_by().values("pass_iae_id"))
    annees_sql = "" if annees is None else f" AND annee IN ({', '.join(['%s'] * len(annees))})"
    sql = (
        f"UPDATE {table} SET seul = (c.n = 1) FROM (SELECT pass_iae_id, annee, COUNT(*) AS n FROM {table} "
        f"WHERE pass_iae_id IN ({passes}){annees_sql} GROUP BY pass_iae_id, annee) c "
        f"WHERE {table}.pass_iae_id = c.pass_iae_id AND {table}.annee = c.annee AND {table}.seul <> (c.n = 1) "
        f"RETURNING {table}.siae_id"
    )
    with connection.cursor() as curseur, jointures_par_index(curseur):
        curseur.execute(sql, (*params, *(annees or ())))
        return {siae_id for (siae_id,) in curseur.fetchall()}


# The flag of `FaitParcours` behind each count of `PublicsAnnuels` (the same names).
PUBLICS = (
    "femme", "brsa", "qpv", "zrr", "moins_26_ans", "cinquante_ans_et_plus", "rqth", "deld_detld", "infra_cap",
)  # fmt: skip
CHAMPS_PUBLICS_ANNUELS = ["siae", "annee", "salaries", *PUBLICS]


def _structures_touchees(structures, autres: set[int]) -> Q:
    """The structures themselves, and the others whose `seul` flags `_marquer_les_seuls` changed."""
    return Q(siae__in=structures) | Q(siae_id__in=sorted(autres)) if autres else Q(siae__in=structures)


def _publics_annuels(structures, annees: list[int] | None, autres: set[int] = frozenset()) -> tuple[str, tuple]:
    """Per structure and year, the presences counted once (`seul`), in total and per public."""
    seules = PresenceAnnuelle.objects.filter(
        _structures_touchees(structures, autres), _filtre_annees(annees, "annee"), seul=True
    )
    return selection(
        seules,
        {
            "siae": F("siae_id"),
            "annee": F("annee"),
            "salaries": Count("pk"),
            **{public: Count("pk", filter=Q(**{f"fait__{public}": True})) for public in PUBLICS},
        },
        groupes=("siae", "annee"),
    )


def _par_structure_et_annee(modele, source: tuple[str, tuple], champs: list[str], perimetre) -> None:
    """Rebuild a table with one row per structure and year (`PublicsAnnuels`, `SortiesAnnuelles`,
    `EmbauchesAnnuelles`) over its rows in `perimetre` (a queryset of it): the rows the source no longer has go."""
    sql, params = source
    rafraichir_la_table(modele, sql, params, champs, ["siae", "annee"], compiler(perimetre.order_by().values("pk")))


def _compter_les_publics(structures, annees: list[int] | None, autres: set[int]) -> None:
    """Rebuild `PublicsAnnuels` of the structures and of the `autres` whose flags changed (a row left without any
    presence counted once goes)."""
    perimetre = PublicsAnnuels.objects.filter(
        _structures_touchees(structures, autres), _filtre_annees(annees, "annee")
    )
    source = _publics_annuels(structures, annees, autres)
    _par_structure_et_annee(PublicsAnnuels, source, CHAMPS_PUBLICS_ANNUELS, perimetre)


# The exits counted per category (`SortiesAnnuelles`), by the category of their motif.
CATEGORIES_DES_SORTIES = {
    "retraits": CategorieSortie.RETRAIT,
    "emploi_durable": CategorieSortie.EMPLOI_DURABLE,
    "emploi_transition": CategorieSortie.EMPLOI_TRANSITION,
    "sorties_positives": CategorieSortie.SORTIE_POSITIVE,
}
CHAMPS_SORTIES_ANNUELLES = ["siae", "annee", "examinees", *CATEGORIES_DES_SORTIES]


def _sorties_annuelles(structures) -> tuple[str, tuple]:
    """Per structure and year of exit, the examined exits of its parcours, in total and per category."""
    return selection(
        FaitParcours.objects.filter(siae__in=structures, examinee=True, annee_sortie__isnull=False),
        {
            "siae": F("siae_id"),
            "annee": F("annee_sortie"),
            "examinees": Count("pk"),
            **{
                champ: Count("pk", filter=Q(motif_sortie__categorie=categorie))
                for champ, categorie in CATEGORIES_DES_SORTIES.items()
            },
        },
        groupes=("siae", "annee"),
    )


def _compter_les_sorties(structures) -> None:
    """Rebuild `SortiesAnnuelles` of the structures (every year: the facts are rebuilt whole)."""
    perimetre = SortiesAnnuelles.objects.filter(siae__in=structures)
    _par_structure_et_annee(SortiesAnnuelles, _sorties_annuelles(structures), CHAMPS_SORTIES_ANNUELLES, perimetre)


CHAMPS_EMBAUCHES_ANNUELLES = ["siae", "annee", "embauches", "brsa"]


def _embauches_annuelles(structures) -> tuple[str, tuple]:
    """Per structure and year of hire, its parcours begun then and those of bRSA."""
    return selection(
        Parcours.objects.filter(siae__in=structures),
        {
            "siae": F("siae_id"),
            "annee": ExtractYear("date_embauche"),
            "embauches": Count("pk"),
            "brsa": Count("pk", filter=Q(brsa=True)),
        },
        groupes=("siae", "annee"),
    )


def _compter_les_embauches(structures) -> None:
    """Rebuild `EmbauchesAnnuelles` of the structures (every year)."""
    perimetre = EmbauchesAnnuelles.objects.filter(siae__in=structures)
    _par_structure_et_annee(
        EmbauchesAnnuelles, _embauches_annuelles(structures), CHAMPS_EMBAUCHES_ANNUELLES, perimetre
    )
