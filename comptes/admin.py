from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Membre, Organisation, Utilisateur


class MembreInline(admin.TabularInline):
    model = Membre
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Utilisateur)
class UtilisateurAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Droits", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "first_name", "last_name", "password1", "password2"]})
    ]
    inlines = [MembreInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "departement", "siae"]
    list_filter = ["type", "departement"]
    search_fields = ["nom", "siae__siret"]
    autocomplete_fields = ["siae"]
