from django.apps import AppConfig

# The refreshes of the indicators after which the worker draws the cockpits' charts (pilotage.prechauffage).
TACHES_DE_RAFRAICHISSEMENT = {
    "indicateurs.tasks.rafraichir_indicateurs_task",
    "indicateurs.tasks.rafraichir_departement_task",
}


def _apres_une_tache(sender=None, **kwargs) -> None:
    # Every task's success passes here: the cockpit (and its imports) is only loaded after a refresh.
    if getattr(sender, "name", None) in TACHES_DE_RAFRAICHISSEMENT:
        from .prechauffage import apres_rafraichissement

        apres_rafraichissement(sender)


class PilotageConfig(AppConfig):
    name = "pilotage"
    verbose_name = "Pilotage"

    def ready(self):
        from celery.signals import task_success

        # The indicators, on a lower floor, know nothing of the cockpit: it listens to their refreshes.
        task_success.connect(_apres_une_tache, weak=False, dispatch_uid="pilotage.prechauffage")
