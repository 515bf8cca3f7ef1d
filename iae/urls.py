from django.contrib import admin
from django.urls import include, path

from pilotage.views import Accessibilite, DonneesPersonnelles, MentionsLegales, sante

admin.site.site_header = "Administration de Pilot'IAE"
admin.site.site_title = "Pilot'IAE"

urlpatterns = [
    path("", include("pilotage.urls")),
    path("comptes/", include("comptes.urls")),
    path("siae/", include("siae.urls")),
    path("imports/", include("imports.urls")),
    path("historique/", include("historique.urls")),
    path("fluxiae/", include("fluxiae.urls")),
    path("", include("conventions.urls")),
    path("declarations/", include("declarations.urls")),
    path("salaries/", include("parcours.urls")),
    path("", include("indicateurs.urls")),
    path("controle/", include("controle.urls")),
    path("aides-au-poste/", include("aides_au_poste.urls")),
    path("modulation/", include("modulation.urls")),
    path("financements/", include("financements.urls")),
    path("bilans/", include("bilans.urls")),
    path("api/v1/", include("iae.api_urls")),
    path("admin/", admin.site.urls),
    path("sante/", sante, name="sante"),
    path("donnees-personnelles/", DonneesPersonnelles.as_view(), name="donnees-personnelles"),
    path("accessibilite/", Accessibilite.as_view(), name="accessibilite"),
    path("mentions-legales/", MentionsLegales.as_view(), name="mentions-legales"),
]
