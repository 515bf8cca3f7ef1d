from django.urls import path

from . import views

app_name = "modulation"

urlpatterns = [
    path("", views.Modulation.as_view(), name="liste"),
    path("export/", views.ModulationExport.as_view(), name="export"),
    path("annexe/<int:pk>/", views.ModulationAnnexe.as_view(), name="annexe"),
]
