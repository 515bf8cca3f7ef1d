from django.contrib import admin

from .models import BaremeAideAuPoste


@admin.register(BaremeAideAuPoste)
class BaremeAideAuPosteAdmin(admin.ModelAdmin):
    list_display = ("type", "date_effet", "montant_socle_annuel_par_etp", "source")
    list_filter = ("type",)
    date_hierarchy = "date_effet"
