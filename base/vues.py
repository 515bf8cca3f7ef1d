"""What every page shares: querysets come from the model's `visible_to(user)` (comptes/perimetre.py), and a
page reserved to a role answers 404 to the others, as an object out of scope does."""

from django.http import Http404
from django.shortcuts import render

# A table of structures shows this many rows at most when no département is chosen: nationally there are
# thousands, a page of thousands of rows is read by nobody and takes seconds to lay out. Every row stays in the
# page's export, and choosing a département shows its own.
LIGNES_AFFICHEES = 50


def lignes_affichees(lignes: list, nationales: bool) -> tuple[list, int]:
    """The rows a table shows and how many it leaves to the export: all of them within a département."""
    if not nationales or len(lignes) <= LIGNES_AFFICHEES:
        return lignes, 0
    return lignes[:LIGNES_AFFICHEES], len(lignes) - LIGNES_AFFICHEES


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
