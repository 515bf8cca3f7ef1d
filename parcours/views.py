from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import ListView, TemplateView

from base.exports import DATE, TEXTE, Colonne, Tableau, filtres_du_formulaire, format_demande, reponse_tableaux
from base.vues import AgentRequisMixin, NominatifRequisMixin

from .filters import ParcoursFilter
from .forms import SalarieForm, SituationForm
from .models import DiscordanceIdentite, Parcours
from .services import modifier_salarie_et_situation
from .services_identite import MESSAGE_NON_MODIFIABLE, identite_modifiable

# What the list shows, and no more: never the NIR nor the date of birth.
COLONNES_EXPORT = [
    Colonne("nom", "Nom", TEXTE, 24),
    Colonne("prenom", "Prénom", TEXTE, 20),
    Colonne("pass_iae", "PASS IAE", TEXTE, 16),
    Colonne("structure", "Structure", TEXTE, 36),
    Colonne("siret", "SIRET", TEXTE, 16),
    Colonne("date_embauche", "Embauche", DATE, 12),
    Colonne("date_sortie", "Sortie", DATE, 12),
    Colonne("motif_sortie", "Motif de sortie", TEXTE, 36),
]


class SalarieListe(NominatifRequisMixin, ListView):
    """The parcours of the structures whose people the user may see (never CDIAE members); `?export=csv|xlsx`
    downloads them all (every page of the list), in one query."""

    model = Parcours
    paginate_by = 50
    template_name = "parcours/liste.html"

    def get(self, request, *args, **kwargs):
        format_ = format_demande(request)
        if format_ is None:
            return super().get(request, *args, **kwargs)
        lignes = [
            {
                "nom": p.salarie.nom.upper(),
                "prenom": p.salarie.prenom,
                "pass_iae": p.pass_iae.numero if p.pass_iae_id else None,
                "structure": p.siae.nom,
                "siret": p.siae.siret,
                "date_embauche": p.date_embauche,
                "date_sortie": p.date_sortie,
                "motif_sortie": p.motif_sortie.libelle if p.motif_sortie_id else None,
            }
            for p in self.get_queryset()
        ]
        tableau = Tableau("Salariés en parcours", COLONNES_EXPORT, lignes, filtres_du_formulaire(self.filtre.form))
        return reponse_tableaux(format_, [tableau], "salaries-en-parcours")

    def get_queryset(self):
        visibles = Parcours.objects.visible_to(self.request.user)
        self.filtre = ParcoursFilter(self.request.GET, queryset=visibles, request=self.request)
        return self.filtre.qs.select_related("salarie", "siae", "pass_iae", "motif_sortie").order_by(
            "salarie__nom", "salarie__prenom", "-date_embauche"
        )

    def get_context_data(self, **kwargs):
        parametres = self.request.GET.copy()
        for cle in ("page", "export"):
            parametres.pop(cle, None)
        return super().get_context_data(filtre=self.filtre, requete_export=parametres.urlencode(), **kwargs)


class DiscordancesIdentite(AgentRequisMixin, ListView):
    """The DDETS: the parcours imports of its départements' structures whose lines carried a known PASS IAE number
    with another identity (parcours.services_identite), who sent them and when."""

    paginate_by = 50
    template_name = "parcours/discordances.html"

    def get_queryset(self):
        return DiscordanceIdentite.objects.gerees_par(self.request.user).select_related("auteur", "siae")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            maximum=settings.IDENTITE_DISCORDANCES_MAX, fenetre=settings.IDENTITE_DISCORDANCES_FENETRE_HEURES, **kwargs
        )


class ParcoursModification(NominatifRequisMixin, TemplateView):
    """A parcours's situation at hire, corrected by its structure or the DDETS; the salarié's identity too, for whom
    may change it (a DDETS agent of a département that follows the person, the structure that alone employed
    them): others see it read-only."""

    template_name = "parcours/modification.html"

    def dispatch(self, request, *args, **kwargs):
        # An anonymised salarié is past correction: what is left of them only feeds the figures of past years.
        self.parcours = get_object_or_404(
            Parcours.objects.de_la_structure(request.user)
            .filter(salarie__date_anonymisation__isnull=True)
            .select_related("salarie", "siae"),
            pk=kwargs["pk"],
        )
        self.identite_modifiable = identite_modifiable(request.user, self.parcours.salarie)
        return super().dispatch(request, *args, **kwargs)

    def formulaires(self):
        donnees = self.request.POST if self.request.method == "POST" else None
        salarie = self.parcours.salarie
        return (
            SalarieForm(
                donnees,
                instance=salarie,
                prefix="salarie",
                modifiable=self.identite_modifiable,
                embauches=salarie.parcours.values_list("date_embauche", flat=True),
            ),
            SituationForm(donnees, instance=self.parcours, prefix="situation"),
        )

    def contexte(self, salarie, situation):
        return {
            "parcours": self.parcours,
            "salarie": salarie,
            "situation": situation,
            "identite_modifiable": self.identite_modifiable,
            "identite_non_modifiable": MESSAGE_NON_MODIFIABLE,
        }

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.contexte(*self.formulaires()))

    def post(self, request, *args, **kwargs):
        salarie, situation = self.formulaires()
        if salarie.is_valid() and situation.is_valid():
            modifier_salarie_et_situation(
                salarie if self.identite_modifiable else None, situation, auteur=request.user
            )
            messages.success(request, "Les informations du salarié ont été enregistrées.")
            return redirect("pilotage:salarie", pk=self.parcours.salarie_id)
        return self.render_to_response(self.contexte(salarie, situation))


# The PASS IAE's life and the parcours's contracts and exit: written by the structure or the DDETS of its
# département (`de_la_structure`), anyone else gets 404.
