from django.urls import path

from . import views

app_name = "fluxiae"

urlpatterns = [
    path("ecarts/", views.Ecarts.as_view(), name="ecarts"),
]
