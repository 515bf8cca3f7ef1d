from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportListe.as_view(), name="liste"),
    path("nouveau/", views.ImportNouveau.as_view(), name="nouveau"),
    path("<int:pk>/", views.ImportDetail.as_view(), name="detail"),
    path("<int:pk>/avancement/", views.ImportAvancement.as_view(), name="avancement"),
]
