"""Reads of the PASS IAE cycle for the pages that gather several parcours."""

from .models import Prolongation, Suspension


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
