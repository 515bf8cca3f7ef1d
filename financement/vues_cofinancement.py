"""The Département's co-financing of bRSA in ACI: per annexe the co-financed amount, the target number of bRSA per
month and the bRSA actually employed; and the dated RSA table agents maintain (docs/decisions.md)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from conventions.models import AnnexeFinanciere
from conventions.views import ChoixDepartementMixin, annee_demandee
from iae.vues import AgentRequisMixin

from . import queries_cofinancement as queries
from .forms import MontantRsaForm
from .models import MontantRsa
from .queries import annexes_de_l_annee
from .regles_cofinancement import TAUX_PRISE_EN_CHARGE
from .services import ajouter_montant_rsa


class Cofinancement(ChoixDepartementMixin, TemplateView):
    """Aggregated counts, not nominative: the DDETS and CDIAE of the département, the structure's own staff."""

    template_name = "financement/cofinancement.html"

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
    template_name = "financement/cofinancement_annexe.html"

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

    template_name = "financement/montants_rsa.html"

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
                for champ, erreurs in erreur.message_dict.items():
                    for message in erreurs:
                        form.add_error(champ if champ in form.fields else None, message)
            else:
                messages.success(request, f"Le montant du RSA au {ligne.date_effet:%d/%m/%Y} a été enregistré.")
                return redirect("financement:rsa")
        return self.render_to_response(self.get_context_data(form=form))
