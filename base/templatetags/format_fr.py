from django import template

from base import calendrier, formats

register = template.Library()


@register.filter
def nombre(valeur, decimales=2):
    return formats.nombre_fr(valeur, int(decimales))


@register.filter
def etp(valeur):
    return formats.etp_fr(valeur)


@register.filter
def montant(valeur):
    return formats.montant_fr(valeur)


@register.filter
def taux(ratio):
    return formats.taux_fr(ratio)


@register.filter
def de_mois(mois):
    """« de novembre 2026 », « d'octobre 2026 »: the month after « Déclaration », « Synthèse »..."""
    return calendrier.de_mois(mois) if mois else ""
