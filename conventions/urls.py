from django.urls import path

from . import views

app_name = "conventions"

urlpatterns = [
    path("annexes/", views.AnnexeListe.as_view(), name="annexes"),
    path("annexes/nouvelle/", views.AnnexeCreation.as_view(), name="annexe_creation"),
    path("annexes/<int:pk>/avenant/", views.AvenantCreation.as_view(), name="avenant"),
    path("annexes/<int:pk>/etat/", views.ChangementEtat.as_view(), name="etat"),
]
