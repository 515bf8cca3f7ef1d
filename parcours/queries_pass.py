"""Reads of the PASS IAE cycle for the pages that gather several parcours."""

from collections import defaultdict

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
