"""The Département's co-financing of bRSA in ACI: per annexe the co-financed amount, the target number of bRSA per
month and the bRSA actually employed; and the dated RSA table agents maintain (docs/decisions.md)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from aides_au_poste import queries_cofinancement as queries
from aides_au_poste.forms import MontantRsaForm
from aides_au_poste.models import MontantRsa
from aides_au_poste.queries import annexes_de_l_annee
from aides_au_poste.regles import arrondi_euro
from aides_au_poste.regles_cofinancement import TAUX_PRISE_EN_CHARGE
from aides_au_poste.services import ajouter_montant_rsa
from base.exports import (
    DECIMAL,
    ENTIER,
    MOIS,
    MONTANT,
    TEXTE,
    Colonne,
    Tableau,
    filtres_de_la_page,
    format_demande,
    reponse_tableaux,
)
from base.formulaires import reporter_refus
from base.vues import AgentRequisMixin
from comptes.choix import annee_demandee
from conventions.choix import ChoixAnnexesMixin
from conventions.models import AnnexeFinanciere

COLONNES_EXPORT = [
    Colonne("structure", "Structure", TEXTE),
    Colonne("annexe", "Annexe", TEXTE, 22),
    Colonne("mois", "Mois", MOIS, 16),
    Colonne("montant_cofinance", "Montant cofinancé", MONTANT),
    Colonne("rsa_forfaitaire", "RSA forfaitaire", MONTANT),
    Colonne("pris_en_charge_par_brsa", "Pris en charge par bRSA", MONTANT),
    Colonne("cible_brsa", "Cible (bRSA par mois)", DECIMAL),
    Colonne("brsa_employes", "bRSA employés", ENTIER),
]


class Cofinancement(ChoixAnnexesMixin, TemplateView):
    """Aggregated counts, not nominative: the DDETS and CDIAE of the département, the structure's own staff."""

    template_name = "aides_au_poste/cofinancement.html"

    def get(self, request, *args, **kwargs):
        format_ = format_demande(request)
        if format_ is None:
            return super().get(request, *args, **kwargs)
        annee = annee_demandee(request)
        cofinancements = queries.cofinancement_des_annexes(annexes_de_l_annee(self.annexes(annee), annee))
        lignes = [
            {
                "structure": c.nom,
                "annexe": c.numero,
                "mois": m.mois,
                "montant_cofinance": arrondi_euro(c.montant),
                "rsa_forfaitaire": m.rsa.montant if m.rsa else None,
                "pris_en_charge_par_brsa": arrondi_euro(m.cout_mensuel),
                "cible_brsa": round(m.cible, 2),
                "brsa_employes": m.brsa,
            }
            for c in cofinancements
            for m in c.mois
        ]
        departement = self.departement()
        tableau = Tableau(
            f"Cofinancement bRSA {annee}", COLONNES_EXPORT, lignes, filtres_de_la_page(annee, departement)
        )
        return reponse_tableaux(format_, [tableau], f"cofinancement-brsa-{annee}-{departement or 'tous'}")

    def get_context_data(self, **kwargs):
        annee = annee_demandee(self.request)
        rsa = queries.table_rsa()
        cofinancements = queries.cofinancement_des_annexes(annexes_de_l_annee(self.annexes(annee), annee), rsa)
        return super().get_context_data(
            **self.contexte_du_choix(annee),
            cofinancements=cofinancements,
            total=queries.total(cofinancements),
            taux_prise_en_charge=TAUX_PRISE_EN_CHARGE,
            dernier_rsa=rsa[-1] if rsa else None,
            **kwargs,
        )


class CofinancementAnnexe(TemplateView):
    template_name = "aides_au_poste/cofinancement_annexe.html"

    def get_context_data(self, **kwargs):
        annexe = get_object_or_404(
            AnnexeFinanciere.objects.visible_to(self.request.user).select_related("siae"), pk=self.kwargs["pk"]
        )
        trouves = queries.cofinancement_des_annexes(AnnexeFinanciere.objects.filter(pk=annexe.pk))
        return super().get_context_data(
            annexe=annexe,
            cofinancement=trouves[0] if trouves else None,
            taux_prise_en_charge=TAUX_PRISE_EN_CHARGE,
            **kwargs,
        )


class MontantsRsa(AgentRequisMixin, TemplateView):
    """The RSA table is national: every DDETS agent may add a revaluation, with its source; a wrong row is
    corrected in the administration."""

    template_name = "aides_au_poste/montants_rsa.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lignes=MontantRsa.objects.select_related("auteur"),
            form=kwargs.pop("form", None) or MontantRsaForm(),
            taux_prise_en_charge=TAUX_PRISE_EN_CHARGE,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = MontantRsaForm(request.POST)
        if form.is_valid():
            try:
                ligne = ajouter_montant_rsa(**form.cleaned_data, auteur=request.user)
            except ValidationError as erreur:
                reporter_refus(form, erreur)
            else:
                messages.success(request, f"Le montant du RSA au {ligne.date_effet:%d/%m/%Y} a été enregistré.")
                return redirect("aides_au_poste:rsa")
        return self.render_to_response(self.get_context_data(form=form))
