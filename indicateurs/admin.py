from django.contrib import admin

from base.formats import etp_fr

from .models import IndicateurMensuel, ObjectifBrsa


@admin.register(IndicateurMensuel)
class IndicateurMensuelAdmin(admin.ModelAdmin):
    """Read only: the rows are rebuilt from the data (`recalculer_indicateurs`), an edit would be overwritten."""

    list_display = [
        "annexe",
        "mois",
        "code_type",
        "etp_conventionnes_fr",
        "etp_realises_fr",
        "date_calcul",
    ]
    list_filter = ["departement", "type"]
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ObjectifBrsa)
class ObjectifBrsaAdmin(admin.ModelAdmin):
    """Typed by the DDETS with its bilan's sections; here to correct one."""

    list_display = ["departement", "annee", "seuil"]
    list_filter = ["annee", "departement"]
