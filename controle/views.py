"""The pages of the contrôle a posteriori.

DDETS agents (AgentRequisMixin) run the campaigns of their département: list, creation, campaign page, phases,
decisions, outcomes, sanctions. A structure's staff see their own controls once the sample is out and send proofs.
CDIAE members get 404 everywhere; another département's or structure's campaign, control or proof is absent from
the querysets (comptes/perimetre.py), so it answers 404 too.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import DetailView, FormView, ListView, TemplateView

from base.departements import DEPARTEMENTS
from base.vues import AgentRequisMixin, NominatifRequisMixin

from . import regles, services
from .forms import CampagneForm, DecisionForm, JustificatifForm, ResultatForm, SanctionForm
from .models import (
    ORDRE_DES_PHASES,
    CampagneControle,
    ControleEmbauche,
    ControleSiae,
    Decision,
    Justificatif,
    Phase,
    ResultatControle,
    Sanction,
)
from .queries import compter_par_campagne, compter_par_controle
from .regles import compter, etats_des_phases


class PersonnelSiaeRequisMixin:
    """Pages for a structure's own staff."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.perimetre.siae_ids:
            raise Http404("Page réservée aux structures.")
        return super().dispatch(request, *args, **kwargs)


class Accueil(View):
    """The navigation's entry: agents to their campaigns, a structure's staff to their controls."""

    def get(self, request):
        perimetre = request.user.perimetre
        if perimetre.est_agent:
            return redirect("controle:campagnes")
        if perimetre.siae_ids:
            return redirect("controle:mes_controles")
        raise Http404("Page réservée aux agents de la DDETS et aux structures.")


class CampagneListe(AgentRequisMixin, ListView):
    template_name = "controle/campagne_liste.html"
    context_object_name = "campagnes"
    paginate_by = 30

    def get_queryset(self):
        return compter_par_campagne(CampagneControle.objects.gerees_par(self.request.user)).order_by(
            "-annee", "departement", "pk"
        )


def departements_geres(user) -> list[str]:
    perimetre = user.perimetre
    return list(DEPARTEMENTS) if perimetre.administrateur else sorted(perimetre.departements_ddets)


class CampagneCreation(AgentRequisMixin, FormView):
    form_class = CampagneForm
    template_name = "controle/campagne_formulaire.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "departements": departements_geres(self.request.user)}

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            campagne = services.creer_campagne(
                annee=d["annee"],
                departement=d["departement"],
                part_siae=d["part_siae"],
                calendrier=form.calendrier(),
                auteur=self.request.user,
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"La campagne {campagne.annee} est créée : {campagne.controles.count()} structure(s) tirée(s) sur "
            f"{campagne.nb_siae_eligibles} éligible(s).",
        )
        return redirect("controle:campagne", pk=campagne.pk)


# For each next phase: the button, and what moving on does.
PASSAGES = {
    Phase.CONTROLE: ("Ouvrir le contrôle", "Les structures tirées verront les embauches à justifier."),
    Phase.CONTRADICTOIRE: (
        "Ouvrir la phase contradictoire",
        "Une structure sans résultat sera acceptée si toutes ses embauches le sont, et passera en phase "
        "contradictoire sinon.",
    ),
    Phase.SANCTIONS: ("Passer aux sanctions", "Chaque structure doit avoir un résultat définitif."),
    Phase.CLOTUREE: ("Clôturer la campagne", "Chaque contrôle refusé doit avoir sa sanction."),
}


class CampagneDetail(AgentRequisMixin, DetailView):
    template_name = "controle/campagne_detail.html"
    context_object_name = "campagne"

    def get_queryset(self):
        return CampagneControle.objects.gerees_par(self.request.user)

    def get_context_data(self, **kwargs):
        campagne = self.object
        controles = list(
            compter_par_controle(campagne.controles.select_related("siae"))
            .prefetch_related("sanctions")
            .order_by("siae__nom")
        )
        changements = {c.phase: c for c in campagne.changements.select_related("auteur")}
        etats = etats_des_phases(ORDRE_DES_PHASES, campagne.phase)
        etapes = [
            {"phase": phase, "debut": debut, "fin": fin, "etat": etats[phase], "changement": changements.get(phase)}
            for phase, debut, fin in campagne.calendrier()
        ]
        par_resultat = compter((c.resultat for c in controles), ResultatControle.values)
        suivante = campagne.phase_suivante
        return super().get_context_data(
            controles=controles,
            etapes=etapes,
            cloture=changements.get(Phase.CLOTUREE),
            par_resultat=[(ResultatControle(r), n) for r, n in par_resultat.items()],
            nb_embauches=sum(c.nb_embauches for c in controles),
            phase_suivante=suivante,
            bouton_passage=PASSAGES[suivante][0] if suivante else "",
            texte_passage=PASSAGES[suivante][1] if suivante else "",
            nom_departement=DEPARTEMENTS.get(campagne.departement, ""),
            **kwargs,
        )


class PhaseSuivante(AgentRequisMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        campagne = get_object_or_404(CampagneControle.objects.gerees_par(request.user), pk=pk)
        try:
            campagne = services.passer_a_la_phase_suivante(campagne, request.user)
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            messages.success(request, f"La campagne est maintenant en phase « {campagne.get_phase_display()} ».")
        return redirect("controle:campagne", pk=campagne.pk)


class MesControles(PersonnelSiaeRequisMixin, ListView):
    """A structure's staff: their controls, once the sample is out."""

    template_name = "controle/mes_controles.html"
    context_object_name = "controles"

    def get_queryset(self):
        user = self.request.user
        controles = ControleSiae.objects.visible_to(user).filter(siae_id__in=user.perimetre.siae_ids)
        return compter_par_controle(controles.select_related("campagne", "siae")).order_by(
            "-campagne__annee", "siae__nom"
        )


class ControlePage(NominatifRequisMixin, TemplateView):
    """One structure's control: the hires drawn, their proofs and decisions, the outcome and the sanctions. The
    DDETS agent decides; the structure's staff send proofs. The actions below post to their own address and, when
    a form is wrong, show this page again with the form's errors."""

    template_name = "controle/controle_siae.html"

    def get_controle(self, pk):
        controles = ControleSiae.objects.visible_to(self.request.user).select_related("campagne", "siae")
        return get_object_or_404(controles, pk=pk)

    def get(self, request, pk):
        return self.afficher(self.get_controle(pk))

    def afficher(self, controle, *, decisions=None, depots=None, resultat=None, sanction=None):
        """Render the page; the bound forms given (by hire id for the hires) replace the blank ones."""
        user = self.request.user
        perimetre = user.perimetre
        campagne = controle.campagne
        peut_decider = ControleSiae.objects.gerees_par(user).filter(pk=controle.pk).exists()
        est_la_structure = controle.siae_id in perimetre.siae_ids
        embauches = list(
            controle.embauches.select_related("parcours__salarie", "parcours__pass_iae", "decideur")
            .prefetch_related("justificatifs")
            .order_by("parcours__date_embauche", "pk")
        )
        decisions, depots = decisions or {}, depots or {}
        # The DDETS decides on the hires while the structure may still send proofs for them.
        peut_decider_embauches = peut_decider and controle.justificatifs_attendus
        peut_deposer = est_la_structure and controle.justificatifs_attendus
        lignes = []
        for e in embauches:
            decision = depot = None
            if peut_decider_embauches:
                decision = decisions.get(e.pk) or DecisionForm(prefix=f"decision-{e.pk}", initial=self.initial(e))
            if peut_deposer:
                depot = depots.get(e.pk) or JustificatifForm(prefix=f"justificatif-{e.pk}")
            lignes.append({"embauche": e, "decision": decision, "depot": depot})
        par_decision = compter((e.decision for e in embauches), Decision.values)
        a_examiner, refusees = par_decision[Decision.A_EXAMINER], par_decision[Decision.REFUSEE]
        possibles = services.resultats_possibles(controle, a_examiner, refusees) if peut_decider else []
        if resultat is None and possibles:
            resultat = ResultatForm(
                prefix="resultat", possibles=possibles, initial={"commentaire": controle.commentaire}
            )
        sanctions = list(controle.sanctions.all())
        peut_sanctionner = (
            peut_decider and campagne.phase == Phase.SANCTIONS and controle.resultat == ResultatControle.REFUSE
        )
        if sanction is None and peut_sanctionner:
            sanction = SanctionForm(prefix="sanction")
        return self.render_to_response(
            self.get_context_data(
                controle=controle,
                campagne=campagne,
                lignes=lignes,
                nb_acceptees=par_decision[Decision.ACCEPTEE],
                a_examiner=a_examiner,
                refusees=refusees,
                peut_decider=peut_decider,
                est_la_structure=est_la_structure,
                peut_deposer=peut_deposer,
                formulaire_resultat=resultat if possibles else None,
                sanctions=sanctions,
                formulaire_sanction=sanction if peut_sanctionner else None,
                peut_retirer_sanction=peut_decider and campagne.phase == Phase.SANCTIONS,
            )
        )

    @staticmethod
    def initial(embauche):
        if embauche.decision == Decision.A_EXAMINER:
            return {}
        return {"decision": embauche.decision, "motif_refus": embauche.motif_refus}


def adresse_controle(controle_id: int, ancre: str = "") -> str:
    return reverse("controle:controle", kwargs={"pk": controle_id}) + (f"#{ancre}" if ancre else "")


def erreur_dans_le_formulaire(form, erreur: ValidationError) -> None:
    """A service's refusal shown on the form: on its field when the form has it, above the form otherwise."""
    if hasattr(erreur, "error_dict"):
        for champ, erreurs in erreur.error_dict.items():
            form.add_error(champ if champ in form.fields else None, erreurs)
    else:
        form.add_error(None, erreur)


class DecisionEmbauche(AgentRequisMixin, ControlePage):
    http_method_names = ["post"]

    def post(self, request, pk):
        embauche = get_object_or_404(ControleEmbauche.objects.gerees_par(request.user), pk=pk)
        form = DecisionForm(request.POST, prefix=f"decision-{pk}")
        if form.is_valid():
            try:
                services.decider_embauche(
                    embauche, form.cleaned_data["decision"], request.user, form.cleaned_data["motif_refus"]
                )
            except ValidationError as erreur:
                erreur_dans_le_formulaire(form, erreur)
            else:
                messages.success(request, f"Embauche {embauche.get_decision_display().lower()}.")
                return redirect(adresse_controle(embauche.controle_id, f"embauche-{pk}"))
        messages.error(request, "La décision n'a pas été enregistrée : voyez le formulaire de l'embauche.")
        return self.afficher(self.get_controle(embauche.controle_id), decisions={pk: form})


def taille_annoncee(request) -> int:
    """The size of the request's body as its headers announce it: all the server will read of it (WSGI reads no
    more than CONTENT_LENGTH, and nothing without one)."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


@method_decorator(csrf_exempt, name="dispatch")  # checked in dispatch, once the size is known to be sane
class DepotJustificatif(PersonnelSiaeRequisMixin, ControlePage):
    """A structure's staff send a proof for one of their hires drawn. A body larger than a proof can be is refused
    on its announced size, before a byte of it is read: the CSRF check, which reads the form, comes after."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and taille_annoncee(request) > settings.JUSTIFICATIF_TAILLE_MAX_REQUETE:
            if not request.user.is_authenticated or not request.user.perimetre.siae_ids:
                raise Http404("Page réservée aux structures.")
            embauche = self.embauche(request, kwargs["pk"])
            messages.error(request, f"Le justificatif n'a pas été déposé : {regles.TROP_GRAND}")
            return redirect(adresse_controle(embauche.controle_id, f"embauche-{embauche.pk}"))
        return csrf_protect(super().dispatch)(request, *args, **kwargs)

    @staticmethod
    def embauche(request, pk) -> ControleEmbauche:
        return get_object_or_404(
            ControleEmbauche.objects.visible_to(request.user).filter(
                controle__siae_id__in=request.user.perimetre.siae_ids
            ),
            pk=pk,
        )

    def post(self, request, pk):
        embauche = self.embauche(request, pk)
        form = JustificatifForm(request.POST, request.FILES, prefix=f"justificatif-{pk}")
        if form.is_valid():
            try:
                justificatif = services.deposer_justificatif(embauche, form.cleaned_data["fichier"], request.user)
            except ValidationError as erreur:
                erreur_dans_le_formulaire(form, erreur)
            else:
                messages.success(request, f"Le justificatif « {justificatif.nom_fichier} » a été déposé.")
                return redirect(adresse_controle(embauche.controle_id, f"embauche-{pk}"))
        messages.error(request, "Le justificatif n'a pas été déposé : " + " ".join(form.errors.get("fichier", [])))
        return self.afficher(self.get_controle(embauche.controle_id), depots={pk: form})


class ResultatControleVue(AgentRequisMixin, ControlePage):
    http_method_names = ["post"]

    def post(self, request, pk):
        controle = get_object_or_404(ControleSiae.objects.gerees_par(request.user).select_related("campagne"), pk=pk)
        possibles = services.resultats_possibles(controle, *services.compter_decisions(controle))
        form = ResultatForm(request.POST, prefix="resultat", possibles=possibles)
        if form.is_valid():
            try:
                services.fixer_resultat(
                    controle, form.cleaned_data["resultat"], request.user, form.cleaned_data["commentaire"]
                )
            except ValidationError as erreur:
                erreur_dans_le_formulaire(form, erreur)
            else:
                controle.refresh_from_db(fields=["resultat"])
                messages.success(request, f"Résultat enregistré : {controle.get_resultat_display().lower()}.")
                return redirect(adresse_controle(pk, "resultat"))
        messages.error(request, "Le résultat n'a pas été enregistré.")
        return self.afficher(self.get_controle(pk), resultat=form)


class SanctionAjout(AgentRequisMixin, ControlePage):
    http_method_names = ["post"]

    def post(self, request, pk):
        controle = get_object_or_404(ControleSiae.objects.gerees_par(request.user), pk=pk)
        form = SanctionForm(request.POST, prefix="sanction")
        if form.is_valid():
            d = form.cleaned_data
            try:
                sanction = services.ajouter_sanction(
                    controle,
                    d["type"],
                    request.user,
                    motif=d["motif"],
                    date_debut=d["date_debut"],
                    date_fin=d["date_fin"],
                    pourcentage=d["pourcentage"],
                )
            except ValidationError as erreur:
                erreur_dans_le_formulaire(form, erreur)
            else:
                messages.success(request, f"Sanction enregistrée : {sanction.get_type_display().lower()}.")
                return redirect(adresse_controle(pk, "sanctions"))
        messages.error(request, "La sanction n'a pas été enregistrée.")
        return self.afficher(self.get_controle(pk), sanction=form)


class SanctionRetrait(AgentRequisMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        sanction = get_object_or_404(Sanction.objects.gerees_par(request.user), pk=pk)
        try:
            services.retirer_sanction(sanction, request.user)
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            messages.success(request, "La sanction a été retirée.")
        return redirect(adresse_controle(sanction.controle_id, "sanctions"))


class TelechargementJustificatif(NominatifRequisMixin, View):
    """The only way to a proof: through the user's scope (the files are under MEDIA_ROOT, never served)."""

    def get(self, request, pk):
        justificatif = get_object_or_404(Justificatif.objects.visible_to(request.user), pk=pk)
        try:
            fichier = justificatif.fichier.open("rb")
        except FileNotFoundError as absent:
            raise Http404("Le fichier n'est plus disponible.") from absent
        return FileResponse(
            fichier, as_attachment=True, filename=justificatif.nom_fichier, content_type="application/pdf"
        )
