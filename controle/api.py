"""/api/v1/controles/: the campaigns of contrôle a posteriori, read-only (they are run in the pages).

A DDETS agent sees the campaigns of their département with every structure drawn; a structure's staff, the
campaigns where their structure is drawn once the sample is out, with their own control only; CDIAE members,
nothing (an empty list, 404 on a campaign).
"""

import django_filters
from django.db.models import Prefetch
from rest_framework import viewsets

from base.api import AnneeFilter
from base.departements import DEPARTEMENT_CHOICES

from .models import CampagneControle, ControleSiae, Phase
from .queries import compter_par_controle
from .serializers import CampagneControleSerializer


class CampagneControleFilter(django_filters.FilterSet):
    annee = AnneeFilter(label="Année des embauches contrôlées")
    departement = django_filters.ChoiceFilter(label="Département", choices=DEPARTEMENT_CHOICES)
    phase = django_filters.ChoiceFilter(choices=Phase.choices)

    class Meta:
        model = CampagneControle
        fields = ["annee", "departement", "phase"]


class CampagneControleViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = CampagneControle.objects.none()  # for the schema; requests read get_queryset()
    serializer_class = CampagneControleSerializer
    filterset_class = CampagneControleFilter
    ordering_fields = ["annee", "departement"]
    ordering = ["-annee", "departement", "id"]

    def get_queryset(self):
        user = self.request.user
        controles = compter_par_controle(
            ControleSiae.objects.visible_to(user).select_related("siae").prefetch_related("sanctions")
        ).order_by("siae__nom", "pk")
        return CampagneControle.objects.visible_to(user).prefetch_related(Prefetch("controles", queryset=controles))
