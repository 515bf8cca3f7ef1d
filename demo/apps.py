from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo département 55, built through the apps' own services (`manage.py demo`)."""

    name = "demo"
    verbose_name = "Démonstration"
