from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, FormView, ListView

from base.vues import NominatifRequisMixin, PerimetreMixin

from .forms import ImportForm
from .models import Import, StatutImport, TypeImport
from .registre import importeur_pour
from .regles import etape, mesurable, texte_progression
from .services import preparer_import
from .tasks import executer_import_task

# SIAE staff bring their own people and months; the registry and the annexes are the DDETS's.
TYPES_STRUCTURE = (TypeImport.PARCOURS, TypeImport.DECLARATIONS)


def types_permis(user) -> list[str]:
    return list(TypeImport.values) if user.perimetre.est_agent else list(TYPES_STRUCTURE)


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
        return {**super().get_form_kwargs(), "types": types_permis(self.request.user)}

    def get_context_data(self, **kwargs):
        formats = []
        for type_ in types_permis(self.request.user):
            importeur = importeur_pour(type_)
            colonnes = [(c, c in importeur.colonnes_optionnelles) for c in importeur.colonnes]
            formats.append((TypeImport(type_).label, colonnes))
        return super().get_context_data(formats=formats, **kwargs)

    def form_valid(self, form):
        fichier = form.cleaned_data["fichier"]
        journal = preparer_import(form.cleaned_data["type"], fichier.name, fichier.read(), self.request.user)
        return redirect("imports:detail", pk=journal.pk)


def etat_d_avancement(journal: Import) -> dict:
    return {
        "statut": journal.statut,
        "statut_libelle": journal.get_statut_display(),
        "etape": etape(journal.lignes_traitees, journal.lignes_total),
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
        return super().get_context_data(avancement=etat_d_avancement(self.object), **kwargs)

    def post(self, request, *args, **kwargs):
        journal = get_object_or_404(self.get_queryset(), pk=kwargs["pk"], statut=StatutImport.ANALYSE)
        executer_import_task.delay(journal.pk)
        return redirect("imports:detail", pk=journal.pk)


class ImportAvancement(NominatifRequisMixin, PerimetreMixin, DetailView):
    """Where an import stands, in JSON: what its page polls while it runs."""

    model = Import

    def render_to_response(self, context, **response_kwargs):
        return JsonResponse(etat_d_avancement(self.object), headers={"Cache-Control": "no-store"})
