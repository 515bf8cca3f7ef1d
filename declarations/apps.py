from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "declarations"
    verbose_name = "Déclarations mensuelles"

    def ready(self):
        # The DPO's export of a salarié shows their declaration lines (parcours.rgpd).
        from parcours import rgpd

        from .rgpd import COMPLEMENT

        rgpd.inscrire(COMPLEMENT)
