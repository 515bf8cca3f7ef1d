"""The computation jobs: refresh of the materialised indicators (after each declaration, and every night) and the
monthly summary to DDETS agents.

A refresh is idempotent and serialised per annexe (`services.rafraichir`), so a message delivered twice (acks
late: a worker lost mid-task has its message delivered again) or two refreshes at once only write the same rows
twice. A database that is briefly unreachable or a lock that times out is retried later, backing off.
"""

import datetime as dt

from celery import shared_task
from django.core.mail import get_connection
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from base.calendrier import premier_du_mois

from .services import departements_a_calculer, rafraichir, rafraichir_departement, rafraichir_structures
from .synthese import messages_de_synthese

ERREURS_PASSAGERES = (OperationalError, InterfaceError)
REESSAIS = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": ERREURS_PASSAGERES,
    "retry_backoff": 30,
    "retry_backoff_max": 15 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}


def _compte_rendu(resultat) -> dict:
    return {
        "annexes": resultat.annexes,
        "lignes": resultat.lignes,
        "supprimees": resultat.supprimees,
        "faits": resultat.faits,
    }


@shared_task(**REESSAIS)
def rafraichir_indicateurs_task(self, annexe_ids: list[int], mois: list[str] | None = None) -> dict:
    """Months travel as ISO dates (JSON); None: every month of the annexes."""
    mois_list = None if mois is None else [premier_du_mois(m) for m in mois]
    return _compte_rendu(rafraichir(annexe_ids, mois_list))


@shared_task(**REESSAIS)
def rafraichir_structures_task(self, siae_ids: list[int]) -> dict:
    """The facts of the parcours of these structures."""
    ecrites, supprimees = rafraichir_structures(siae_ids)
    return {"ecrites": ecrites, "supprimees": supprimees}


@shared_task(**REESSAIS)
def rafraichir_departement_task(self, departement: str) -> dict:
    return _compte_rendu(rafraichir_departement(departement))


@shared_task(acks_late=True)
def rafraichir_nuit_task() -> list[str]:
    """Every night: one task per département, so that one failing département is retried alone and the others
    run on as many workers as there are."""
    departements = departements_a_calculer()
    for departement in departements:
        rafraichir_departement_task.delay(departement)
    return departements


@shared_task(acks_late=True)
def envoyer_synthese_mensuelle_task(aujourd_hui: str | None = None) -> int:
    """One e-mail per active DDETS agent. Returns the number sent."""
    jour = dt.date.fromisoformat(aujourd_hui) if aujourd_hui else timezone.localdate()
    messages = messages_de_synthese(jour)
    if not messages:
        return 0
    return get_connection(fail_silently=False).send_messages(messages)
