from celery import shared_task
from django.db import transaction

from .models import Import, StatutImport
from .services import executer_import


@shared_task(bind=True, acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def executer_import_task(self, import_id: int) -> dict:
    # Claim the import so that two deliveries of the same message cannot write it twice.
    with transaction.atomic():
        pris = Import.objects.filter(pk=import_id, statut=StatutImport.ANALYSE).update(statut=StatutImport.EN_COURS)
    journal = Import.objects.get(pk=import_id)
    if not pris:
        return {"statut": journal.statut, "crees": journal.nb_crees, "modifies": journal.nb_modifies}
    try:
        journal = executer_import(journal)
    except Exception:
        Import.objects.filter(pk=import_id).update(statut=StatutImport.ECHEC)
        raise
    return {"statut": journal.statut, "crees": journal.nb_crees, "modifies": journal.nb_modifies}
