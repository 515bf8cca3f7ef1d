import django_filters
from django.db.models import Q
from dsfr.forms import DsfrBaseForm

from siae.models import Siae

from .models import Parcours


class ParcoursFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Recherche", method="rechercher", help_text="Nom, prénom ou numéro de PASS")
    siae = django_filters.ModelChoiceFilter(label="Structure", queryset=Siae.objects.none(), empty_label="Toutes")
    en_parcours = django_filters.BooleanFilter(
        label="En parcours",
        method="filtrer_en_parcours",
        widget=django_filters.widgets.forms.Select(
            choices=[("", "Tous"), ("true", "En parcours"), ("false", "Sortis")]
        ),
    )

    class Meta:
        model = Parcours
        form = DsfrBaseForm
        fields = ["q", "siae", "en_parcours"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            self.filters["siae"].queryset = Siae.objects.avec_donnees_nominatives(user).order_by("nom")

    def rechercher(self, queryset, name, value):
        terme = value.strip()
        if not terme:
            return queryset
        return queryset.filter(
            Q(salarie__nom__icontains=terme)
            | Q(salarie__prenom__icontains=terme)
            | Q(pass_iae__numero__startswith=terme)
        )

    def filtrer_en_parcours(self, queryset, name, value):
        return queryset.filter(date_sortie__isnull=value)
