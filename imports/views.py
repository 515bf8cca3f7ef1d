from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from base.departements import DEPARTEMENTS
from base.exports import TYPE_XLSX
from base.taches import lancer, lancer_apres_commit
from base.vues import NominatifRequisMixin, PerimetreMixin

from .forms import ConfirmationForm, ImportForm, aide_archive, est_une_archive
from .modeles import modele_csv, modele_xlsx, nom_du_modele
from .models import Import, StatutImport, TypeImport
from .registre import importeur_pour
from .regles import etape, etape_d_archive, mesurable, progression, texte_progression, texte_progression_archive
from .services import confirmer_import, deposer_import, preparer_archive
from .tasks import analyser_import_task, executer_import_task

EN_ATTENTE = "Enregistrement demandé : en attente de son lancement…"

# SIAE staff bring their own people and months; the registry, the annexes and the ASP's fluxIAE are the DDETS's.
TYPES_STRUCTURE = (TypeImport.PARCOURS, TypeImport.DECLARATIONS)

# What each view of the fluxIAE becomes in Pilot'IAE (docs/fluxiae.md), in the order of an archive's table, from
# the structures to the months; a view not listed here is shown under its ASP name, after these.
VUES_FLUXIAE = {
    "Structure": "Structures (SIAE)",
    "AnnexeFinanciere": "Annexes financières",
    "Salarie": "Salariés et PASS IAE",
    "ContratMission": "Parcours (contrats)",
    "EtatMensuelIndiv": "Déclarations mensuelles (annexe et mois)",
    "RefMotifSort": "Motifs de sortie",
}


def types_permis(user) -> list[str]:
    return list(TypeImport.values) if user.perimetre.est_agent else list(TYPES_STRUCTURE)


def departements_d_archive(user) -> frozenset[str] | None:
    """The départements an archive uploaded by this agent may load: theirs; every one for an administrator."""
    perimetre = user.perimetre
    return None if perimetre.administrateur else perimetre.departements_ddets


def comptes_par_vue(journal: Import) -> list[dict]:
    """The rows of an archive's table: per view, what was (or would be) created, updated, left, and ignored why."""
    rangs = {vue: rang for rang, vue in enumerate(VUES_FLUXIAE)}
    lignes = []
    for vue, compte in sorted(journal.comptes_par_vue.items(), key=lambda item: (rangs.get(item[0], 99), item[0])):
        ignores = sorted(compte.get("ignores", {}).items(), key=lambda item: (-item[1], item[0]))
        lignes.append(
            {
                "vue": vue,
                "libelle": VUES_FLUXIAE.get(vue, vue),
                "crees": compte.get("crees", 0),
                "modifies": compte.get("modifies", 0),
                "inchanges": compte.get("inchanges", 0),
                "ignores": sum(n for _, n in ignores),
                "raisons": ignores,
            }
        )
    return lignes


def libelle_departements(journal: Import) -> str:
    if not journal.departements_demandes:
        return "tous les départements de l'archive"
    return ", ".join(f"{code} – {DEPARTEMENTS.get(code, code)}" for code in journal.departements_demandes)


class ImportListe(NominatifRequisMixin, PerimetreMixin, ListView):
    model = Import
    paginate_by = 30
    template_name = "imports/liste.html"

    def get_queryset(self):
        return super().get_queryset().select_related("auteur")


class ImportNouveau(NominatifRequisMixin, FormView):
    form_class = ImportForm
    template_name = "imports/nouveau.html"

    def get_initial(self):
        return {"type": self.request.GET.get("type")}

    def get_form_kwargs(self):
        user = self.request.user
        return {**super().get_form_kwargs(), "types": types_permis(user), "departements": departements_d_archive(user)}

    def get_context_data(self, **kwargs):
        # The columns of each table of rows; an archive has its own layout, the ASP's (docs/fluxiae.md).
        formats = []
        for type_ in types_permis(self.request.user):
            if est_une_archive(type_):
                continue
            importeur = importeur_pour(type_)
            colonnes = [(c, c in importeur.colonnes_optionnelles) for c in importeur.colonnes_du_modele()]
            formats.append(
                {
                    "type": type_,
                    "libelle": TypeImport(type_).label,
                    "colonnes": colonnes,
                    "explications": importeur.explications,
                    "codes": importeur.codes(),
                }
            )
        archives = [t for t in types_permis(self.request.user) if est_une_archive(t)]
        return super().get_context_data(formats=formats, archives=archives, aide_archive=aide_archive(), **kwargs)

    def form_valid(self, form):
        type_, fichier, user = form.cleaned_data["type"], form.cleaned_data["fichier"], self.request.user
        # Stored as uploaded, never read here: reading takes minutes for a national flux, and a small hostile file
        # can be built to take as long. The analysis is a task; the page follows it.
        if form.archive:
            journal = preparer_archive(type_, fichier.name, fichier, user, form.departements_charges())
        else:
            journal = deposer_import(type_, fichier.name, fichier, user)
        lancer_apres_commit(analyser_import_task, journal.pk)
        return redirect("imports:detail", pk=journal.pk)


class ImportModele(NominatifRequisMixin, View):
    """The template of one kind of import, CSV or XLSX, written from its importer's columns (imports/modeles.py);
    only the kinds the user may import, and no archive (its layout is the ASP's)."""

    FORMATS = {"csv": (modele_csv, "text/csv; charset=utf-8"), "xlsx": (modele_xlsx, TYPE_XLSX)}

    def get(self, request, type_, extension):
        if type_ not in types_permis(request.user) or est_une_archive(type_):
            raise Http404("Aucun modèle pour ce type d'import.")
        ecrire, content_type = self.FORMATS[extension]
        reponse = HttpResponse(ecrire(type_), content_type=content_type)
        reponse["Content-Disposition"] = f'attachment; filename="{nom_du_modele(type_, extension)}"'
        return reponse


def etat_d_avancement(journal: Import) -> dict:
    if journal.statut == StatutImport.ANALYSE:
        # Confirmed, and waiting for a worker to take it: what the preview measured is not its progress.
        return {
            "statut": journal.statut,
            "statut_libelle": journal.get_statut_display(),
            "archive": est_une_archive(journal.type),
            "etape": EN_ATTENTE,
            "mesurable": False,
            "progression": 0,
            "lignes_traitees": 0,
            "lignes_total": 0,
            "texte": "",
        }
    if est_une_archive(journal.type):
        # An archive reports the steps of its loading (rank of the step under way, number of steps).
        faites, total = journal.lignes_traitees, journal.lignes_total
        return {
            "statut": journal.statut,
            "statut_libelle": journal.get_statut_display(),
            "archive": True,
            "etape": etape_d_archive(faites, total),
            "mesurable": total > 0,
            "progression": progression(faites, total),
            "lignes_traitees": faites,
            "lignes_total": total,
            "texte": texte_progression_archive(faites, total),
        }
    return {
        "statut": journal.statut,
        "statut_libelle": journal.get_statut_display(),
        "etape": etape(journal.lignes_traitees, journal.lignes_total, journal.statut == StatutImport.EN_ANALYSE),
        "mesurable": mesurable(journal.lignes_traitees, journal.lignes_total),
        "progression": journal.progression,
        "lignes_traitees": journal.lignes_traitees,
        "lignes_total": journal.lignes_total,
        "texte": texte_progression(journal.lignes_traitees, journal.lignes_total),
    }


class ImportDetail(NominatifRequisMixin, PerimetreMixin, DetailView):
    model = Import
    template_name = "imports/detail.html"

    def get_context_data(self, **kwargs):
        # Confirmed a moment ago, not yet taken by a worker: the page follows it rather than offer the preview again.
        attente = self.object.statut == StatutImport.ANALYSE and "confirme" in self.request.GET
        contexte = {"avancement": etat_d_avancement(self.object), "attente": attente}
        if "confirmation" not in kwargs:
            contexte["confirmation"] = ConfirmationForm(avertissements=self.object.avertissements)
        if est_une_archive(self.object.type):
            contexte |= {
                "archive": True,
                "vues": comptes_par_vue(self.object),
                "departements_charges": libelle_departements(self.object),
            }
        return super().get_context_data(**contexte, **kwargs)

    def post(self, request, *args, **kwargs):
        # A preview left unconfirmed past the retention period has lost its file (docs/rgpd.md).
        journal = get_object_or_404(
            self.get_queryset(), pk=kwargs["pk"], statut=StatutImport.ANALYSE, donnees_effacees_le__isnull=True
        )
        confirmation = ConfirmationForm(request.POST, avertissements=journal.avertissements)
        if not confirmation.is_valid():
            self.object = journal
            return self.render_to_response(self.get_context_data(confirmation=confirmation))
        if journal.avertissements:
            confirmer_import(journal, request.user)
        lancer(executer_import_task, journal.pk)
        url = reverse("imports:detail", args=[journal.pk])
        # Inline (no worker) it is done already; a worker takes it a moment later: until then the page waits for it.
        en_attente = Import.objects.filter(pk=journal.pk, statut=StatutImport.ANALYSE).exists()
        return redirect(f"{url}?confirme=1" if en_attente else url)


class ImportAvancement(NominatifRequisMixin, PerimetreMixin, DetailView):
    """Where an import stands, in JSON: what its page polls while it runs."""

    model = Import

    def render_to_response(self, context, **response_kwargs):
        return JsonResponse(etat_d_avancement(self.object), headers={"Cache-Control": "no-store"})
