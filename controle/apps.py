from django.apps import AppConfig


class ControleConfig(AppConfig):
    name = "controle"
    verbose_name = "Contrôle a posteriori"
