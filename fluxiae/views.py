import datetime as dt

from django.views.generic import TemplateView

from base.vues import AgentRequisMixin
from comptes.choix import ChoixDepartementMixin, annee_demandee
from conventions.models import AnnexeFinanciere
from conventions.queries import annexes_du_departement

from .queries import ecarts


class Ecarts(AgentRequisMixin, ChoixDepartementMixin, TemplateView):
    """The months of the year declared both in Pilot'IAE and to the ASP whose hours, salariés or exits differ,
    person by person: what the DDETS checks before the ASP pays on its own figures."""

    template_name = "fluxiae/ecarts.html"

    def get_context_data(self, **kwargs):
        annee = annee_demandee(self.request)
        departement = self.departement()
        visibles = AnnexeFinanciere.objects.visible_to(self.request.user)
        annexes = annexes_du_departement(departement, annee, base=visibles)
        mois = ecarts(annexes, dt.date(annee, 1, 1), dt.date(annee, 12, 1))
        return super().get_context_data(mois_en_ecart=mois, **self.contexte_du_choix(annee, departement), **kwargs)
