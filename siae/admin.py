from django.contrib import admin

from .models import ContactSiae, Ensemblier, Siae


class ContactInline(admin.TabularInline):
    model = ContactSiae
    extra = 0


@admin.register(Siae)
class SiaeAdmin(admin.ModelAdmin):
    list_display = ["nom", "siret", "type", "departement", "commune", "ensemblier"]
    list_select_related = ["ensemblier"]
    list_filter = ["type", "departement", "regie_de_quartier"]
    search_fields = ["nom", "siret", "commune"]
    inlines = [ContactInline]


@admin.register(Ensemblier)
class EnsemblierAdmin(admin.ModelAdmin):
    search_fields = ["nom"]
