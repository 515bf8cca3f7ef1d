"""What every form of the project shares."""

from django import forms
from django.core.exceptions import ValidationError


def reporter_refus(formulaire: forms.Form, refus: ValidationError) -> None:
    """Put a service's refusal on the form's fields (on the form itself for a field it does not show)."""
    if not hasattr(refus, "error_dict"):
        formulaire.add_error(None, refus)
        return
    for champ, erreurs in refus.error_dict.items():
        formulaire.add_error(champ if champ in formulaire.fields else None, erreurs)
