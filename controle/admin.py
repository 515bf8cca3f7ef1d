from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from .models import CampagneControle, ChangementPhase, ControleEmbauche, ControleSiae, Justificatif, Sanction


class ChangementPhaseInline(admin.TabularInline):
    model = ChangementPhase
    extra = 0
    readonly_fields = ["phase", "date", "auteur"]
    can_delete = False


class ControleSiaeInline(admin.TabularInline):
    model = ControleSiae
    extra = 0
    fields = ["siae", "nb_auto_prescriptions", "resultat"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(CampagneControle)
class CampagneControleAdmin(admin.ModelAdmin):
    list_display = ["annee", "departement", "phase", "part_siae", "nb_siae_eligibles", "date_creation"]
    list_filter = ["phase", "departement", "annee"]
    readonly_fields = ["graine", "nb_siae_eligibles", "auteur", "date_creation"]
    inlines = [ChangementPhaseInline, ControleSiaeInline]


class ControleEmbaucheInline(admin.TabularInline):
    model = ControleEmbauche
    extra = 0
    fields = ["parcours", "decision", "motif_refus", "decideur", "date_decision"]
    readonly_fields = ["parcours", "decideur", "date_decision"]
    can_delete = False


class SanctionInline(admin.TabularInline):
    """A sanction is withdrawn on the campaign's page, where it stays, marked withdrawn: never deleted here."""

    model = Sanction
    extra = 0
    readonly_fields = ["auteur", "date_decision", "retire_le", "retire_par"]
    can_delete = False

    def get_queryset(self, request):
        return Sanction.tous.all()


@admin.register(ControleSiae)
class ControleSiaeAdmin(admin.ModelAdmin):
    list_display = ["siae", "campagne", "resultat", "nb_auto_prescriptions"]
    list_filter = ["resultat", "campagne__annee", "campagne__departement"]
    search_fields = ["siae__nom", "siae__siret"]
    list_select_related = ["siae", "campagne"]
    readonly_fields = ["campagne", "siae", "nb_auto_prescriptions", "date_resultat", "auteur_resultat"]
    inlines = [ControleEmbaucheInline, SanctionInline]


@admin.register(Justificatif)
class JustificatifAdmin(admin.ModelAdmin):
    """The file is downloaded through the scoped view, never through MEDIA_URL (which is not served)."""

    list_display = ["nom_fichier", "embauche", "taille", "date_depot", "auteur"]
    list_select_related = ["embauche__parcours__salarie", "embauche__parcours__siae", "auteur"]
    fields = ["embauche", "nom_fichier", "telechargement", "taille", "auteur", "date_depot"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description="fichier")
    def telechargement(self, justificatif):
        try:
            adresse = reverse("controle:justificatif", args=[justificatif.pk])
        except NoReverseMatch:
            return "–"
        return format_html('<a href="{}">Télécharger</a>', adresse)
