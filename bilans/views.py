"""Pages of the bilans: the list of a département's bilans with the button that generates one (the sections left
empty said first) and the editorial sections; the page that follows one generation (polled, or refreshed by the
browser without JavaScript) until its download. The dialogue de gestion sheets: `views_dialogue`.

The bilans are read through `BilanCdiae.objects.visible_to(user)` (DDETS and CDIAE of the département: 404 to
anyone else), generated and edited through `gerees_par(user)` (the DDETS). The dialogue sheet follows
`Siae.objects.visible_to(user)`: aggregated figures, as the dialogue de gestion page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from base.calendrier import lire_annee
from base.departements import DEPARTEMENTS
from comptes.choix import ChoixDepartementMixin
from indicateurs.queries import objectif_brsa_du_departement
from siae.models import Siae

from . import queries, regles, services
from .forms import SectionsForm
from .models import STATUTS_ACTIFS, BilanCdiae, SectionsEditoriales, StatutBilan

NOMBRE_AFFICHE = 30


def annee_du_bilan(valeur) -> int:
    """The year asked for; by default the year just ended, the one a CDIAE bilan presents."""
    return lire_annee(valeur, timezone.localdate().year - 1)


def url_de_la_liste(departement: str | None, annee: int) -> str:
    parametres = f"?annee={annee}" + (f"&departement={departement}" if departement else "")
    return reverse("bilans:liste") + parametres


def peut_gerer(user, departement: str | None) -> bool:
    return user.perimetre.gere_le_departement(departement)


class Bilans(ChoixDepartementMixin, TemplateView):
    template_name = "bilans/liste.html"

    def departements_au_choix(self, annee: int) -> list[str]:
        perimetre = self.request.user.perimetre
        if perimetre.administrateur:
            return sorted(Siae.objects.order_by().values_list("departement", flat=True).distinct())
        return sorted(perimetre.departements)

    def departement(self) -> str | None:
        choisi = super().departement()
        if choisi is None and self.request.user.perimetre.administrateur:
            possibles = self.departements_au_choix(annee_du_bilan(self.request.GET.get("annee")))
            return possibles[0] if possibles else None
        return choisi

    def annee(self, departement: str | None) -> int:
        """The year asked for; by default the latest one with data of the département (not the year just ended
        while this year's bilan already exists: the heading and the list would disagree)."""
        demandee = lire_annee(self.request.GET.get("annee"), 0)
        if demandee or not departement:
            return demandee or annee_du_bilan(None)
        return regles.annee_par_defaut(queries.annees_avec_donnees(departement), timezone.localdate())

    def get_context_data(self, **kwargs):
        user = self.request.user
        departement = kwargs.pop("departement", None) or self.departement()
        annee = kwargs.pop("annee", None) or self.annee(departement)
        gere = peut_gerer(user, departement)
        # Every year's bilans, under a heading of their own: the year's heading is for generating that year's.
        bilans = (
            BilanCdiae.objects.visible_to(user).filter(departement=departement).select_related("auteur")
            if departement
            else BilanCdiae.objects.none()
        )
        sections = SectionsEditoriales.objects.filter(departement=departement, annee=annee).first() if gere else None
        if "form" not in kwargs and gere:
            kwargs["form"] = SectionsForm(
                instance=sections, seuil_brsa=objectif_brsa_du_departement(departement, annee)
            )
        structures = Siae.objects.visible_to(user)
        if departement:
            structures = structures.filter(departement=departement)
        return super().get_context_data(
            **self.contexte_du_choix(annee, departement),
            voit_les_bilans=bool(departement),
            peut_generer=gere,
            bilans=list(bilans[:NOMBRE_AFFICHE]),
            en_cours=bilans.filter(annee=annee, statut__in=STATUTS_ACTIFS).exists(),
            sections_vides=regles.sections_vides(sections) if gere else [],
            structures=list(structures.order_by("nom").values("pk", "nom", "type")),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        """The editorial sections of the chosen département and year (DDETS only)."""
        departement = request.POST.get("departement") or self.departement()
        annee = annee_du_bilan(request.POST.get("annee"))
        if not peut_gerer(request.user, departement):
            raise Http404("Seule la DDETS du département rédige les sections du bilan.")
        form = SectionsForm(request.POST)
        if form.is_valid():
            try:
                services.enregistrer_sections(departement, annee, form.cleaned_data, request.user)
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                messages.success(request, f"Les sections du bilan {annee} sont enregistrées.")
                return redirect(url_de_la_liste(departement, annee) + "#sections")
        return self.render_to_response(self.get_context_data(form=form, departement=departement, annee=annee))


class GenererBilan(View):
    """POST: queue the generation (the cockpit's button posts here too), then the page that follows it."""

    def post(self, request, *args, **kwargs):
        departement = request.POST.get("departement", "")
        annee = annee_du_bilan(request.POST.get("annee"))
        if not peut_gerer(request.user, departement):
            raise Http404("Seule la DDETS du département génère son bilan.")
        try:
            bilan = services.demander_bilan(departement, annee, request.user)
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
            return redirect(url_de_la_liste(departement, annee) + "#bilans")
        return redirect("bilans:suivi", pk=bilan.pk)


class SuiviBilan(TemplateView):
    """The page a generation returns to at once: its progression (polled by the page, or refreshed by the browser
    without JavaScript), then its download link or what went wrong."""

    template_name = "bilans/suivi.html"

    def get_context_data(self, **kwargs):
        bilan = get_object_or_404(BilanCdiae.objects.visible_to(self.request.user), pk=kwargs["pk"])
        nom = DEPARTEMENTS.get(bilan.departement, bilan.departement)
        return super().get_context_data(
            document=bilan,
            titre=f"Bilan {bilan.annee} du CDIAE – {nom}",
            nature="Le bilan",
            feminin=False,
            url_statut=reverse("bilans:statut", args=[bilan.pk]),
            url_telecharger=reverse("bilans:telecharger", args=[bilan.pk]),
            libelle_telecharger=f"Télécharger le bilan {bilan.annee}",
            url_retour=url_de_la_liste(bilan.departement, bilan.annee) + "#bilans",
            libelle_retour=f"Bilans du CDIAE {bilan.annee}",
            peut_relancer=peut_gerer(self.request.user, bilan.departement),
            url_relancer=reverse("bilans:generer"),
            champs_relancer={"departement": bilan.departement, "annee": bilan.annee},
            **kwargs,
        )


class StatutBilanJson(View):
    """What the page polls every 2 seconds while a bilan is being generated."""

    def get(self, request, pk):
        bilan = get_object_or_404(BilanCdiae.objects.visible_to(request.user), pk=pk)
        return JsonResponse(
            {
                "statut": bilan.statut,
                "libelle": bilan.get_statut_display(),
                "progression": bilan.progression,
                "etape": bilan.etape,
                "erreur": bilan.erreur,
                "pages": bilan.pages,
                "url": reverse("bilans:telecharger", args=[bilan.pk]) if bilan.statut == StatutBilan.PRET else None,
            },
            headers={"Cache-Control": "no-store"},
        )


class TelechargerBilan(View):
    def get(self, request, pk):
        bilan = get_object_or_404(BilanCdiae.objects.visible_to(request.user), pk=pk, statut=StatutBilan.PRET)
        try:
            fichier = bilan.fichier.open("rb")
        except FileNotFoundError as absent:
            raise Http404("Le fichier de ce bilan n'est plus disponible : générez-le de nouveau.") from absent
        return FileResponse(
            fichier,
            as_attachment=True,
            filename=regles.nom_du_fichier(bilan.departement, bilan.annee),
            content_type="application/pdf",
        )
