import datetime as dt

from django import forms
from dsfr.forms import DsfrBaseForm

from base.calendrier import ANNEE_MIN
from base.departements import DEPARTEMENTS

from . import regles
from .models import CampagneControle, Decision, ResultatControle, TypeSanction

CHAMP_DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class CampagneForm(DsfrBaseForm):
    annee = forms.IntegerField(
        label="Année des embauches contrôlées", min_value=ANNEE_MIN, help_text="En général l'année écoulée."
    )
    departement = forms.ChoiceField(label="Département")
    part_siae = forms.IntegerField(
        label="Part des structures éligibles contrôlées (%)",
        min_value=regles.PART_SIAE_MIN,
        max_value=regles.PART_SIAE_MAX,
        initial=regles.PART_SIAE_DEFAUT,
        help_text=(
            f"De {regles.PART_SIAE_MIN} à {regles.PART_SIAE_MAX} %. Une structure est éligible avec au moins "
            f"{regles.AUTO_PRESCRIPTIONS_MIN} embauches en auto-prescription dans l'année."
        ),
    )
    echantillonnage_debut = forms.DateField(label="Début de l'échantillonnage", **CHAMP_DATE)
    echantillonnage_fin = forms.DateField(label="Fin de l'échantillonnage", **CHAMP_DATE)
    controle_debut = forms.DateField(label="Début du contrôle", **CHAMP_DATE)
    controle_fin = forms.DateField(label="Fin du contrôle", **CHAMP_DATE)
    contradictoire_debut = forms.DateField(label="Début de la phase contradictoire", **CHAMP_DATE)
    contradictoire_fin = forms.DateField(label="Fin de la phase contradictoire", **CHAMP_DATE)
    sanctions_debut = forms.DateField(label="Début des sanctions", **CHAMP_DATE)

    CHAMPS_CALENDRIER = regles.ORDRE_DES_DATES

    def __init__(self, *args, departements, aujourd_hui=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.aujourd_hui = aujourd_hui or dt.date.today()
        self.fields["departement"].choices = [(d, f"{d} – {DEPARTEMENTS.get(d, d)}") for d in departements]
        if not self.is_bound:
            annee = self.aujourd_hui.year - 1
            self.initial = {
                "annee": annee,
                "departement": departements[0] if departements else None,
                "part_siae": regles.PART_SIAE_DEFAUT,
                **regles.calendrier_par_defaut(annee),
                **self.initial,
            }

    def clean_annee(self):
        annee = self.cleaned_data["annee"]
        if annee >= self.aujourd_hui.year:
            raise forms.ValidationError("On contrôle les embauches d'une année écoulée.")
        return annee

    def clean(self):
        donnees = super().clean()
        annee, departement = donnees.get("annee"), donnees.get("departement")
        if annee:
            dates = {c: donnees[c] for c in self.CHAMPS_CALENDRIER if donnees.get(c)}
            for champ, message in regles.erreurs_calendrier(annee, dates).items():
                self.add_error(champ, message)
            if departement and CampagneControle.objects.filter(annee=annee, departement=departement).exists():
                self.add_error("annee", f"Une campagne existe déjà pour les embauches {annee} de ce département.")
        return donnees

    def calendrier(self) -> dict[str, dt.date]:
        return {c: self.cleaned_data[c] for c in self.CHAMPS_CALENDRIER}


class DecisionForm(DsfrBaseForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[(Decision.ACCEPTEE.value, "Accepter"), (Decision.REFUSEE.value, "Refuser")],
        widget=forms.RadioSelect,
    )
    motif_refus = forms.CharField(
        label="Motif du refus",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obligatoire pour un refus : il est communiqué à la structure.",
    )

    def clean(self):
        donnees = super().clean()
        if donnees.get("decision") == Decision.REFUSEE and not (donnees.get("motif_refus") or "").strip():
            self.add_error("motif_refus", "Indiquez le motif du refus.")
        return donnees


class ResultatForm(DsfrBaseForm):
    resultat = forms.ChoiceField(label="Résultat du contrôle de la structure")
    commentaire = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Communiqué à la structure.",
    )

    def __init__(self, *args, possibles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resultat"].choices = [(r, ResultatControle(r).label) for r in possibles]


class SanctionForm(DsfrBaseForm):
    type = forms.ChoiceField(label="Sanction", choices=TypeSanction.choices)
    motif = forms.CharField(
        label="Motif",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obligatoire quand aucune sanction n'est prise.",
    )
    date_debut = forms.DateField(label="Début du retrait", required=False, **CHAMP_DATE)
    date_fin = forms.DateField(label="Fin du retrait", required=False, **CHAMP_DATE)
    pourcentage = forms.IntegerField(
        label="Réduction de l'aide au poste (%)", required=False, min_value=1, max_value=100, help_text="De 1 à 100 %."
    )

    def clean(self):
        donnees = super().clean()
        type_ = donnees.get("type")
        if type_ == TypeSanction.AUCUNE and not (donnees.get("motif") or "").strip():
            self.add_error("motif", "Indiquez pourquoi aucune sanction n'est prise.")
        if type_ == TypeSanction.RETRAIT_AUTO_PRESCRIPTION:
            debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
            if not debut and "date_debut" not in self.errors:
                self.add_error("date_debut", "Indiquez le début du retrait.")
            if not fin and "date_fin" not in self.errors:
                self.add_error("date_fin", "Indiquez la fin du retrait.")
            if debut and fin and fin < debut:
                self.add_error("date_fin", "La fin du retrait ne peut précéder son début.")
        if (
            type_ == TypeSanction.REDUCTION_AIDE_AU_POSTE
            and donnees.get("pourcentage") is None
            and "pourcentage" not in self.errors
        ):
            self.add_error("pourcentage", "Indiquez la réduction, de 1 à 100 %.")
        return donnees


class JustificatifForm(DsfrBaseForm):
    fichier = forms.FileField(
        label="Justificatif (PDF)",
        help_text="Un fichier PDF de 5 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={"required": "Choisissez un fichier PDF.", "empty": "Le fichier est vide."},
    )

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        fichier.seek(0)
        debut = fichier.read(len(regles.SIGNATURE_PDF))
        fichier.seek(0)
        if erreur := regles.erreur_justificatif(fichier.size, debut):
            raise forms.ValidationError(erreur)
        return fichier
