"""What a template may offer as a link, asked of the user's Perimetre: a page the user cannot open is shown as
text, never as a link that answers 404 (a CDIAE member sees a structure's annexes, not its people's months)."""

from django import template

register = template.Library()


@register.filter
def voit_nominatif(user, siae) -> bool:
    """`{% if request.user|voit_nominatif:annexe.siae %}`: whether the pages about this structure's people (its
    declarations, its salariés) open for this user."""
    return bool(getattr(user, "is_authenticated", False)) and user.perimetre.voit_nominatif(siae)
