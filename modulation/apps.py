from django.apps import AppConfig


class ModulationConfig(AppConfig):
    name = "modulation"
    verbose_name = "Modulation de l'aide au poste"
