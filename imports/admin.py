from django.contrib import admin

from .models import Import


@admin.register(Import)
class ImportAdmin(admin.ModelAdmin):
    list_display = ["date", "type", "nom_fichier", "auteur", "statut", "nb_crees", "nb_modifies"]
    list_filter = ["type", "statut"]
    readonly_fields = [f.name for f in Import._meta.fields]
