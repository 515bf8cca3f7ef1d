from django.apps import AppConfig


class ControleConfig(AppConfig):
    name = "controle"
    verbose_name = "Contrôle a posteriori"

    def ready(self):
        # A salarié's export shows the controls of their hires; the purge erases what they say of them and keeps a
        # hire drawn in a campaign not closed yet (parcours.rgpd).
        from parcours import rgpd

        from .rgpd import COMPLEMENT

        rgpd.inscrire(COMPLEMENT)
