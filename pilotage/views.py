from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from iae.departements import DEPARTEMENTS

from .queries import structures_par_type, structures_visibles


class Accueil(TemplateView):
    """The home page of each role: the département's figures for agents and CDIAE members, the structure's own
    for SIAE staff."""

    template_name = "pilotage/accueil.html"

    def get_context_data(self, **kwargs):
        contexte = super().get_context_data(**kwargs)
        user = self.request.user
        perimetre = user.perimetre
        visibles = structures_visibles(user)
        contexte.update(
            perimetre=perimetre,
            departements=[(code, DEPARTEMENTS[code]) for code in sorted(perimetre.departements)],
            par_type=structures_par_type(visibles),
            mes_structures=list(visibles.filter(pk__in=perimetre.siae_ids)) if perimetre.siae_ids else [],
        )
        return contexte


@method_decorator(login_not_required, name="dispatch")
class DonneesPersonnelles(TemplateView):
    template_name = "pilotage/donnees_personnelles.html"


@login_not_required
def sante(request):
    """For the load balancer and the container healthcheck: the database answers."""
    with connection.cursor() as curseur:
        curseur.execute("SELECT 1")
    return JsonResponse({"statut": "ok"})
