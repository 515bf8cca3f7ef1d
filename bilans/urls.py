from django.urls import path

from . import views, views_dialogue

app_name = "bilans"

urlpatterns = [
    path("", views.Bilans.as_view(), name="liste"),
    path("generer/", views.GenererBilan.as_view(), name="generer"),
    path("<int:pk>/", views.SuiviBilan.as_view(), name="suivi"),
    path("<int:pk>/statut/", views.StatutBilanJson.as_view(), name="statut"),
    path("<int:pk>/telecharger/", views.TelechargerBilan.as_view(), name="telecharger"),
    path("dialogue/", views_dialogue.ChoixDialogue.as_view(), name="choix-dialogue"),
    path("dialogue/<int:pk>/", views_dialogue.Dialogue.as_view(), name="dialogue"),
    path("dialogue/fiche/<int:pk>/", views_dialogue.SuiviFiche.as_view(), name="suivi-fiche"),
    path("dialogue/fiche/<int:pk>/statut/", views_dialogue.StatutFicheJson.as_view(), name="statut-fiche"),
    path("dialogue/fiche/<int:pk>/telecharger/", views_dialogue.TelechargerFiche.as_view(), name="telecharger-fiche"),
]
