"""ETP conventionnés against ETP réalisés (spec §4), aggregated in SQL.

Everything is summed in ETP-mois: the conventionné from `EtpConventionneMensuel`, the réalisé from the retained
declaration lines (hours × 12 / annual hours of a post). A figure in ETP is the sum divided by the number of
months of the period. Each function runs a fixed number of queries, whatever the number of structures.

The cockpit reads those sums as materialised per annexe and month (`IndicateurMensuel`, `materialise=True`): it
is the page fifty agents open at once. The other pages and the exporter read the data itself.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from base.calendrier import Periode
from conventions.models import EtpConventionneMensuel
from declarations.queries import etp_realises_expression, lignes_retenues
from declarations.regles import echeance_declaration
from indicateurs.regles import (
    ecart_projete_etp,
    projection_annuelle,
    seuils_de_consommation,
    statut_consommation,
    taux_consommation,
)
from siae.models import ORDRE_DES_TYPES

from .models import IndicateurMensuel

ZERO = Decimal(0)


@dataclass
class Consommation:
    """ETP-mois of a group over a period, and the figures derived from them."""

    cle: object
    conv_etp_mois: Decimal
    real_etp_mois: Decimal
    nombre_de_mois: int

    @property
    def etp_conventionnes(self) -> Decimal:
        return self.conv_etp_mois / self.nombre_de_mois

    @property
    def etp_realises(self) -> Decimal:
        return self.real_etp_mois / self.nombre_de_mois

    @property
    def taux(self) -> Decimal | None:
        return taux_consommation(self.real_etp_mois, self.conv_etp_mois)

    @property
    def statut(self) -> str | None:
        return statut_consommation(self.taux, *seuils_de_consommation())


def _sommes_en_direct(annexes, periode: Periode, champs: list[str]) -> tuple[dict, dict]:
    """Two queries: ETP-mois conventionnés and réalisés grouped by the given fields of the annexe, from the data."""
    conv = (
        EtpConventionneMensuel.objects.filter(annexe__in=annexes, mois__gte=periode.debut, mois__lte=periode.fin)
        .values_list(*[f"annexe__{c}" for c in champs])
        .annotate(total=Sum("etp_conventionnes"))
        .order_by()
    )
    real = (
        lignes_retenues(annexes, periode)
        .values_list(*[f"declaration__annexe__{c}" for c in champs])
        .annotate(total=Sum(etp_realises_expression()))
        .order_by()
    )
    return ({tuple(r[:-1]): r[-1] or ZERO for r in conv}, {tuple(r[:-1]): r[-1] or ZERO for r in real})


def _sommes_materialisees(annexes, periode: Periode, champs: list[str]) -> tuple[dict, dict]:
    """The same sums in one query on the materialised months (`IndicateurMensuel`, rebuilt whenever an annexe's
    ETP conventionnés or its retained declarations change). They hold the active annexes only, as the figures do
    (spec §2)."""
    sommes = (
        IndicateurMensuel.objects.filter(annexe__in=annexes, mois__gte=periode.debut, mois__lte=periode.fin)
        .values_list(*[f"annexe__{c}" for c in champs])
        .annotate(conv=Sum("etp_conventionnes"), real=Sum("etp_realises"))
        .order_by()
    )
    conv, real = {}, {}
    for *cle, conventionnes, realises in sommes:
        conv[tuple(cle)] = conventionnes or ZERO
        real[tuple(cle)] = realises or ZERO
    return conv, real


def consommation_par(
    annexes, periode: Periode, champs: list[str], materialise: bool = False
) -> dict[tuple, Consommation]:
    """`materialise`: read the materialised months rather than the data (the cockpit, whose figures must cost
    nothing to read again; the tests compare both)."""
    conv, real = (_sommes_materialisees if materialise else _sommes_en_direct)(annexes, periode, champs)
    return {
        cle: Consommation(cle, Decimal(conv.get(cle, ZERO)), Decimal(real.get(cle, ZERO)), periode.nombre_de_mois)
        for cle in conv.keys() | real.keys()
    }


def consommation_par_type(annexes, periode: Periode, materialise: bool = False) -> list[Consommation]:
    """One row per kind present, in the bilan's order, then TOTAL (the seed's département table)."""
    par_type = consommation_par(annexes, periode, ["type"], materialise)
    lignes = [par_type[(t,)] for t in ORDRE_DES_TYPES if (t,) in par_type]
    for ligne in lignes:
        ligne.cle = ligne.cle[0]
    total = Consommation(
        "TOTAL",
        sum((c.conv_etp_mois for c in lignes), ZERO),
        sum((c.real_etp_mois for c in lignes), ZERO),
        periode.nombre_de_mois,
    )
    return [*lignes, total]


@dataclass
class ConsommationSiae:
    siae_id: int
    siret: str
    nom: str
    type: str
    reference: Consommation  # over the reference period: what the tables show
    annee: Consommation  # over the whole year: the conventionné the projection is compared with
    a_date: Consommation | None  # January to the last month declared
    mois_ecoules: int

    @property
    def projection_etp(self) -> Decimal | None:
        """Year-end ETP réalisés projected linearly from January to the last month declared."""
        if self.a_date is None:
            return None
        return projection_annuelle(self.a_date.real_etp_mois, self.mois_ecoules) / 12

    @property
    def ecart_projection_etp(self) -> Decimal | None:
        """The projection less the year's ETP conventionnés (not the reference period's)."""
        if self.a_date is None:
            return None
        return ecart_projete_etp(self.a_date.real_etp_mois, self.mois_ecoules, self.annee.conv_etp_mois)


def consommation_des_siae(
    annexes, annee: int, aujourd_hui: dt.date | None = None, materialise: bool = False
) -> list[ConsommationSiae]:
    """Per structure: the reference period (the year to date while it runs) and the whole year. Four queries (two
    when `materialise`, as `consommation_par` says)."""
    reference = periode_de_reference(annexes, annee, aujourd_hui)
    annuelle = Periode.annee(annee)
    champs = ["siae_id", "siae__siret", "siae__nom", "siae__type"]
    sur_reference = consommation_par(annexes, reference, champs, materialise)
    sur_annee = sur_reference if reference == annuelle else consommation_par(annexes, annuelle, champs, materialise)
    vide = Consommation(None, ZERO, ZERO, reference.nombre_de_mois)
    return [
        ConsommationSiae(
            siae_id=cle[0],
            siret=cle[1],
            nom=cle[2],
            type=cle[3],
            reference=sur_reference.get(cle, vide),
            annee=sur_annee.get(cle, Consommation(cle, ZERO, ZERO, 12)),
            # No projection for a structure that has declared nothing over the period.
            a_date=sur_reference[cle] if cle in sur_reference and sur_reference[cle].real_etp_mois else None,
            mois_ecoules=reference.nombre_de_mois,
        )
        for cle in sur_annee.keys() | sur_reference.keys()
    ]


@dataclass
class LigneMensuelle:
    mois: dt.date
    etp_conventionnes: Decimal
    heures: Decimal
    etp_realises: Decimal

    @property
    def taux(self) -> Decimal | None:
        return taux_consommation(self.etp_realises, self.etp_conventionnes)


def consommation_mensuelle(annexes, periode: Periode) -> list[LigneMensuelle]:
    """Month by month over the given annexes (one annexe, or all those of a structure). Two queries."""
    conv = dict(
        EtpConventionneMensuel.objects.filter(annexe__in=annexes, mois__gte=periode.debut, mois__lte=periode.fin)
        .values_list("mois")
        .annotate(total=Sum("etp_conventionnes"))
        .order_by()
    )
    real = {
        mois: (heures, etp)
        for mois, heures, etp in lignes_retenues(annexes, periode)
        .values_list("declaration__mois")
        .annotate(heures=Sum("heures_travaillees"), etp=Sum(etp_realises_expression()))
        .order_by()
    }
    mois_connus = sorted(conv.keys() | real.keys())
    return [
        LigneMensuelle(
            mois=mois,
            etp_conventionnes=Decimal(conv.get(mois) or ZERO),
            heures=Decimal(real.get(mois, (ZERO, ZERO))[0] or ZERO),
            etp_realises=Decimal(real.get(mois, (ZERO, ZERO))[1] or ZERO),
        )
        for mois in mois_connus
    ]


def dernier_mois_echu(aujourd_hui: dt.date) -> dt.date:
    """The last month whose declaration deadline (the 15th of the next month) has passed."""
    mois = (aujourd_hui.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return mois if aujourd_hui > echeance_declaration(mois) else (mois - dt.timedelta(days=1)).replace(day=1)


def periode_de_reference(annexes, annee: int, aujourd_hui: dt.date | None = None) -> Periode:
    """The period the figures of a year are shown over: the whole year once it is over; while it runs, January to
    the last month whose declarations are due. The same for every page and every scope, whoever declared early or
    late: a missing declaration counts as nothing réalisé, which is what it is until it arrives."""
    aujourd_hui = aujourd_hui or dt.date.today()
    if aujourd_hui.year > annee:
        return Periode.annee(annee)
    fin = dernier_mois_echu(aujourd_hui)
    return Periode(dt.date(annee, 1, 1), fin if fin.year == annee else dt.date(annee, 1, 1))
