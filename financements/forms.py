import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from base.departements import DEPARTEMENT_CHOICES, DEPARTEMENTS
from base.formats import taux_fr
from base.formulaires import CENT, aide, en_pourcent
from siae.models import Siae

from . import regles
from .choix import (
    COFINANCEMENT_DES_ANNEXES,
    DISPOSITIFS_DES_ANNEXES,
    RUBRIQUES_PAR_SENS,
    TRANSITIONS_PROJET,
    Dispositif,
    EtatProjet,
    Sens,
)
from .models import AppelAProjets, CandidatureFdi, LigneFinancement, Projet

CHAMP_DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ChampMontant(forms.DecimalField):
    """An amount in euros typed the French way: "27 265", "27 265,50 €" or "27265.5"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("localize", True)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("€", "").replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
        return super().to_python(value)


def departements_geres(user) -> list[tuple[str, str]]:
    perimetre = user.perimetre
    if perimetre.administrateur:
        return DEPARTEMENT_CHOICES
    return [(d, f"{d} – {DEPARTEMENTS.get(d, d)}") for d in sorted(perimetre.departements_ddets)]


# Financing lines -------------------------------------------------------------------------------------------------


class LigneFinancementForm(DsfrBaseForm, forms.ModelForm):
    montant_engage = ChampMontant(label="Montant engagé (€)")
    montant_verse = ChampMontant(label="Montant versé (€)", initial=0)
    part_variable_max = ChampMontant(
        label="Part variable maximale (€)",
        initial=0,
        help_text="La part versée selon les résultats, au plus : comprise dans le montant engagé.",
    )

    class Meta:
        model = LigneFinancement
        fields = [
            "financeur",
            "dispositif",
            "annee",
            "libelle",
            "siae",
            "projet",
            "montant_engage",
            "montant_verse",
            "part_variable_max",
        ]
        labels = {"siae": "Structure bénéficiaire", "projet": "Projet bénéficiaire", "annee": "Année"}
        help_texts = {"siae": "Une structure ou un projet, pas les deux."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["siae"].queryset = Siae.objects.gerees_par(user).order_by("nom")
        self.fields["projet"].queryset = Projet.objects.gerees_par(user).order_by("nom")
        self.fields["dispositif"].choices = [
            ("", "---------"),
            *((d.value, d.label) for d in Dispositif if d not in DISPOSITIFS_DES_ANNEXES),
        ]
        aide(
            self,
            "dispositif",
            "L'aide au poste, sa modulation et le cofinancement des aides au poste par le Département sont calculés "
            "depuis les annexes financières.",
        )
        if not self.instance.pk and self.initial.get("annee") is None:
            self.initial["annee"] = dt.date.today().year
        if self.instance.candidature_id:
            # An FDI aid follows its candidature: only what has been paid is typed here.
            for champ in ("financeur", "dispositif", "annee", "libelle", "siae", "projet", "montant_engage"):
                self.fields[champ].disabled = True

    def clean(self):
        donnees = super().clean()
        financeur, dispositif = donnees.get("financeur"), donnees.get("dispositif")
        if (financeur, dispositif) == COFINANCEMENT_DES_ANNEXES:
            self.add_error(
                "dispositif",
                "Le cofinancement des aides au poste par le Département est calculé depuis les annexes financières "
                "(montant cofinancé par le Département) : il ne se saisit pas comme une ligne.",
            )
        if "siae" in donnees and "projet" in donnees and bool(donnees["siae"]) == bool(donnees["projet"]):
            self.add_error("siae", "Indiquez un bénéficiaire : une structure ou un projet, pas les deux.")
        montants = [donnees.get(c) or 0 for c in ("montant_engage", "montant_verse", "part_variable_max")]
        for champ, message in regles.erreurs_montants_ligne(*montants).items():
            if champ not in self.errors:
                self.add_error(champ, message)
        return donnees


# Projects --------------------------------------------------------------------------------------------------------


class ProjetForm(DsfrBaseForm, forms.ModelForm):
    taux_frais_indirects_pourcent = forms.DecimalField(
        label="Frais indirects (% des charges directes)",
        min_value=0,
        max_value=100,
        decimal_places=2,
        localize=True,
        initial=en_pourcent(regles.TAUX_FRAIS_INDIRECTS_DEFAUT),
        help_text="Calculés sur le personnel et le fonctionnement de chaque période (20 % en général).",
    )

    class Meta:
        model = Projet
        fields = ["nom", "porteur", "siae_porteuse", "departement", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["siae_porteuse"].queryset = Siae.objects.gerees_par(user).order_by("nom")
        self.fields["departement"].choices = departements_geres(user)
        if self.instance.pk:
            self.initial["taux_frais_indirects_pourcent"] = en_pourcent(self.instance.taux_frais_indirects)

    def clean(self):
        donnees = super().clean()
        # The carrying structure's département is checked by the model (`Projet.clean`), for the admin too.
        siae = donnees.get("siae_porteuse")
        if siae and not (donnees.get("porteur") or "").strip():
            donnees["porteur"] = siae.nom
        return donnees

    def _post_clean(self):
        if (taux := self.cleaned_data.get("taux_frais_indirects_pourcent")) is not None:
            self.instance.taux_frais_indirects = taux / CENT
        super()._post_clean()


class PeriodeForm(DsfrBaseForm):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    libelle = forms.CharField(label="Libellé", max_length=40, help_text="Par exemple « 05 à 12/2025 ».")
    debut = forms.DateField(label="Début", **CHAMP_DATE)
    fin = forms.DateField(label="Fin", **CHAMP_DATE)

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("debut"), donnees.get("fin")
        if debut and fin and fin < debut:
            self.add_error("fin", "La fin de la période est avant son début.")
        return donnees


class BasePeriodesFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        gardees = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not gardees:
            raise ValidationError("Indiquez au moins une période du budget.")
        libelles = [f.cleaned_data["libelle"].strip() for f in gardees]
        if len(set(libelles)) != len(libelles):
            raise ValidationError("Deux périodes portent le même libellé.")


PeriodesFormSet = forms.formset_factory(PeriodeForm, formset=BasePeriodesFormSet, extra=1, can_delete=True)


RUBRIQUES_GROUPEES = [
    ("Charges", [(r.value, r.label) for r in RUBRIQUES_PAR_SENS[Sens.CHARGE]]),
    ("Produits", [(r.value, r.label) for r in RUBRIQUES_PAR_SENS[Sens.PRODUIT]]),
]


class LigneBudgetForm(forms.Form):
    """One row of the budget table: a rubrique, its label and remark, and one amount per period."""

    rubrique = forms.ChoiceField(label="Rubrique", choices=[("", "—"), *RUBRIQUES_GROUPEES], required=False)
    libelle = forms.CharField(label="Libellé", max_length=255, required=False)
    remarque = forms.CharField(label="Remarque", max_length=255, required=False)

    def __init__(self, *args, periodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.periodes = periodes
        self.fields["rubrique"].widget.attrs["class"] = "fr-select"
        self.fields["libelle"].widget.attrs["class"] = "fr-input"
        # Under the label, smaller: the remark column of the seed's table (its label is in the template).
        self.fields["remarque"].widget.attrs["class"] = "fr-input fr-mt-1v fr-text--sm"
        for periode in periodes:
            champ = ChampMontant(label=f"Montant {periode.libelle} (€)", required=False)
            champ.widget.attrs.update(size=9, **{"class": "fr-input"})
            self.fields[f"montant_{periode.pk}"] = champ

    @property
    def champs_montant(self):
        return [self[f"montant_{p.pk}"] for p in self.periodes]

    @property
    def vide(self) -> bool:
        d = getattr(self, "cleaned_data", {})
        return (
            not d.get("rubrique")
            and not (d.get("libelle") or "").strip()
            and all(d.get(f"montant_{p.pk}") is None for p in self.periodes)
        )

    def clean(self):
        donnees = super().clean()
        if self.vide or donnees.get("DELETE"):
            return donnees
        if not donnees.get("rubrique"):
            self.add_error("rubrique", "Choisissez la rubrique de la ligne.")
        if not (donnees.get("libelle") or "").strip():
            self.add_error("libelle", "Indiquez le libellé de la ligne.")
        return donnees


class BaseBudgetFormSet(forms.BaseFormSet):
    def __init__(self, *args, periodes, **kwargs):
        self.periodes = periodes
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "periodes": self.periodes}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            renderer=self.renderer,
            periodes=self.periodes,
        )
        self.add_fields(form, None)
        return form

    def saisies(self):
        """What `services.enregistrer_budget` takes: the rows kept, in their order."""
        from .services import SaisieLigneBudget

        return [
            SaisieLigneBudget(
                rubrique=f.cleaned_data["rubrique"],
                libelle=f.cleaned_data["libelle"],
                remarque=f.cleaned_data.get("remarque") or "",
                montants=tuple(f.cleaned_data.get(f"montant_{p.pk}") for p in self.periodes),
            )
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and not f.vide
        ]


BudgetFormSet = forms.formset_factory(LigneBudgetForm, formset=BaseBudgetFormSet, extra=3, can_delete=True)


class EtatProjetForm(forms.Form):
    etat = forms.ChoiceField(choices=EtatProjet.choices)

    def __init__(self, *args, projet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["etat"].choices = [(e.value, e.label) for e in TRANSITIONS_PROJET[EtatProjet(projet.etat)]]


# FDI ---------------------------------------------------------------------------------------------------------


class AppelForm(DsfrBaseForm, forms.ModelForm):
    taux_investissement_pourcent = forms.DecimalField(
        label="Aide à l'investissement : au plus (% du coût éligible)",
        min_value=0,
        max_value=regles.TAUX_MAX_INVESTISSEMENT * CENT,
        decimal_places=2,
        localize=True,
        initial=en_pourcent(regles.TAUX_MAX_INVESTISSEMENT),
        help_text="70 % au plus (règle du FDI).",
    )
    taux_conseil_pourcent = forms.DecimalField(
        label="Aide au conseil : au plus (% du coût éligible)",
        min_value=0,
        max_value=regles.TAUX_MAX_CONSEIL * CENT,
        decimal_places=2,
        localize=True,
        initial=en_pourcent(regles.TAUX_MAX_CONSEIL),
        help_text="30 % au plus (règle du FDI).",
    )
    plafond_par_projet = ChampMontant(
        label="Plafond par projet (€)",
        max_value=regles.PLAFOND_FDI_PAR_PROJET,
        initial=regles.PLAFOND_FDI_PAR_PROJET,
        help_text="90 000 € au plus (règle du FDI) : aides à l'investissement et au conseil ensemble.",
    )

    class Meta:
        model = AppelAProjets
        fields = ["nom", "annee", "departement", "date_limite", "description", "plafond_par_projet"]
        labels = {"annee": "Année"}
        widgets = {
            "date_limite": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = departements_geres(user)
        if not self.instance.pk and self.initial.get("annee") is None:
            self.initial["annee"] = dt.date.today().year
        if self.instance.pk:
            self.initial["taux_investissement_pourcent"] = en_pourcent(self.instance.taux_max_investissement)
            self.initial["taux_conseil_pourcent"] = en_pourcent(self.instance.taux_max_conseil)

    def _post_clean(self):
        d = self.cleaned_data
        if d.get("taux_investissement_pourcent") is not None:
            self.instance.taux_max_investissement = d["taux_investissement_pourcent"] / CENT
        if d.get("taux_conseil_pourcent") is not None:
            self.instance.taux_max_conseil = d["taux_conseil_pourcent"] / CENT
        super()._post_clean()
        for violation in regles.violations_plafonds_appel(self.instance.plafonds):
            champ = {
                "taux_max_investissement": "taux_investissement_pourcent",
                "taux_max_conseil": "taux_conseil_pourcent",
            }.get(violation.champ, violation.champ)
            if champ not in self.errors:
                self.add_error(champ, violation.message)


class CandidatureForm(DsfrBaseForm, forms.ModelForm):
    cout_eligible_investissement = ChampMontant(label="Coût éligible d'investissement (€)", initial=0)
    aide_investissement = ChampMontant(label="Aide à l'investissement demandée (€)", initial=0)
    cout_eligible_conseil = ChampMontant(label="Coût éligible de conseil (€)", initial=0)
    aide_conseil = ChampMontant(label="Aide au conseil demandée (€)", initial=0)

    class Meta:
        model = CandidatureFdi
        fields = [
            "projet",
            "cout_eligible_investissement",
            "aide_investissement",
            "cout_eligible_conseil",
            "aide_conseil",
            "decision",
        ]

    def __init__(self, *args, user, appel, **kwargs):
        super().__init__(*args, **kwargs)
        self.appel = appel
        self.instance.appel = appel
        self.fields["projet"].queryset = (
            Projet.objects.gerees_par(user).filter(departement=appel.departement).order_by("nom")
        )
        plafonds = appel.plafonds
        aide(self, "aide_investissement", f"Au plus {taux_fr(plafonds.taux_investissement)} du coût éligible.")
        aide(self, "aide_conseil", f"Au plus {taux_fr(plafonds.taux_conseil)} du coût éligible.")
        if self.instance.pk:
            self.fields["projet"].disabled = True

    def clean(self):
        donnees = super().clean()
        montants = [donnees.get(c) for c in regles.CHAMPS_FDI]
        if all(m is not None for m in montants):
            for violation in regles.violations_fdi(*montants, self.appel.plafonds):
                if violation.champ not in self.errors:
                    self.add_error(violation.champ, violation.message)
        return donnees
