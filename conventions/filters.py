import datetime as dt

import django_filters
from django.db.models import Q
from dsfr.forms import DsfrBaseForm

from base.calendrier import choix_des_annees
from base.departements import DEPARTEMENT_CHOICES
from siae.models import TypeSiae

from .models import AnnexeFinanciere, EtatAnnexe


class AnnexeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Recherche", method="rechercher", help_text="Numéro ou structure")
    type = django_filters.ChoiceFilter(choices=TypeSiae.choices, empty_label="Tous les types")
    etat = django_filters.ChoiceFilter(label="État", choices=EtatAnnexe.choices, empty_label="Tous les états")
    annee = django_filters.ChoiceFilter(
        label="Année", choices=choix_des_annees, method="filtrer_annee", empty_label="Toutes"
    )
    departement = django_filters.ChoiceFilter(
        label="Département", field_name="siae__departement", choices=DEPARTEMENT_CHOICES, empty_label="Tous"
    )

    class Meta:
        model = AnnexeFinanciere
        form = DsfrBaseForm
        fields = ["q", "type", "etat", "annee", "departement"]

    def rechercher(self, queryset, name, value):
        terme = value.strip()
        return queryset.filter(Q(numero__icontains=terme) | Q(siae__nom__icontains=terme)) if terme else queryset

    def filtrer_annee(self, queryset, name, value):
        annee = int(value)
        return queryset.filter(date_debut__lte=dt.date(annee, 12, 31), date_fin__gte=dt.date(annee, 1, 1))
