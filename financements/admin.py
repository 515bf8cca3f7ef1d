from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from . import services
from .models import AppelAProjets, CandidatureFdi, LigneBudgetaire, LigneFinancement, PeriodeBudgetaire, Projet


class LigneFinancementAdminForm(forms.ModelForm):
    """The same checks as the pages: amounts, one beneficiary, nothing the annexes already carry."""

    class Meta:
        model = LigneFinancement
        fields = [
            "financeur", "dispositif", "annee", "libelle", "siae", "projet", "montant_engage", "montant_verse",
            "part_variable_max",
        ]  # fmt: skip

    def clean(self):
        donnees = super().clean()
        if self.errors:
            return donnees
        ligne = LigneFinancement(pk=self.instance.pk, candidature_id=self.instance.candidature_id, **donnees)
        try:
            services.verifier_ligne(ligne)
        except ValidationError as erreur:
            for champ, erreurs in erreur.error_dict.items():
                self.add_error(champ if champ in self.fields else None, erreurs)
        return donnees


@admin.register(LigneFinancement)
class LigneFinancementAdmin(admin.ModelAdmin):
    form = LigneFinancementAdminForm
    list_display = ("annee", "departement", "financeur", "dispositif", "libelle", "montant_engage", "montant_verse")
    list_filter = ("annee", "financeur", "dispositif", "departement")
    search_fields = ("libelle", "siae__nom", "projet__nom")
    list_select_related = ("siae", "projet")
    raw_id_fields = ("siae", "projet")
    readonly_fields = ("departement", "siae_concernee", "candidature", "retire_le", "retire_par")

    def get_queryset(self, request):
        return LigneFinancement.tous.all()

    def has_delete_permission(self, request, obj=None):
        # A line is removed on its page, where it stays, marked removed, with who removed it.
        return False


class PeriodeInline(admin.TabularInline):
    model = PeriodeBudgetaire
    extra = 0


class LigneBudgetaireInline(admin.TabularInline):
    model = LigneBudgetaire
    fields = ("periode", "sens", "rubrique", "libelle", "montant", "remarque", "ordre")
    extra = 0


@admin.register(Projet)
class ProjetAdmin(admin.ModelAdmin):
    """Projects; their state moves on the project page, which checks the budget balances."""

    list_display = ("nom", "porteur", "departement", "etat")
    list_filter = ("departement", "etat")
    search_fields = ("nom", "porteur")
    raw_id_fields = ("siae_porteuse",)
    readonly_fields = ("etat",)
    inlines = [PeriodeInline, LigneBudgetaireInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The financing lines of the project follow its département and carrying structure.
        LigneFinancement.objects.filter(projet=obj).update(
            departement=obj.departement, siae_concernee=obj.siae_porteuse_id
        )


class CandidatureInline(admin.TabularInline):
    """Read-only here: a candidature is checked against the call's caps and makes its FDI line on the pages."""

    model = CandidatureFdi
    fields = ("projet", "cout_eligible_investissement", "aide_investissement", "cout_eligible_conseil", "aide_conseil",
              "decision")  # fmt: skip
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AppelAProjets)
class AppelAProjetsAdmin(admin.ModelAdmin):
    list_display = ("nom", "annee", "departement", "date_limite", "taux_max_investissement", "taux_max_conseil",
                    "plafond_par_projet")  # fmt: skip
    list_filter = ("annee", "departement")
    search_fields = ("nom",)
    inlines = [CandidatureInline]
