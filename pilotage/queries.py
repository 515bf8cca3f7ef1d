"""Aggregated reads for the home pages: one query whatever the number of structures."""

from django.db.models import Count

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
