from django.apps import AppConfig


class IndicateursConfig(AppConfig):
    name = "indicateurs"
    verbose_name = "Indicateurs"

    def ready(self):
        # The writes of the lower floors ask for refreshes through the base; this is what answers them.
        from base import rafraichissement

        from .declencheurs import rafraichir_apres_commit, rafraichir_structure_apres_commit

        rafraichissement.brancher(rafraichir_apres_commit, rafraichir_structure_apres_commit)
