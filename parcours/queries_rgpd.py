"""Which salariés are past the retention period of their personal data (docs/rgpd.md)."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q

from .models import Parcours, PassIae, Salarie
from .rgpd import complements


def salaries_a_anonymiser(limite: dt.date):
    """The salariés still identified all of whose parcours ended before `limite` (none open) and whose PASS IAE all
    ended before it too (a PASS still running may bring a new hire), with an end known from one or the other; none
    of whose parcours an app above keeps (a control under way). One query."""
    parcours = Parcours.objects.filter(salarie=OuterRef("pk"))
    passes = PassIae.objects.filter(salarie=OuterRef("pk"))
    salaries = Salarie.objects.filter(date_anonymisation__isnull=True).filter(
        Exists(parcours) | Exists(passes.filter(date_fin__isnull=False)),
        ~Exists(parcours.filter(Q(date_sortie__isnull=True) | Q(date_sortie__gte=limite))),
        ~Exists(passes.filter(date_fin__gte=limite)),
    )
    for complement in complements():
        if complement.a_conserver is not None:
            salaries = salaries.exclude(Exists(parcours.filter(pk__in=complement.a_conserver())))
    return salaries
