import json

from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.utils import timezone

from base.historique import HistoriqueAdmin

from .exports_rgpd import donnees_des_salaries
from .models import (
    MotifProlongation,
    MotifSortie,
    MotifSuspension,
    PurgeDonneesPersonnelles,
    Salarie,
)
from .services import recompter_les_sorties_des_motifs


@admin.register(MotifSortie)
class MotifSortieAdmin(HistoriqueAdmin):
    """Exit motifs, editable by administrators, with their history (spec §7): each creation or change records a
    version (libellé, category, active or not, author). The figures count each exit in the motif's current
    category."""

    list_display = ("code", "libelle", "categorie", "actif")
    list_filter = ("categorie", "actif")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "categorie" in form.changed_data:
            recompter_les_sorties_des_motifs([obj.pk])


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


def est_dpo(user) -> bool:
    """The data protection officer: a superuser, or a staff account given the export permission."""
    return user.is_active and (user.is_superuser or user.has_perm("parcours.exporter_donnees_personnelles"))


@admin.register(Salarie)
class SalarieAdmin(admin.ModelAdmin):
    """For the DPO only: find a person and export everything held on them (right of access, RGPD art. 15).
    Read-only: an identity is corrected in the application, by the structure or the DDETS."""

    list_display = ("nom", "prenom", "date_naissance", "genre", "date_anonymisation")
    list_filter = ("genre", ("date_anonymisation", admin.EmptyFieldListFilter))
    search_fields = ("nom", "prenom", "pass_iae__numero")
    fields = ("nom", "prenom", "date_naissance", "genre", "date_anonymisation")
    readonly_fields = fields
    actions = ["exporter_donnees"]

    def has_module_permission(self, request):
        return est_dpo(request.user)

    def has_view_permission(self, request, obj=None):
        return est_dpo(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_exporter_permission(self, request):
        return est_dpo(request.user)

    @admin.action(description="Exporter toutes leurs données (JSON, droit d'accès RGPD)", permissions=["exporter"])
    def exporter_donnees(self, request, queryset):
        document = donnees_des_salaries(queryset)
        # Who exported whose data, and when: the admin's own journal, by id (a name there would outlive the purge).
        type_salarie = ContentType.objects.get_for_model(Salarie)
        LogEntry.objects.bulk_create(
            LogEntry(
                user=request.user,
                content_type=type_salarie,
                object_id=str(salarie["identifiant"]),
                object_repr=f"Salarié n° {salarie['identifiant']}",
                action_flag=CHANGE,
                change_message="Export des données personnelles (RGPD)",
            )
            for salarie in document["salaries"]
        )
        reponse = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        nom = f"donnees-personnelles-{timezone.localdate():%Y-%m-%d}.json"
        reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
        return reponse


@admin.register(PurgeDonneesPersonnelles)
class PurgeDonneesPersonnellesAdmin(admin.ModelAdmin):
    """The trace of each purge (`manage.py purger_donnees_personnelles`, the monthly task): read-only."""

    list_display = ("date", "origine", "date_limite", "nb_salaries", "nb_fichiers_import")
    fields = ("date", "origine", "date_limite", "date_limite_imports", "nb_salaries", "nb_fichiers_import", "detail")
    readonly_fields = fields

    def has_module_permission(self, request):
        return est_dpo(request.user)

    def has_view_permission(self, request, obj=None):
        return est_dpo(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
