import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, ListView

from base.departements import DEPARTEMENTS
from base.vues import AgentRequisMixin, PerimetreMixin
from siae.models import Siae

from . import services
from .filters import AnnexeFilter, choix_des_annees
from .forms import AnnexeForm, AvenantForm, EtatForm
from .models import AnnexeFinanciere
from .queries import annexes_du_departement


class AnnexeListe(PerimetreMixin, ListView):
    model = AnnexeFinanciere
    paginate_by = 30
    template_name = "conventions/annexe_liste.html"

    def get_queryset(self):
        self.filtre = AnnexeFilter(self.request.GET, queryset=super().get_queryset(), request=self.request)
        return self.filtre.qs.select_related("siae").order_by("-date_debut", "siae__nom", "numero")

    def get_context_data(self, **kwargs):
        perimetre = self.request.user.perimetre
        return super().get_context_data(
            filtre=self.filtre,
            peut_creer=perimetre.est_agent,
            plusieurs_departements=perimetre.administrateur or len(perimetre.departements) > 1,
            **kwargs,
        )


class AnnexeCreation(AgentRequisMixin, FormView):
    form_class = AnnexeForm
    template_name = "conventions/annexe_formulaire.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        siae = Siae.objects.gerees_par(self.request.user).filter(pk=self.request.GET.get("siae")).first()
        return {"siae": siae} if siae else {}

    def form_valid(self, form):
        try:
            annexe = services.creer_annexe(
                numero=form.cleaned_data["numero"],
                siae=form.cleaned_data["siae"],
                auteur=self.request.user,
                **form.valeurs(),
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
            return self.form_invalid(form)
        messages.success(self.request, f"L'annexe {annexe.numero} a été créée.")
        return redirect("pilotage:annexe", pk=annexe.pk)


class GestionAnnexeMixin(AgentRequisMixin):
    def get_annexe(self):
        return get_object_or_404(
            AnnexeFinanciere.objects.gerees_par(self.request.user).select_related("siae"), pk=self.kwargs["pk"]
        )


class AvenantCreation(GestionAnnexeMixin, FormView):
    form_class = AvenantForm
    template_name = "conventions/avenant_formulaire.html"

    def dispatch(self, request, *args, **kwargs):
        self.annexe = self.get_annexe()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "annexe": self.annexe}

    def get_context_data(self, **kwargs):
        return super().get_context_data(annexe=self.annexe, **kwargs)

    def form_valid(self, form):
        d = form.cleaned_data
        avenant = services.ajouter_avenant(
            self.annexe,
            mois_effet=d["mois_effet"],
            etp_conventionnes=d["etp_conventionnes"],
            date_fin=d["date_fin"],
            motif=d["motif"],
            auteur=self.request.user,
        )
        messages.success(self.request, f"L'avenant {avenant.numero} a été enregistré.")
        return redirect("pilotage:annexe", pk=self.annexe.pk)


class ChangementEtat(GestionAnnexeMixin, FormView):
    form_class = EtatForm
    http_method_names = ["post"]

    def get_form_kwargs(self):
        self.annexe = self.get_annexe()
        return {**super().get_form_kwargs(), "annexe": self.annexe}

    def form_valid(self, form):
        try:
            services.changer_etat(self.annexe, form.cleaned_data["etat"])
            messages.success(self.request, f"L'annexe est maintenant « {self.annexe.get_etat_display()} ».")
        except ValidationError as erreur:
            messages.error(self.request, " ".join(erreur.messages))
        return redirect("pilotage:annexe", pk=self.annexe.pk)

    def form_invalid(self, form):
        messages.error(self.request, "Ce changement d'état n'est pas possible.")
        return redirect("pilotage:annexe", pk=self.annexe.pk)


def annee_demandee(request) -> int:
    """The year asked for in the query string; the current one when missing or out of any plausible range."""
    try:
        annee = int(request.GET.get("annee", ""))
    except ValueError:
        return dt.date.today().year
    return annee if 2000 <= annee <= 2100 else dt.date.today().year


class ChoixDepartementMixin:
    """The département whose figures are shown: the user's own, or the one asked for among theirs."""

    def departement(self) -> str | None:
        perimetre = self.request.user.perimetre
        demande = self.request.GET.get("departement")
        if perimetre.administrateur:
            return demande or None
        disponibles = sorted(perimetre.departements)
        if demande in disponibles:
            return demande
        return disponibles[0] if disponibles else None

    def contexte_du_choix(self, annee: int) -> dict:
        """What the year and département selector (`commun/_choix_annee.html`) and the page titles need."""
        departement = self.departement()
        return {
            "annee": annee,
            "annee_texte": str(annee),
            "departement_requete": f"&departement={departement}" if departement else "",
            "annees": [a for a, _ in choix_des_annees()],
            "departement": departement,
            "nom_departement": DEPARTEMENTS.get(departement or "", ""),
            "departements": sorted(self.request.user.perimetre.departements),
        }

    def annexes(self, annee):
        perimetre = self.request.user.perimetre
        visibles = AnnexeFinanciere.objects.visible_to(self.request.user)
        departement = self.departement()
        if departement is None and not perimetre.administrateur:
            # SIAE staff: their own structures only.
            return annexes_du_departement(None, annee, base=visibles)
        return annexes_du_departement(departement, annee, base=visibles)
