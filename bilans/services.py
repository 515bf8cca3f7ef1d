"""The writes of the bilans, each in one transaction: asking for a bilan (the task is sent once the row is
committed), running a generation, saving the editorial sections."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from base.calendrier import annee_plausible
from base.departements import DEPARTEMENTS
from base.taches import lancer_apres_commit
from indicateurs.services import enregistrer_objectif_brsa

from . import contenu, pdf
from .models import STATUTS_ACTIFS, BilanCdiae, SectionsEditoriales, StatutBilan

logger = logging.getLogger(__name__)

ECHEC_INTERROMPU = (
    "La génération a été interrompue (le service a redémarré, ou elle a dépassé sa durée maximale) : relancez-la."
)
ECHEC_GENERATION = "La génération du bilan a échoué. L'équipe technique est prévenue ; vous pouvez la relancer."


def baux_de_la_generation(tache=None) -> tuple[dt.timedelta, dt.timedelta]:
    """How long a document may wait for a worker (the queue's lease: a message handed out and lost comes back by
    then) and how long a started generation may last (its task's hard time limit, past which its process is
    stopped). The bilan's task unless another is given."""
    if tache is None:
        from .tasks import generer_bilan_task as tache

    return dt.timedelta(seconds=settings.CELERY_BAIL), dt.timedelta(seconds=tache.time_limit)


def expirer_les_generations(actives, tache=None) -> None:
    """ "Déjà en cours" lasts as long as the generation's lease: past it, its task was stopped by its time limit or
    its worker was lost (its message, handed out again, will find the document failed and leave it)."""
    maintenant = timezone.now()
    attente, generation = baux_de_la_generation(tache)
    actives.filter(
        Q(statut=StatutBilan.EN_ATTENTE, date_demande__lt=maintenant - attente)
        | Q(statut=StatutBilan.EN_COURS, date_debut__lt=maintenant - generation)
        | Q(statut=StatutBilan.EN_COURS, date_debut__isnull=True, date_demande__lt=maintenant - generation)
    ).update(statut=StatutBilan.ECHEC, erreur=ECHEC_INTERROMPU, date_fin=maintenant)


@transaction.atomic
def demander_bilan(departement: str, annee: int, auteur) -> BilanCdiae:
    """Queue the generation of the bilan of a département and year; refused while another one is under way."""
    from .tasks import generer_bilan_task

    if departement not in DEPARTEMENTS:
        raise ValidationError({"departement": f"Département inconnu : {departement}."})
    if not annee_plausible(annee):
        raise ValidationError({"annee": f"Année hors des limites : {annee}."})
    actifs = BilanCdiae.objects.select_for_update().filter(
        departement=departement, annee=annee, statut__in=STATUTS_ACTIFS
    )
    expirer_les_generations(actifs)
    if actifs.exists():
        raise ValidationError(f"Un bilan {annee} de ce département est déjà en cours de génération.")
    bilan = BilanCdiae.objects.create(
        departement=departement, annee=annee, auteur=auteur, etape="En attente de traitement"
    )
    lancer_apres_commit(generer_bilan_task, bilan.pk)
    return bilan


def _avancer(bilan_id: int, progression: int, etape: str) -> None:
    # Outside any transaction: the page polling the status sees each step as it ends.
    BilanCdiae.objects.filter(pk=bilan_id).update(progression=progression, etape=etape)


def generer_bilan(bilan: BilanCdiae) -> BilanCdiae:
    """Assemble, lay out and store the PDF of a bilan taken by the task, reporting each step."""

    def rapporter(progression: int, etape: str) -> None:
        _avancer(bilan.pk, progression, etape)

    valeurs = contenu.assembler_bilan(bilan.departement, bilan.annee, rapporter=rapporter)
    document = pdf.pdf_du_bilan(valeurs)
    rapporter(*contenu.ETAPES["mise_en_page"])
    with transaction.atomic():
        bilan = BilanCdiae.objects.select_for_update().get(pk=bilan.pk)
        ancien = bilan.fichier.name
        bilan.fichier.save("bilan.pdf", ContentFile(document.contenu), save=False)  # renamed by `chemin_bilan`
        bilan.taille = len(document.contenu)
        bilan.pages = document.pages
        bilan.statut = StatutBilan.PRET
        bilan.progression = 100
        bilan.etape = "Bilan prêt"
        bilan.erreur = ""
        bilan.date_fin = timezone.now()
        bilan.save()
    if ancien and ancien != bilan.fichier.name:
        # A redelivered task generated it twice: the first file is no one's.
        bilan.fichier.storage.delete(ancien)
    return bilan


def marquer_en_echec(bilan_id: int, message: str = ECHEC_GENERATION) -> None:
    BilanCdiae.objects.filter(pk=bilan_id).update(statut=StatutBilan.ECHEC, erreur=message, date_fin=timezone.now())


@transaction.atomic
def enregistrer_sections(departement: str, annee: int, valeurs: dict, auteur) -> SectionsEditoriales:
    """The sections, and the bRSA objective typed with them (the département's own, kept by `indicateurs`)."""
    valeurs = dict(valeurs)
    if "seuil_brsa" in valeurs:
        enregistrer_objectif_brsa(departement, annee, valeurs.pop("seuil_brsa"))
    sections, _ = SectionsEditoriales.objects.select_for_update().get_or_create(
        departement=departement, annee=annee, defaults={"auteur": auteur}
    )
    for champ, valeur in valeurs.items():
        setattr(sections, champ, valeur)
    sections.auteur = auteur
    sections.full_clean()
    sections.save()
    return sections
