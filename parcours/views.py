from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import ListView, TemplateView

from base.vues import NominatifRequisMixin

from .filters import ParcoursFilter
from .forms import SalarieForm, SituationForm
from .models import Parcours
from .services import modifier_salarie_et_situation


class SalarieListe(NominatifRequisMixin, ListView):
    """The parcours of the structures whose people the user may see (never CDIAE members)."""

    model = Parcours
    paginate_by = 50
    template_name = "parcours/liste.html"

    def get_queryset(self):
        visibles = Parcours.objects.visible_to(self.request.user)
        self.filtre = ParcoursFilter(self.request.GET, queryset=visibles, request=self.request)
        return self.filtre.qs.select_related("salarie", "siae", "pass_iae", "motif_sortie").order_by(
            "salarie__nom", "salarie__prenom", "-date_embauche"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(filtre=self.filtre, **kwargs)


class ParcoursModification(NominatifRequisMixin, TemplateView):
    """A salarié's identity and situation at hire, corrected by their structure or the DDETS."""

    template_name = "parcours/modification.html"

    def dispatch(self, request, *args, **kwargs):
        # An anonymised salarié is past correction: what is left of them only feeds the figures of past years.
        self.parcours = get_object_or_404(
            Parcours.objects.de_la_structure(request.user)
            .filter(salarie__date_anonymisation__isnull=True)
            .select_related("salarie", "siae"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def formulaires(self):
        donnees = self.request.POST if self.request.method == "POST" else None
        return (
            SalarieForm(donnees, instance=self.parcours.salarie, prefix="salarie"),
            SituationForm(donnees, instance=self.parcours, prefix="situation"),
        )

    def get(self, request, *args, **kwargs):
        salarie, situation = self.formulaires()
        return self.render_to_response({"parcours": self.parcours, "salarie": salarie, "situation": situation})

    def post(self, request, *args, **kwargs):
        salarie, situation = self.formulaires()
        if salarie.is_valid() and situation.is_valid():
            modifier_salarie_et_situation(salarie, situation)
            messages.success(request, "Les informations du salarié ont été enregistrées.")
            return redirect("pilotage:salarie", pk=self.parcours.salarie_id)
        return self.render_to_response({"parcours": self.parcours, "salarie": salarie, "situation": situation})


# The PASS IAE's life and the parcours's contracts and exit: written by the structure or the DDETS of its
# département (`de_la_structure`), anyone else gets 404.
