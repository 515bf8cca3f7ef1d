from django.urls import path

from . import views, vues_actions

app_name = "parcours"

urlpatterns = [
    path("", views.SalarieListe.as_view(), name="liste"),
    path("<int:pk>/", views.SalarieDetail.as_view(), name="salarie"),
    path("parcours/<int:pk>/modifier/", views.ParcoursModification.as_view(), name="modification"),
    path("parcours/<int:pk>/suspension/", views.SuspensionCreation.as_view(), name="suspension"),
    path("parcours/<int:pk>/prolongation/", views.ProlongationDemande.as_view(), name="prolongation"),
    path("parcours/<int:pk>/contrat/", views.ContratCreation.as_view(), name="contrat"),
    path("parcours/<int:pk>/sortie/", views.SortieEnregistrement.as_view(), name="sortie"),
    path("prolongations/<int:pk>/decision/", views.ProlongationDecision.as_view(), name="decision"),
    path("parcours/<int:pk>/action/", vues_actions.ActionInsertionCreation.as_view(), name="action"),
    path("actions/<int:pk>/supprimer/", vues_actions.ActionInsertionSuppression.as_view(), name="action_suppression"),
]
