"""The cockpits' charts drawn in the worker (`pilotage.prechauffage`)."""

from celery import shared_task

from .prechauffage import attente_levee, dessiner_le_cockpit


@shared_task(acks_late=True)
def dessiner_le_cockpit_task(departement: str | None, annee: int) -> int:
    attente_levee(departement, annee)
    return dessiner_le_cockpit(departement, annee)
