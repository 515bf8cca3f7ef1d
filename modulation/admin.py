from django.contrib import admin

from .models import DecisionModulation, EnveloppeModulation, EnveloppeModulationHistorique


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


class EnveloppeModulationHistoriqueInline(LectureSeuleMixin, admin.TabularInline):
    model = EnveloppeModulationHistorique
    fields = ("date", "montant", "commentaire", "auteur")
    readonly_fields = fields
    extra = 0


@admin.register(EnveloppeModulation)
class EnveloppeModulationAdmin(LectureSeuleMixin, admin.ModelAdmin):
    list_display = ("departement", "annee", "montant", "date_modification", "auteur")
    list_filter = ("departement", "annee")
    inlines = [EnveloppeModulationHistoriqueInline]
