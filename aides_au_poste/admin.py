from django.contrib import admin

from base.historique import HistoriqueAdmin

from .models import BaremeAideAuPoste, MontantRsa, Versement
from .services import rafraichir_les_aides_du_type


@admin.register(BaremeAideAuPoste)
class BaremeAideAuPosteAdmin(HistoriqueAdmin):
    """The barème, editable by administrators (docs/decisions.md): a revaluation is a new row; a row may be
    corrected (its arrêté is the reference), every creation or change is a version of its history (« Historique »,
    read-only) with the author. Rows are never deleted: past figures read them."""

    list_display = ("type", "date_effet", "montant_socle_annuel_par_etp", "source")
    list_filter = ("type", "date_effet")
    search_fields = ("source", "type")
    date_hierarchy = "date_effet"
    ordering = ("-date_effet", "type")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """A corrected row changes the aides of its kind from its date (the date and kind before the change too)."""
        super().save_model(request, obj, form, change)
        avant_type, avant_date = form.initial.get("type") or obj.type, form.initial.get("date_effet") or obj.date_effet
        for type_ in {obj.type, avant_type}:
            rafraichir_les_aides_du_type(type_, min(obj.date_effet, avant_date))


@admin.register(Versement)
class VersementAdmin(admin.ModelAdmin):
    list_display = ("annexe", "date", "nature", "montant", "import_origine")
    list_filter = ("nature", "date")
    search_fields = ("annexe__numero", "annexe__siae__nom", "annexe__siae__siret")
    date_hierarchy = "date"
    list_select_related = ("annexe", "import_origine")
    raw_id_fields = ("annexe", "import_origine")


@admin.register(MontantRsa)
class MontantRsaAdmin(HistoriqueAdmin):
    """Corrections of the RSA table, each a version of its history with the author. Rows are not deleted: past
    targets read them."""

    list_display = ("date_effet", "montant_forfaitaire", "source", "auteur")
    ordering = ("-date_effet",)
    readonly_fields = ("auteur", "date_creation")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.auteur = request.user
        super().save_model(request, obj, form, change)
