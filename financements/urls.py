from django.urls import path

from . import views

app_name = "financements"

urlpatterns = [
    path("", views.Financements.as_view(), name="financements"),
    path("lignes/nouvelle/", views.LigneCreation.as_view(), name="ligne_creation"),
    path("lignes/<int:pk>/modifier/", views.LigneModification.as_view(), name="ligne_modification"),
    path("lignes/<int:pk>/supprimer/", views.LigneSuppression.as_view(), name="ligne_suppression"),
    path("projets/", views.ProjetListe.as_view(), name="projets"),
    path("projets/nouveau/", views.ProjetCreation.as_view(), name="projet_creation"),
    path("projets/<int:pk>/", views.ProjetDetail.as_view(), name="projet"),
    path("projets/<int:pk>/modifier/", views.ProjetModification.as_view(), name="projet_modification"),
    path("projets/<int:pk>/budget/", views.BudgetModification.as_view(), name="budget"),
    path("projets/<int:pk>/etat/", views.ChangementEtatProjet.as_view(), name="projet_etat"),
    path("fdi/", views.AppelListe.as_view(), name="appels"),
    path("fdi/nouveau/", views.AppelCreation.as_view(), name="appel_creation"),
    path("fdi/<int:pk>/", views.AppelDetail.as_view(), name="appel"),
    path("fdi/<int:pk>/modifier/", views.AppelModification.as_view(), name="appel_modification"),
    path("fdi/<int:pk>/candidatures/nouvelle/", views.CandidatureCreation.as_view(), name="candidature_creation"),
    path("fdi/candidatures/<int:pk>/", views.CandidatureModification.as_view(), name="candidature_modification"),
    # Last: any other first segment is a financeur.
    path("<slug:financeur>/<int:annee>/", views.FinanceurAnnee.as_view(), name="financeur"),
]
