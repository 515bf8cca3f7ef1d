"""Indicator pages (mounted at the site root): /sorties/, /publics/, /dialogue/<annexe>/."""

from django.urls import path

from . import vues_indicateurs

app_name = "indicateurs"

urlpatterns = [
    path("sorties/", vues_indicateurs.Sorties.as_view(), name="sorties"),
    path("publics/", vues_indicateurs.Publics.as_view(), name="publics"),
    path("dialogue/<int:pk>/", vues_indicateurs.Dialogue.as_view(), name="dialogue"),
]
