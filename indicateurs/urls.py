"""Indicator pages (mounted at the site root): /sorties/, /publics/, /dialogue/<annexe>/."""

from django.urls import path

from indicateurs import views

app_name = "indicateurs"

urlpatterns = [
    path("consommation/", views.Consommation.as_view(), name="consommation"),
    path("consommation/siae/<int:pk>/", views.ConsommationSiae.as_view(), name="consommation_siae"),
    path("sorties/", views.Sorties.as_view(), name="sorties"),
    path("publics/", views.Publics.as_view(), name="publics"),
    path("dialogue/<int:pk>/", views.Dialogue.as_view(), name="dialogue"),
]
