from celery import shared_task
from django.db import transaction

from .importeur import ImporteurArchive
from .models import Import, StatutImport
from .registre import importeur_pour
from .services import analyser_archive, analyser_import, executer_import


@shared_task(bind=True, acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def executer_import_task(self, import_id: int) -> dict:
    # Claim the import so that a message delivered again once it is written does not write it twice. One still "en
    # cours" is taken up again: its message comes back only once the lease of the imports queue has passed, longer
    # than the task's hard time limit, so the worker that held it is gone, and its write (one transaction) with it.
    # Claimed from "analysé" alone, it would stay "en cours" for good after a lost worker.
    with transaction.atomic():
        # What the analysis measured is no progress of the execution: it starts again from the reading.
        pris = Import.objects.filter(pk=import_id, statut__in=(StatutImport.ANALYSE, StatutImport.EN_COURS)).update(
            statut=StatutImport.EN_COURS, lignes_traitees=0, lignes_total=0, progression=0
        )
    journal = Import.objects.get(pk=import_id)
    if not pris:
        return {"statut": journal.statut, "crees": journal.nb_crees, "modifies": journal.nb_modifies}
    try:
        journal = executer_import(journal)
    except Exception:
        Import.objects.filter(pk=import_id).update(statut=StatutImport.ECHEC)
        raise
    return {"statut": journal.statut, "crees": journal.nb_crees, "modifies": journal.nb_modifies}


@shared_task(bind=True, acks_late=True, time_limit=4 * 3600, soft_time_limit=4 * 3600 - 60)
def analyser_import_task(self, import_id: int) -> dict:
    """The preview of a file (a table of rows or an archive), which reads it whole: never in a web request."""
    with transaction.atomic():
        pris = Import.objects.filter(pk=import_id, statut=StatutImport.EN_ANALYSE).update(
            statut=StatutImport.EN_ANALYSE, lignes_traitees=0
        )
    journal = Import.objects.get(pk=import_id)
    if not pris:
        return {"statut": journal.statut}
    try:
        if isinstance(importeur_pour(journal.type), ImporteurArchive):
            journal = analyser_archive(journal)
        else:
            journal = analyser_import(journal)
    except Exception:
        Import.objects.filter(pk=import_id).update(statut=StatutImport.ECHEC)
        raise
    return {"statut": journal.statut, "crees": journal.nb_crees, "modifies": journal.nb_modifies}
