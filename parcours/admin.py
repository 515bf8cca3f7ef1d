from django.contrib import admin

from .models import MotifSortie


@admin.register(MotifSortie)
class MotifSortieAdmin(admin.ModelAdmin):
    list_display = ("code", "libelle", "categorie", "actif")
    list_filter = ("categorie", "actif")
