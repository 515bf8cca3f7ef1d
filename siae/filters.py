import django_filters
from django import forms
from django.db.models import Q
from dsfr.forms import DsfrBaseForm

from base.departements import DEPARTEMENT_CHOICES

from .models import Ensemblier, Siae, TypeSiae


class SiaeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Recherche", method="rechercher", help_text="Nom, SIRET ou commune")
    type = django_filters.ChoiceFilter(choices=TypeSiae.choices, empty_label="Tous les types")
    departement = django_filters.ChoiceFilter(label="Département", choices=DEPARTEMENT_CHOICES, empty_label="Tous")
    commune = django_filters.CharFilter(lookup_expr="iexact")
    ensemblier = django_filters.ModelChoiceFilter(queryset=Ensemblier.objects.none(), empty_label="Tous")
    regie_de_quartier = django_filters.BooleanFilter(
        label="Régie de quartier",
        widget=forms.Select(choices=[("", "Toutes les structures"), ("true", "Oui"), ("false", "Non")]),
    )

    class Meta:
        model = Siae
        form = DsfrBaseForm
        fields = ["q", "type", "departement", "commune", "ensemblier", "regie_de_quartier"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            visibles = Siae.objects.visible_to(user)
            self.filters["ensemblier"].queryset = Ensemblier.objects.filter(siae__in=visibles).distinct()

    def rechercher(self, queryset, name, value):
        terme = value.strip()
        if not terme:
            return queryset
        condition = Q(nom__icontains=terme) | Q(commune__icontains=terme)
        chiffres = "".join(terme.split())
        if chiffres.isdigit():
            condition |= Q(siret__startswith=chiffres)
        return queryset.filter(condition)
