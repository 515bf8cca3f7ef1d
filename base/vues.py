"""What every page shares: querysets come from the model's `visible_to(user)` (comptes/perimetre.py), and a
page reserved to a role answers 404 to the others, as an object out of scope does."""

from django.http import Http404
from django.shortcuts import render


class PerimetreMixin:
    """Generic views read through the user's scope: an object outside it is not found."""

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)


class AgentRequisMixin:
    """Pages for DDETS agents (and administrators) only."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not request.user.perimetre.est_agent:
            raise Http404("Page réservée aux agents de la DDETS.")
        return super().dispatch(request, *args, **kwargs)


class NominatifRequisMixin:
    """Pages with people's data: DDETS agents and the SIAE's own staff, never CDIAE members."""

    def dispatch(self, request, *args, **kwargs):
        perimetre = request.user.perimetre
        if not (perimetre.est_agent or perimetre.siae_ids):
            raise Http404("Page réservée aux agents de la DDETS et aux structures.")
        return super().dispatch(request, *args, **kwargs)


def echec_csrf(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form refused for its missing or stale security token, said in French on the
    design system's page (Django's own is in English). The reason stays out of the page: it is for developers."""
    return render(request, "403_csrf.html", status=403)
