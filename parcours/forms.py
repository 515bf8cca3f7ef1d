from django import forms
from dsfr.forms import DsfrBaseForm

from .models import Parcours, Salarie
from .regles import erreur_age_a_l_embauche


class SalarieForm(DsfrBaseForm, forms.ModelForm):
    """A salarié's identity. `embauches`: the dates of every hire of the person, each of which the birth date must
    give 14 to 100 years. `modifiable` False (the user may not change this identity: comptes.perimetre): the fields
    are shown disabled, and what a request posts for them is ignored."""

    class Meta:
        model = Salarie
        fields = ["nom", "prenom", "date_naissance", "genre"]
        widgets = {"date_naissance": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, embauches=(), modifiable: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.embauches = sorted(set(embauches))
        self.modifiable = modifiable
        for champ in self.fields.values():
            champ.disabled = not modifiable

    def clean_date_naissance(self):
        naissance = self.cleaned_data["date_naissance"]
        if "date_naissance" not in self.changed_data:
            return naissance  # what is recorded (from the ASP's flux...) never stops the rest of the page
        for embauche in self.embauches:
            if erreur := erreur_age_a_l_embauche(naissance, embauche):
                raise forms.ValidationError(f"{erreur[0].upper()}{erreur[1:]}.")
        return naissance


class SituationForm(DsfrBaseForm, forms.ModelForm):
    """The situation at hire, as recorded when the person was hired (it feeds the publics indicators)."""

    class Meta:
        model = Parcours
        fields = ["brsa", "qpv", "zrr", "rqth", "niveau_formation", "duree_chomage", "auto_prescription"]
