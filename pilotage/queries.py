"""Aggregated reads of the home pages and the simulator: one query whatever the number of structures."""

from django.db.models import Count

from conventions.models import AnnexeFinanciere
from conventions.queries import annexes_du_departement
from siae.models import Siae, TypeSiae


def structures_par_type(siae_visibles) -> list[dict]:
    """Number of structures per kind, in the order of the kinds, with a TOTAL row."""
    comptes = dict(siae_visibles.order_by().values_list("type").annotate(n=Count("pk")))
    lignes = [
        {"type": type_.value, "libelle": type_.label, "nombre": comptes[type_.value]}
        for type_ in TypeSiae
        if comptes.get(type_.value)
    ]
    lignes.append({"type": "TOTAL", "libelle": "Total", "nombre": sum(comptes.values())})
    return lignes


def structures_visibles(user):
    return Siae.objects.visible_to(user)


def departements_actifs_en(annee: int) -> list[str]:
    """The départements with an active annexe in the year, for a national administrator's choice."""
    annexes = annexes_du_departement(None, annee, base=AnnexeFinanciere.objects.all())
    return sorted(set(annexes.order_by().values_list("siae__departement", flat=True).distinct()))
