from django.urls import path

from . import views

app_name = "financement"

urlpatterns = [
    path("", views.AidesAuPoste.as_view(), name="aides"),
    path("annexe/<int:pk>/", views.AideAnnexe.as_view(), name="annexe"),
    path("revalorisation/", views.Revalorisation.as_view(), name="revalorisation"),
]
