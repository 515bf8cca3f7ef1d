"""/api/v1/suspensions/ and /api/v1/prolongations/: the life of PASS IAE, read-only (the pages write).

Nominative, through `visible_to` (comptes/perimetre.py): the DDETS agents of the structure's département and its
own staff; CDIAE members get an empty list and 404 on an object. Filters: `pass` (the PASS IAE's number), `siae`
(the structure's id, the one that recorded it), `statut` (prolongations). A filter on something out of scope
matches nothing.
"""

import django_filters
from rest_framework import viewsets

from base.api import EntierFilter

from .models import Prolongation, StatutProlongation, Suspension
from .serializers_pass import ProlongationSerializer, SuspensionSerializer


class FiltrePass(django_filters.FilterSet):
    siae = EntierFilter(label="Structure (id)", field_name="siae_id")

    def par_numero(self, queryset, name, value):
        return queryset.filter(pass_iae__numero=value.replace(" ", "").upper())


def _filtre_pass():
    # `pass` is a Python keyword: the filter is added under that name after the class is built.
    return django_filters.CharFilter(label="PASS IAE (numéro)", method="par_numero")


class SuspensionFilter(FiltrePass):
    class Meta:
        model = Suspension
        fields = ["siae"]


class ProlongationFilter(FiltrePass):
    statut = django_filters.ChoiceFilter(label="Statut", choices=StatutProlongation.choices)

    class Meta:
        model = Prolongation
        fields = ["siae", "statut"]


for _filtre in (SuspensionFilter, ProlongationFilter):
    _filtre.base_filters["pass"] = _filtre_pass()


class SuspensionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Suspension.objects.none()  # for the schema; requests read get_queryset()
    serializer_class = SuspensionSerializer
    filterset_class = SuspensionFilter
    search_fields = ["pass_iae__numero", "pass_iae__salarie__nom", "pass_iae__salarie__prenom"]
    ordering_fields = ["date_debut", "date_fin"]
    ordering = ["-date_debut", "id"]

    def get_queryset(self):
        return Suspension.objects.visible_to(self.request.user).select_related("pass_iae", "siae", "motif")


class ProlongationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Prolongation.objects.none()  # for the schema; requests read get_queryset()
    serializer_class = ProlongationSerializer
    filterset_class = ProlongationFilter
    search_fields = ["pass_iae__numero", "pass_iae__salarie__nom", "pass_iae__salarie__prenom"]
    ordering_fields = ["date_debut", "date_fin", "date_demande", "date_decision"]
    ordering = ["-date_debut", "id"]

    def get_queryset(self):
        return Prolongation.objects.visible_to(self.request.user).select_related("pass_iae", "siae", "motif")
