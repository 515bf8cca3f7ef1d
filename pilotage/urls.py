from django.urls import path

from . import views, vues_cockpit, vues_redeploiement

app_name = "pilotage"

urlpatterns = [
    path("", views.Accueil.as_view(), name="accueil"),
    path("pilotage/", vues_cockpit.Cockpit.as_view(), name="cockpit"),
    path("pilotage/redeploiement/", vues_redeploiement.Redeploiement.as_view(), name="redeploiement"),
]
