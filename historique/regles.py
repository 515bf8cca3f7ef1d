"""What an entry of the trail says, as plain functions on values: which fields changed, from what to what, and how a
person reads each value (French formats)."""

import datetime as dt
import json
from decimal import Decimal

from django.core.exceptions import ValidationError

from base.formats import date_fr, nombre_fr, oui_non

CREATION, MODIFICATION, SUPPRESSION, IMPORT, RETRAIT = "+", "~", "-", "i", "r"
NATURES = {
    CREATION: "Création",
    MODIFICATION: "Modification",
    SUPPRESSION: "Suppression",
    IMPORT: "Import",
    RETRAIT: "Retrait",
}
CHAMP_DU_RETRAIT = "retire_le"


def differences(champs: list[str], avant: dict | None, apres: dict, nature: str) -> list[tuple[str, object, object]]:
    """(field, before, after) for each field the version changed: on a creation, every field it filled; on a
    deletion, none (the entry says what was deleted); otherwise, every field whose value differs from the
    previous version (or every filled one when the previous version is unknown, as for a row older than the
    trail)."""
    if nature == SUPPRESSION:
        return []
    if nature == CREATION or avant is None:
        return [(c, None, apres[c]) for c in champs if apres[c] not in (None, "", False, [], {})]
    return [(c, avant[c], apres[c]) for c in champs if avant[c] != apres[c]]


def nature_de(type_version: str, changements: list[tuple[str, object, object]]) -> str:
    """A change that sets `retire_le` is the removal of a row kept (a sanction, a financing line)."""
    if type_version == MODIFICATION and any(c == CHAMP_DU_RETRAIT and a is None and b for c, a, b in changements):
        return RETRAIT
    return type_version


def valeur_stockee(champ, valeur):
    """A value as the version's `changements` keeps it (JSON: a decimal or a date as text) back to its type."""
    if valeur is None:
        return None
    try:
        return champ.to_python(valeur)
    except (ValidationError, TypeError, ValueError):
        return valeur


def valeur_lisible(champ, valeur, libelles: dict | None = None) -> str:
    """A value of a model field as a person reads it: the label of a choice, the name of a related object, French
    numbers and dates."""
    if valeur is None or valeur == "":
        return "–"
    if getattr(champ, "choices", None):
        return str(dict(champ.flatchoices).get(valeur, valeur))
    if getattr(champ, "is_relation", False):
        return (libelles or {}).get((champ.related_model, valeur), f"n° {valeur}")
    if isinstance(valeur, bool):
        return oui_non(valeur)
    if isinstance(valeur, Decimal):
        return nombre_fr(valeur, getattr(champ, "decimal_places", None) or 2)
    if isinstance(valeur, dt.date):
        return date_fr(valeur)
    if isinstance(valeur, dict | list):
        texte = json.dumps(valeur, ensure_ascii=False)
        return texte if len(texte) <= 200 else texte[:199] + "…"
    return str(valeur)


def nom_du_champ(champ) -> str:
    nom = str(getattr(champ, "verbose_name", champ.name))
    return nom[:1].upper() + nom[1:]
