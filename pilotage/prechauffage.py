"""The cockpits' charts drawn by the Celery worker after a refresh, so that the pages find them in the shared cache.

A refresh of the indicators (after declarations, an import, every night) asks, once it succeeded, for the
cockpit of each département it touched and for the national one to be drawn, a minute later: the refreshes of one
burst (a file of declarations, the night's départements) lead to one drawing per cockpit. Charts whose figures did
not change are found in the cache and only kept longer; the others are drawn there, not in a request.

Inline (development without a broker, tests) nothing is warmed: a refresh would otherwise draw eight charts inside
the write that asked for it; the first page drawn stores them for the others.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import caches

from base import graphiques
from conventions.models import AnnexeFinanciere
from conventions.queries import annexes_du_departement
from financements.models import LigneFinancement
from indicateurs.queries import objectif_brsa_du_departement
from siae.models import Siae

from .cockpit import Cockpit, graphiques_du_cockpit

journal = logging.getLogger(__name__)

# The refreshes of one burst are gathered: the drawing leaves this many seconds after the first of them.
DELAI = 60


def cockpit_sans_filtre(departement: str | None, annee: int, aujourd_hui: dt.date | None = None) -> Cockpit:
    """The cockpit a DDETS agent of the département opens (the national one an administrator opens when
    `departement` is None): every structure, every kind, as `views_cockpit.Cockpit.preparer` builds it."""
    structures = Siae.objects.all()
    lignes = LigneFinancement.objects.all()
    if departement:
        structures = structures.filter(departement=departement)
        lignes = lignes.filter(departement=departement)
    return Cockpit(
        annexes_du_departement(departement, annee),
        structures,
        annee,
        lignes_financement=lignes,
        aujourd_hui=aujourd_hui,
        objectif_brsa=objectif_brsa_du_departement(departement, annee),
    )


def dessiner_le_cockpit(departement: str | None, annee: int) -> int:
    """Draw the charts of the cockpit missing from the cache, keep the others: how many charts it has."""
    with graphiques.en_prechauffage():
        return len(graphiques_du_cockpit(cockpit_sans_filtre(departement, annee)))


def _cle_d_attente(departement: str | None, annee: int) -> str:
    return f"prechauffage:{departement or 'france'}:{annee}"


def demander_le_dessin(departement: str | None, annee: int) -> bool:
    """Ask for the cockpit to be drawn in `DELAI` seconds, unless already asked: whether it was asked now."""
    from .tasks import dessiner_le_cockpit_task

    if not caches[graphiques.CACHE].add(_cle_d_attente(departement, annee), 1, DELAI * 10):
        return False
    dessiner_le_cockpit_task.apply_async((departement, annee), countdown=DELAI)
    return True


def attente_levee(departement: str | None, annee: int) -> None:
    """The drawing starts: a refresh from now on asks for another one."""
    caches[graphiques.CACHE].delete(_cle_d_attente(departement, annee))


def apres_rafraichissement(tache) -> None:
    """A refresh of the indicators succeeded (`tache`, Celery's task, its request still current): the cockpits it
    touched are drawn."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    try:
        args = list(tache.request.args or ())
        if tache.name.endswith("rafraichir_departement_task"):
            departements = set(args[:1])
            annees = {dt.date.today().year}
        else:
            annexe_ids, mois = args[0], (args[1] if len(args) > 1 else None)
            departements = set(
                AnnexeFinanciere.objects.filter(pk__in=annexe_ids)
                .values_list("siae__departement", flat=True)
                .distinct()
                .order_by()
            )
            annees = {dt.date.today().year} if not mois else {dt.date.fromisoformat(m).year for m in mois}
        for annee in sorted(annees):
            for departement in sorted(departements):
                demander_le_dessin(departement, annee)
            if departements:
                demander_le_dessin(None, annee)
    except Exception:  # the refresh succeeded; a warming that cannot be asked only leaves the drawing to a page
        journal.exception("Préchauffage des graphiques non demandé")
