from django.urls import path

from . import views

app_name = "siae"

urlpatterns = [
    path("", views.SiaeListe.as_view(), name="liste"),
    path("nouvelle/", views.SiaeEdition.as_view(), name="creation"),
    path("<int:pk>/", views.SiaeDetail.as_view(), name="detail"),
    path("<int:pk>/modifier/", views.SiaeEdition.as_view(), name="modification"),
]
