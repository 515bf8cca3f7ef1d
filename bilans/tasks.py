import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import services, services_dialogue
from .models import STATUTS_ACTIFS, BilanCdiae, FicheDialogue, StatutBilan

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True)
def generer_bilan_task(self, bilan_id: int) -> dict:
    """Generate a bilan asked for. A message delivered again after a lost worker takes up a bilan still under
    way (the new file replaces nothing but its own twin); a bilan ready or failed is left as it is."""
    with transaction.atomic():
        pris = BilanCdiae.objects.filter(pk=bilan_id, statut__in=STATUTS_ACTIFS).update(
            statut=StatutBilan.EN_COURS, date_debut=timezone.now(), progression=5, etape="Lecture des données"
        )
    if not pris:
        statut = BilanCdiae.objects.filter(pk=bilan_id).values_list("statut", flat=True).first()
        return {"statut": statut}
    try:
        bilan = services.generer_bilan(BilanCdiae.objects.get(pk=bilan_id))
    except Exception:
        # The user sees a French message on the page; the trace goes to the logs, not to them.
        logger.exception("Échec de la génération du bilan %s", bilan_id)
        services.marquer_en_echec(bilan_id)
        return {"statut": StatutBilan.ECHEC}
    return {"statut": bilan.statut, "pages": bilan.pages}


@shared_task(bind=True, acks_late=True, soft_time_limit=9 * 60, time_limit=10 * 60)
def generer_fiche_dialogue_task(self, fiche_id: int) -> dict:
    """Generate a dialogue de gestion sheet asked for, as a bilan: a sheet ready or failed is left as it is."""
    with transaction.atomic():
        pris = FicheDialogue.objects.filter(pk=fiche_id, statut__in=STATUTS_ACTIFS).update(
            statut=StatutBilan.EN_COURS, date_debut=timezone.now(), progression=5, etape="Lecture des données"
        )
    if not pris:
        statut = FicheDialogue.objects.filter(pk=fiche_id).values_list("statut", flat=True).first()
        return {"statut": statut}
    try:
        fiche = services_dialogue.generer_fiche(FicheDialogue.objects.select_related("siae").get(pk=fiche_id))
    except Exception:
        logger.exception("Échec de la préparation de la fiche de dialogue %s", fiche_id)
        services_dialogue.marquer_en_echec(fiche_id)
        return {"statut": StatutBilan.ECHEC}
    return {"statut": fiche.statut, "pages": fiche.pages}
