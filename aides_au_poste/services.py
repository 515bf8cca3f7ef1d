"""Writes of the barème and of the RSA table (each creation or change of a row is a version of its
`historique`, with its author)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from base.historique import auteur_des_changements

from .models import BaremeAideAuPoste, MontantRsa


@transaction.atomic
def ajouter_ligne_bareme(*, type, date_effet, montant, source, auteur=None) -> BaremeAideAuPoste:
    """A revaluation: a new dated row (refused by the database when the kind already has a row at that date)."""
    ligne = BaremeAideAuPoste(type=type, date_effet=date_effet, montant_socle_annuel_par_etp=montant, source=source)
    ligne.full_clean()
    with auteur_des_changements(auteur):
        ligne.save()
    return ligne


@transaction.atomic
def ajouter_montant_rsa(*, date_effet, montant_forfaitaire, source, auteur=None) -> MontantRsa:
    """A revaluation of the RSA: a new dated row; a date already in the table is refused (the row is corrected in
    the administration, where the change is logged)."""
    if MontantRsa.objects.filter(date_effet=date_effet).exists():
        raise ValidationError({"date_effet": f"Le montant au {date_effet:%d/%m/%Y} est déjà dans la table."})
    ligne = MontantRsa(date_effet=date_effet, montant_forfaitaire=montant_forfaitaire, source=source, auteur=auteur)
    ligne.full_clean()
    with auteur_des_changements(auteur):
        ligne.save()
    return ligne
