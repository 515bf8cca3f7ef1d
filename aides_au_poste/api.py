"""/api/v1/bareme/, /api/v1/aides-au-poste/ and /api/v1/versements/: read-only."""

import django_filters
from django.db.models.functions import Lower
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from aides_au_poste.exports import ligne_aides
from base.api import PARAMETRE_PAGE, EntierFilter, ParametresAnneeDepartement, annee_et_departement, paginer
from base.formats import montant
from conventions.models import AnnexeFinanciere
from conventions.queries import annexes_du_departement
from siae.models import Siae, TypeSiae

from . import queries
from .models import BaremeAideAuPoste, NatureVersement, Versement
from .serializers import AidesAuPosteSerializer, BaremeSerializer, VersementSerializer


class BaremeViewSet(viewsets.ReadOnlyModelViewSet):
    """The barème of the aide au poste (public reference data): one row per kind and effective date."""

    queryset = BaremeAideAuPoste.objects.all()
    serializer_class = BaremeSerializer
    filterset_fields = ["type"]
    ordering_fields = ["type", "date_effet"]
    ordering = ["type", "date_effet"]


class VersementFilter(django_filters.FilterSet):
    nature = django_filters.ChoiceFilter(choices=NatureVersement.choices)
    annexe = EntierFilter(label="Annexe (id)", field_name="annexe_id")
    siae = EntierFilter(label="Structure (id)", field_name="annexe__siae_id")
    type = django_filters.ChoiceFilter(choices=TypeSiae.choices, field_name="annexe__type")

    class Meta:
        model = Versement
        fields = ["nature", "annexe", "siae", "type"]


class VersementViewSet(viewsets.ReadOnlyModelViewSet):
    """The payments of the ASP the user may see (DDETS and CDIAE of the département, the structure itself)."""

    queryset = Versement.objects.none()
    serializer_class = VersementSerializer
    filterset_class = VersementFilter
    search_fields = ["annexe__numero"]
    ordering_fields = ["date", "montant"]
    ordering = ["date", "pk"]

    def get_queryset(self):
        return Versement.objects.visible_to(self.request.user).select_related("annexe")


class AidesAuPosteView(APIView):
    """Aides au poste of a year (spec §5): the figures of the page and of `exporter indicateurs`."""

    @extend_schema(
        summary="Aides au poste d'une année",
        description=(
            "Par type (puis TOTAL) et par structure, sur les annexes actives qui commencent dans l'année et que "
            "l'utilisateur peut voir : socle conventionné, modulation, total conventionné, dû (ETP réalisés des "
            "mois déclarés, plafonné au socle conventionné), versé. Un département hors du périmètre répond 404. "
            "Les lignes par structure viennent par pages (`page`)."
        ),
        parameters=[ParametresAnneeDepartement, PARAMETRE_PAGE],
        responses=AidesAuPosteSerializer,
    )
    def get(self, request):
        annee, departement, parametres = annee_et_departement(request)
        annexes = annexes_du_departement(departement, annee, base=AnnexeFinanciere.objects.visible_to(request.user))
        annexes = queries.annexes_de_l_annee(annexes, annee)
        aides = queries.aides_calculees(annexes)
        # The rows per structure one page at a time, in the order of `par_siae`.
        structures = Siae.objects.filter(pk__in=annexes.values("siae_id")).order_by("type", Lower("nom"), "pk")
        page, pagination = paginer(request, self, structures.values_list("pk", flat=True))
        dans_la_page = set(page)
        aides_de_la_page = [a for a in aides if a.siae_id in dans_la_page]
        sirets = queries.siret_par_siae(aides_de_la_page)
        donnees = {
            **pagination,
            "annee": annee,
            "departement": departement,
            "par_type": [ligne_aides(g.cle, g) for g in queries.par_type(aides)],
            "siae": [
                {
                    "id": g.cle,
                    "siret": sirets[g.cle],
                    "nom": g.libelle,
                    **ligne_aides(g.type, g),
                    "ecart": montant(g.ecart),
                }
                for g in queries.par_siae(aides_de_la_page)
            ],
        }
        return Response(AidesAuPosteSerializer(donnees).data)
