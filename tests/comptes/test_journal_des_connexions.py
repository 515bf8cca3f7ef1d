"""The connection logs (django-axes: address, browser) are kept six months, then deleted every night."""

import datetime as dt

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.utils import timezone

from comptes.tasks import purger_journal_des_connexions_task

pytestmark = pytest.mark.django_db


def _connexion(modele, il_y_a: dt.timedelta, nom: str):
    ligne = modele.objects.create(username=nom, ip_address="203.0.113.7", user_agent="Firefox")
    modele.objects.filter(pk=ligne.pk).update(attempt_time=timezone.now() - il_y_a)
    return ligne


def test_les_connexions_de_plus_de_six_mois_sont_effacees():
    assert settings.RGPD_CONSERVATION_JOURNAL_CONNEXIONS_JOURS == 183
    ancienne = _connexion(AccessLog, dt.timedelta(days=184), "ancienne@ddets.test")
    recente = _connexion(AccessLog, dt.timedelta(days=182), "recente@ddets.test")
    echec = _connexion(AccessFailureLog, dt.timedelta(days=200), "echec@ddets.test")
    assert purger_journal_des_connexions_task.delay().get() == {"connexions": 1, "echecs": 1}
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recente.pk]
    assert not AccessLog.objects.filter(pk=ancienne.pk).exists()
    assert not AccessFailureLog.objects.filter(pk=echec.pk).exists()


def test_la_purge_passe_chaque_nuit():
    (entree,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].startswith("comptes.tasks.")]
    assert entree["task"] == "comptes.tasks.purger_journal_des_connexions_task"
    assert entree["schedule"].hour == {4} and entree["schedule"].day_of_month == set(range(1, 32))
