"""Reads over the materialised indicators: one aggregate query whatever the number of annexes."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Min, Q, Sum

from base.calendrier import mois_de_l_annee
from indicateurs.queries_consommation import ZERO
from indicateurs.regles import taux_consommation

from .models import IndicateurMensuel
from .regles import cumuls


@dataclass(frozen=True)
class PointMensuel:
    """One month of a group of annexes. ETP of the month (= its ETP-mois); the cumuls are ETP-mois since January,
    so that `cumul / number of months` is the ETP of January to this month, and their ratio its consumption."""

    mois: dt.date
    etp_conventionnes: Decimal
    etp_realises: Decimal
    cumul_conventionne: Decimal
    cumul_realise: Decimal
    heures: Decimal
    salaries: int

    @property
    def taux(self) -> Decimal | None:
        return taux_consommation(self.etp_realises, self.etp_conventionnes)

    @property
    def taux_cumule(self) -> Decimal | None:
        return taux_consommation(self.cumul_realise, self.cumul_conventionne)


@dataclass(frozen=True)
class SerieMensuelle:
    """The twelve months of a year, and when the oldest of the rows they sum was computed (None: no row)."""

    points: list[PointMensuel] = field(default_factory=list)
    date_du_calcul: dt.datetime | None = None

    def __iter__(self) -> Iterator[PointMensuel]:
        return iter(self.points)

    def __len__(self) -> int:
        return len(self.points)

    def __getitem__(self, indice: int) -> PointMensuel:
        return self.points[indice]


def serie_mensuelle(annexes, annee: int) -> SerieMensuelle:
    """January to December of the year for these annexes (a queryset: `.actives()` of a structure, a kind, a
    département...), a month without any row at zero. `salaries` adds up each annexe's salariés: someone who worked
    in two structures the same month counts in both (the distinct count over a group is in `queries_sorties`)."""
    lignes = {
        mois: (conv, real, heures, salaries, calcul)
        for mois, conv, real, heures, salaries, calcul in IndicateurMensuel.objects.filter(
            annexe__in=annexes, mois__gte=dt.date(annee, 1, 1), mois__lte=dt.date(annee, 12, 1)
        )
        .values_list("mois")
        .annotate(
            conv=Sum("etp_conventionnes"),
            real=Sum("etp_realises"),
            heures=Sum("heures_travaillees"),
            salaries=Sum("salaries"),
            calcul=Min("date_calcul"),
        )
        .order_by()
    }
    mois = mois_de_l_annee(annee)
    vide = (ZERO, ZERO, ZERO, 0, None)
    valeurs = [lignes.get(m, vide) for m in mois]
    conv = [Decimal(v[0] or ZERO) for v in valeurs]
    real = [Decimal(v[1] or ZERO) for v in valeurs]
    points = [
        PointMensuel(
            mois=m,
            etp_conventionnes=c,
            etp_realises=r,
            cumul_conventionne=cc,
            cumul_realise=cr,
            heures=Decimal(v[2] or ZERO),
            salaries=v[3] or 0,
        )
        for m, c, r, cc, cr, v in zip(mois, conv, real, cumuls(conv), cumuls(real), valeurs, strict=True)
    ]
    calculs = [v[4] for v in valeurs if v[4] is not None]
    return SerieMensuelle(points, min(calculs) if calculs else None)


@dataclass(frozen=True)
class ConsommationDuMois:
    """One kind (or TOTAL, or one structure) in the monthly summary: the month itself and January to it, in
    ETP-mois."""

    cle: tuple
    conv_mois: Decimal
    real_mois: Decimal
    conv_cumul: Decimal
    real_cumul: Decimal
    nombre_de_mois: int

    @property
    def taux_mois(self) -> Decimal | None:
        return taux_consommation(self.real_mois, self.conv_mois)

    @property
    def etp_conventionnes_cumul(self) -> Decimal:
        return self.conv_cumul / self.nombre_de_mois

    @property
    def etp_realises_cumul(self) -> Decimal:
        return self.real_cumul / self.nombre_de_mois

    @property
    def taux_cumul(self) -> Decimal | None:
        return taux_consommation(self.real_cumul, self.conv_cumul)


def consommation_du_mois(departements, mois: dt.date, groupe: list[str]) -> dict[tuple, ConsommationDuMois]:
    """{(département, *group values): figures} for the month and January to it, over the materialised rows of
    the départements. One query."""
    debut = dt.date(mois.year, 1, 1)
    return {
        (departement, *cle): ConsommationDuMois(
            tuple(cle), conv_m or ZERO, real_m or ZERO, conv or ZERO, real or ZERO, mois.month
        )
        for departement, *cle, conv_m, real_m, conv, real in IndicateurMensuel.objects.filter(
            departement__in=departements, mois__gte=debut, mois__lte=mois
        )
        .values_list("departement", *groupe)
        .annotate(
            conv_m=Sum("etp_conventionnes", filter=Q(mois=mois)),
            real_m=Sum("etp_realises", filter=Q(mois=mois)),
            conv=Sum("etp_conventionnes"),
            real=Sum("etp_realises"),
        )
        .order_by()
    }


def dates_du_calcul(departements) -> dict[str, dt.datetime]:
    """When the oldest row of each département was computed."""
    return dict(
        IndicateurMensuel.objects.filter(departement__in=departements)
        .values_list("departement")
        .annotate(calcul=Min("date_calcul"))
        .order_by()
    )
