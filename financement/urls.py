from django.urls import path

from . import views, vues_cofinancement

app_name = "financement"

urlpatterns = [
    path("", views.AidesAuPoste.as_view(), name="aides"),
    path("annexe/<int:pk>/", views.AideAnnexe.as_view(), name="annexe"),
    path("revalorisation/", views.Revalorisation.as_view(), name="revalorisation"),
    path("cofinancement/", vues_cofinancement.Cofinancement.as_view(), name="cofinancement"),
    path("cofinancement/<int:pk>/", vues_cofinancement.CofinancementAnnexe.as_view(), name="cofinancement-annexe"),
    path("rsa/", vues_cofinancement.MontantsRsa.as_view(), name="rsa"),
]
