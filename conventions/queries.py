"""Reads of the annexes financières."""

import datetime as dt

from conventions.models import AnnexeFinanciere


def annexes_du_departement(departement: str | None, annee: int, base=None):
    """The active annexes of a département (all départements when None) that overlap the year."""
    annexes = (
        (base if base is not None else AnnexeFinanciere.objects)
        .actives()
        .filter(date_debut__lte=dt.date(annee, 12, 31), date_fin__gte=dt.date(annee, 1, 1))
    )
    return annexes.filter(siae__departement=departement) if departement else annexes
