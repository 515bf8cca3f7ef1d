from django.urls import path

from . import views

app_name = "declarations"

urlpatterns = [
    path("", views.Suivi.as_view(), name="suivi"),
    path("<int:pk>/", views.Detail.as_view(), name="detail"),
    path("saisie/<int:annexe>/<int:annee>/<int:mois>/", views.Saisie.as_view(), name="saisie"),
]
