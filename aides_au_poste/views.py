"""Pages of the aides au poste: a département's year by kind and structure, one annexe with how every amount is
computed, and the simulation of a revaluation (docs/decisions.md)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from base.exports import MONTANT, TEXTE, Colonne, Tableau, filtres_de_la_page, format_demande, reponse_tableaux
from base.vues import AgentRequisMixin, lignes_affichees
from comptes.choix import ChoixDepartementMixin, annee_demandee
from conventions.choix import ChoixAnnexesMixin
from conventions.models import AnnexeFinanciere

from . import queries
from .forms import RevalorisationForm
from .models import BaremeAideAuPoste
from .regles import LigneBareme, arrondi_euro
from .services import ajouter_ligne_bareme

COLONNES_EXPORT = [
    Colonne("siret", "SIRET", TEXTE, 16),
    Colonne("structure", "Structure", TEXTE),
    Colonne("type", "Type", TEXTE, 10),
    Colonne("annexe", "Annexe", TEXTE, 22),
    Colonne("socle_conventionne", "Socle conventionné", MONTANT),
    Colonne("modulation", "Modulation", MONTANT),
    Colonne("total_conventionne", "Total conventionné", MONTANT),
    Colonne("du", "Dû", MONTANT),
    Colonne("verse", "Versé", MONTANT),
    Colonne("verse_modulation", "dont modulation versée", MONTANT),
    Colonne("ecart", "Écart", MONTANT),
]


def lignes_d_export(aides) -> list[dict]:
    """One row per annexe, amounts to the cent as on the page (numbers in the spreadsheet)."""
    return [
        {
            "siret": a.siret,
            "structure": a.nom,
            "type": a.type,
            "annexe": a.numero,
            "socle_conventionne": arrondi_euro(a.socle_conventionne),
            "modulation": arrondi_euro(a.modulation),
            "total_conventionne": a.total_conventionne,
            "du": arrondi_euro(a.du),
            "verse": a.verse,
            "verse_modulation": a.verse_modulation,
            "ecart": arrondi_euro(a.ecart),
        }
        for a in aides
    ]


class AidesAuPoste(ChoixAnnexesMixin, TemplateView):
    """By kind (then TOTAL) and by structure: socle, modulation, total conventionné, dû, versé, écart.

    Aggregated amounts, not nominative: the DDETS and CDIAE of the département, the structure's own staff."""

    template_name = "aides_au_poste/aides_au_poste.html"

    def get(self, request, *args, **kwargs):
        format_ = format_demande(request)
        if format_ is None:
            return super().get(request, *args, **kwargs)
        annee = annee_demandee(request)
        lignes = lignes_d_export(queries.aides_calculees(queries.annexes_de_l_annee(self.annexes(annee), annee)))
        departement = self.departement()
        tableau = Tableau(f"Aides au poste {annee}", COLONNES_EXPORT, lignes, filtres_de_la_page(annee, departement))
        return reponse_tableaux(format_, [tableau], f"aides-au-poste-{annee}-{departement or 'tous'}")

    def get_context_data(self, **kwargs):
        annee = annee_demandee(self.request)
        annexes = queries.annexes_de_l_annee(self.annexes(annee), annee)
        aides = queries.aides_calculees(annexes)
        par_siae = queries.par_siae(aides)
        nationales = self.departement() is None and self.request.user.perimetre.administrateur
        annexes_affichees, annexes_non_affichees = lignes_affichees(aides, nationales)
        siae_affichees, siae_non_affichees = lignes_affichees(par_siae, nationales)
        return super().get_context_data(
            **self.contexte_du_choix(annee),
            par_type=queries.par_type(aides),
            par_siae=par_siae,
            par_siae_affichees=siae_affichees,
            par_siae_non_affichees=siae_non_affichees,
            annexes=aides,
            annexes_affichees=annexes_affichees,
            annexes_non_affichees=annexes_non_affichees,
            **kwargs,
        )


class AideAnnexe(TemplateView):
    """One annexe: every amount with its months, ETP, rate and barème row, and the regularisation points."""

    template_name = "aides_au_poste/aide_annexe.html"

    def get_context_data(self, **kwargs):
        annexe = get_object_or_404(
            AnnexeFinanciere.objects.visible_to(self.request.user).select_related("siae"), pk=self.kwargs["pk"]
        )
        aide = queries.aides_des_annexes(AnnexeFinanciere.objects.filter(pk=annexe.pk))[0]
        dernier = aide.dernier_mois_declare
        return super().get_context_data(
            annexe=annexe,
            aide=aide,
            detail=aide.detail,
            regularisations=[(p, dernier is not None and p.mois <= dernier) for p in aide.regularisations],
            versements=list(annexe.versements.order_by("date", "nature")),
            lignes_bareme=sorted({m.ligne for m in aide.detail if m.ligne}, key=lambda ligne: ligne.date_effet),
            **kwargs,
        )


class Revalorisation(AgentRequisMixin, ChoixDepartementMixin, TemplateView):
    """The impact of a hypothetical barème row on the annexes of the département, before anything is saved.
    Agents simulate; only administrators save the row (with its source), as in the administration."""

    template_name = "aides_au_poste/revalorisation.html"

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or RevalorisationForm(self.request.GET or None)
        contexte = {"form": form, "peut_enregistrer": self.request.user.perimetre.administrateur}
        # After a refused save (no source), the simulation stays on screen with the error beside the source.
        simulable = form.is_bound and (form.is_valid() or {"type", "date_effet", "montant"} <= set(form.cleaned_data))
        if simulable:
            d = form.cleaned_data
            nouvelle = LigneBareme(d["date_effet"], d["montant"], d.get("source", ""))
            visibles = AnnexeFinanciere.objects.visible_to(self.request.user).actives()
            departement = self.departement()
            if departement:
                visibles = visibles.filter(siae__departement=departement)
            mois_courant = dt.date.today().replace(day=1)
            impacts = queries.impact_revalorisation(visibles, nouvelle, d["type"], mois_courant)
            contexte.update(
                simulation=True,
                mois_courant=mois_courant,
                impacts=impacts,
                par_siae=queries.impact_par(impacts, lambda i: (i.siae_id, i.nom)),
                par_type=queries.impact_par(impacts, lambda i: (i.type, i.type)),
                total=queries.impact_total(impacts),
                existante=BaremeAideAuPoste.objects.filter(type=d["type"], date_effet=d["date_effet"]).first(),
                departement=departement,
            )
        return super().get_context_data(**contexte, **kwargs)

    def post(self, request, *args, **kwargs):
        if not request.user.perimetre.administrateur:
            raise Http404("L'enregistrement d'une ligne du barème est réservé aux administrateurs.")
        form = RevalorisationForm(request.POST)
        if form.is_valid() and not form.cleaned_data["source"]:
            form.add_error("source", "Indiquez l'arrêté qui fixe le montant.")
        if form.is_valid():
            d = form.cleaned_data
            try:
                ligne = ajouter_ligne_bareme(
                    type=d["type"],
                    date_effet=d["date_effet"],
                    montant=d["montant"],
                    source=d["source"],
                    auteur=request.user,
                )
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                messages.success(request, f"La ligne du barème {ligne} a été enregistrée.")
                return redirect("aides_au_poste:revalorisation")
        return self.render_to_response(self.get_context_data(form=form))
