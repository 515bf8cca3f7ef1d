from django.contrib import admin

from .models import Import, TraceImport


@admin.register(Import)
class ImportAdmin(admin.ModelAdmin):
    list_display = ["date", "type", "nom_fichier", "auteur", "statut", "nb_crees", "nb_modifies"]
    list_filter = ["type", "statut"]
    readonly_fields = [f.name for f in Import._meta.fields]


@admin.register(TraceImport)
class TraceImportAdmin(admin.ModelAdmin):
    """The trail's entries of the imports: read, never written nor deleted here."""

    list_display = ["date", "journal", "auteur", "departement", "resume"]
    list_filter = ["departement"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
