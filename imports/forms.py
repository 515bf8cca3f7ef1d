from django import forms
from django.conf import settings
from django.utils.module_loading import import_string
from dsfr.forms import DsfrBaseForm

from base.departements import DEPARTEMENTS
from base.formats import nombre_fr

from .importeur import ImporteurArchive
from .limites import taille_fr
from .models import TypeImport

EXTENSIONS_TABLEAU = (".csv", ".xlsx", ".txt")
# The ASP delivers a Zip, often named `fluxIAE_ITOU_….tar.gz`; the reader recognises it by its first bytes.
EXTENSIONS_ARCHIVE = (".zip", ".tar.gz", ".tgz", ".gz")


def est_une_archive(type_: str) -> bool:
    """Whether this kind of import reads a whole archive (the fluxIAE) rather than one table of rows."""
    chemin = settings.IMPORTEURS.get(type_)
    return chemin is not None and issubclass(import_string(chemin), ImporteurArchive)


def aide_tableau() -> str:
    return (
        f"CSV (séparé par « ; » ou « , ») ou XLSX, {taille_fr(settings.IMPORTS_TAILLE_MAX)} et "
        f"{nombre_fr(settings.IMPORTS_LIGNES_MAX, 0)} lignes au plus. La première ligne porte les noms des colonnes."
    )


def aide_archive() -> str:
    return (
        "L'archive Zip du fluxIAE telle que livrée par l'ASP, déjà déchiffrée (.zip, .tar.gz ou .gz), "
        f"{taille_fr(settings.FLUXIAE_TAILLE_MAX_ARCHIVE)} au plus."
    )


class ImportForm(DsfrBaseForm):
    type = forms.ChoiceField(label="Données importées", choices=TypeImport.choices)
    departement = forms.ChoiceField(
        label="Département chargé",
        required=False,
        help_text="Seules les structures de ce département et leurs données sont lues dans l'archive.",
    )
    fichier = forms.FileField(
        label="Fichier",
        help_text="",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, types=None, departements=None, **kwargs):
        """`types`: the kinds the user may import; `departements`: those an archive may load for them (None: all,
        an administrator). The choice of département is offered only when there is one to make."""
        super().__init__(*args, **kwargs)
        self.fields["fichier"].help_text = aide_tableau()
        if types is not None:
            self.fields["type"].choices = [(v, nom) for v, nom in TypeImport.choices if v in types]
        self.types_archive = [v for v, _ in self.fields["type"].choices if est_une_archive(v)]
        self.departements = departements
        if not self.types_archive or (departements is not None and len(departements) <= 1):
            del self.fields["departement"]
        else:
            codes = list(DEPARTEMENTS) if departements is None else sorted(departements)
            tous = "Tous les départements de l'archive" if departements is None else "Tous mes départements"
            self.fields["departement"].choices = [("", tous)] + [
                (code, f"{code} – {DEPARTEMENTS.get(code, code)}") for code in codes
            ]
        if self.types_archive:
            self.fields["fichier"].widget.attrs["accept"] = ".csv,.xlsx,text/csv," + ",".join(EXTENSIONS_ARCHIVE)

    @property
    def archive(self) -> bool:
        return self.cleaned_data.get("type") in self.types_archive

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        # The size is known from the upload before a byte of it is read.
        if self.archive:
            if fichier.size > settings.FLUXIAE_TAILLE_MAX_ARCHIVE:
                raise forms.ValidationError(
                    f"L'archive dépasse {taille_fr(settings.FLUXIAE_TAILLE_MAX_ARCHIVE)}, la taille acceptée."
                )
            if not fichier.name.lower().endswith(EXTENSIONS_ARCHIVE):
                raise forms.ValidationError("L'archive du fluxIAE doit être un fichier .zip, .tar.gz ou .gz.")
            return fichier
        if fichier.size > settings.IMPORTS_TAILLE_MAX:
            raise forms.ValidationError(
                f"Le fichier dépasse {taille_fr(settings.IMPORTS_TAILLE_MAX)}, la taille acceptée."
            )
        if not fichier.name.lower().endswith(EXTENSIONS_TABLEAU):
            raise forms.ValidationError("Le fichier doit être un CSV ou un XLSX.")
        return fichier

    def departements_charges(self) -> list[str] | None:
        """The départements the archive will load: the one chosen, else every one the user may (None: all)."""
        choisi = self.cleaned_data.get("departement")
        if choisi:
            return [choisi]
        return sorted(self.departements) if self.departements is not None else None


class ConfirmationForm(DsfrBaseForm):
    """The preview's confirmation. When it warns that something transmitted would be replaced or removed, the box
    must be ticked: a click on « Confirmer » alone does not do."""

    avertissements_lus = forms.BooleanField(
        label="J'ai lu ces avertissements et je confirme l'import : les déclarations transmises seront remplacées "
        "par de nouvelles versions (les précédentes restent enregistrées) et les sorties citées seront supprimées.",
        required=False,
    )

    def __init__(self, *args, avertissements=(), **kwargs):
        super().__init__(*args, **kwargs)
        if avertissements:
            self.fields["avertissements_lus"].required = True
            self.fields["avertissements_lus"].error_messages["required"] = (
                "Cochez la case pour confirmer ces avertissements, ou abandonnez l'import."
            )
        else:
            del self.fields["avertissements_lus"]
