import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import timezone

from base.calendrier import de_mois
from comptes.models import Membre
from conventions.models import AnnexeFinanciere

from .queries import MANQUANTE, mois_precedent, suivi_des_declarations


@shared_task(acks_late=True)
def relancer_declarations_manquantes_task(aujourd_hui: str | None = None) -> int:
    """On the 16th: one e-mail to each SIAE whose declaration of the previous month is missing. Returns the number
    of structures reminded."""
    jour = dt.date.fromisoformat(aujourd_hui) if aujourd_hui else timezone.localdate()
    mois = mois_precedent(jour)
    manquantes = [
        s
        for s in suivi_des_declarations(AnnexeFinanciere.objects.actives(), mois, mois, jour)
        if s.statut == MANQUANTE
    ]
    if not manquantes:
        return 0
    siae_ids = {s.siae_id for s in manquantes}
    destinataires = {siae_id: set() for siae_id in siae_ids}
    for siae_id, email in Membre.objects.filter(
        actif=True, utilisateur__is_active=True, organisation__siae__in=siae_ids
    ).values_list("organisation__siae_id", "utilisateur__email"):
        destinataires[siae_id].add(email)
    for siae_id, email in (
        AnnexeFinanciere.objects.filter(siae__in=siae_ids).values_list("siae_id", "siae__email").distinct()
    ):
        if email:
            destinataires[siae_id].add(email)
    par_structure = {}
    for suivi in manquantes:
        par_structure.setdefault(suivi.siae_id, []).append(suivi)
    messages = []
    for siae_id, suivis in par_structure.items():
        if not destinataires[siae_id]:
            continue
        suivi = suivis[0]
        annexes = ", ".join(sorted(s.numero for s in suivis))
        corps = (
            f"Bonjour,\n\nLa déclaration mensuelle {de_mois(suivi.mois)} de {suivi.siae_nom} "
            f"(annexe{'s' if len(suivis) > 1 else ''} {annexes}) était attendue au plus tard le "
            f"{suivi.echeance:%d/%m/%Y} et n'a pas été transmise.\n"
            "Merci de la saisir ou de la déposer dans Pilot'IAE, rubrique « Déclarations ».\n\nLa DDETS"
        )
        messages.append(
            (
                f"Déclaration {de_mois(suivi.mois)} manquante – {suivi.siae_nom}",
                corps,
                settings.DEFAULT_FROM_EMAIL,
                sorted(destinataires[siae_id]),
            )
        )
    send_mass_mail(messages, fail_silently=False)
    return len(messages)
