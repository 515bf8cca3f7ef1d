from django.apps import AppConfig


class FinancementsConfig(AppConfig):
    name = "financements"
    # The label of the tables and migrations since the first release (docs/decisions.md, "Noms des applications").
    label = "financeurs"
    verbose_name = "Financements et projets"
