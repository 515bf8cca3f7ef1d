from django.apps import AppConfig


class SiaeConfig(AppConfig):
    name = "siae"
    verbose_name = "Structures (SIAE)"
