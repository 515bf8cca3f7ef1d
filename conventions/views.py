import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, FormView, ListView, TemplateView

from declarations.queries import suivi_des_declarations
from iae.departements import DEPARTEMENTS
from iae.vues import AgentRequisMixin, PerimetreMixin
from siae.models import Siae

from . import services
from .filters import AnnexeFilter, choix_des_annees
from .forms import AnnexeForm, AvenantForm, EtatForm
from .models import AnnexeFinanciere
from .queries import (
    Periode,
    annexes_du_departement,
    consommation_des_siae,
    consommation_mensuelle,
    consommation_par,
    consommation_par_type,
    periode_de_reference,
)


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


class AnnexeDetail(PerimetreMixin, DetailView):
    model = AnnexeFinanciere
    template_name = "conventions/annexe_detail.html"
    context_object_name = "annexe"

    def get_queryset(self):
        return super().get_queryset().select_related("siae", "convention")

    def get_context_data(self, **kwargs):
        annexe = self.object
        user = self.request.user
        periode = Periode(annexe.date_debut, annexe.date_fin.replace(day=1))
        mois = consommation_mensuelle(AnnexeFinanciere.objects.filter(pk=annexe.pk), periode)
        suivis = {s.mois: s for s in suivi_des_declarations([annexe.pk], periode.debut, periode.fin)}
        peut_gerer = AnnexeFinanciere.objects.gerees_par(user).filter(pk=annexe.pk).exists()
        peut_declarer = Siae.objects.avec_donnees_nominatives(user).filter(pk=annexe.siae_id).exists()
        return super().get_context_data(
            mois=[(ligne, suivis.get(ligne.mois)) for ligne in mois],
            avenants=annexe.avenants.select_related("auteur").order_by("rang_avenant", "rang_modification"),
            peut_gerer=peut_gerer,
            peut_declarer=peut_declarer,
            formulaire_etat=EtatForm(annexe=annexe) if peut_gerer else None,
            mois_courant=dt.date.today().replace(day=1),
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
        return redirect("conventions:annexe", pk=annexe.pk)


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
        return redirect("conventions:annexe", pk=self.annexe.pk)


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
        return redirect("conventions:annexe", pk=self.annexe.pk)

    def form_invalid(self, form):
        messages.error(self.request, "Ce changement d'état n'est pas possible.")
        return redirect("conventions:annexe", pk=self.annexe.pk)


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


TRIS = {
    "taux": lambda s: (s.reference.taux is None, s.reference.taux or 0, s.nom),
    "-taux": lambda s: (s.reference.taux is None, -(s.reference.taux or 0), s.nom),
    "nom": lambda s: s.nom.lower(),
    "type": lambda s: (s.type, s.nom.lower()),
    "etp": lambda s: (-s.reference.etp_conventionnes, s.nom.lower()),
}


class Consommation(ChoixDepartementMixin, TemplateView):
    """The département table by kind (as in the CDIAE bilan) and the structures sorted by rate."""

    template_name = "conventions/consommation.html"

    def get_context_data(self, **kwargs):
        annee = annee_demandee(self.request)
        annexes = self.annexes(annee)
        periode = periode_de_reference(annexes, annee)
        tri = self.request.GET.get("tri", "taux")
        structures = sorted(consommation_des_siae(annexes, annee), key=TRIS.get(tri, TRIS["taux"]))
        departement = self.departement()
        perimetre = self.request.user.perimetre
        # Nationally (administrators), the same figures per département.
        par_departement = []
        if departement is None and perimetre.administrateur:
            par_departement = sorted(
                (
                    (cle[0], DEPARTEMENTS.get(cle[0], ""), conso)
                    for cle, conso in consommation_par(annexes, periode, ["siae__departement"]).items()
                ),
                key=lambda ligne: ligne[0],
            )
        return super().get_context_data(
            par_departement=par_departement,
            **self.contexte_du_choix(annee),
            periode=periode,
            annee_complete=periode.nombre_de_mois == 12,
            par_type=consommation_par_type(annexes, periode),
            structures=structures,
            tri=tri,
            **kwargs,
        )


class ConsommationSiae(ChoixDepartementMixin, TemplateView):
    """One structure month by month."""

    template_name = "conventions/consommation_siae.html"

    def get_context_data(self, **kwargs):
        siae = get_object_or_404(Siae.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        annee = annee_demandee(self.request)
        annexes = AnnexeFinanciere.objects.visible_to(self.request.user).actives().filter(siae=siae)
        annexes = annexes_du_departement(None, annee, base=annexes)
        lignes = consommation_mensuelle(annexes, Periode.annee(annee))
        resume = next(iter(consommation_des_siae(annexes, annee)), None)
        return super().get_context_data(
            siae=siae,
            annee=annee,
            annees=[a for a, _ in choix_des_annees()],
            lignes=lignes,
            resume=resume,
            annexes=list(annexes.order_by("date_debut")),
            **kwargs,
        )
