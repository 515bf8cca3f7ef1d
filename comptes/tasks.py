from celery import shared_task

from .services import purger_journal_des_connexions


@shared_task(acks_late=True)
def purger_journal_des_connexions_task() -> dict:
    """Every night (beat): the connection logs past their retention. Returns counts only."""
    return purger_journal_des_connexions()
