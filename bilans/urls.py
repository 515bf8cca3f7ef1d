from django.urls import path

from . import views

app_name = "bilans"

urlpatterns = [
    path("", views.Bilans.as_view(), name="liste"),
    path("generer/", views.GenererBilan.as_view(), name="generer"),
    path("<int:pk>/statut/", views.StatutBilanJson.as_view(), name="statut"),
    path("<int:pk>/telecharger/", views.TelechargerBilan.as_view(), name="telecharger"),
    path("dialogue/", views.ChoixDialogue.as_view(), name="choix-dialogue"),
    path("dialogue/<int:pk>/", views.DialoguePdf.as_view(), name="dialogue"),
]
