"""All the reference data the migrations load, reloadable at will (idempotent): the demo calls it, so it works
on a database whose tables were emptied (a flushed test database, a reset)."""

from django.apps import apps

from aides_au_poste.referentiel import charger_bareme, charger_montants_rsa
from parcours.referentiel import charger_motifs_pass, charger_motifs_sortie


def charger_referentiels() -> None:
    charger_bareme(apps)
    charger_montants_rsa(apps)
    charger_motifs_sortie(apps)
    charger_motifs_pass(apps)
