from django.contrib import admin

from base.formats import etp_fr, nombre_fr

from .models import IndicateurMensuel


@admin.register(IndicateurMensuel)
class IndicateurMensuelAdmin(admin.ModelAdmin):
    """Read only: the rows are rebuilt from the data (`recalculer_indicateurs`), an edit would be overwritten."""

    list_display = [
        "annexe",
        "mois",
        "code_type",
        "etp_conventionnes_fr",
        "etp_realises_fr",
        "heures_fr",
        "salaries",
        "declaration_retenue",
        "date_calcul",
    ]
    list_filter = ["departement", "type", "declaration_retenue"]
    date_hierarchy = "mois"
    search_fields = ["annexe__numero", "siae__nom"]
    list_select_related = ["annexe"]
    readonly_fields = [f.name for f in IndicateurMensuel._meta.fields]

    @admin.display(description="type", ordering="type")
    def code_type(self, obj):
        return obj.type

    @admin.display(description="ETP conventionnés", ordering="etp_conventionnes")
    def etp_conventionnes_fr(self, obj):
        return etp_fr(obj.etp_conventionnes)

    @admin.display(description="ETP réalisés", ordering="etp_realises")
    def etp_realises_fr(self, obj):
        return etp_fr(obj.etp_realises)

    @admin.display(description="heures", ordering="heures_travaillees")
    def heures_fr(self, obj):
        return nombre_fr(obj.heures_travaillees)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
