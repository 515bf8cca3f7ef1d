from django.contrib import admin

from .models import BaremeAideAuPoste, BaremeHistorique, MontantRsa, Versement
from .services import enregistrer_version


class BaremeHistoriqueInline(admin.TabularInline):
    """The versions of a row, read-only: written by `BaremeAideAuPosteAdmin.save_model` only."""

    model = BaremeHistorique
    fields = ("date", "type", "date_effet", "montant_socle_annuel_par_etp", "source", "auteur")
    readonly_fields = fields
    ordering = ("-date", "-pk")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BaremeAideAuPoste)
class BaremeAideAuPosteAdmin(admin.ModelAdmin):
    """The barème, editable by administrators (docs/decisions.md): a revaluation is a new row; a row may be
    corrected (its arrêté is the reference), every creation or change is recorded in its history with the author.
    Rows are never deleted: past figures read them."""

    list_display = ("type", "date_effet", "montant_socle_annuel_par_etp", "source")
    list_filter = ("type", "date_effet")
    search_fields = ("source", "type")
    date_hierarchy = "date_effet"
    ordering = ("-date_effet", "type")
    inlines = [BaremeHistoriqueInline]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or form.has_changed():
            enregistrer_version(obj, request.user)


@admin.register(Versement)
class VersementAdmin(admin.ModelAdmin):
    list_display = ("annexe", "date", "nature", "montant", "import_origine")
    list_filter = ("nature", "date")
    search_fields = ("annexe__numero", "annexe__siae__nom", "annexe__siae__siret")
    date_hierarchy = "date"
    list_select_related = ("annexe", "import_origine")
    raw_id_fields = ("annexe", "import_origine")


@admin.register(MontantRsa)
class MontantRsaAdmin(admin.ModelAdmin):
    """Corrections of the RSA table; Django's admin log keeps who changed what. Rows are not deleted: past targets
    read them."""

    list_display = ("date_effet", "montant_forfaitaire", "source", "auteur")
    ordering = ("-date_effet",)
    readonly_fields = ("auteur", "date_creation")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.auteur = request.user
        super().save_model(request, obj, form, change)
