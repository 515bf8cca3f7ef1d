"""The form of an insertion action on the salarié's page. It reads the typed values; the rules are checked by
`services_actions` (through `regles_actions`), whose refusals come back on the fields."""

from django import forms

from .forms_pass import FormulairePass
from .models import TypeActionInsertion
from .regles_actions import LIBELLES


def _date(nom: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=LIBELLES[nom], widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


class ActionInsertionForm(FormulairePass):
    type = forms.ChoiceField(label=LIBELLES["type"], choices=TypeActionInsertion.choices)
    libelle = forms.CharField(
        label=LIBELLES["libelle"], max_length=255, help_text="Par exemple : CACES R489, remise à niveau, stage."
    )
    organisme = forms.CharField(label=LIBELLES["organisme"], max_length=255, required=False)
    date_debut = _date("date_debut", help_text="Au plus tôt l'embauche, au plus tard aujourd'hui.")
    date_fin = _date("date_fin", required=False, help_text="Obligatoire pour une PMSMP (un mois au plus).")
    heures = forms.DecimalField(
        label=LIBELLES["heures"],
        required=False,
        min_value=0.01,
        max_digits=6,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text="Obligatoire pour une formation.",
    )
