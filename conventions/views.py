from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, ListView

from base.vues import AgentRequisMixin, PerimetreMixin
from siae.models import Siae

from . import services
from .filters import AnnexeFilter
from .forms import AnnexeForm, AvenantForm, EtatForm
from .models import AnnexeFinanciere


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
        demandee = self.request.GET.get("siae", "")
        # An id typed in the address that is no number is no structure (it made a 500).
        siae = None
        if demandee.isascii() and demandee.isdigit() and len(demandee) < 19:
            siae = Siae.objects.gerees_par(self.request.user).filter(pk=demandee).first()
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
        # The page's confirmation sends `confirme`; a bare post (an old page, a stray click) changes nothing.
        if self.request.POST.get("confirme") != "1":
            messages.warning(self.request, "Le changement d'état n'a pas été confirmé : l'annexe n'a pas changé.")
            return redirect("pilotage:annexe", pk=self.annexe.pk)
        try:
            services.changer_etat(self.annexe, form.cleaned_data["etat"])
            messages.success(self.request, f"L'annexe est maintenant « {self.annexe.get_etat_display()} ».")
        except ValidationError as erreur:
            messages.error(self.request, " ".join(erreur.messages))
        return redirect("pilotage:annexe", pk=self.annexe.pk)

    def form_invalid(self, form):
        messages.error(self.request, "Ce changement d'état n'est pas possible.")
        return redirect("pilotage:annexe", pk=self.annexe.pk)
