"""Reads of the annexes financières."""

import datetime as dt

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from conventions.models import AnnexeFinanciere


def annexes_du_departement(departement: str | None, annee: int, base=None):
    """The active annexes of a département (all départements when None) that overlap the year."""
    annexes = (
        (base if base is not None else AnnexeFinanciere.objects)
        .actives()
        .filter(date_debut__lte=dt.date(annee, 12, 31), date_fin__gte=dt.date(annee, 1, 1))
    )
    return annexes.filter(siae__departement=departement) if departement else annexes


def annexes_finissant(annexes, debut: dt.date, fin: dt.date, premieres: int = 5):
    """The active annexes that end between `debut` and `fin`: their number by département, and the first to end in
    each (with their structure). Two queries."""
    finissant = annexes.actives().filter(date_fin__gte=debut, date_fin__lte=fin)
    nombres = dict(finissant.values_list("siae__departement").annotate(nombre=Count("pk")).order_by())
    ordre = [F("date_fin").asc(), F("numero").asc()]
    rang = Window(RowNumber(), partition_by=[F("siae__departement")], order_by=ordre)
    liste = finissant.select_related("siae").annotate(rang=rang).filter(rang__lte=premieres)
    return nombres, list(liste.order_by("siae__departement", *ordre))
