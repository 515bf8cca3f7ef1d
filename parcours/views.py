from decimal import Decimal

from django.contrib import messages
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, TemplateView

from declarations.models import LigneDeclaration
from iae.vues import NominatifRequisMixin

from .filters import ParcoursFilter
from .forms import SalarieForm, SituationForm
from .models import Parcours, Salarie
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


class SalarieDetail(NominatifRequisMixin, DetailView):
    model = Salarie
    template_name = "parcours/detail.html"
    context_object_name = "salarie"

    def get_queryset(self):
        return Salarie.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        # Only the parcours the user may see: another structure's parcours of the same person stays hidden.
        parcours = list(
            Parcours.objects.visible_to(self.request.user)
            .filter(salarie=self.object)
            .select_related("siae", "pass_iae", "motif_sortie")
            .prefetch_related("contrats")
            .order_by("-date_embauche")
        )
        heures = (
            LigneDeclaration.objects.filter(parcours__in=parcours, declaration__retenue=True)
            .values("parcours_id", "declaration__mois")
            .annotate(heures=Sum("heures_travaillees"))
            .order_by("declaration__mois")
        )
        par_parcours = {}
        for ligne in heures:
            par_parcours.setdefault(ligne["parcours_id"], []).append((ligne["declaration__mois"], ligne["heures"]))
        return super().get_context_data(
            parcours=[
                (p, par_parcours.get(p.pk, []), sum((h for _, h in par_parcours.get(p.pk, [])), Decimal(0)))
                for p in parcours
            ],
            **kwargs,
        )


class ParcoursModification(NominatifRequisMixin, TemplateView):
    """A salarié's identity and situation at hire, corrected by their structure or the DDETS."""

    template_name = "parcours/modification.html"

    def dispatch(self, request, *args, **kwargs):
        self.parcours = get_object_or_404(
            Parcours.objects.de_la_structure(request.user).select_related("salarie", "siae"), pk=kwargs["pk"]
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
            return redirect("parcours:salarie", pk=self.parcours.salarie_id)
        return self.render_to_response({"parcours": self.parcours, "salarie": salarie, "situation": situation})
