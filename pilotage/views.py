from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from base.departements import DEPARTEMENTS
from comptes.choix import ChoixDepartementMixin, annee_demandee
from pilotage.queries import structures_par_type, structures_visibles
from pilotage.queries_accueil import bilans_du_departement, blocs_siae, chiffres_du_departement, taches_de_l_agent


class Accueil(ChoixDepartementMixin, TemplateView):
    """The home page of each role: the département's figures and tools for agents; for SIAE staff, one block per
    structure with its own figures, its declarations to send, its objectives and its aides au poste; for CDIAE
    members, the département's aggregated figures and bilans, nothing about a person."""

    template_name = "pilotage/accueil.html"

    def departements_au_choix(self, annee: int) -> list[str]:
        """The CDIAE seats whose figures the member sees here (an agent of the département has the cockpit
        instead)."""
        perimetre = self.request.user.perimetre
        return sorted(perimetre.departements_cdiae - perimetre.departements_ddets)

    def departement(self) -> str | None:
        sieges = self.departements_au_choix(annee_demandee(self.request))
        demande = self.request.GET.get("departement")
        return demande if demande in sieges else (sieges[0] if sieges else None)

    def get_context_data(self, **kwargs):
        contexte = super().get_context_data(**kwargs)
        user = self.request.user
        perimetre = user.perimetre
        visibles = structures_visibles(user)
        annee = annee_demandee(self.request)
        # The selector chooses among the CDIAE seats; the year is every block's.
        choix = self.contexte_du_choix(annee)
        departement_cdiae = choix["departement"]
        contexte.update(
            **choix,
            perimetre=perimetre,
            mes_departements=[(code, DEPARTEMENTS[code]) for code in sorted(perimetre.departements)],
            par_type=structures_par_type(visibles),
            mes_structures=list(visibles.filter(pk__in=perimetre.siae_ids)) if perimetre.siae_ids else [],
            blocs_siae=blocs_siae(user, perimetre.siae_ids, annee) if perimetre.siae_ids else [],
            cdiae=chiffres_du_departement(user, departement_cdiae, annee) if departement_cdiae else None,
            bilans=bilans_du_departement(user, departement_cdiae) if departement_cdiae else [],
            taches=taches_de_l_agent(user) if perimetre.est_agent else [],
        )
        return contexte


@method_decorator(login_not_required, name="dispatch")
class DonneesPersonnelles(TemplateView):
    template_name = "pilotage/donnees_personnelles.html"


@method_decorator(login_not_required, name="dispatch")
class Accessibilite(TemplateView):
    """The accessibility declaration the RGAA requires of a State service, linked from every page's footer."""

    template_name = "pilotage/accessibilite.html"


@method_decorator(login_not_required, name="dispatch")
class MentionsLegales(TemplateView):
    template_name = "pilotage/mentions_legales.html"


@login_not_required
def sante(request):
    """For the load balancer and the container healthcheck: the database answers."""
    with connection.cursor() as curseur:
        curseur.execute("SELECT 1")
    return JsonResponse({"statut": "ok"})
