from django import template

from base import formats

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
