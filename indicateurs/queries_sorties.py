"""Sorties dynamiques (spec §7) and publics (spec §8), aggregated in SQL.

The figures are read from the materialised facts of the parcours (`FaitParcours`, `PresenceAnnuelle`, refreshed
by `services_parcours` when their data changes); `sorties_par_en_direct` and `publics_par_en_direct` compute the
same from the lines, the reference the stored figures are tested against.

The caller scopes: every function takes `structures`, a queryset of `Siae` already limited to what the user may
see (`Siae.objects.visible_to(user)`, a département's). Each function runs a fixed number of queries, whatever
the number of structures or salariés.

- Exits are those of the parcours (`Parcours.date_sortie`, `Parcours.motif_sortie`), counted in the category the
  motif has **now** (`MotifSortie.categorie`, not the version of `MotifSortieHistorique` in force on the exit day).
- Hours worked come from the lines of the *retained* declarations of active annexes: summed over the whole
  parcours (every month) for the 150-hour rule, over the year for the publics.
- The kind is the structure's (`Siae.type`).
"""

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear

from conventions.models import ETATS_ACTIFS, AnnexeFinanciere
from declarations.models import LigneDeclaration
from indicateurs.regles_sorties import (
    AGE_JEUNE,
    AGE_SENIOR,
    HEURES_MINIMUM,
    MOIS_MINIMUM,
    OBJECTIF_PART_BRSA,
    TYPES_A_DUREE,
    TYPES_A_HEURES,
    TYPES_TOUJOURS_EXAMINES,
    CompteSorties,
    EmbauchesPubliques,
    objectif_part_brsa,
    part,
    sous_l_objectif,
)
from parcours.models import NIVEAUX_INFRA_CAP, CategorieSortie, DureeChomage, Genre, Parcours, TrancheAge
from siae.models import ORDRE_DES_TYPES

from .models import EmbauchesAnnuelles, PresenceAnnuelle, PublicsAnnuels, SortiesAnnuelles

TOTAL = "TOTAL"
# Hours have two decimals: any true sum of at least 150 h is 150.00 or more, any smaller one 149.99 or less. Half a
# cent below spares SQLite (development), which sums decimals as floating point, a 149.99999… for 150.
SEUIL_HEURES_SQL = HEURES_MINIMUM - Decimal("0.005")

# The groupings, as paths from a parcours.
GROUPES = {
    "type": ["siae__type"],
    "departement": ["siae__departement"],
    "siae": ["siae_id", "siae__siret", "siae__nom", "siae__type", "siae__departement"],
    "total": [],
}


class AjouterMois(Func):
    """date + n months, clamped to the end of a shorter month (30 November + 3 months = 28 February), as
    `parcours.regles.ajouter_mois`. PostgreSQL's interval arithmetic clamps; SQLite's overflows into the next
    month (30 February → 2 March), so the month's last day is taken instead when it does."""

    output_field = DateField()

    def __init__(self, expression, mois: int, **extra):
        super().__init__(expression, **extra)
        self.mois = int(mois)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(({sql} + INTERVAL '{self.mois} months') AS date)", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        decalage = f"'{self.mois:+d} months'"
        return (
            f"(CASE WHEN date({sql}, {decalage}, 'start of month') = date({sql}, 'start of month', {decalage}) "
            f"THEN date({sql}, {decalage}) ELSE date({sql}, 'start of month', {decalage}, '+1 month', '-1 day') END)",
            [*params, *params, *params, *params],
        )


def lignes_comptees():
    """The declaration lines whose hours count: retained declarations of active annexes."""
    return LigneDeclaration.objects.filter(declaration__retenue=True, declaration__annexe__etat__in=ETATS_ACTIFS)


def heures_du_parcours():
    """The hours worked in the parcours (an annotation of a parcours): all its months."""
    total = (
        lignes_comptees()
        .filter(parcours=OuterRef("pk"))
        .values("parcours")
        .annotate(total=Sum("heures_travaillees"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(total), Value(Decimal(0)), output_field=DecimalField(max_digits=12, decimal_places=2))


def condition_examinee_hors_heures() -> Q:
    """The branches of `condition_examinee` that do not read the hours: the kinds judged on the duration, and
    those always examined."""
    return Q(siae__type__in=TYPES_A_DUREE, date_sortie__gte=AjouterMois(F("date_embauche"), MOIS_MINIMUM)) | Q(
        siae__type__in=TYPES_TOUJOURS_EXAMINES
    )


def condition_examinee() -> Q:
    """The parcours qualifies (spec §7, `regles_sorties.parcours_qualifie`); needs the `heures` annotation."""
    # The kind first: Q sorts its keyword arguments, which would put the hours' subquery first, and PostgreSQL
    # does not reorder inside an OR: it would sum the hours of every exit (benchmarks/, national scale).
    return condition_examinee_hors_heures() | (Q(siae__type__in=TYPES_A_HEURES) & Q(heures__gte=SEUIL_HEURES_SQL))


def sorties_examinees(structures, annees):
    """The examined exits of the structures in the given years, with their year (`annee_sortie`)."""
    return (
        Parcours.objects.filter(
            siae__in=structures,
            date_sortie__gte=dt.date(min(annees), 1, 1),
            date_sortie__lte=dt.date(max(annees), 12, 31),
        )
        .annotate(heures=heures_du_parcours())
        .filter(condition_examinee())
        .annotate(annee_sortie=ExtractYear("date_sortie"))
    )


def _par_categorie(categorie: str) -> Count:
    return Count("pk", filter=Q(motif_sortie__categorie=categorie))


def sorties_par(structures, annees, groupe: str) -> dict[tuple, CompteSorties]:
    """One query: {(year, *group values): CompteSorties} for each year and group with examined exits, summed over
    the structures' exits per year (`SortiesAnnuelles`, counted from the parcours' materialised facts when their
    data changed: the hours and the rule applied once)."""
    champs = GROUPES[groupe]
    lignes = (
        SortiesAnnuelles.objects.filter(siae__in=structures, annee__in=list(annees))
        .values_list("annee", *champs)
        .annotate(*(Sum(champ) for champ in CHAMPS_DES_COMPTES))
        .order_by()
    )
    n = len(champs) + 1
    return {(int(r[0]), *r[1:n]): CompteSorties(*r[n:]) for r in lignes}


# The fields of `CompteSorties`, in its order, as `SortiesAnnuelles` names them.
CHAMPS_DES_COMPTES = ("examinees", "retraits", "emploi_durable", "emploi_transition", "sorties_positives")


def sorties_par_en_direct(structures, annees, groupe: str) -> dict[tuple, CompteSorties]:
    """`sorties_par` computed from the declaration lines themselves: the reference the materialised facts are
    checked against."""
    return _compter_les_sorties(sorties_examinees(structures, annees), annees, GROUPES[groupe])


def _compter_les_sorties(examinees, annees, champs: list[str]) -> dict[tuple, CompteSorties]:
    lignes = (
        examinees.values_list("annee_sortie", *champs)
        .annotate(
            examinees=Count("pk"),
            retraits=_par_categorie(CategorieSortie.RETRAIT),
            emploi_durable=_par_categorie(CategorieSortie.EMPLOI_DURABLE),
            emploi_transition=_par_categorie(CategorieSortie.EMPLOI_TRANSITION),
            sorties_positives=_par_categorie(CategorieSortie.SORTIE_POSITIVE),
        )
        .order_by()
    )
    n = len(champs) + 1
    return {(int(r[0]), *r[1:n]): CompteSorties(*r[n:]) for r in lignes if int(r[0]) in annees}


@dataclass
class LigneSorties:
    """A kind (or a département, or TOTAL) over several years: `comptes[i]` is the year `annees[i]`."""

    cle: str
    annees: list[int]
    comptes: list[CompteSorties]

    @property
    def courant(self) -> CompteSorties:
        return self.comptes[0]

    @property
    def par_annee(self) -> list[tuple[int, CompteSorties]]:
        return list(zip(self.annees, self.comptes, strict=True))


def _lignes(par_cle: dict[tuple, CompteSorties], annees: list[int], cles: list[str]) -> list[LigneSorties]:
    lignes = [LigneSorties(c, annees, [par_cle.get((a, c), CompteSorties()) for a in annees]) for c in cles]
    total = [sum((ligne.comptes[i] for ligne in lignes), CompteSorties()) for i in range(len(annees))]
    return [*lignes, LigneSorties(TOTAL, annees, total)]


def sorties_par_type(structures, annees: list[int]) -> list[LigneSorties]:
    """One row per kind with examined exits in one of the years (in the bilan's order), then TOTAL. One query.

    `annees` in the order of the columns, the chosen year first (`[2024, 2023, 2022]`)."""
    par_type = sorties_par(structures, annees, "type")
    presents = {cle[1] for cle in par_type}
    return _lignes(par_type, annees, [t for t in ORDRE_DES_TYPES if t in presents])


def sorties_par_departement(structures, annees: list[int]) -> list[LigneSorties]:
    par_departement = sorties_par(structures, annees, "departement")
    return _lignes(par_departement, annees, sorted({cle[1] for cle in par_departement}))


@dataclass
class Structure:
    siae_id: int
    siret: str
    nom: str
    type: str
    departement: str


@dataclass
class SortiesSiae:
    structure: Structure
    compte: CompteSorties


def sorties_des_siae(structures, annee: int) -> list[SortiesSiae]:
    """Each structure with examined exits in the year. One query."""
    return [
        SortiesSiae(Structure(*cle[1:]), compte) for cle, compte in sorties_par(structures, [annee], "siae").items()
    ]


# Publics (spec §8)

CHAMPS_PUBLICS = (
    "femmes", "brsa", "qpv", "zrr", "moins_26_ans", "cinquante_ans_et_plus", "rqth", "deld_detld", "infra_cap",
)  # fmt: skip


@dataclass(frozen=True)
class ComptePublics:
    """Salariés (distinct PASS IAE) with at least one hour worked in the year, and how many of them have each
    characteristic recorded at hire. A salarié with several parcours in the group has a characteristic when one
    of these hires recorded it."""

    salaries: int = 0
    femmes: int = 0
    brsa: int = 0
    qpv: int = 0
    zrr: int = 0
    moins_26_ans: int = 0
    cinquante_ans_et_plus: int = 0
    rqth: int = 0
    deld_detld: int = 0
    infra_cap: int = 0

    def __add__(self, autre: "ComptePublics") -> "ComptePublics":
        """Counts of disjoint salariés added (those counted once, and those of several parcours)."""
        return ComptePublics(*(getattr(self, f.name) + getattr(autre, f.name) for f in fields(self)))

    def part(self, champ: str) -> Decimal | None:
        return part(getattr(self, champ), self.salaries)

    @property
    def parts(self) -> list[Decimal | None]:
        """The shares, in the order of `CHAMPS_PUBLICS`."""
        return [self.part(c) for c in CHAMPS_PUBLICS]


def ecart_de_dates(debut: str, fin: str):
    """fin − debut written as yyyymmdd numbers: less than 260000 exactly when the age on `fin` of someone born on
    `debut` is under 26 (`regles.age_au`, 29 February included), 500000 or more when it is 50 or more."""

    def nombre(chemin):
        return ExtractYear(chemin) * 10000 + ExtractMonth(chemin) * 100 + ExtractDay(chemin)

    return ExpressionWrapper(nombre(fin) - nombre(debut), output_field=IntegerField())


def age_a_l_embauche(parcours: str = ""):
    """The age on the hire date of the parcours at the path `parcours` ("" for a parcours itself, "parcours__" from a
    line), as `ecart_de_dates` writes it. Once the salarié's birth date is erased (docs/rgpd.md), the bracket the
    parcours kept stands for it: the smallest number of that bracket, which compares with the thresholds as the
    erased date did, so that the publics of past years do not move."""
    depuis_la_tranche = Case(
        When(**{f"{parcours}tranche_age_embauche": TrancheAge.MOINS_DE_26}, then=Value(0)),
        When(**{f"{parcours}tranche_age_embauche": TrancheAge.DE_26_A_49}, then=Value(AGE_JEUNE * 10000)),
        When(**{f"{parcours}tranche_age_embauche": TrancheAge.CINQUANTE_ET_PLUS}, then=Value(AGE_SENIOR * 10000)),
        output_field=IntegerField(),
    )
    return Coalesce(
        ecart_de_dates(f"{parcours}salarie__date_naissance", f"{parcours}date_embauche"),
        depuis_la_tranche,
        output_field=IntegerField(),
    )


def lignes_de_l_annee(structures, annee: int):
    """The lines with hours worked in the year in the structures."""
    return lignes_comptees().filter(
        parcours__siae__in=structures,
        declaration__mois__gte=dt.date(annee, 1, 1),
        declaration__mois__lte=dt.date(annee, 12, 1),
        heures_travaillees__gt=0,
    )


def _salaries_en_direct(condition: Q | None = None) -> Count:
    return Count("parcours__pass_iae", distinct=True, filter=condition)


def publics_par_en_direct(structures, annee: int, groupe: str) -> dict[tuple, ComptePublics]:
    """`publics_par` computed from the declaration lines themselves: the reference the materialised presences are
    checked against."""
    p = "parcours__"
    agregats = {
        "salaries": _salaries_en_direct(),
        "femmes": _salaries_en_direct(Q(**{f"{p}salarie__genre": Genre.FEMME})),
        "brsa": _salaries_en_direct(Q(**{f"{p}brsa": True})),
        "qpv": _salaries_en_direct(Q(**{f"{p}qpv": True})),
        "zrr": _salaries_en_direct(Q(**{f"{p}zrr": True})),
        "moins_26_ans": _salaries_en_direct(Q(age__lt=AGE_JEUNE * 10000)),
        "cinquante_ans_et_plus": _salaries_en_direct(Q(age__gte=AGE_SENIOR * 10000)),
        "rqth": _salaries_en_direct(Q(**{f"{p}rqth": True})),
        "deld_detld": _salaries_en_direct(Q(**{f"{p}duree_chomage__in": [DureeChomage.DELD, DureeChomage.DETLD]})),
        "infra_cap": _salaries_en_direct(Q(**{f"{p}niveau_formation__in": NIVEAUX_INFRA_CAP})),
    }
    lignes = lignes_de_l_annee(structures, annee).annotate(age=age_a_l_embauche(p))
    return _compter_les_publics(lignes, [f"{p}{c}" for c in GROUPES[groupe]], agregats)


def publics_par(structures, annee: int, groupe: str) -> dict[tuple, ComptePublics]:
    """Two queries: {(group values): ComptePublics}; the group "total" has the single key (). The salariés whose
    PASS IAE has no other presence in the year (nearly all) are summed from their structures' counts
    (`PublicsAnnuels`); the others are counted distinctly from their presences (`PresenceAnnuelle`, with the facts
    of their parcours)."""
    champs = GROUPES[groupe]
    comptes = {
        "salaries": Coalesce(Sum("salaries"), 0),
        **{champ: Coalesce(Sum(fait), 0) for champ, fait in zip(CHAMPS_PUBLICS, FAITS_PUBLICS, strict=True)},
    }
    seuls = _compter_les_publics(PublicsAnnuels.objects.filter(siae__in=structures, annee=annee), champs, comptes)
    distincts = {"salaries": Count("pass_iae", distinct=True)} | {
        champ: Count("pass_iae", distinct=True, filter=Q(**{f"fait__{fait}": True}))
        for champ, fait in zip(CHAMPS_PUBLICS, FAITS_PUBLICS, strict=True)
    }
    partages = PresenceAnnuelle.objects.filter(siae__in=structures, annee=annee, seul=False)
    plusieurs = _compter_les_publics(partages, champs, distincts)
    if not champs:
        return {(): seuls[()] + plusieurs[()]}
    # Nearly every group has only salariés counted once: only the others are added.
    return seuls | {cle: seuls.get(cle, ComptePublics()) + compte for cle, compte in plusieurs.items()}


# The flag of `FaitParcours` behind each figure of `CHAMPS_PUBLICS`.
FAITS_PUBLICS = (
    "femme", "brsa", "qpv", "zrr", "moins_26_ans", "cinquante_ans_et_plus", "rqth", "deld_detld", "infra_cap",
)  # fmt: skip


def _compter_les_publics(lignes, champs: list[str], agregats: dict) -> dict[tuple, ComptePublics]:
    if not champs:
        return {(): ComptePublics(**lignes.aggregate(**agregats))}
    n = len(champs)
    return {tuple(r[:n]): ComptePublics(*r[n:]) for r in lignes.values_list(*champs).annotate(**agregats).order_by()}


@dataclass(frozen=True)
class EmbauchesBrsa:
    """The hires of the year (each parcours started in it) and those of bRSA, against the objective in %."""

    embauches: int = 0
    brsa: int = 0
    objectif: Decimal = OBJECTIF_PART_BRSA

    def __add__(self, autre: "EmbauchesBrsa") -> "EmbauchesBrsa":
        return EmbauchesBrsa(self.embauches + autre.embauches, self.brsa + autre.brsa, self.objectif)

    @property
    def part(self) -> Decimal | None:
        return part(self.brsa, self.embauches)

    @property
    def sous_l_objectif(self) -> bool:
        return sous_l_objectif(self.part, self.objectif)


def embauches_gardees(structures, annee: int, groupe: str) -> dict[tuple, EmbauchesBrsa]:
    """`embauches_par` summed over the structures' hires per year (`EmbauchesAnnuelles`, counted when their
    parcours changed): what the pages of publics, their API and the cockpit read. One query."""
    champs = GROUPES[groupe]
    lignes = EmbauchesAnnuelles.objects.filter(siae__in=structures, annee=annee)
    if not champs:
        sommes = lignes.aggregate(embauches=Coalesce(Sum("embauches"), 0), brsa=Coalesce(Sum("brsa"), 0))
        return {(): EmbauchesBrsa(sommes["embauches"], sommes["brsa"])}
    n = len(champs)
    sommes = lignes.values_list(*champs).annotate(Sum("embauches"), Sum("brsa")).order_by()
    return {tuple(r[:n]): EmbauchesBrsa(r[n], r[n + 1]) for r in sommes}


def embauches_par(structures, annee: int, groupe: str) -> dict[tuple, EmbauchesBrsa]:
    """One query: the year's hires and bRSA hires per group (objective: 40 %), from the parcours themselves."""
    champs = GROUPES[groupe]
    embauches = Parcours.objects.filter(
        siae__in=structures, date_embauche__gte=dt.date(annee, 1, 1), date_embauche__lte=dt.date(annee, 12, 31)
    )
    agregats = {"embauches": Count("pk"), "brsa": Count("pk", filter=Q(brsa=True))}
    if not champs:
        return {(): EmbauchesBrsa(**embauches.aggregate(**agregats))}
    n = len(champs)
    lignes = embauches.values_list(*champs).annotate(**agregats).order_by()
    return {tuple(r[:n]): EmbauchesBrsa(r[n], r[n + 1]) for r in lignes}


@dataclass(frozen=True)
class AnnexeLue:
    """What the pages of sorties and publics read of a structure's annexe of the year: its number, its objectives,
    its structure (nationally, thousands of them: values read, not model objects)."""

    pk: int
    numero: str
    siae: Structure
    objectif_sorties_dynamiques: Decimal | None
    objectif_emploi_durable: Decimal | None
    objectif_emploi_transition: Decimal | None
    objectif_sorties_positives: Decimal | None
    objectif_part_brsa: Decimal | None


def _actives_de_l_annee(structures, annee: int):
    """The structures' active annexes overlapping the year, each structure's latest last (the one a dict keeps)."""
    return (
        AnnexeFinanciere.objects.actives()
        .filter(siae__in=structures, date_debut__lte=dt.date(annee, 12, 31), date_fin__gte=dt.date(annee, 1, 1))
        .order_by("siae_id", "date_debut", "pk")
    )


def annexes_lues(structures, annee: int) -> dict[int, AnnexeLue]:
    """`annexes_de_l_annee` as `AnnexeLue`. One query."""
    objectifs = [f.name for f in fields(AnnexeLue) if f.name.startswith("objectif_")]
    lignes = _actives_de_l_annee(structures, annee).values_list("pk", "numero", *GROUPES["siae"], *objectifs)
    return {ligne[2]: AnnexeLue(ligne[0], ligne[1], Structure(*ligne[2:7]), *ligne[7:]) for ligne in lignes}


def annexes_de_l_annee(structures, annee: int) -> dict[int, AnnexeFinanciere]:
    """The active annexe of each structure for the year (the latest when there are several), with its structure.
    One query."""
    return {annexe.siae_id: annexe for annexe in _actives_de_l_annee(structures, annee).select_related("siae")}


@dataclass
class LignePublics:
    cle: str
    publics: ComptePublics
    embauches: EmbauchesBrsa


def publics_par_type(structures, annee: int) -> list[LignePublics]:
    """One row per kind with salariés or hires in the year, then TOTAL (salariés counted once). Three queries."""
    publics = publics_par(structures, annee, "type")
    embauches = embauches_gardees(structures, annee, "type")
    presents = {c[0] for c in publics} | {c[0] for c in embauches}
    lignes = [
        LignePublics(t, publics.get((t,), ComptePublics()), embauches.get((t,), EmbauchesBrsa()))
        for t in ORDRE_DES_TYPES
        if t in presents
    ]
    total_embauches = sum((ligne.embauches for ligne in lignes), EmbauchesBrsa())
    return [*lignes, LignePublics(TOTAL, publics_par(structures, annee, "total")[()], total_embauches)]


@dataclass
class PublicsSiae:
    structure: Structure
    publics: ComptePublics
    embauches: EmbauchesBrsa
    annexe: AnnexeLue | None = None


def publics_des_siae(structures, annee: int, annexes: dict[int, AnnexeLue] | None = None) -> list[PublicsSiae]:
    """Each structure with salariés or hires in the year; the bRSA objective is its annexe's, else 40 %. Three
    queries (two when the annexes of the year are given)."""
    publics = publics_par(structures, annee, "siae")
    embauches = embauches_gardees(structures, annee, "siae")
    if annexes is None:
        annexes = annexes_lues(structures, annee)
    resultat = []
    for cle in publics.keys() | embauches.keys():
        structure = Structure(*cle)
        annexe = annexes.get(structure.siae_id)
        objectif = objectif_part_brsa(annexe.objectif_part_brsa if annexe else None)
        compte = embauches.get(cle, EmbauchesBrsa())
        resultat.append(
            PublicsSiae(
                structure,
                publics.get(cle, ComptePublics()),
                EmbauchesBrsa(compte.embauches, compte.brsa, objectif),
                annexe,
            )
        )
    return resultat


def regroupement_ei_etti(lignes: list[LigneSorties]) -> LigneSorties | None:
    """EI and ETTI together, as the CDIAE bilan shows them, when both are there."""
    par_type = {ligne.cle: ligne for ligne in lignes}
    if "EI" not in par_type or "ETTI" not in par_type:
        return None
    ei, etti = par_type["EI"], par_type["ETTI"]
    return LigneSorties("EI/ETTI", ei.annees, [a + b for a, b in zip(ei.comptes, etti.comptes, strict=True)])


def embauches_publiques(structures, annee: int) -> dict[int, EmbauchesPubliques]:
    """One query: per structure, the hires of the year (parcours begun in it) and their profile at hire."""
    debut, fin = dt.date(annee, 1, 1), dt.date(annee, 12, 31)
    lignes = (
        Parcours.objects.filter(siae__in=structures, date_embauche__gte=debut, date_embauche__lte=fin)
        .annotate(age=age_a_l_embauche())
        .values_list("siae_id")
        .annotate(
            embauches=Count("pk"),
            brsa=Count("pk", filter=Q(brsa=True)),
            deld_detld=Count("pk", filter=Q(duree_chomage__in=[DureeChomage.DELD, DureeChomage.DETLD])),
            rqth=Count("pk", filter=Q(rqth=True)),
            qpv=Count("pk", filter=Q(qpv=True)),
            infra_cap=Count("pk", filter=Q(niveau_formation__in=NIVEAUX_INFRA_CAP)),
            cinquante_ans_et_plus=Count("pk", filter=Q(age__gte=AGE_SENIOR * 10000)),
        )
        .order_by()
    )
    return {siae_id: EmbauchesPubliques(*valeurs) for siae_id, *valeurs in lignes}
