import datetime as dt

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from dsfr.forms import DsfrBaseForm

from base.formats import taux_fr
from base.formulaires import CENT, aide, en_pourcent
from siae.models import Siae

from .models import TRANSITIONS, AnnexeFinanciere, EtatAnnexe
from .regles import HEURES_ANNUELLES_PAR_DEFAUT, analyser_numero_annexe, departement_du_numero, periode_en_mois_entiers


class ChampMois(forms.DateField):
    """A month typed as 2022-06 (the browser's month picker) or 06/2022."""

    widget = forms.DateInput(attrs={"type": "month"})
    input_formats = ["%Y-%m", "%m/%Y", "%Y-%m-%d"]

    def to_python(self, value):
        jour = super().to_python(value)
        return jour.replace(day=1) if jour else jour

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, dt.date) else value


class AnnexeForm(DsfrBaseForm, forms.ModelForm):
    taux_modulation_pourcent = forms.DecimalField(
        label="Taux de modulation (%)",
        min_value=0,
        max_value=10,
        decimal_places=2,
        initial=0,
        localize=True,
        help_text="Part modulée de l'aide au poste, de 0 à 10 % du socle.",
    )
    heures_annuelles_par_etp = forms.DecimalField(
        label="Heures annuelles par ETP",
        required=False,
        min_value=1,
        max_value=2500,
        decimal_places=2,
        localize=True,
        help_text="Vide : la valeur du type (ACI 1820, AI, EI, ETTI 1607, EITI 1505).",
    )

    class Meta:
        model = AnnexeFinanciere
        fields = [
            "siae",
            "numero",
            "date_debut",
            "date_fin",
            "etat",
            "etp_conventionnes",
            "heures_annuelles_par_etp",
            "montant_cofinance_cd",
            "objectif_sorties_dynamiques",
            "objectif_emploi_durable",
            "objectif_emploi_transition",
            "objectif_sorties_positives",
            "objectif_part_brsa",
        ]
        # French decimals: "12,5" as well as "12.5".
        localized_fields = "__all__"
        widgets = {
            "date_debut": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "date_fin": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {
            "objectif_sorties_dynamiques": "Objectif de sorties dynamiques (%)",
            "objectif_emploi_durable": "Objectif d'emploi durable (%)",
            "objectif_emploi_transition": "Objectif d'emploi de transition (%)",
            "objectif_sorties_positives": "Objectif de sorties positives (%)",
            "objectif_part_brsa": "Objectif de part de bRSA dans les embauches (%)",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["siae"].queryset = Siae.objects.gerees_par(user).order_by("nom")
        self.fields["etat"].choices = [
            (e.value, e.label) for e in (EtatAnnexe.BROUILLON, EtatAnnexe.PROVISOIRE, EtatAnnexe.VALIDE)
        ]
        aide(self, "numero", "Type, département sur 3 chiffres, millésime, ordre, puis A0M0 : ACI055250001A0M0.")
        if self.instance.pk:
            self.initial.setdefault("taux_modulation_pourcent", en_pourcent(self.instance.taux_modulation))
            if self.instance.taux_modulation_decide_le:
                self.taux_decide(self.instance)

    def taux_decide(self, annexe) -> None:
        """Once decided (modulation/services.py), the rate belongs to the decisions and their history: it is shown,
        not changed here (a disabled field keeps its initial value whatever is posted)."""
        self.fields["taux_modulation_pourcent"].disabled = True
        self.initial["taux_modulation_pourcent"] = en_pourcent(annexe.taux_modulation)
        aide(
            self,
            "taux_modulation_pourcent",
            format_html(
                "Fixé à {} par la décision de modulation du {} : il se modifie sur "
                '<a href="{}">la page de modulation de l\'annexe</a>.',
                taux_fr(annexe.taux_modulation),
                f"{timezone.localtime(annexe.taux_modulation_decide_le):%d/%m/%Y}",
                reverse("modulation:annexe", args=[annexe.pk]),
            ),
        )

    def clean_numero(self):
        return self.cleaned_data["numero"].strip().upper()

    def clean(self):
        donnees = super().clean()
        siae, numero = donnees.get("siae"), donnees.get("numero")
        debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
        if numero:
            parties = analyser_numero_annexe(numero)
            if parties is None:
                self.add_error("numero", "Le numéro ne suit pas le format ACI055250001A0M0.")
            elif siae and (
                parties["type"] != siae.type or departement_du_numero(parties["departement"]) != siae.departement
            ):
                self.add_error(
                    "numero", f"Pour cette structure, le numéro commence par {siae.type}{siae.departement:0>3}."
                )
            elif AnnexeFinanciere.objects.filter(prefixe=parties["prefixe"]).exclude(pk=self.instance.pk).exists():
                self.add_error("numero", "Une annexe porte déjà ce numéro : ajoutez-lui un avenant.")
        if debut and fin and (erreur := periode_en_mois_entiers(debut, fin)):
            self.add_error("date_fin" if "fin" in erreur else "date_debut", erreur[0].upper() + erreur[1:] + ".")
        if siae and not donnees.get("heures_annuelles_par_etp"):
            donnees["heures_annuelles_par_etp"] = HEURES_ANNUELLES_PAR_DEFAUT[siae.type]
        return donnees

    def valeurs(self) -> dict:
        """What `services.creer_annexe` takes."""
        d = self.cleaned_data
        champs = [f for f in self.Meta.fields if f not in ("siae", "numero")]
        return {
            **{f: d[f] for f in champs},
            "type": d["siae"].type,
            "taux_modulation": d["taux_modulation_pourcent"] / CENT,
        }


class AvenantForm(DsfrBaseForm):
    mois_effet = ChampMois(label="À partir du mois")
    etp_conventionnes = forms.DecimalField(
        label="ETP conventionnés", min_value=0, max_digits=8, decimal_places=2, localize=True
    )
    date_fin = forms.DateField(
        label="Nouvelle fin de l'annexe",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Vide : la fin ne change pas.",
    )
    motif = forms.CharField(label="Motif", max_length=255, required=False)

    def __init__(self, *args, annexe, **kwargs):
        super().__init__(*args, **kwargs)
        self.annexe = annexe

    def clean(self):
        donnees = super().clean()
        mois, fin = donnees.get("mois_effet"), donnees.get("date_fin") or self.annexe.date_fin
        if fin and (erreur := periode_en_mois_entiers(self.annexe.date_debut, fin)):
            self.add_error("date_fin", erreur[0].upper() + erreur[1:] + ".")
        if mois and not (self.annexe.date_debut <= mois <= fin):
            self.add_error("mois_effet", "Le mois doit être dans la période de l'annexe.")
        return donnees


class EtatForm(DsfrBaseForm):
    etat = forms.ChoiceField(label="Nouvel état")

    def __init__(self, *args, annexe, **kwargs):
        super().__init__(*args, **kwargs)
        # Nothing chosen in advance: one click once closed an active annexe with months still to declare.
        self.fields["etat"].choices = [("", "Choisir le nouvel état")] + [
            (e.value, e.label) for e in map(EtatAnnexe, TRANSITIONS[annexe.etat])
        ]
