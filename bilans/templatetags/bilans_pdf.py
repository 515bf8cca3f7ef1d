"""Filters of the PDF templates, on top of `format_fr`: the exported rates are strings already in %."""

import base64
import re

from django import template
from django.utils.safestring import mark_safe

from aides_au_poste.regles import arrondi_euro
from base.calendrier import nom_du_mois
from base.formats import montant_fr, nombre_fr

from .. import regles

register = template.Library()


@register.filter
def pourcent(valeur):
    """ "99.7" (as exported) or a Decimal in % → "99,7 %"; None → "–"."""
    return regles.texte_pourcent(valeur)


@register.filter
def points(ecart):
    """A gap in percentage points, signed: "+5,2 pts", "−3,0 pts"; None → "–"."""
    if ecart is None:
        return "–"
    texte = nombre_fr(abs(ecart), 1)
    signe = "+" if ecart > 0 else "−" if ecart < 0 else ""
    return f"{signe}{texte}\u00a0pts"


@register.filter
def abrege(montant):
    return regles.montant_abrege(montant)


@register.filter
def mois_annee(mois):
    """A month as words: "mars 2025"."""
    return nom_du_mois(mois) if mois else ""


@register.filter
def entier(valeur):
    """A count with the French thousands separator."""
    return nombre_fr(valeur or 0, 0)


@register.filter
def cle(dictionnaire, nom):
    """A key a template cannot name (`50_ans_et_plus`)."""
    return dictionnaire.get(nom)


@register.filter
def image_svg(svg):
    """A chart of `base.graphiques` as an image: WeasyPrint draws it (its text stays text) without reading
    the SVG's presentation attributes as the page's CSS."""
    if not svg:
        return ""
    titre = re.search(r"<title[^>]*>(.*?)</title>", svg, flags=re.S)
    donnees = base64.b64encode(svg.encode()).decode()
    alt = titre.group(1) if titre else "Graphique"  # already escaped in the SVG
    return mark_safe(f'<img class="graphique" alt="{alt}" src="data:image/svg+xml;base64,{donnees}">')  # noqa: S308


@register.filter
def part(publics, champ):
    """The share of the salariés with a characteristic (`indicateurs.queries_sorties.ComptePublics.part`)."""
    return publics.part(champ)


@register.filter
def montant_signe(valeur):
    """An amount that may be a few thousandths below zero (a difference of exact Decimals): rounded to the cent
    first, so that it never shows as "-0,00 €"."""
    if valeur is None:
        return "–"
    arrondi = arrondi_euro(valeur)
    return montant_fr(arrondi if arrondi else abs(arrondi))
