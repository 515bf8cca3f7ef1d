"""The DDETS cockpit page and its downloads (`?export=csv|xlsx&bloc=...`).

DDETS agents and CDIAE members see their département's (the CDIAE too: every figure is aggregated, the only names
are the structures'), administrators any département or the whole country; SIAE staff get 404, as for any page
reserved to other roles. Everything is read through `visible_to(user)`."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.views.generic import TemplateView

from base.departements import DEPARTEMENTS
from base.exports import FORMATS_D_EXPORT, Tableau, filtres_de_la_page, reponse_tableaux
from base.pages import PageEnCache
from comptes.choix import annee_demandee
from conventions.choix import ChoixAnnexesMixin
from financements.models import LigneFinancement
from indicateurs.queries import objectif_brsa_du_departement
from pilotage import cockpit as tableau_de_bord
from pilotage.colonnes_cockpit import COLONNES, lignes_typees
from pilotage.filters import CockpitFilter
from siae.models import Siae, TypeSiae


class Cockpit(PageEnCache, ChoixAnnexesMixin, TemplateView):
    """`/pilotage/?annee=&departement=&type=`: the blocks of `pilotage.cockpit`, each chart beside its table;
    `&export=csv|xlsx&bloc=<table>` downloads one table, `&export=xlsx` alone all of them, one sheet each.

    The page is served again from the shared cache while the data has not changed (`base.pages`): fifty agents
    opening it at once cost one rendering each, not fifty."""

    template_name = "pilotage/cockpit.html"

    def dispatch(self, request, *args, **kwargs):
        perimetre = request.user.perimetre
        if not (perimetre.administrateur or perimetre.departements):
            raise Http404("Page réservée aux agents de la DDETS et aux membres du CDIAE.")
        return super().dispatch(request, *args, **kwargs)

    def departements_au_choix(self, annee: int) -> list[str]:
        perimetre = self.request.user.perimetre
        return sorted(DEPARTEMENTS) if perimetre.administrateur else sorted(perimetre.departements)

    def preparer(self):
        user = self.request.user
        self.annee = annee_demandee(self.request)
        self.departement_choisi = self.departement()
        self.filtre = CockpitFilter(
            {
                "annee": str(self.annee),
                "departement": self.departement_choisi or "",
                "type": self.request.GET.get("type", ""),
            },
            queryset=Siae.objects.visible_to(user),
            request=self.request,
            annee=self.annee,
            departements=self.departements_au_choix(self.annee),
        )
        structures = self.filtre.qs
        self.type_siae = self.filtre.form.cleaned_data.get("type") or None
        annexes = self.annexes(self.annee)
        if self.type_siae:
            annexes = annexes.filter(siae__type=self.type_siae)
        lignes = LigneFinancement.objects.visible_to(user)
        if self.departement_choisi:
            lignes = lignes.filter(departement=self.departement_choisi)
        if self.type_siae:
            lignes = lignes.filter(siae_concernee__type=self.type_siae)
        self.cockpit = tableau_de_bord.Cockpit(
            annexes,
            structures,
            self.annee,
            lignes_financement=lignes,
            objectif_brsa=objectif_brsa_du_departement(self.departement_choisi, self.annee),
        )

    def get(self, request, *args, **kwargs):
        format_ = request.GET.get("export")
        if format_:
            self.preparer()
            return self.exporter(format_, request.GET.get("bloc") or None)
        return super().get(request, *args, **kwargs)

    def nom_de_fichier(self, bloc: str | None) -> str:
        parties = ["cockpit", self.departement_choisi or "france", str(self.annee), self.type_siae, bloc]
        return "-".join(p.lower() for p in parties if p)

    def tableau_exporte(self, bloc: str) -> Tableau:
        return Tableau(
            tableau_de_bord.TABLEAUX[bloc],
            COLONNES[bloc],
            lignes_typees(bloc, self.cockpit.tableau(bloc)),
            filtres_de_la_page(self.annee, self.departement_choisi, type=self.type_siae),
        )

    def exporter(self, format_: str, bloc: str | None) -> HttpResponse:
        """One table as CSV or XLSX, or (XLSX only) every table, one sheet each."""
        if bloc is not None and bloc not in tableau_de_bord.TABLEAUX:
            raise Http404("Tableau inconnu.")
        if format_ not in FORMATS_D_EXPORT or (format_ == "csv" and bloc is None):
            raise Http404("Format d'export inconnu.")
        blocs = [bloc] if bloc else list(tableau_de_bord.TABLEAUX)
        return reponse_tableaux(format_, [self.tableau_exporte(b) for b in blocs], self.nom_de_fichier(bloc))

    def get_context_data(self, **kwargs):
        self.preparer()
        c = self.cockpit
        parametres = {"annee": self.annee}
        if self.departement_choisi:
            parametres["departement"] = self.departement_choisi
        if self.type_siae:
            parametres["type"] = self.type_siae
        perimetre = self.request.user.perimetre
        return super().get_context_data(
            **self.contexte_du_choix(self.annee, self.departement_choisi),
            cockpit=c,
            type_siae=self.type_siae,
            libelle_type=TypeSiae(self.type_siae).label if self.type_siae else "",
            filtre=self.filtre,
            choix_departement=perimetre.administrateur or len(perimetre.departements) > 1,
            est_agent=perimetre.est_agent,
            peut_generer_bilan=perimetre.gere_le_departement(self.departement_choisi),
            parametres=urlencode(parametres),
            parametres_annee_departement=urlencode({k: v for k, v in parametres.items() if k != "type"}),
            graphiques=tableau_de_bord.graphiques_du_cockpit(c),
            **kwargs,
        )
