"""The page « Historique » of a département and its export: the DDETS of the département (and the administrators)
read who changed what, when, from which value to which. Read-only: nothing here writes, and the trail accepts no
change anyway (base/historique.py). Another département answers 404, as everything out of scope."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.views import View
from django.views.generic import TemplateView

from base.calendrier import annees_proposees
from base.departements import DEPARTEMENTS
from base.exports import DATE_HEURE, TEXTE, Colonne, Tableau, filtres_de_la_page, reponse_tableaux
from base.vues import AgentRequisMixin
from comptes.choix import annee_demandee

from . import queries
from .sources import source, sources

PAR_PAGE = 50
# The rows' keys (`queries.COLONNES_EXPORT`) with their labels; the values before and after are texts as the page
# shows them (a field of any kind), the date a date and time.
LARGEURS = {"date": 20, "objet": 40, "avant": 30, "après": 30, "motif": 40}
COLONNES_EXPORT = [
    Colonne(cle, cle[0].upper() + cle[1:], DATE_HEURE if cle == "date" else TEXTE, LARGEURS.get(cle))
    for cle in queries.COLONNES_EXPORT
]


class HistoriqueAccueil(AgentRequisMixin, View):
    """The trail of the agent's département (the first one, for an agent of several)."""

    http_method_names = ["get"]

    def get(self, request):
        perimetre = request.user.perimetre
        departements = sorted(perimetre.departements_ddets) or sorted(DEPARTEMENTS)
        return redirect("historique:departement", departement=departements[0])


class HistoriqueMixin(AgentRequisMixin):
    def dispatch(self, request, *args, **kwargs):
        # A département that does not exist (an administrator manages them all) is no page either: its code, a NUL
        # byte say, would otherwise reach the database.
        if kwargs["departement"] not in DEPARTEMENTS:
            raise Http404("Département inconnu.")
        if request.user.is_authenticated and not request.user.perimetre.gere_le_departement(kwargs["departement"]):
            raise Http404("Historique d'un autre département.")
        return super().dispatch(request, *args, **kwargs)

    def filtres(self) -> tuple[int, str | None]:
        cle = self.request.GET.get("objet") or None
        return annee_demandee(self.request), (cle if cle and source(cle) else None)


class HistoriqueDepartement(HistoriqueMixin, TemplateView):
    template_name = "historique/liste.html"
    http_method_names = ["get"]

    def get_context_data(self, departement, **kwargs):
        annee, cle = self.filtres()
        page = Paginator(queries.entrees(departement, annee, cle), PAR_PAGE).get_page(self.request.GET.get("page"))
        parametres = {"annee": annee, **({"objet": cle} if cle else {})}
        return super().get_context_data(
            departement=departement,
            nom_departement=DEPARTEMENTS.get(departement, departement),
            departements=sorted(self.request.user.perimetre.departements_ddets),
            annee=annee,
            annees=annees_proposees(),
            objet=cle or "",
            objets=[(s.cle, s.libelle) for s in sources()],
            page_obj=page,
            is_paginated=page.paginator.num_pages > 1,
            entrees=queries.detailler(list(page.object_list)),
            parametres_export=urlencode(parametres),
            **kwargs,
        )


class HistoriqueExport(HistoriqueMixin, View):
    """The year's trail (of one kind of object, when chosen) as CSV or XLSX: one line per field changed."""

    http_method_names = ["get"]

    def get(self, request, departement):
        annee, cle = self.filtres()
        lignes = queries.lignes_d_export(queries.detailler(list(queries.entrees(departement, annee, cle))))
        # Values typed by people (a libellé, a comment) never reach a spreadsheet as a formula: base.exports.
        filtres = filtres_de_la_page(annee, departement, objet=source(cle).libelle if cle else None)
        tableau = Tableau("Historique", COLONNES_EXPORT, lignes, filtres)
        format_ = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
        return reponse_tableaux(format_, [tableau], f"historique-{departement}-{annee}")
