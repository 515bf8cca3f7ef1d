from django.contrib import admin

from base.historique import HistoriqueAdmin

from .models import DecisionModulation, EnveloppeModulation


class LectureSeuleMixin:
    """Decisions and envelope versions are a history: written by the application's services, never edited."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DecisionModulation)
class DecisionModulationAdmin(LectureSeuleMixin, admin.ModelAdmin):
    list_display = ("annexe", "date", "taux", "taux_propose", "auteur")
    list_filter = ("annexe__siae__departement", "annee_reference")
    search_fields = ("annexe__numero", "annexe__siae__nom", "commentaire")
    date_hierarchy = "date"
    list_select_related = ("annexe", "auteur")


@admin.register(EnveloppeModulation)
class EnveloppeModulationAdmin(LectureSeuleMixin, HistoriqueAdmin):
    list_display = ("departement", "annee", "montant", "date_modification", "auteur")
    list_filter = ("departement", "annee")
