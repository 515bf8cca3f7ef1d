from django.urls import path

from . import views

app_name = "historique"

urlpatterns = [
    path("", views.HistoriqueAccueil.as_view(), name="accueil"),
    path("<str:departement>/", views.HistoriqueDepartement.as_view(), name="departement"),
    path("<str:departement>/export/", views.HistoriqueExport.as_view(), name="export"),
]
