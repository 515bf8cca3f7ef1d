"""The pages of the PASS IAE cycle of a parcours: suspensions, prolongations (asked, then decided), contracts and
the exit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView

from base.formulaires import reporter_refus
from base.vues import NominatifRequisMixin
from parcours import services_pass
from parcours.forms_pass import (
    ContratForm,
    DecisionProlongationForm,
    DemandeProlongationForm,
    FinOfficielleForm,
    SortieForm,
    SuspensionForm,
)
from parcours.models import Parcours, Prolongation, StatutProlongation
from parcours.regles_pass import UN_JOUR, jour


class ActionParcoursMixin(NominatifRequisMixin):
    """A form about one parcours the user writes for; the rules' refusals come back on the fields. Each view
    defines `enregistrer(donnees)`, which calls its service."""

    template_name = "parcours/formulaire_pass.html"
    titre = ""
    bouton = "Enregistrer"
    succes = ""

    def dispatch(self, request, *args, **kwargs):
        self.parcours = self.get_parcours(request, **kwargs)
        # An anonymised salarié's parcours ended long ago and is no longer written (docs/rgpd.md).
        if self.parcours.salarie.date_anonymisation:
            raise Http404("Les données de ce salarié ont été anonymisées.")
        return super().dispatch(request, *args, **kwargs)

    def get_parcours(self, request, **kwargs):
        return get_object_or_404(
            Parcours.objects.de_la_structure(request.user).select_related("salarie", "siae", "pass_iae"),
            pk=kwargs["pk"],
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "parcours": self.parcours}

    def retour(self) -> str:
        return f"{reverse('pilotage:salarie', args=[self.parcours.salarie_id])}#parcours-{self.parcours.pk}"

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
        self.fin_pass = services_pass.fin_en_vigueur(self.parcours.pass_iae)
        # None while the PASS's start and official end are unknown: the form says so and the service refuses the
        # request.
        debut = self.fin_pass + UN_JOUR if self.fin_pass else None
        return {**super().get_form_kwargs(), "debut": debut}

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


class FinOfficielleEnregistrement(ActionParcoursMixin, FormView):
    """The PASS's end issued by les emplois de l'inclusion, typed from its notification: it becomes the end in
    force; emptied, the computed end applies again."""

    form_class = FinOfficielleForm
    titre = "Fin officielle du PASS IAE"
    succes = "La fin officielle du PASS IAE est enregistrée."

    def get_initial(self):
        return {"date_fin_officielle": self.parcours.pass_iae.date_fin_officielle}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "fin_calculee": services_pass.fin_calculee(self.parcours.pass_iae)}

    def enregistrer(self, d):
        services_pass.enregistrer_fin_officielle(
            self.parcours, date_fin_officielle=d["date_fin_officielle"], auteur=self.request.user
        )
