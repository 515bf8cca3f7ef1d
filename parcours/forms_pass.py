"""The forms of a PASS IAE's life and of a parcours: suspension, prolongation (request, decision), contract, exit.

They read the typed values only; the rules are checked by `services_pass` (through `regles_pass`), whose refusals
come back on the fields (`reporter_refus`). Every message starts with the label of its field.
"""

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from .models import Decideur, MotifProlongation, MotifSortie, MotifSuspension, StatutProlongation, TypeContrat
from .regles_pass import CONTRATS_PAR_TYPE_DE_SIAE, LIBELLES, types_de_siae


def champ_date(nom: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=LIBELLES.get(nom, kwargs.pop("label", nom)),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


class FormulairePass(DsfrBaseForm):
    """Every error names its field: "Début : saisissez une date valide." (the validators' messages too)."""

    def full_clean(self):
        super().full_clean()
        for nom, erreurs in (self._errors or {}).items():
            if nom not in self.fields:
                continue
            prefixe = f"{self.fields[nom].label} : "
            erreurs.data = [m if m.startswith(prefixe) else f"{prefixe}{m[:1].lower()}{m[1:]}" for m in erreurs]


def motifs_pour(queryset, type_siae: str):
    """The motifs in force for this kind of structure."""
    permis = [m.pk for m in queryset.filter(actif=True) if not (t := types_de_siae(m.types_siae)) or type_siae in t]
    return queryset.filter(pk__in=permis).order_by("libelle")


class SuspensionForm(FormulairePass):
    motif = forms.ModelChoiceField(label=LIBELLES["motif"], queryset=MotifSuspension.objects.none())
    date_debut = champ_date("date_debut", help_text="Au plus tard aujourd'hui, au plus tôt le début du PASS IAE.")
    date_fin = champ_date("date_fin", help_text="La fin du PASS IAE recule d'autant de jours (début et fin compris).")

    def __init__(self, *args, parcours, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motif"].queryset = motifs_pour(MotifSuspension.objects.all(), parcours.siae.type)


class DemandeProlongationForm(FormulairePass):
    motif = forms.ModelChoiceField(label=LIBELLES["motif"], queryset=MotifProlongation.objects.none())
    date_fin = champ_date("date_fin")
    date_demande = champ_date("date_demande", help_text="De 12 mois avant la fin du PASS IAE à 6 mois après.")
    date_fin_formation = champ_date(
        "date_fin_formation",
        required=False,
        help_text="Pour une formation en cours : la prolongation va au plus jusque-là.",
    )
    prescripteur_organisation = forms.CharField(
        label=LIBELLES["prescripteur_organisation"],
        max_length=255,
        required=False,
        help_text="Pour un motif décidé par un prescripteur habilité : l'organisation sollicitée, si elle est connue.",
    )
    prescripteur_personne = forms.CharField(label=LIBELLES["prescripteur_personne"], max_length=255, required=False)

    def __init__(self, *args, parcours, debut, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date_demande", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["motif"].queryset = motifs_pour(MotifProlongation.objects.all(), parcours.siae.type)
        aide = (
            f"La prolongation commence le lendemain de la fin actuelle du PASS IAE, le {debut:%d/%m/%Y}."
            if debut
            else "La date de début du PASS IAE est inconnue : sa fin, que la prolongation suit, ne se calcule pas."
        )
        # The bound field, already built by DsfrBaseForm, keeps its own copy of the help text.
        self.fields["date_fin"].help_text = self["date_fin"].help_text = aide


class DecisionProlongationForm(FormulairePass):
    statut = forms.ChoiceField(
        label="Décision",
        choices=[(StatutProlongation.ACCORDEE, "Accorder"), (StatutProlongation.REFUSEE, "Refuser")],
        widget=forms.RadioSelect,
    )
    date_decision = champ_date("date_decision")
    prescripteur_organisation = forms.CharField(label=LIBELLES["prescripteur_organisation"], max_length=255)
    prescripteur_personne = forms.CharField(label=LIBELLES["prescripteur_personne"], max_length=255)
    motif_refus = forms.CharField(
        label=LIBELLES["motif_refus"],
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour un refus.",
    )

    def __init__(self, *args, prolongation, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("date_decision", timezone.localdate())
        initial.setdefault("prescripteur_organisation", prolongation.prescripteur_organisation)
        initial.setdefault("prescripteur_personne", prolongation.prescripteur_personne)
        super().__init__(*args, **kwargs)
        if prolongation.decideur != Decideur.PRESCRIPTEUR:
            # The structure decides alone.
            del self.fields["prescripteur_organisation"], self.fields["prescripteur_personne"]


class ContratForm(FormulairePass):
    type = forms.ChoiceField(label=LIBELLES["type"])
    date_debut = champ_date("date_debut")
    date_fin = champ_date("date_fin", required=False, help_text="Obligatoire pour un CDDI et un contrat passerelle.")
    heures_hebdo = forms.DecimalField(
        label=LIBELLES["heures_hebdo"],
        required=False,
        min_value=0,
        max_value=48,
        max_digits=4,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text="Un CDDI compte au moins 20 h par semaine, sauf dérogation.",
    )
    derogation = forms.BooleanField(
        label="Dérogation à la durée minimale du CDDI (4 mois, 20 h par semaine)", required=False
    )
    motif_derogation = forms.CharField(label=LIBELLES["motif_derogation"], max_length=255, required=False)

    def __init__(self, *args, parcours, **kwargs):
        super().__init__(*args, **kwargs)
        permis = CONTRATS_PAR_TYPE_DE_SIAE.get(parcours.siae.type, set())
        self.fields["type"].choices = [(t.value, t.label) for t in TypeContrat if t.value in permis]


class FinOfficielleForm(FormulairePass):
    date_fin_officielle = champ_date("date_fin_officielle", required=False)

    def __init__(self, *args, parcours, fin_calculee, **kwargs):
        super().__init__(*args, **kwargs)
        calculee = (
            f"la fin calculée par Pilot'IAE est le {fin_calculee:%d/%m/%Y}"
            if fin_calculee
            else "la fin calculée par Pilot'IAE est inconnue (la date de début du PASS IAE l'est)"
        )
        aide = (
            "La date de fin délivrée par les emplois de l'inclusion : elle devient la fin du PASS IAE ; "
            f"{calculee}. Laissez vide si elle n'est pas connue."
        )
        # The bound field, already built by DsfrBaseForm, keeps its own copy of the help text.
        self.fields["date_fin_officielle"].help_text = self["date_fin_officielle"].help_text = aide


class SortieForm(FormulairePass):
    date_sortie = champ_date("date_sortie", help_text="Au plus tôt la date d'embauche.")
    motif_sortie = forms.ModelChoiceField(
        label=LIBELLES["motif_sortie"],
        queryset=MotifSortie.objects.filter(actif=True).order_by("categorie", "libelle"),
    )
