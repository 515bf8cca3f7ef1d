"""Rules of the declarations: the deadline and the ETP of declared hours, as plain functions on values."""

import datetime as dt
from decimal import Decimal

from base.calendrier import dernier_jour_du_mois, mois_suivant


def echeance_declaration(mois: dt.date) -> dt.date:
    """A month's declaration is due on the 15th of the following month."""
    return mois_suivant(mois).replace(day=15)


def sortie_du_mois(mois: dt.date, declaree: tuple, enregistree: tuple) -> tuple:
    """The exit (date, motif) a salarié's row of a month's declaration shows: the one declared on its line; without
    one, the exit recorded on the parcours when it falls in the month (the structure declares it with the hours)."""
    date_enregistree = enregistree[0]
    if declaree[0] is None and date_enregistree and mois <= date_enregistree <= dernier_jour_du_mois(mois):
        return enregistree
    return declaree


def etp_realises(heures: Decimal, heures_annuelles_par_etp: Decimal) -> Decimal:
    """ETP of one month: hours worked / (annual hours of a post / 12), at full precision."""
    return heures * 12 / heures_annuelles_par_etp
