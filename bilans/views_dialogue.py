"""The dialogue de gestion sheet of a structure for a year: its page asks for it (a task prepares the PDF, the page
follows its steps) and offers the latest one ready. Read through `Siae.objects.visible_to(user)`: aggregated
figures, as the dialogue de gestion page; out of scope, 404."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from siae.models import Siae

from .models import STATUTS_ACTIFS, FicheDialogue, StatutBilan
from .services_dialogue import demander_fiche
from .views import annee_du_bilan

NOMBRE_AFFICHE = 5


def url_de_la_fiche(siae_id: int, annee: int) -> str:
    return reverse("bilans:dialogue", args=[siae_id]) + f"?annee={annee}"


class ChoixDialogue(View):
    """The form of the list page names a structure; its sheet has its own address."""

    def get(self, request):
        # A hand-typed address may name anything: what is not the id of a visible structure is not found.
        try:
            pk = int(request.GET.get("siae") or "")
        except ValueError:
            raise Http404("Aucune structure de ce numéro.") from None
        siae = get_object_or_404(Siae.objects.visible_to(request.user), pk=pk)
        return redirect(url_de_la_fiche(siae.pk, annee_du_bilan(request.GET.get("annee"))))


class Dialogue(TemplateView):
    """GET: the structure's sheets of the year, the one under way followed; POST: prepare a new one."""

    template_name = "bilans/dialogue.html"

    def get_context_data(self, **kwargs):
        siae = get_object_or_404(Siae.objects.visible_to(self.request.user), pk=kwargs["pk"])
        annee = annee_du_bilan(self.request.GET.get("annee"))
        fiches = list(
            FicheDialogue.objects.visible_to(self.request.user)
            .filter(siae=siae, annee=annee)
            .select_related("auteur")[:NOMBRE_AFFICHE]
        )
        return super().get_context_data(
            siae=siae, annee=annee, fiches=fiches, en_cours=any(f.statut in STATUTS_ACTIFS for f in fiches), **kwargs
        )

    def post(self, request, pk):
        siae = get_object_or_404(Siae.objects.visible_to(request.user), pk=pk)
        annee = annee_du_bilan(request.GET.get("annee"))
        fiche = demander_fiche(siae, annee, request.user)
        return redirect("bilans:suivi-fiche", pk=fiche.pk)


class SuiviFiche(TemplateView):
    """The page the button returns to at once, as for a bilan: the sheet's progression, then its download."""

    template_name = "bilans/suivi.html"

    def get_context_data(self, **kwargs):
        fiche = get_object_or_404(
            FicheDialogue.objects.visible_to(self.request.user).select_related("siae"), pk=kwargs["pk"]
        )
        return super().get_context_data(
            document=fiche,
            titre=f"Fiche de dialogue de gestion {fiche.annee} – {fiche.siae.nom}",
            nature="La fiche",
            feminin=True,
            url_statut=reverse("bilans:statut-fiche", args=[fiche.pk]),
            url_telecharger=reverse("bilans:telecharger-fiche", args=[fiche.pk]),
            libelle_telecharger=f"Télécharger la fiche {fiche.annee}",
            url_retour=url_de_la_fiche(fiche.siae_id, fiche.annee) + "#fiches",
            libelle_retour=f"Fiches {fiche.annee} de {fiche.siae.nom}",
            peut_relancer=True,
            url_relancer=url_de_la_fiche(fiche.siae_id, fiche.annee),
            champs_relancer={},
            **kwargs,
        )


class StatutFicheJson(View):
    """What the page polls every 2 seconds while a sheet is being prepared."""

    def get(self, request, pk):
        fiche = get_object_or_404(FicheDialogue.objects.visible_to(request.user), pk=pk)
        pret = fiche.statut == StatutBilan.PRET
        return JsonResponse(
            {
                "statut": fiche.statut,
                "libelle": fiche.get_statut_display(),
                "progression": fiche.progression,
                "etape": fiche.etape,
                "erreur": fiche.erreur,
                "pages": fiche.pages,
                "url": reverse("bilans:telecharger-fiche", args=[fiche.pk]) if pret else None,
            },
            headers={"Cache-Control": "no-store"},
        )


class TelechargerFiche(View):
    def get(self, request, pk):
        fiche = get_object_or_404(
            FicheDialogue.objects.visible_to(request.user).select_related("siae"), pk=pk, statut=StatutBilan.PRET
        )
        try:
            fichier = fiche.fichier.open("rb")
        except FileNotFoundError as absent:
            raise Http404("Le fichier de cette fiche n'est plus disponible : préparez-la de nouveau.") from absent
        return FileResponse(
            fichier,
            as_attachment=True,
            filename=f"dialogue-de-gestion-{fiche.siae.siret}-{fiche.annee}.pdf",
            content_type="application/pdf",
        )
