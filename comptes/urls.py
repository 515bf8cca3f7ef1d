from django.urls import path

from . import views

app_name = "comptes"

urlpatterns = [
    path("connexion/", views.Connexion.as_view(), name="connexion"),
    path("deconnexion/", views.Deconnexion.as_view(), name="deconnexion"),
    path("mot-de-passe-oublie/", views.DemandeReinitialisation.as_view(), name="reinitialisation"),
    path("mot-de-passe-oublie/envoye/", views.ReinitialisationEnvoyee.as_view(), name="reinitialisation-envoyee"),
    path("reinitialisation/<uidb64>/<token>/", views.NouveauMotDePasse.as_view(), name="reinitialisation-nouveau"),
    path("reinitialisation/terminee/", views.ReinitialisationTerminee.as_view(), name="reinitialisation-terminee"),
    path("mot-de-passe/", views.ChangementMotDePasse.as_view(), name="mot-de-passe"),
    path("mot-de-passe/modifie/", views.MotDePasseModifie.as_view(), name="mot-de-passe-modifie"),
]
