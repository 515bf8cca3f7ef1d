"""/api/v1/annexes/ and /api/v1/consommation/: read-only (annexes are written through the pages and imports)."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from iae.api import AnneeFilter, EntierFilter, bornes_annee
from iae.departements import DEPARTEMENT_CHOICES
from pilotage.indicateurs import etp, section_consommation, siae_exportees
from siae.models import Siae, TypeSiae

from .models import AnnexeFinanciere, EtatAnnexe
from .queries import annexes_du_departement
from .serializers import (
    AnnexeFinanciereDetailSerializer,
    AnnexeFinanciereSerializer,
    ConsommationParametresSerializer,
    ConsommationSerializer,
)


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


def dans_le_perimetre(user, departement: str) -> bool:
    """The DDETS and CDIAE of the département, the administrators; SIAE staff for their structure's."""
    perimetre = user.perimetre
    if perimetre.administrateur or departement in perimetre.departements:
        return True
    return Siae.objects.filter(pk__in=perimetre.siae_ids, departement=departement).exists()


def lignes_siae(annexes, annee: int) -> list[dict]:
    """The rows of `exporter indicateurs`, with the structure's id and the year-end projection."""
    lignes = []
    for structure, ligne in siae_exportees(annexes, annee):
        projection = None
        if structure.projection_etp is not None:
            projection = {
                "mois_ecoules": structure.mois_ecoules,
                "etp_realises": etp(structure.projection_etp),
                "ecart": etp(structure.ecart_projection_etp),
            }
        lignes.append({"id": structure.siae_id, **ligne, "projection": projection})
    return lignes


class ConsommationView(APIView):
    """ETP conventionnés against ETP réalisés (spec §4): the figures of the dashboards and `exporter indicateurs`."""

    @extend_schema(
        summary="Consommation des ETP d'une année",
        description=(
            "Par type de structure (puis TOTAL) et par structure, sur les annexes actives qui chevauchent l'année "
            "et que l'utilisateur peut voir : un agent DDETS ou un membre du CDIAE, celles de son département ; le "
            "personnel d'une structure, les siennes seulement. Un département hors du périmètre répond 404. Les "
            "chiffres sont ceux des tableaux de bord et de `exporter indicateurs` : sur les douze mois d'une année "
            "passée, de janvier au dernier mois déclaré pour l'année en cours ; la projection prolonge linéairement "
            "les mois déclarés jusqu'à décembre."
        ),
        parameters=[ConsommationParametresSerializer],
        responses=ConsommationSerializer,
    )
    def get(self, request):
        parametres = ConsommationParametresSerializer(data=request.query_params)
        parametres.is_valid(raise_exception=True)
        annee = parametres.validated_data["annee"]
        departement = parametres.validated_data.get("departement")
        if departement and not dans_le_perimetre(request.user, departement):
            raise NotFound("Ce département n'est pas dans votre périmètre.")
        annexes = annexes_du_departement(departement, annee, base=AnnexeFinanciere.objects.visible_to(request.user))
        donnees = {
            "annee": annee,
            "departement": departement,
            "par_type": section_consommation(annexes, annee),
            "siae": lignes_siae(annexes, annee),
        }
        return Response(ConsommationSerializer(donnees).data)
