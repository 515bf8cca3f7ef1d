from django.urls import path

from . import views, views_cofinancement

app_name = "aides_au_poste"

urlpatterns = [
    path("", views.AidesAuPoste.as_view(), name="aides"),
    path("annexe/<int:pk>/", views.AideAnnexe.as_view(), name="annexe"),
    path("revalorisation/", views.Revalorisation.as_view(), name="revalorisation"),
    path("cofinancement/", views_cofinancement.Cofinancement.as_view(), name="cofinancement"),
    path("cofinancement/<int:pk>/", views_cofinancement.CofinancementAnnexe.as_view(), name="cofinancement-annexe"),
    path("rsa/", views_cofinancement.MontantsRsa.as_view(), name="rsa"),
]
