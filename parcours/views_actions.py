"""The insertion actions of a parcours, recorded on the salarié's page by the structure or the DDETS of its
département (`de_la_structure`); anyone else gets 404."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from base.vues import NominatifRequisMixin
from parcours.forms_actions import ActionInsertionForm
from parcours.models import ActionInsertion
from parcours.services_actions import enregistrer_action
from parcours.views_pass import ActionParcoursMixin


class ActionInsertionCreation(ActionParcoursMixin, FormView):
    form_class = ActionInsertionForm
    titre = "Ajouter une action d'insertion"
    succes = "L'action d'insertion est enregistrée."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        del kwargs["parcours"]
        return kwargs

    def retour(self) -> str:
        return f"{reverse('pilotage:salarie', args=[self.parcours.salarie_id])}#actions-{self.parcours.pk}"

    def enregistrer(self, d):
        enregistrer_action(self.parcours, **d, auteur=self.request.user)


class ActionInsertionSuppression(NominatifRequisMixin, View):
    """An action recorded by mistake is removed (POST only)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        action = get_object_or_404(
            ActionInsertion.objects.de_la_structure(request.user).select_related("parcours"), pk=pk
        )
        parcours = action.parcours
        action.delete()
        messages.success(request, f"L'action « {action.libelle} » est supprimée.")
        return redirect(f"{reverse('pilotage:salarie', args=[parcours.salarie_id])}#actions-{parcours.pk}")
