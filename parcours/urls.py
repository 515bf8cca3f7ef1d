from django.urls import path

from . import views

app_name = "parcours"

urlpatterns = [
    path("", views.SalarieListe.as_view(), name="liste"),
    path("<int:pk>/", views.SalarieDetail.as_view(), name="salarie"),
    path("parcours/<int:pk>/modifier/", views.ParcoursModification.as_view(), name="modification"),
]
