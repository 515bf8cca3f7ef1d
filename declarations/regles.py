"""Rules of the declarations: the deadline and the ETP of declared hours, as plain functions on values."""

import datetime as dt
from decimal import Decimal

from base.calendrier import mois_suivant


def echeance_declaration(mois: dt.date) -> dt.date:
    """A month's declaration is due on the 15th of the following month."""
    return mois_suivant(mois).replace(day=15)


def etp_realises(heures: Decimal, heures_annuelles_par_etp: Decimal) -> Decimal:
    """ETP of one month: hours worked / (annual hours of a post / 12), at full precision."""
    return heures * 12 / heures_annuelles_par_etp
