"""The cockpit's filters: year, département (among the user's), kind of structure."""

import django_filters
from dsfr.forms import DsfrBaseForm

from base.calendrier import annees_proposees
from base.departements import DEPARTEMENTS
from siae.models import Siae, TypeSiae


class CockpitFilter(django_filters.FilterSet):
    """Filters the structures the cockpit counts; the year only chooses the period (every structure has one).

    The view passes the year and the département already settled (`comptes.choix`):
    an unknown value falls back to the user's own rather than to an empty page."""

    annee = django_filters.ChoiceFilter(label="Année", method="sans_filtre", empty_label=None)
    departement = django_filters.ChoiceFilter(label="Département", field_name="departement")
    type = django_filters.ChoiceFilter(
        label="Type de structure", choices=TypeSiae.choices, empty_label="Tous les types"
    )

    class Meta:
        model = Siae
        form = DsfrBaseForm
        fields = ["annee", "departement", "type"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, annee: int, departements):
        """`departements`: the codes the user may choose among (all of them for an administrator, who may also
        choose none: the whole country)."""
        super().__init__(data, queryset, request=request, prefix=prefix)
        annees = sorted({*annees_proposees(), annee}, reverse=True)
        self.filters["annee"].extra["choices"] = [(str(a), str(a)) for a in annees]
        departement = self.filters["departement"]
        departement.extra["choices"] = [(code, f"{code} – {DEPARTEMENTS.get(code, code)}") for code in departements]
        departement.extra["empty_label"] = "Tous les départements" if request.user.perimetre.administrateur else None

    def sans_filtre(self, queryset, name, value):
        return queryset
