from django.contrib import admin

from .models import MotifProlongation, MotifSortie, MotifSortieHistorique, MotifSuspension


class MotifSortieHistoriqueInline(admin.TabularInline):
    """The versions of a motif, read-only: written by `MotifSortieAdmin.save_model` only."""

    model = MotifSortieHistorique
    fields = ("date", "libelle", "categorie", "actif", "auteur")
    readonly_fields = fields
    ordering = ("-date", "-pk")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MotifSortie)
class MotifSortieAdmin(admin.ModelAdmin):
    """Exit motifs, editable by administrators, with their history (spec §7): each creation or change records a
    version (libellé, category, active or not, author). The figures count each exit in the motif's current
    category."""

    list_display = ("code", "libelle", "categorie", "actif")
    list_filter = ("categorie", "actif")
    inlines = [MotifSortieHistoriqueInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or form.has_changed():
            MotifSortieHistorique.objects.create(
                motif=obj, libelle=obj.libelle, categorie=obj.categorie, actif=obj.actif, auteur=request.user
            )


@admin.register(MotifSuspension)
class MotifSuspensionAdmin(admin.ModelAdmin):
    """The reasons of suspension and their limits: the rules of suspensions read them (parcours/regles_pass.py)."""

    list_display = ("code", "libelle", "duree_max_mois", "types_siae", "actif")
    list_filter = ("actif",)


@admin.register(MotifProlongation)
class MotifProlongationAdmin(admin.ModelAdmin):
    """The reasons of prolongation, who decides and their limits, read by the rules of prolongations."""

    list_display = (
        "code",
        "libelle",
        "decideur",
        "limite_decision",
        "duree_max_decision_mois",
        "limite_cumul",
        "duree_max_cumulee_mois",
        "types_siae",
        "actif",
    )
    list_filter = ("decideur", "actif")
