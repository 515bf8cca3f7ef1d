from django.apps import AppConfig


class FinanceursConfig(AppConfig):
    name = "financeurs"
    verbose_name = "Financeurs et projets"
