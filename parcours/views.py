from decimal import Decimal

from django.db.models import Sum
from django.views.generic import DetailView, ListView

from declarations.models import LigneDeclaration
from iae.vues import NominatifRequisMixin

from .filters import ParcoursFilter
from .models import Parcours, Salarie


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
