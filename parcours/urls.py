from django.urls import path

from . import views, views_actions, views_pass

app_name = "parcours"

urlpatterns = [
    path("", views.SalarieListe.as_view(), name="liste"),
    path("discordances/", views.DiscordancesIdentite.as_view(), name="discordances"),
    path("parcours/<int:pk>/modifier/", views.ParcoursModification.as_view(), name="modification"),
    path("parcours/<int:pk>/suspension/", views_pass.SuspensionCreation.as_view(), name="suspension"),
    path("parcours/<int:pk>/prolongation/", views_pass.ProlongationDemande.as_view(), name="prolongation"),
    path("parcours/<int:pk>/contrat/", views_pass.ContratCreation.as_view(), name="contrat"),
    path("parcours/<int:pk>/sortie/", views_pass.SortieEnregistrement.as_view(), name="sortie"),
    path("parcours/<int:pk>/fin-officielle/", views_pass.FinOfficielleEnregistrement.as_view(), name="fin_officielle"),
    path("prolongations/<int:pk>/decision/", views_pass.ProlongationDecision.as_view(), name="decision"),
    path("parcours/<int:pk>/action/", views_actions.ActionInsertionCreation.as_view(), name="action"),
    path("actions/<int:pk>/supprimer/", views_actions.ActionInsertionSuppression.as_view(), name="action_suppression"),
]
