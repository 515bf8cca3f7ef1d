"""The DDETS cockpit page and its downloads (`?export=csv|xlsx&bloc=...`).

DDETS agents and CDIAE members see their département's (the CDIAE too: every figure is aggregated, the only names
are the structures'), administrators any département or the whole country; SIAE staff get 404, as for any page
reserved to other roles. Everything is read through `visible_to(user)`."""

import re
from decimal import Decimal
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.views.generic import TemplateView

from base.departements import DEPARTEMENTS
from base.exports import reponse_csv, reponse_xlsx
from base.pages import PageEnCache
from comptes.choix import annee_demandee
from conventions.choix import ChoixAnnexesMixin
from financements.models import LigneFinancement
from indicateurs.queries import objectif_brsa_du_departement
from pilotage import cockpit as tableau_de_bord
from pilotage.filters import CockpitFilter
from siae.models import Siae, TypeSiae

NOMBRE = re.compile(r"^-?\d+(\.\d+)?$")
# Columns of digits that are identifiers, not quantities: they stay text in a spreadsheet.
COLONNES_TEXTE = {"siret", "annexe", "mois", "type", "departement"}


def pour_tableur(lignes: list[dict]) -> list[dict]:
    """The exporter's decimal strings ("12.50") as numbers a spreadsheet can add up; the CSV keeps the strings."""
    return [
        {
            cle: Decimal(valeur)
            if isinstance(valeur, str) and cle not in COLONNES_TEXTE and NOMBRE.match(valeur)
            else valeur
            for cle, valeur in ligne.items()
        }
        for ligne in lignes
    ]


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

    def exporter(self, format_: str, bloc: str | None) -> HttpResponse:
        if bloc is not None and bloc not in tableau_de_bord.TABLEAUX:
            raise Http404("Tableau inconnu.")
        nom = self.nom_de_fichier(bloc)
        if format_ == "csv" and bloc is not None:
            return reponse_csv(self.cockpit.tableau(bloc), nom)
        if format_ == "xlsx":
            blocs = [bloc] if bloc else list(tableau_de_bord.TABLEAUX)
            return reponse_xlsx(
                {tableau_de_bord.TABLEAUX[b]: pour_tableur(self.cockpit.tableau(b)) for b in blocs}, nom
            )
        raise Http404("Format d'export inconnu.")

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
