"""/api/v1/salaries/ and /api/v1/parcours/: data about people, read-only.

Nominative: the DDETS agents of the département and the SIAE's own staff see them, CDIAE members never do (an
empty list, 404 on an object). A salarié is seen through the parcours the user may see, and the filters on
salariés apply to those parcours only: filtering by another structure never reveals that a person worked there.
"""

import django_filters
from django.db.models import Q
from rest_framework import viewsets

from base.api import AnneeFilter, EntierFilter, MoisFilter, bornes_annee
from base.calendrier import dernier_jour_du_mois

from .models import CategorieSortie, Parcours, Salarie
from .serializers import ParcoursSerializer, SalarieSerializer


def conditions_parcours(*, siae=None, annee=None, actif_en=None, sortie=None) -> Q:
    """The parcours of a structure, in progress during a year or a month, ended or not."""
    conditions = Q()
    if siae is not None:
        conditions &= Q(siae_id=siae)
    if annee is not None:
        debut, fin = bornes_annee(annee)
        conditions &= Q(date_embauche__lte=fin) & (Q(date_sortie__isnull=True) | Q(date_sortie__gte=debut))
    if actif_en is not None:
        conditions &= Q(date_embauche__lte=dernier_jour_du_mois(actif_en)) & (
            Q(date_sortie__isnull=True) | Q(date_sortie__gte=actif_en)
        )
    if sortie is not None:
        conditions &= Q(date_sortie__isnull=not sortie)
    return conditions


class FiltreParcours(django_filters.FilterSet):
    """The filters on parcours; each is applied by `filter_queryset`, all together."""

    CHAMPS = ("siae", "annee", "actif_en", "sortie")

    siae = EntierFilter(label="Structure (id)", method="par_parcours")
    annee = AnneeFilter(label="Année", method="par_parcours", help_text="Parcours en cours pendant l'année.")
    actif_en = MoisFilter(label="En cours le mois", method="par_parcours", help_text="AAAA-MM")
    sortie = django_filters.BooleanFilter(
        label="Sorti", method="par_parcours", help_text="true : parcours terminés ; false : en cours."
    )

    def par_parcours(self, queryset, name, value):
        return queryset  # see filter_queryset

    def conditions(self) -> Q:
        return conditions_parcours(**{c: self.form.cleaned_data.get(c) for c in self.CHAMPS})


class ParcoursFilter(FiltreParcours):
    salarie = EntierFilter(label="Salarié (id)", field_name="salarie_id")
    categorie_sortie = django_filters.ChoiceFilter(
        label="Catégorie de sortie", choices=CategorieSortie.choices, field_name="motif_sortie__categorie"
    )

    class Meta:
        model = Parcours
        fields = ["siae", "salarie", "annee", "actif_en", "sortie", "categorie_sortie"]

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).filter(self.conditions())


class SalarieFilter(FiltreParcours):
    class Meta:
        model = Salarie
        fields = ["siae", "annee", "actif_en", "sortie"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        conditions = self.conditions()
        if not conditions:
            return queryset
        # One parcours, visible to the user, meeting every condition.
        parcours = Parcours.objects.visible_to(self.request.user).filter(conditions)
        return queryset.filter(pk__in=parcours.values("salarie_id"))


class SalarieViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Salarie.objects.none()  # for the schema; requests read get_queryset()
    serializer_class = SalarieSerializer
    filterset_class = SalarieFilter
    search_fields = ["nom", "prenom", "pass_iae__numero"]
    ordering_fields = ["nom", "prenom", "date_naissance"]
    ordering = ["nom", "prenom", "id"]

    def get_queryset(self):
        return Salarie.objects.visible_to(self.request.user).prefetch_related("pass_iae")


class ParcoursViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Parcours.objects.none()  # for the schema; requests read get_queryset()
    serializer_class = ParcoursSerializer
    filterset_class = ParcoursFilter
    search_fields = ["salarie__nom", "salarie__prenom", "pass_iae__numero"]
    ordering_fields = ["date_embauche", "date_sortie", "salarie__nom"]
    ordering = ["-date_embauche", "id"]

    def get_queryset(self):
        return (
            Parcours.objects.visible_to(self.request.user)
            .select_related("salarie", "siae", "pass_iae", "motif_sortie")
            .prefetch_related("contrats")
        )
