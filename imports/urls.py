from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportListe.as_view(), name="liste"),
    path("nouveau/", views.ImportNouveau.as_view(), name="nouveau"),
    path("modele/<slug:type_>.csv", views.ImportModele.as_view(), {"extension": "csv"}, name="modele_csv"),
    path("modele/<slug:type_>.xlsx", views.ImportModele.as_view(), {"extension": "xlsx"}, name="modele_xlsx"),
    path("<int:pk>/", views.ImportDetail.as_view(), name="detail"),
    path("<int:pk>/avancement/", views.ImportAvancement.as_view(), name="avancement"),
]
