from django.apps import AppConfig


class IaeConfig(AppConfig):
    name = "iae"
    verbose_name = "Pilot'IAE"
