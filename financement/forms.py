from django import forms

from siae.models import TypeSiae


class RevalorisationForm(forms.Form):
    """A hypothetical barème row: its impact is shown before anything is saved."""

    type = forms.ChoiceField(label="Type de structure", choices=TypeSiae.choices)
    date_effet = forms.DateField(
        label="Date d'effet", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    montant = forms.DecimalField(
        label="Montant socle annuel par ETP (€)", max_digits=10, decimal_places=2, min_value=0.01
    )
    source = forms.CharField(
        label="Source (arrêté)", max_length=255, required=False, help_text="Obligatoire pour enregistrer la ligne."
    )
