from django.urls import path

from . import views

app_name = "controle"

urlpatterns = [
    path("", views.Accueil.as_view(), name="accueil"),
    path("campagnes/", views.CampagneListe.as_view(), name="campagnes"),
    path("campagnes/nouvelle/", views.CampagneCreation.as_view(), name="campagne_creation"),
    path("campagnes/<int:pk>/", views.CampagneDetail.as_view(), name="campagne"),
    path("campagnes/<int:pk>/phase-suivante/", views.PhaseSuivante.as_view(), name="phase_suivante"),
    path("mes-controles/", views.MesControles.as_view(), name="mes_controles"),
    path("structures/<int:pk>/", views.ControlePage.as_view(), name="controle"),
    path("structures/<int:pk>/resultat/", views.ResultatControleVue.as_view(), name="resultat"),
    path("structures/<int:pk>/sanctions/", views.SanctionAjout.as_view(), name="sanction_ajout"),
    path("sanctions/<int:pk>/retrait/", views.SanctionRetrait.as_view(), name="sanction_retrait"),
    path("embauches/<int:pk>/decision/", views.DecisionEmbauche.as_view(), name="decision"),
    path("embauches/<int:pk>/justificatifs/", views.DepotJustificatif.as_view(), name="depot"),
    path("justificatifs/<int:pk>/", views.TelechargementJustificatif.as_view(), name="justificatif"),
]
