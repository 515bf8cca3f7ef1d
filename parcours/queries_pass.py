"""Reads of the PASS IAE cycle for the pages that gather several parcours."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from .models import PassIae, Prolongation, StatutProlongation, Suspension
from .regles_pass import FinDuPass, Periode, fin_du_pass


def suspensions_et_prolongations(user, passes) -> tuple[dict[int, list[Suspension]], dict[int, list[Prolongation]]]:
    """The suspensions and the prolongations of these PASS IAE (ids) that the user may see, each grouped by PASS in
    date order: two queries for any number of PASS."""
    suspensions: dict[int, list[Suspension]] = {}
    prolongations: dict[int, list[Prolongation]] = {}
    for suspension in Suspension.objects.visible_to(user).filter(pass_iae__in=passes).select_related("motif"):
        suspensions.setdefault(suspension.pass_iae_id, []).append(suspension)
    for prolongation in Prolongation.objects.visible_to(user).filter(pass_iae__in=passes).select_related("motif"):
        prolongations.setdefault(prolongation.pass_iae_id, []).append(prolongation)
    return suspensions, prolongations


def fins_des_pass(passes: list[PassIae]) -> dict[int, FinDuPass]:
    """Each PASS's official end and the end computed from its start, all its suspensions and its granted
    prolongations (those of every structure: the end accounts for them all, whoever sees them), by PASS id: two
    queries for any number of PASS."""
    ids = {p.pk for p in passes}
    periodes = {"suspensions": defaultdict(list), "prolongations": defaultdict(list)}
    lectures = {
        "suspensions": Suspension.objects.filter(pass_iae__in=ids),
        "prolongations": Prolongation.objects.filter(pass_iae__in=ids, statut=StatutProlongation.ACCORDEE),
    }
    for nature, queryset in lectures.items():
        for pass_id, debut, fin in queryset.order_by().values_list("pass_iae_id", "date_debut", "date_fin"):
            periodes[nature][pass_id].append(Periode(debut, fin))
    return {
        p.pk: FinDuPass(
            p.date_fin_officielle,
            fin_du_pass(p.date_debut, periodes["suspensions"][p.pk], periodes["prolongations"][p.pk]),
        )
        for p in passes
    }


# The to-do lists name a few items per département and count the others.
PREMIERS = 5


def _premiers_par_departement(lignes, departement: str, ordre: list) -> list:
    """The first PREMIERS rows of each département in this order, in one query (a window numbers them)."""
    rang = Window(RowNumber(), partition_by=[F(departement)], order_by=ordre)
    return list(lignes.annotate(rang=rang).filter(rang__lte=PREMIERS).order_by(departement, *ordre))


def prolongations_a_decider(prolongations) -> tuple[dict[str, int], list[Prolongation]]:
    """The prolongations requested and not decided: their number by département of the structure that asked, and
    the oldest requests of each (with their salarié). Two queries."""
    demandees = prolongations.filter(statut=StatutProlongation.DEMANDEE)
    nombres = dict(demandees.values_list("siae__departement").annotate(nombre=Count("pk")).order_by())
    premieres = _premiers_par_departement(
        demandees.select_related("pass_iae__salarie", "siae"), "siae__departement", [F("date_demande").asc(), "pk"]
    )
    return nombres, premieres


def pass_finissant(parcours, debut: dt.date, fin: dt.date) -> tuple[dict[str, int], list]:
    """The parcours under way whose PASS IAE ends between `debut` and `fin`: their number by département, and the
    first to end in each (with salarié and PASS). Two queries."""
    en_cours = parcours.filter(date_sortie__isnull=True, pass_iae__date_fin__gte=debut, pass_iae__date_fin__lte=fin)
    nombres = dict(en_cours.values_list("siae__departement").annotate(nombre=Count("pk")).order_by())
    premiers = _premiers_par_departement(
        en_cours.select_related("pass_iae__salarie", "siae"),
        "siae__departement",
        [F("pass_iae__date_fin").asc(), "pk"],
    )
    return nombres, premiers
