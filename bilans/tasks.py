import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import services, services_dialogue
from .models import STATUTS_ACTIFS, BilanCdiae, FicheDialogue, StatutBilan

logger = logging.getLogger(__name__)


def _generer(modele, pk: int, generer, marquer_en_echec, libelle: str) -> dict:
    """Take up a document asked for and generate it. A message delivered again after a lost worker takes up a
    document still under way (the new file replaces nothing but its own twin); one ready or failed is left as it
    is."""
    with transaction.atomic():
        pris = modele.objects.filter(pk=pk, statut__in=STATUTS_ACTIFS).update(
            statut=StatutBilan.EN_COURS, date_debut=timezone.now(), progression=5, etape="Lecture des données"
        )
    if not pris:
        return {"statut": modele.objects.filter(pk=pk).values_list("statut", flat=True).first()}
    try:
        document = generer(modele.objects.get(pk=pk))
    except Exception:
        # The user sees a French message on the page; the trace goes to the logs, not to them.
        logger.exception("Échec de la génération %s %s", libelle, pk)
        marquer_en_echec(pk)
        return {"statut": StatutBilan.ECHEC}
    return {"statut": document.statut, "pages": document.pages}


@shared_task(bind=True, acks_late=True)
def generer_bilan_task(self, bilan_id: int) -> dict:
    """Generate a bilan asked for."""
    return _generer(BilanCdiae, bilan_id, services.generer_bilan, services.marquer_en_echec, "du bilan")


@shared_task(bind=True, acks_late=True, soft_time_limit=9 * 60, time_limit=10 * 60)
def generer_fiche_dialogue_task(self, fiche_id: int) -> dict:
    """Generate a dialogue de gestion sheet asked for, as a bilan."""
    return _generer(
        FicheDialogue, fiche_id, services_dialogue.generer_fiche, services_dialogue.marquer_en_echec,
        "de la fiche de dialogue",
    )  # fmt: skip
