from django.apps import AppConfig


class CalculsConfig(AppConfig):
    name = "calculs"
    verbose_name = "Indicateurs calculés"
