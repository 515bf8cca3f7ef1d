from django.contrib import admin

from .models import BilanCdiae, SectionsEditoriales


@admin.register(BilanCdiae)
class BilanCdiaeAdmin(admin.ModelAdmin):
    """To follow the generations (and mark one lost by a worker): the file is downloaded from the bilans page."""

    list_display = ["departement", "annee", "statut", "progression", "etape", "auteur", "date_demande", "pages"]
    list_filter = ["statut", "annee", "departement"]
    # MEDIA_ROOT is never served: no link to the file here.
    exclude = ["fichier"]
    readonly_fields = ["taille", "pages", "auteur", "date_demande", "date_debut", "date_fin"]


@admin.register(SectionsEditoriales)
class SectionsEditorialesAdmin(admin.ModelAdmin):
    list_display = ["departement", "annee", "objectif_sorties_dynamiques", "auteur", "date_modification"]
    list_filter = ["annee", "departement"]
    readonly_fields = ["auteur", "date_modification"]
