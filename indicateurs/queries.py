"""Reads over the materialised indicators (the consumption curves of every page, the monthly summary) and the
départements' bRSA objectives: one query each, whatever the number of annexes."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, Sum

from .models import CalculDepartement, IndicateurMensuel, ObjectifBrsa
from .queries_consommation import ZERO, dernier_mois_echu, periode_de_reference
from .regles import Courbe, courbe_cumulee, taux_consommation


def fin_du_realise(annexes, annee: int, aujourd_hui: dt.date | None = None) -> dt.date | None:
    """The last month a curve shows réalisé: the reference period's last (`periode_de_reference`), once its
    declarations are due; None before."""
    aujourd_hui = aujourd_hui or dt.date.today()
    fin = periode_de_reference(annexes, annee, aujourd_hui).fin
    return fin if fin <= dernier_mois_echu(aujourd_hui) else None


def _sommes_par_mois(annexes, annee: int, groupe: list[str]) -> dict[tuple, tuple[dict, dict]]:
    """{(group values): ({month: ETP-mois conventionnés}, {month: ETP-mois réalisés})} of the year over the
    materialised rows of these annexes, for the groups that have a row in it. One query."""
    sommes = {}
    for *cle, mois, conv, real in (
        IndicateurMensuel.objects.filter(
            annexe__in=annexes, mois__gte=dt.date(annee, 1, 1), mois__lte=dt.date(annee, 12, 1)
        )
        .values_list(*groupe, "mois")
        .annotate(conv=Sum("etp_conventionnes"), real=Sum("etp_realises"))
        .order_by()
    ):
        conventionnes, realises = sommes.setdefault(tuple(cle), ({}, {}))
        conventionnes[mois], realises[mois] = Decimal(conv or ZERO), Decimal(real or ZERO)
    return sommes


def courbe_de_consommation(annexes, annee: int, aujourd_hui: dt.date | None = None) -> Courbe:
    """The year's curve of these annexes (a queryset: a département's, a kind's, a structure's...), read from the
    materialised monthly indicators (refreshed after each write and every night): one query whatever their
    number. A month without any row counts zero."""
    conventionnes, realises = _sommes_par_mois(annexes, annee, []).get((), ({}, {}))
    return courbe_cumulee(annee, conventionnes, realises, fin_du_realise(annexes, annee, aujourd_hui))


def courbes_par_structure(annexes, annee: int, aujourd_hui: dt.date | None = None) -> dict[int, Courbe]:
    """{siae id: its curve}, for the structures of these annexes with a row in the year. One query."""
    fin = fin_du_realise(annexes, annee, aujourd_hui)
    return {
        siae_id: courbe_cumulee(annee, conventionnes, realises, fin)
        for (siae_id,), (conventionnes, realises) in _sommes_par_mois(annexes, annee, ["siae_id"]).items()
    }


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
    """When each département's figures were last recomputed whole: none of them is older (a refresh in between
    may have made some fresher). One query."""
    return dict(
        CalculDepartement.objects.filter(departement__in=departements).values_list("departement", "date_calcul")
    )


def objectif_brsa_du_departement(departement: str | None, annee: int) -> Decimal | None:
    """The share of bRSA among hires the DDETS set for the département's year (%), None if it set none: the
    cockpit and the bilan compare with the same value."""
    if not departement:
        return None
    return ObjectifBrsa.objects.filter(departement=departement, annee=annee).values_list("seuil", flat=True).first()


def realises_materialises(annexes):
    """(annexe id, month, ETP-mois réalisés) of these annexes, as materialised: what the pages give
    `aides_des_annexes` to read instead of summing the declarations again. Only the months declared (a month with
    ETP conventionnés and nothing declared has a row too, at zero): the last month declared is the same. A join on
    the retained declaration of the month (one at most, a unique constraint), not a subquery per row: nationally
    the planner ran that one row by row."""
    return (
        IndicateurMensuel.objects.filter(annexe__in=annexes)
        .filter(annexe__declarations__retenue=True, annexe__declarations__mois=F("mois"))
        .values_list("annexe_id", "mois", "etp_realises")
        .order_by()
    )
