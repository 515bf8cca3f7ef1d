"""The writes of the accounts: the retention of the connection logs."""

import datetime as dt

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.utils import timezone


@transaction.atomic
def purger_journal_des_connexions(maintenant: dt.datetime | None = None) -> dict:
    """Delete the connection logs (address, browser, times) older than their retention (docs/rgpd.md). The failed
    attempts that count toward a lockout are django-axes' own: it deletes them once their cool-off has passed."""
    limite = (maintenant or timezone.now()) - dt.timedelta(days=settings.RGPD_CONSERVATION_JOURNAL_CONNEXIONS_JOURS)
    connexions, _ = AccessLog.objects.filter(attempt_time__lt=limite).delete()
    echecs, _ = AccessFailureLog.objects.filter(attempt_time__lt=limite).delete()
    return {"connexions": connexions, "echecs": echecs}
