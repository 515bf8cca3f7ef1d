from django.urls import path

from pilotage import views, views_cockpit, views_fiches, views_redeploiement

app_name = "pilotage"

urlpatterns = [
    path("", views.Accueil.as_view(), name="accueil"),
    path("annexes/<int:pk>/", views_fiches.AnnexeDetail.as_view(), name="annexe"),
    path("salaries/<int:pk>/", views_fiches.SalarieDetail.as_view(), name="salarie"),
    path("pilotage/", views_cockpit.Cockpit.as_view(), name="cockpit"),
    path("pilotage/redeploiement/", views_redeploiement.Redeploiement.as_view(), name="redeploiement"),
]
