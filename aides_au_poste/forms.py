from django import forms
from dsfr.forms import DsfrBaseForm

from siae.models import TypeSiae


class RevalorisationForm(DsfrBaseForm, forms.Form):
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


class MontantRsaForm(DsfrBaseForm, forms.Form):
    date_effet = forms.DateField(
        label="Date d'effet", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    montant_forfaitaire = forms.DecimalField(
        label="Montant forfaitaire mensuel, personne seule (€)",
        max_digits=8,
        decimal_places=2,
        min_value=0.01,
        localize=True,  # a comma, as French users type it
    )
    source = forms.CharField(label="Source (décret)", max_length=255)
