from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from aides_au_poste.api import AidesAuPosteView, BaremeViewSet, VersementViewSet
from base.api import adresse_inconnue
from controle.api import CampagneControleViewSet
from conventions.api import AnnexeFinanciereViewSet
from declarations.api import DeclarationViewSet
from financements.api import LigneFinancementViewSet, ProjetViewSet
from indicateurs.api import ConsommationView, PublicsView, SortiesView
from modulation.api import ModulationViewSet
from parcours.api import ParcoursViewSet, SalarieViewSet
from parcours.api_actions import ActionInsertionViewSet
from parcours.api_pass import ProlongationViewSet, SuspensionViewSet
from siae.api import SiaeViewSet

router = DefaultRouter()
router.register("siae", SiaeViewSet, basename="siae")
router.register("annexes", AnnexeFinanciereViewSet, basename="annexe")
router.register("salaries", SalarieViewSet, basename="salarie")
router.register("parcours", ParcoursViewSet, basename="parcours")
router.register("suspensions", SuspensionViewSet, basename="suspension")
router.register("prolongations", ProlongationViewSet, basename="prolongation")
router.register("declarations", DeclarationViewSet, basename="declaration")
router.register("controles", CampagneControleViewSet, basename="controle")
router.register("bareme", BaremeViewSet, basename="bareme")
router.register("versements", VersementViewSet, basename="versement")
router.register("actions-insertion", ActionInsertionViewSet, basename="action-insertion")
router.register("modulation", ModulationViewSet, basename="modulation")
router.register("financements", LigneFinancementViewSet, basename="financement")
router.register("projets", ProjetViewSet, basename="projet")

urlpatterns = [
    path("", include(router.urls)),
    path("consommation/", ConsommationView.as_view(), name="api-consommation"),
    path("indicateurs/sorties/", SortiesView.as_view(), name="api-indicateurs-sorties"),
    path("indicateurs/publics/", PublicsView.as_view(), name="api-indicateurs-publics"),
    path("aides-au-poste/", AidesAuPosteView.as_view(), name="api-aides-au-poste"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's start-up script from its own URL, for the Content-Security-Policy (no inline script).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="commun/swagger_ui.html"),
        name="api-docs",
    ),
    # Last: whatever the endpoints above do not answer (the addresses without a final slash are first redirected).
    re_path(r"^.*/$", adresse_inconnue),
]
