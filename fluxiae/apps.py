from django.apps import AppConfig


class FluxiaeConfig(AppConfig):
    """The ASP's weekly fluxIAE: read, mapped and loaded into the domain apps (docs/fluxiae.md)."""

    name = "fluxiae"
    verbose_name = "fluxIAE de l'ASP"
