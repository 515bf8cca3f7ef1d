from django import forms
from dsfr.forms import DsfrBaseForm

from base.departements import DEPARTEMENTS

from .models import ContactSiae, Ensemblier, Siae
from .regles import normaliser_siret


class SiaeForm(DsfrBaseForm, forms.ModelForm):
    # Longer than 14 so that a SIRET typed with spaces ("732 829 320 00074") reaches clean_siret; the model's
    # validators then check the 14 digits.
    siret = forms.CharField(label="SIRET", max_length=20)
    nouvel_ensemblier = forms.CharField(
        label="Ou nouvel ensemblier", required=False, max_length=200, help_text="Créé s'il n'existe pas encore."
    )

    class Meta:
        model = Siae
        fields = [
            "siret", "nom", "type", "regie_de_quartier", "departement", "ensemblier",
            "adresse", "code_postal", "commune", "email", "telephone",
        ]  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        perimetre = user.perimetre
        if not perimetre.administrateur:
            self.fields["departement"].choices = [
                (code, f"{code} – {DEPARTEMENTS[code]}") for code in sorted(perimetre.departements_ddets)
            ]
        # The groups of the structures the agent sees (and the structure's own), not the whole country's.
        visibles = Siae.objects.visible_to(user)
        ensembliers = Ensemblier.objects.filter(siae__in=visibles)
        if self.instance.ensemblier_id:
            ensembliers = ensembliers | Ensemblier.objects.filter(pk=self.instance.ensemblier_id)
        self.fields["ensemblier"].queryset = ensembliers.distinct().order_by("nom")
        self.fields["ensemblier"].required = False

    def clean_siret(self):
        return normaliser_siret(self.cleaned_data["siret"])

    def clean(self):
        donnees = super().clean()
        nom = (donnees.get("nouvel_ensemblier") or "").strip()
        if nom:
            donnees["ensemblier"] = Ensemblier(nom=nom)
        return donnees

    def save(self, commit=True):
        ensemblier = self.cleaned_data.get("ensemblier")
        if ensemblier is not None and ensemblier.pk is None:
            self.instance.ensemblier, _ = Ensemblier.objects.get_or_create(nom=ensemblier.nom)
        return super().save(commit)


class ContactForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = ContactSiae
        fields = ["nom", "fonction", "email", "telephone"]


ContactFormSet = forms.inlineformset_factory(Siae, ContactSiae, form=ContactForm, extra=1, can_delete=True)
