from django import forms
from dsfr.forms import DsfrBaseForm

from .models import Parcours, Salarie


class SalarieForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Salarie
        fields = ["nom", "prenom", "date_naissance", "genre"]
        widgets = {"date_naissance": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class SituationForm(DsfrBaseForm, forms.ModelForm):
    """The situation at hire, as recorded when the person was hired (it feeds the publics indicators)."""

    class Meta:
        model = Parcours
        fields = ["brsa", "qpv", "zrr", "rqth", "niveau_formation", "duree_chomage", "auto_prescription"]
