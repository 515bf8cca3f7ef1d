"""Where the monthly declarations stand: on time, late, missing (spec §3), in one query for many months."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    DecimalField,
    F,
    Func,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from base.calendrier import Periode, dernier_jour_du_mois, mois_entre
from base.ensembliste import compiler
from base.formats import arrondi
from conventions.models import EtpConventionneMensuel
from declarations.models import LigneDeclaration
from declarations.regles import echeance_declaration
from parcours.models import Parcours

from .models import DeclarationMensuelle, EtatDeclaration

A_TEMPS = "a_temps"
EN_RETARD = "en_retard"
MANQUANTE = "manquante"
EN_COURS = "en_cours"  # the month is not over, or its deadline has not passed

LIBELLES = {A_TEMPS: "À temps", EN_RETARD: "En retard", MANQUANTE: "Manquante", EN_COURS: "Pas encore due"}


def mois_precedent(jour: dt.date) -> dt.date:
    return (jour.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def statut_echeance(mois: dt.date, premiere_transmission: dt.datetime | None, aujourd_hui: dt.date) -> str:
    echeance = echeance_declaration(mois)
    if premiere_transmission is not None:
        return A_TEMPS if timezone.localdate(premiere_transmission) <= echeance else EN_RETARD
    return MANQUANTE if aujourd_hui > echeance else EN_COURS


@dataclass
class Suivi:
    annexe_id: int
    numero: str
    siae_id: int
    siae_nom: str
    siae_type: str
    mois: dt.date
    declaration_id: int | None
    etat: str | None
    premiere_transmission: dt.datetime | None
    statut: str

    @property
    def echeance(self) -> dt.date:
        return echeance_declaration(self.mois)

    @property
    def libelle_statut(self) -> str:
        return LIBELLES[self.statut]

    @property
    def libelle_etat(self) -> str:
        return EtatDeclaration(self.etat).label if self.etat else "Non commencée"


def suivi_des_declarations(annexes, debut: dt.date, fin: dt.date, aujourd_hui: dt.date | None = None) -> list[Suivi]:
    """One row per annexe and month the annexe covers between debut and fin (first days of months)."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    versions = DeclarationMensuelle.objects.filter(annexe=OuterRef("annexe"), mois=OuterRef("mois")).order_by(
        "-version"
    )
    lignes = (
        EtpConventionneMensuel.objects.filter(annexe__in=annexes, mois__gte=debut, mois__lte=fin)
        .annotate(
            declaration_id=Subquery(versions.values("pk")[:1]),
            etat=Subquery(versions.values("etat")[:1]),
            premiere_transmission=Subquery(
                DeclarationMensuelle.objects.filter(annexe=OuterRef("annexe"), mois=OuterRef("mois"))
                .values("annexe")
                .annotate(premiere=Min("date_transmission", filter=Q(date_transmission__isnull=False)))
                .values("premiere")[:1]
            ),
        )
        .values_list(
            "annexe_id",
            "annexe__numero",
            "annexe__siae_id",
            "annexe__siae__nom",
            "annexe__siae__type",
            "mois",
            "declaration_id",
            "etat",
            "premiere_transmission",
        )  # fmt: skip
        .order_by("mois", "annexe__siae__nom", "annexe__numero")
    )
    return [Suivi(*ligne, statut=statut_echeance(ligne[5], ligne[8], aujourd_hui)) for ligne in lignes]


def comptes_par_mois(
    annexes, debut: dt.date, fin: dt.date, aujourd_hui: dt.date | None = None
) -> dict[dt.date, dict[str, int]]:
    """The statuses of `suivi_des_declarations` counted month by month in one aggregate query, whatever the number
    of annexes: {month: {status: count}}, every status present. A month's first transmission is on time when it
    comes before the end of its deadline's day, local time (`statut_echeance`)."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    fin_du_delai = Case(
        *(
            When(
                mois=mois,
                then=Value(
                    timezone.make_aware(
                        dt.datetime.combine(echeance_declaration(mois) + dt.timedelta(days=1), dt.time())
                    )
                ),
            )
            for mois in mois_entre(debut, fin)
        ),
        output_field=DateTimeField(),
    )
    # Each annexe's month with its first transmission, flagged on time or not; then joined to the months the
    # annexes cover, where an absent first transmission is a month not transmitted.
    premieres, params_premieres = compiler(
        DeclarationMensuelle.objects.filter(
            annexe__in=annexes, mois__gte=debut, mois__lte=fin, date_transmission__isnull=False
        )
        .values("annexe_id", "mois")
        .annotate(premiere=Min("date_transmission"))
        .annotate(a_temps=Case(When(premiere__lt=fin_du_delai, then=Value(1)), default=Value(0)))
        .values("annexe_id", "mois", "a_temps")
        .order_by()
    )
    couverts, params_couverts = compiler(
        EtpConventionneMensuel.objects.filter(annexe__in=annexes, mois__gte=debut, mois__lte=fin)
        .values("annexe_id", "mois")
        .order_by()
    )
    sql = (
        f"SELECT c.mois, COUNT(p.annexe_id), COALESCE(SUM(p.a_temps), 0), COUNT(*) - COUNT(p.annexe_id) "
        f"FROM ({couverts}) c LEFT JOIN ({premieres}) p ON p.annexe_id = c.annexe_id AND p.mois = c.mois "
        f"GROUP BY c.mois"
    )
    with connection.cursor() as curseur:
        curseur.execute(sql, (*params_couverts, *params_premieres))
        lignes = curseur.fetchall()
    comptes = {}
    for mois, transmises, dans_les_temps, non_transmises in lignes:
        mois = mois if isinstance(mois, dt.date) else dt.date.fromisoformat(mois)  # SQLite gives text
        du_mois = dict.fromkeys(LIBELLES, 0)
        du_mois[A_TEMPS] = int(dans_les_temps)
        du_mois[EN_RETARD] = transmises - int(dans_les_temps)
        du_mois[MANQUANTE if aujourd_hui > echeance_declaration(mois) else EN_COURS] = non_transmises
        comptes[mois] = du_mois
    return comptes


def comptes_par_statut(suivis: list[Suivi]) -> dict[str, int]:
    comptes = dict.fromkeys(LIBELLES, 0)
    for suivi in suivis:
        comptes[suivi.statut] += 1
    return comptes


DECIMAL = DecimalField(max_digits=24, decimal_places=12)


class DivisionDecimale(Func):
    """a / b in exact numeric on PostgreSQL; SQLite (development) would divide integers as integers."""

    arg_joiner = " / "
    template = "(%(expressions)s)"
    output_field = DECIMAL

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sqlite(compiler, connection, template="(CAST(%(expressions)s))", arg_joiner=" AS REAL) / (")


def etp_realises_expression(prefixe: str = "declaration__annexe__"):
    """Hours × 12 / annual hours of a post: the ETP of a month, summed over lines."""
    return DivisionDecimale(F("heures_travaillees") * Value(Decimal(12)), F(f"{prefixe}heures_annuelles_par_etp"))


def lignes_retenues(annexes, periode: Periode):
    return LigneDeclaration.objects.filter(
        declaration__retenue=True,
        declaration__annexe__in=annexes,
        declaration__mois__gte=periode.debut,
        declaration__mois__lte=periode.fin,
    )


def parcours_a_declarer(siae, mois: dt.date, deja_declares) -> list[Parcours]:
    """The salariés of a structure's declaration for a month: every parcours begun by the month's end and not ended
    before it, and those the declaration already has a line for (an exit recorded since keeps its row). One
    query, ordered by name."""
    return list(
        Parcours.objects.filter(siae=siae, date_embauche__lte=dernier_jour_du_mois(mois))
        .filter(Q(date_sortie__isnull=True) | Q(date_sortie__gte=mois) | Q(pk__in=list(deja_declares)))
        .select_related("salarie", "pass_iae", "motif_sortie")
        .prefetch_related("contrats")
        .order_by("salarie__nom", "salarie__prenom", "date_embauche")
    )


def heures_par_parcours(parcours) -> dict[int, list[tuple[dt.date, Decimal]]]:
    """The hours of the retained declarations of these parcours, month by month (one query)."""
    par_parcours = {}
    for parcours_id, mois, heures in (
        LigneDeclaration.objects.filter(parcours__in=parcours, declaration__retenue=True)
        .values_list("parcours_id", "declaration__mois")
        .annotate(heures=Sum("heures_travaillees"))
        .order_by("declaration__mois")
    ):
        par_parcours.setdefault(parcours_id, []).append((mois, heures))
    return par_parcours


def heures_retenues_du_mois(parcours_ids, mois: dt.date) -> dict[int, Decimal]:
    """The hours these parcours have in the retained declarations of a month, whatever the annexe (a January
    reads the December of the previous year's annexe): what « Reprendre le mois précédent » copies. One query."""
    sommes = (
        LigneDeclaration.objects.filter(
            parcours__in=list(parcours_ids), declaration__retenue=True, declaration__mois=mois
        )
        .values_list("parcours_id")
        .annotate(heures=Sum("heures_travaillees"))
        .order_by()
    )
    # Hours are kept to the cent; SQLite's sum comes back with the digits of a float.
    return {parcours_id: arrondi(heures) for parcours_id, heures in sommes}


def totaux_retenus(annexe, mois: dt.date) -> tuple[Decimal, Decimal] | None:
    """(hours, ETP) of the retained declaration of an annexe's month, None when the month has none. One query."""
    totaux = LigneDeclaration.objects.filter(
        declaration__annexe=annexe, declaration__mois=mois, declaration__retenue=True
    ).aggregate(heures=Sum("heures_travaillees"), etp=Sum(etp_realises_expression()))
    if totaux["heures"] is None:
        return None
    return arrondi(totaux["heures"]), Decimal(totaux["etp"])


def etp_conventionnes_du_mois(annexe, mois: dt.date) -> Decimal | None:
    """The ETP conventionnés of the annexe's month (its avenants applied), None when none is recorded."""
    etp = EtpConventionneMensuel.objects.filter(annexe=annexe, mois=mois).values_list("etp_conventionnes", flat=True)
    return etp.first()


@dataclass
class ResteADeclarer:
    mois: list[dt.date]  # the months with no declaration transmitted yet
    a_valider: int  # the months whose latest declaration is transmitted and not yet validated


def restes_a_declarer(suivis: list[Suivi]) -> ResteADeclarer:
    """What an annexe still waits for, from its `suivi_des_declarations` over its whole period: what closing or
    cancelling it says before it is confirmed."""
    transmises = (EtatDeclaration.TRANSMISE, EtatDeclaration.VALIDEE)
    return ResteADeclarer(
        mois=sorted(s.mois for s in suivis if s.etat not in transmises),
        a_valider=sum(1 for s in suivis if s.etat == EtatDeclaration.TRANSMISE),
    )


def dernier_mois_du(aujourd_hui: dt.date) -> dt.date:
    """The latest month whose declaration deadline (the 15th of the next month) has passed."""
    mois = mois_precedent(aujourd_hui)
    return mois if aujourd_hui > echeance_declaration(mois) else mois_precedent(mois)


def a_valider_par_departement(declarations) -> dict[str, int]:
    """The declarations in force, transmitted and waiting for the DDETS's validation, counted by département of
    their structure: one aggregate query."""
    return dict(
        declarations.filter(retenue=True, etat=EtatDeclaration.TRANSMISE)
        .values_list("annexe__siae__departement")
        .annotate(nombre=Count("pk"))
        .order_by()
    )


def manquantes_ou_en_retard_par_departement(annexes, debut: dt.date, mois_du: dt.date) -> dict[str, tuple[int, int]]:
    """By département: (months still missing between `debut` and `mois_du`, annexe by annexe; declarations of
    `mois_du` transmitted after its deadline). `mois_du` is a month whose deadline has passed, so a month of the
    range never transmitted is missing. One aggregate query."""
    transmises = DeclarationMensuelle.objects.filter(
        annexe=OuterRef("annexe"), mois=OuterRef("mois"), date_transmission__isnull=False
    )
    premiere = (
        transmises.values("annexe").annotate(premiere=Min("date_transmission")).values("premiere")[:1]  # fmt: skip
    )
    limite = timezone.make_aware(dt.datetime.combine(echeance_declaration(mois_du) + dt.timedelta(days=1), dt.time()))
    lignes = (
        EtpConventionneMensuel.objects.filter(annexe__in=annexes, mois__gte=debut, mois__lte=mois_du)
        .annotate(premiere=Subquery(premiere))
        .values_list("annexe__siae__departement")
        .annotate(
            manquantes=Count("pk", filter=Q(premiere__isnull=True)),
            en_retard=Count("pk", filter=Q(mois=mois_du, premiere__gte=limite)),
        )
        .order_by()
    )
    return {departement: (manquantes, en_retard) for departement, manquantes, en_retard in lignes}
