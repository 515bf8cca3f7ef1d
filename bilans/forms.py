from decimal import Decimal

from django import forms
from dsfr.forms import DsfrBaseForm

from base.formulaires import sans_zeros_inutiles
from indicateurs.regles_sorties import OBJECTIF_PART_BRSA

from .models import SectionsEditoriales

AIDE_PUCES = "Un point par ligne."


class SectionsForm(DsfrBaseForm, forms.ModelForm):
    """The editorial sections, and the département's bRSA objective for the year typed with them (kept by
    `indicateurs`, whose cockpit reads it too): `seuil_brsa` is its stored value, None when none is."""

    seuil_brsa = forms.DecimalField(
        label="Objectif de bénéficiaires du RSA dans les embauches (%)",
        max_digits=5,
        decimal_places=2,
        initial=OBJECTIF_PART_BRSA,
        help_text="Le seuil minimal partagé dans la CAOM, comparé à la part réalisée.",
    )

    class Meta:
        model = SectionsEditoriales
        fields = [
            "faits_marquants",
            "forces",
            "faiblesses",
            "opportunites",
            "menaces",
            "plan_d_actions",
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

    def __init__(self, *args, seuil_brsa: Decimal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if seuil_brsa is not None:
            self.initial["seuil_brsa"] = seuil_brsa
        # 40, not 40.00 (nor 4E+1): the percentages are typed whole most of the time.
        for champ in ("seuil_brsa", "objectif_sorties_dynamiques"):
            valeur = self.initial.get(champ, self.fields[champ].initial)
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
