from django import forms
from dsfr.forms import DsfrBaseForm

from .models import TypeImport

TAILLE_MAX = 20 * 1024 * 1024


class ImportForm(DsfrBaseForm):
    type = forms.ChoiceField(label="Données importées", choices=TypeImport.choices)
    fichier = forms.FileField(
        label="Fichier",
        help_text=(
            "CSV (séparé par « ; » ou « , ») ou XLSX, 20 Mo au plus. La première ligne porte les noms des colonnes."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, types=None, **kwargs):
        super().__init__(*args, **kwargs)
        if types is not None:
            self.fields["type"].choices = [(v, nom) for v, nom in TypeImport.choices if v in types]

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if fichier.size > TAILLE_MAX:
            raise forms.ValidationError("Le fichier dépasse 20 Mo.")
        if not fichier.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError("Le fichier doit être un CSV ou un XLSX.")
        return fichier
