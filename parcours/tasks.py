from celery import shared_task

from .services_rgpd import purger_donnees_personnelles


@shared_task(acks_late=True)
def purger_donnees_personnelles_task() -> dict:
    """Monthly (beat): the personal data past their retention period. Returns counts only, never a name."""
    bilan = purger_donnees_personnelles(origine="tâche planifiée mensuelle")
    return {"salaries": bilan.salaries, "fichiers_import": bilan.fichiers_import}
