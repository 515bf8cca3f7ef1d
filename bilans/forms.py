from decimal import Decimal

from django import forms
from dsfr.forms import DsfrBaseForm

from .models import SectionsEditoriales

AIDE_PUCES = "Un point par ligne."


def sans_zeros_inutiles(valeur: Decimal) -> Decimal:
    """40.00 → 40, 37.50 → 37.5; `normalize()` alone would write 40 as 4E+1."""
    normalise = valeur.normalize()
    return normalise.quantize(Decimal(1)) if normalise == normalise.to_integral() else normalise


class SectionsForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = SectionsEditoriales
        fields = [
            "faits_marquants",
            "forces",
            "faiblesses",
            "opportunites",
            "menaces",
            "plan_d_actions",
            "seuil_brsa",
            "objectif_sorties_dynamiques",
        ]
        widgets = {
            champ: forms.Textarea(attrs={"rows": 4})
            for champ in ("faits_marquants", "forces", "faiblesses", "opportunites", "menaces")
        } | {"plan_d_actions": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "faits_marquants": AIDE_PUCES,
            "forces": AIDE_PUCES,
            "faiblesses": AIDE_PUCES,
            "opportunites": AIDE_PUCES,
            "menaces": AIDE_PUCES,
            "plan_d_actions": (
                "Un axe par ligne ; ses actions en dessous, chacune sur une ligne commençant par un tiret (-)."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # 40, not 40.00 (nor 4E+1): the percentages are typed whole most of the time.
        for champ in ("seuil_brsa", "objectif_sorties_dynamiques"):
            valeur = self.initial.get(champ)
            if valeur is not None:
                self.initial[champ] = sans_zeros_inutiles(Decimal(valeur))

    def clean_seuil_brsa(self):
        return self._pourcentage("seuil_brsa")

    def clean_objectif_sorties_dynamiques(self):
        return self._pourcentage("objectif_sorties_dynamiques")

    def _pourcentage(self, champ):
        valeur = self.cleaned_data.get(champ)
        if valeur is not None and not 0 <= valeur <= 100:
            raise forms.ValidationError("Un pourcentage va de 0 à 100.")
        return valeur
