from django.apps import AppConfig


class BaseConfig(AppConfig):
    """What every app shares and that knows no app: French formats, months, API parameters, exports, charts."""

    name = "base"
    verbose_name = "Socle commun"

    def ready(self):
        from base.versions import brancher_les_signaux

        brancher_les_signaux()
