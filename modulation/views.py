"""Pages of the modulation of the aide au poste: the département's annexes of a year with their proposal, decided
rate and amount against the envelope (DDETS agents), its export, and one annexe with the detail of its criteria,
the decision form and the history (the agents of its département; its own structure reads it).

The CDIAE sees none of it (404): the amounts are on the aides au poste pages, the instruction stays with the DDETS
and the structure concerned (docs/decisions.md)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View
from django.views.generic import TemplateView

from aides_au_poste.queries import annexes_de_l_annee
from base.departements import DEPARTEMENTS
from base.exports import Tableau, filtres_de_la_page, reponse_tableaux
from base.formats import arrondi, nombre_fr
from base.formulaires import reporter_refus
from base.vues import AgentRequisMixin, NominatifRequisMixin
from comptes.choix import ChoixDepartementMixin, annee_demandee
from conventions.models import AnnexeFinanciere
from conventions.queries import annexes_du_departement
from parcours.models import TypeActionInsertion
from siae.models import Siae

from . import queries, regles
from .exports import lignes_export
from .forms import DecisionForm, EnveloppeForm
from .services import ETATS_FIGES, decider_modulation, fixer_enveloppe

ACTIONS_EN_BREF = {
    TypeActionInsertion.FORMATION: "formations",
    TypeActionInsertion.PMSMP: "PMSMP",
    TypeActionInsertion.ACCOMPAGNEMENT_SOCIAL: "accompagnements sociaux",
    TypeActionInsertion.ACCOMPAGNEMENT_PROFESSIONNEL: "accompagnements professionnels",
}


def url_de_la_liste(annee: int, departement: str | None) -> str:
    parametres = {"annee": annee, **({"departement": departement} if departement else {})}
    return f"{reverse('modulation:liste')}?{urlencode(parametres)}"


def bareme_de_l_echelle() -> dict:
    """The targets and weights of the scale, as the page explains them."""
    return {
        "publics": [(court, cible, poids) for _, court, cible, poids in regles.CIBLES_PUBLICS.values()],
        "cible_salaries_avec_action": regles.CIBLE_SALARIES_AVEC_ACTION,
        "cible_heures_formation": regles.CIBLE_HEURES_FORMATION_PAR_ETP,
        "plafond_heures_formation": 2 * regles.CIBLE_HEURES_FORMATION_PAR_ETP,
        "plancher_sorties_dynamiques": regles.PLANCHER_SORTIES_DYNAMIQUES,
        "plancher_emploi_durable": regles.PLANCHER_EMPLOI_DURABLE,
        "poids_sorties_dynamiques": regles.POIDS_SORTIES_DYNAMIQUES,
        "poids_emploi_durable": regles.POIDS_EMPLOI_DURABLE,
    }


class ModulationDepartementMixin(AgentRequisMixin, ChoixDepartementMixin):
    """The annexes of the chosen département starting in the chosen year, among those whose instruction the user
    shares (the agents: their département's)."""

    def annexes_de_la_page(self, annee: int):
        base = AnnexeFinanciere.objects.de_la_structure(self.request.user)
        return annexes_de_l_annee(annexes_du_departement(self.departement(), annee, base=base), annee)

    def departement(self) -> str | None:
        perimetre = self.request.user.perimetre
        demande = self.request.GET.get("departement")
        if perimetre.administrateur:
            return demande if demande in DEPARTEMENTS else None
        disponibles = sorted(perimetre.departements_ddets)
        return demande if demande in disponibles else (disponibles[0] if disponibles else None)

    def departements_au_choix(self, annee: int) -> list[str]:
        perimetre = self.request.user.perimetre
        if perimetre.administrateur:
            return sorted(set(Siae.objects.values_list("departement", flat=True).distinct()))
        return sorted(perimetre.departements_ddets)


class Modulation(ModulationDepartementMixin, TemplateView):
    template_name = "modulation/liste.html"

    def get_context_data(self, **kwargs):
        annee = annee_demandee(self.request)
        departement = self.departement()
        lignes = queries.lignes_de_modulation(self.annexes_de_la_page(annee))
        totaux = queries.totaux(lignes)
        enveloppe = queries.enveloppe_de(departement, annee)
        peut_fixer = self.request.user.perimetre.gere_le_departement(departement)
        formulaire = kwargs.pop("formulaire_enveloppe", None)
        if formulaire is None and peut_fixer:
            formulaire = EnveloppeForm(initial={"montant": enveloppe.montant} if enveloppe else None)
        return super().get_context_data(
            **self.contexte_du_choix(annee, departement),
            annee_reference=annee - 1,
            lignes=lignes,
            totaux=totaux,
            enveloppe=enveloppe,
            bilan=queries.bilan_enveloppe(enveloppe, totaux),
            historique_enveloppe=(list(enveloppe.historique.select_related("history_user")) if enveloppe else []),
            formulaire_enveloppe=formulaire,
            echelle=bareme_de_l_echelle(),
            url_de_la_page=url_de_la_liste(annee, departement),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        """The envelope of the département and year of the page."""
        annee, departement = annee_demandee(request), self.departement()
        if not request.user.perimetre.gere_le_departement(departement):
            raise Http404("Enveloppe introuvable.")
        formulaire = EnveloppeForm(request.POST)
        if formulaire.is_valid():
            d = formulaire.cleaned_data
            try:
                fixer_enveloppe(departement, annee, d["montant"], request.user, d["commentaire"])
            except PermissionDenied as refus:
                raise Http404("Enveloppe introuvable.") from refus
            except ValidationError as refus:
                reporter_refus(formulaire, refus)
            else:
                messages.success(request, f"L'enveloppe de modulation {annee} est enregistrée.")
                return redirect(
                    f"{reverse('modulation:liste')}?{urlencode({'annee': annee, 'departement': departement})}"
                )
        return self.render_to_response(self.get_context_data(formulaire_enveloppe=formulaire))


class ModulationExport(ModulationDepartementMixin, View):
    """The page's table as CSV (`;`, UTF-8 with a BOM for spreadsheets) or XLSX (`?format=xlsx`)."""

    def get(self, request):
        annee = annee_demandee(request)
        departement = self.departement()
        colonnes, lignes = lignes_export(queries.lignes_de_modulation(self.annexes_de_la_page(annee)))
        tableau = Tableau(f"Modulation {annee}", colonnes, lignes, filtres_de_la_page(annee, departement))
        format_ = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
        return reponse_tableaux(format_, [tableau], f"modulation-{annee}-{departement or 'tous'}")


class ModulationAnnexe(NominatifRequisMixin, TemplateView):
    """One annexe: its proposal criterion by criterion with the data, the decision form (agents of its
    département), and every decision taken."""

    template_name = "modulation/annexe.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.annexe = get_object_or_404(
                AnnexeFinanciere.objects.de_la_structure(request.user).select_related("siae"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def ligne(self) -> queries.LigneModulation:
        return queries.lignes_de_modulation(AnnexeFinanciere.objects.filter(pk=self.annexe.pk))[0]

    def peut_decider(self) -> bool:
        return (
            self.annexe.etat not in ETATS_FIGES
            and AnnexeFinanciere.objects.gerees_par(self.request.user).filter(pk=self.annexe.pk).exists()
        )

    def get_context_data(self, **kwargs):
        ligne = kwargs.pop("ligne", None) or self.ligne()
        peut_decider = self.peut_decider()
        formulaire = kwargs.pop("formulaire", None)
        if formulaire is None and peut_decider:
            taux = ligne.proposition.taux if ligne.proposition.taux is not None else ligne.taux_annexe
            # To the tenth of a point, as the field takes it and the page shows the rate.
            formulaire = DecisionForm(initial={"taux": arrondi(taux * 100, 1)})
        effort = ligne.proposition.critere("effort")
        annee = self.annexe.date_debut.year
        return super().get_context_data(
            annexe=self.annexe,
            ligne=ligne,
            proposition=ligne.proposition,
            peut_decider=peut_decider,
            formulaire=formulaire,
            actions_par_type=self.actions_par_type(ligne),
            effort=effort,
            retour=url_de_la_liste(annee, self.annexe.siae.departement),
            echelle=bareme_de_l_echelle(),
            **kwargs,
        )

    def actions_par_type(self, ligne) -> list[tuple[str, int]]:
        """The actions begun in the reference year, per type."""
        return [(libelle, ligne.effort.actions.get(t, 0)) for t, libelle in ACTIONS_EN_BREF.items()]

    def post(self, request, *args, **kwargs):
        if not self.peut_decider():
            raise Http404("Décision réservée aux agents de la DDETS du département.")
        formulaire = DecisionForm(request.POST)
        ligne = self.ligne()
        if formulaire.is_valid():
            d = formulaire.cleaned_data
            try:
                decider_modulation(
                    self.annexe,
                    regles.taux_en_fraction(d["taux"]),
                    d["commentaire"],
                    request.user,
                    proposition=ligne.proposition,
                )
            except AnnexeFinanciere.DoesNotExist as refus:
                raise Http404("Annexe introuvable.") from refus
            except ValidationError as refus:
                reporter_refus(formulaire, refus)
            else:
                messages.success(
                    request, f"La modulation de l'annexe {self.annexe.numero} est fixée à {nombre_fr(d['taux'], 1)} %."
                )
                return redirect("modulation:annexe", pk=self.annexe.pk)
        return self.render_to_response(self.get_context_data(formulaire=formulaire, ligne=ligne))
