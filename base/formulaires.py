"""What every form of the project shares."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

CENT = Decimal(100)


def reporter_refus(formulaire: forms.Form, refus: ValidationError) -> None:
    """Put a service's refusal on the form's fields (on the form itself for a field it does not show)."""
    if not hasattr(refus, "error_dict"):
        formulaire.add_error(None, refus)
        return
    for champ, erreurs in refus.error_dict.items():
        formulaire.add_error(champ if champ in formulaire.fields else None, erreurs)


def sans_zeros_inutiles(valeur: Decimal) -> Decimal:
    """40.00 → 40, 37.50 → 37.5: a number pre-filled in a field as a person would type it. `normalize()` alone
    would write 40 as 4E+1."""
    normalise = valeur.normalize()
    return normalise.quantize(Decimal(1)) if normalise == normalise.to_integral_value() else normalise


def en_pourcent(fraction: Decimal) -> Decimal:
    """A rate stored as a fraction, pre-filled in a field typed in %: 0.0450 → 4.5, 0.05 → 5, 0.1250 → 12.5 (the
    fields take two decimals)."""
    return sans_zeros_inutiles((fraction * CENT).quantize(Decimal("0.01")))


def aide(formulaire: forms.Form, champ: str, texte: str) -> None:
    """A help text set after `__init__`: the design system's form has already made its bound fields."""
    formulaire.fields[champ].help_text = texte
    formulaire[champ].help_text = texte
