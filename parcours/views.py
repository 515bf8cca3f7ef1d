from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import DetailView, FormView, ListView, TemplateView

from declarations.models import LigneDeclaration
from iae.formulaires import reporter_refus
from iae.vues import NominatifRequisMixin

from . import services_pass
from .chronologie import chronologie
from .filters import ParcoursFilter
from .forms import SalarieForm, SituationForm
from .forms_pass import (
    ContratForm,
    DecisionProlongationForm,
    DemandeProlongationForm,
    SortieForm,
    SuspensionForm,
)
from .models import Parcours, Prolongation, Salarie, StatutProlongation, Suspension
from .regles_pass import UN_JOUR, jour
from .services import modifier_salarie_et_situation


class SalarieListe(NominatifRequisMixin, ListView):
    """The parcours of the structures whose people the user may see (never CDIAE members)."""

    model = Parcours
    paginate_by = 50
    template_name = "parcours/liste.html"

    def get_queryset(self):
        visibles = Parcours.objects.visible_to(self.request.user)
        self.filtre = ParcoursFilter(self.request.GET, queryset=visibles, request=self.request)
        return self.filtre.qs.select_related("salarie", "siae", "pass_iae", "motif_sortie").order_by(
            "salarie__nom", "salarie__prenom", "-date_embauche"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(filtre=self.filtre, **kwargs)


class SalarieDetail(NominatifRequisMixin, DetailView):
    model = Salarie
    template_name = "parcours/detail.html"
    context_object_name = "salarie"

    def get_queryset(self):
        return Salarie.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        # Only the parcours the user may see: another structure's parcours of the same person stays hidden.
        parcours = list(
            Parcours.objects.visible_to(user)
            .filter(salarie=self.object)
            .select_related("siae", "pass_iae", "motif_sortie")
            .prefetch_related("contrats", "actions_insertion")
            .order_by("-date_embauche")
        )
        heures = (
            LigneDeclaration.objects.filter(parcours__in=parcours, declaration__retenue=True)
            .values("parcours_id", "declaration__mois")
            .annotate(heures=Sum("heures_travaillees"))
            .order_by("declaration__mois")
        )
        par_parcours = {}
        for ligne in heures:
            par_parcours.setdefault(ligne["parcours_id"], []).append((ligne["declaration__mois"], ligne["heures"]))
        # The suspensions and prolongations of their PASS, read once for all the parcours (those the user may see).
        passes = {p.pass_iae_id for p in parcours}
        suspensions, prolongations = {}, {}
        for suspension in Suspension.objects.visible_to(user).filter(pass_iae__in=passes).select_related("motif"):
            suspensions.setdefault(suspension.pass_iae_id, []).append(suspension)
        for prolongation in Prolongation.objects.visible_to(user).filter(pass_iae__in=passes).select_related("motif"):
            prolongations.setdefault(prolongation.pass_iae_id, []).append(prolongation)
        return super().get_context_data(
            parcours=[
                (
                    p,
                    chronologie(
                        p,
                        par_parcours.get(p.pk, []),
                        suspensions.get(p.pass_iae_id, []),
                        prolongations.get(p.pass_iae_id, []),
                    ),
                    sum((h for _, h in par_parcours.get(p.pk, [])), Decimal(0)),
                )
                for p in parcours
            ],
            **kwargs,
        )


class ParcoursModification(NominatifRequisMixin, TemplateView):
    """A salarié's identity and situation at hire, corrected by their structure or the DDETS."""

    template_name = "parcours/modification.html"

    def dispatch(self, request, *args, **kwargs):
        self.parcours = get_object_or_404(
            Parcours.objects.de_la_structure(request.user).select_related("salarie", "siae"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def formulaires(self):
        donnees = self.request.POST if self.request.method == "POST" else None
        return (
            SalarieForm(donnees, instance=self.parcours.salarie, prefix="salarie"),
            SituationForm(donnees, instance=self.parcours, prefix="situation"),
        )

    def get(self, request, *args, **kwargs):
        salarie, situation = self.formulaires()
        return self.render_to_response({"parcours": self.parcours, "salarie": salarie, "situation": situation})

    def post(self, request, *args, **kwargs):
        salarie, situation = self.formulaires()
        if salarie.is_valid() and situation.is_valid():
            modifier_salarie_et_situation(salarie, situation)
            messages.success(request, "Les informations du salarié ont été enregistrées.")
            return redirect("parcours:salarie", pk=self.parcours.salarie_id)
        return self.render_to_response({"parcours": self.parcours, "salarie": salarie, "situation": situation})


# The PASS IAE's life and the parcours's contracts and exit: written by the structure or the DDETS of its
# département (`de_la_structure`), anyone else gets 404.


class ActionParcoursMixin(NominatifRequisMixin):
    """A form about one parcours the user writes for; the rules' refusals come back on the fields. Each view
    defines `enregistrer(donnees)`, which calls its service."""

    template_name = "parcours/formulaire_pass.html"
    titre = ""
    bouton = "Enregistrer"
    succes = ""

    def dispatch(self, request, *args, **kwargs):
        self.parcours = self.get_parcours(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_parcours(self, request, **kwargs):
        return get_object_or_404(
            Parcours.objects.de_la_structure(request.user).select_related("salarie", "siae", "pass_iae"),
            pk=kwargs["pk"],
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "parcours": self.parcours}

    def retour(self) -> str:
        return f"{reverse('parcours:salarie', args=[self.parcours.salarie_id])}#parcours-{self.parcours.pk}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            parcours=self.parcours, titre=self.titre, bouton=self.bouton, retour=self.retour(), **kwargs
        )

    def form_valid(self, form):
        try:
            self.enregistrer(form.cleaned_data)
        except ValidationError as refus:
            reporter_refus(form, refus)
            return self.form_invalid(form)
        messages.success(self.request, self.succes)
        return redirect(self.retour())


class SuspensionCreation(ActionParcoursMixin, FormView):
    form_class = SuspensionForm
    titre = "Suspendre le PASS IAE"
    succes = "La suspension est enregistrée ; la fin du PASS IAE est recalculée."

    def enregistrer(self, d):
        services_pass.enregistrer_suspension(
            self.parcours,
            motif=d["motif"],
            date_debut=d["date_debut"],
            date_fin=d["date_fin"],
            auteur=self.request.user,
        )


class ProlongationDemande(ActionParcoursMixin, FormView):
    form_class = DemandeProlongationForm
    titre = "Demander une prolongation du PASS IAE"
    bouton = "Enregistrer la demande"
    succes = "La demande de prolongation est enregistrée."

    def get_form_kwargs(self):
        self.fin_pass = services_pass.fin_calculee(self.parcours.pass_iae)
        return {**super().get_form_kwargs(), "debut": self.fin_pass + UN_JOUR}

    def enregistrer(self, d):
        services_pass.demander_prolongation(
            self.parcours,
            motif=d["motif"],
            date_fin=d["date_fin"],
            date_demande=d["date_demande"],
            date_fin_formation=d["date_fin_formation"],
            prescripteur_organisation=d["prescripteur_organisation"],
            prescripteur_personne=d["prescripteur_personne"],
            auteur=self.request.user,
        )


class ProlongationDecision(ActionParcoursMixin, FormView):
    form_class = DecisionProlongationForm
    titre = "Décider d'une prolongation du PASS IAE"
    bouton = "Enregistrer la décision"

    def get_parcours(self, request, **kwargs):
        # A request still to decide, made by a structure the user writes for.
        self.prolongation = get_object_or_404(
            Prolongation.objects.de_la_structure(request.user)
            .filter(statut=StatutProlongation.DEMANDEE)
            .select_related("motif", "pass_iae", "siae"),
            pk=kwargs["pk"],
        )
        parcours = services_pass.parcours_de_la_prolongation(self.prolongation)
        if parcours is None:
            raise Http404("Aucun parcours pour cette demande.")
        return parcours

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        del kwargs["parcours"]
        return {**kwargs, "prolongation": self.prolongation}

    def get_context_data(self, **kwargs):
        p = self.prolongation
        explication = (
            f"{p.motif.libelle} : prolongation du {jour(p.date_debut)} au {jour(p.date_fin)}, demandée le "
            f"{jour(p.date_demande)}, décidée par {p.get_decideur_display().lower()}."
        )
        return super().get_context_data(explication=explication, **kwargs)

    def enregistrer(self, d):
        commun = {
            "date_decision": d["date_decision"],
            "prescripteur_organisation": d.get("prescripteur_organisation", ""),
            "prescripteur_personne": d.get("prescripteur_personne", ""),
        }
        if d["statut"] == StatutProlongation.ACCORDEE:
            services_pass.accorder_prolongation(self.prolongation, **commun)
            self.succes = "La prolongation est accordée ; la fin du PASS IAE est recalculée."
        else:
            services_pass.refuser_prolongation(self.prolongation, motif_refus=d["motif_refus"], **commun)
            self.succes = "La prolongation est refusée."


class ContratCreation(ActionParcoursMixin, FormView):
    form_class = ContratForm
    titre = "Ajouter un contrat"
    succes = "Le contrat est enregistré."

    def enregistrer(self, d):
        services_pass.enregistrer_contrat(
            self.parcours,
            type=d["type"],
            date_debut=d["date_debut"],
            date_fin=d["date_fin"],
            heures_hebdo=d["heures_hebdo"],
            derogation=d["derogation"],
            motif_derogation=d["motif_derogation"],
        )


class SortieEnregistrement(ActionParcoursMixin, FormView):
    form_class = SortieForm
    titre = "Enregistrer la sortie du parcours"
    succes = "La sortie est enregistrée."

    def get_initial(self):
        p = self.parcours
        return {"date_sortie": p.date_sortie, "motif_sortie": p.motif_sortie_id} if p.date_sortie else {}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        del kwargs["parcours"]
        return kwargs

    def enregistrer(self, d):
        services_pass.enregistrer_sortie(self.parcours, date_sortie=d["date_sortie"], motif_sortie=d["motif_sortie"])
