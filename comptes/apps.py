from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "comptes"
    verbose_name = "Comptes et organisations"

    def ready(self):
        # The login notes the start of the session's activity (comptes.middleware).
        from . import middleware  # noqa: F401
