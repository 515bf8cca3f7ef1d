from django import forms
from dsfr.forms import DsfrBaseForm

from parcours.models import MotifSortie
from parcours.regles import erreur_heures

from .importation import decimal_heures


class ChampHeures(forms.DecimalField):
    """The hours of a row, read and refused as the imported file reads and refuses them: « « abc » n'est pas un
    nombre », « 400,00 h dépasse le maximum légal de 208 h dans un mois », not the generic messages of a number."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return decimal_heures(str(value).strip())
        except ValueError as erreur:
            raise forms.ValidationError(str(erreur), code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is not None and (erreur := erreur_heures(value)) is not None:
            raise forms.ValidationError(erreur, code="heures")


class LigneForm(forms.Form):
    """One row of the grid: a salarié in parcours that month."""

    parcours = forms.IntegerField(widget=forms.HiddenInput)
    # A text box, not a number box: agents type "151,67" with a comma, and "151.67" is accepted too.
    heures = ChampHeures(
        label="Heures travaillées",
        required=False,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"class": "fr-input", "inputmode": "decimal", "autocomplete": "off", "size": 7}),
    )
    date_sortie = forms.DateField(
        label="Date de sortie",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "fr-input"}, format="%Y-%m-%d"),
    )
    motif_sortie = forms.ChoiceField(label="Motif de sortie", required=False)

    def __init__(self, *args, motifs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motif_sortie"].choices = [("", "—"), *motifs]
        self.fields["motif_sortie"].widget.attrs["class"] = "fr-select"


class BaseLignesFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        self.motifs = [(m.code, m.libelle) for m in MotifSortie.objects.filter(actif=True).order_by("libelle")]
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "motifs": self.motifs}


LignesFormSet = forms.formset_factory(LigneForm, formset=BaseLignesFormSet, extra=0)


class RenvoiForm(DsfrBaseForm):
    motif_retour = forms.CharField(
        label="Ce que la structure doit corriger", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class MotifVersionForm(DsfrBaseForm):
    """Why a transmitted declaration is changed: asked in the grid, kept on the version it opens."""

    motif_version = forms.CharField(
        label="Motif de la modification",
        help_text="Obligatoire : la version transmise reste enregistrée, la nouvelle garde ce motif et votre nom.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
