"""/api/v1/annexes/ and /api/v1/consommation/: read-only (annexes are written through the pages and imports)."""

import django_filters
from rest_framework import viewsets

from base.api import AnneeFilter, EntierFilter, bornes_annee
from base.departements import DEPARTEMENT_CHOICES
from siae.models import TypeSiae

from .models import AnnexeFinanciere, EtatAnnexe
from .serializers import AnnexeFinanciereDetailSerializer, AnnexeFinanciereSerializer


class AnnexeFinanciereFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=TypeSiae.choices)
    etat = django_filters.ChoiceFilter(label="État", choices=EtatAnnexe.choices)
    annee = AnneeFilter(label="Année", method="chevauchant_l_annee", help_text="Annexes dont la période la chevauche.")
    siae = EntierFilter(label="Structure (id)", field_name="siae_id")
    departement = django_filters.ChoiceFilter(
        label="Département", choices=DEPARTEMENT_CHOICES, field_name="siae__departement"
    )

    class Meta:
        model = AnnexeFinanciere
        fields = ["type", "etat", "annee", "siae", "departement"]

    def chevauchant_l_annee(self, queryset, name, annee):
        debut, fin = bornes_annee(annee)
        return queryset.filter(date_debut__lte=fin, date_fin__gte=debut)


class AnnexeFinanciereViewSet(viewsets.ReadOnlyModelViewSet):
    """The annexes financières the user may see (non-nominative: DDETS and CDIAE of the département, the SIAE)."""

    queryset = AnnexeFinanciere.objects.none()  # for the schema; requests read get_queryset()
    filterset_class = AnnexeFinanciereFilter
    search_fields = ["numero", "siae__nom", "siae__siret"]
    ordering_fields = ["numero", "date_debut", "type", "etat", "etp_conventionnes"]
    ordering = ["-date_debut", "numero"]

    def get_serializer_class(self):
        return AnnexeFinanciereDetailSerializer if self.action == "retrieve" else AnnexeFinanciereSerializer

    def get_queryset(self):
        annexes = AnnexeFinanciere.objects.visible_to(self.request.user).select_related("siae")
        if self.action == "retrieve":
            return annexes.prefetch_related("avenants", "etp_mensuels")
        return annexes.prefetch_related("avenants")
