"""Writes of the barème: each creation or change of a row records a version (`BaremeHistorique`)."""

from django.db import transaction

from .models import BaremeAideAuPoste, BaremeHistorique


def enregistrer_version(ligne: BaremeAideAuPoste, auteur=None) -> BaremeHistorique:
    return BaremeHistorique.objects.create(
        bareme=ligne,
        type=ligne.type,
        date_effet=ligne.date_effet,
        montant_socle_annuel_par_etp=ligne.montant_socle_annuel_par_etp,
        source=ligne.source,
        auteur=auteur,
    )


@transaction.atomic
def ajouter_ligne_bareme(*, type, date_effet, montant, source, auteur=None) -> BaremeAideAuPoste:
    """A revaluation: a new dated row (refused by the database when the kind already has a row at that date)."""
    ligne = BaremeAideAuPoste(type=type, date_effet=date_effet, montant_socle_annuel_par_etp=montant, source=source)
    ligne.full_clean()
    ligne.save()
    enregistrer_version(ligne, auteur)
    return ligne
