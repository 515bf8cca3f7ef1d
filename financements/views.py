"""Pages of the financing lines, projects and FDI calls.

Reads go through `visible_to` (the DDETS and the CDIAE of the département, the staff of the structure concerned),
writes through `gerees_par` (the DDETS agents of the département): an object outside either answers 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from base.calendrier import annee_plausible
from base.departements import DEPARTEMENTS
from base.exports import ANNEE, MONTANT, TEXTE, Colonne, Tableau, filtres_de_la_page, reponse_tableaux
from base.formats import montant
from base.formulaires import reporter_refus
from base.vues import AgentRequisMixin, PerimetreMixin
from comptes.choix import annee_demandee
from conventions.choix import ChoixAnnexesMixin

from . import queries, regles, services
from .choix import ETATS_EQUILIBRE_EXIGE, TRANSITIONS_PROJET, DecisionFdi, EtatProjet, Financeur
from .forms import (
    AppelForm,
    BudgetFormSet,
    CandidatureForm,
    EtatProjetForm,
    LigneFinancementForm,
    PeriodesFormSet,
    ProjetForm,
)
from .models import AppelAProjets, CandidatureFdi, LigneFinancement, Projet


def slug_du_financeur(code: str) -> str:
    return code.lower().replace("_", "-")


FINANCEUR_DU_SLUG = {slug_du_financeur(f.value): f for f in Financeur}


class PerimetreFinancementsMixin(ChoixAnnexesMixin):
    """The year and the département shown, and the lines and annexes the user sees there."""

    def lignes(self):
        lignes = LigneFinancement.objects.visible_to(self.request.user)
        departement = self.departement()
        return lignes.filter(departement=departement) if departement else lignes

    def contexte_annee(self, annee: int) -> dict:
        return {**self.contexte_du_choix(annee), "peut_saisir": self.request.user.perimetre.est_agent}


class Financements(PerimetreFinancementsMixin, TemplateView):
    """Totals per financeur, then per financeur and dispositif, for a year and a département."""

    template_name = "financements/financements.html"

    def get_context_data(self, **kwargs):
        annee = annee_demandee(self.request)
        par_dispositif = queries.totaux_par_dispositif(self.lignes(), annee, annexes=self.annexes(annee))
        par_financeur = queries.regrouper_par_financeur(par_dispositif)
        projets = Projet.objects.visible_to(self.request.user)
        appels = AppelAProjets.objects.visible_to(self.request.user).filter(annee=annee)
        if departement := self.departement():
            projets, appels = projets.filter(departement=departement), appels.filter(departement=departement)
        return super().get_context_data(
            **self.contexte_annee(annee),
            par_financeur=[(t, slug_du_financeur(t.financeur)) for t in par_financeur],
            par_dispositif=par_dispositif,
            projets_par_etat=projets.aggregate(
                total=Count("pk"), **{e.value.lower(): Count("pk", filter=Q(etat=e)) for e in EtatProjet}
            ),
            appels=appels.count(),
            **kwargs,
        )


COLONNES_EXPORT = [
    Colonne("annee", "Année", ANNEE),
    Colonne("financeur", "Financeur", TEXTE, 16),
    Colonne("dispositif", "Dispositif", TEXTE, 24),
    Colonne("libelle", "Libellé", TEXTE),
    Colonne("beneficiaire", "Bénéficiaire", TEXTE),
    Colonne("source", "Source", TEXTE, 18),
    Colonne("engage", "Engagé", MONTANT),
    Colonne("verse", "Versé", MONTANT),
    Colonne("reste_a_verser", "Reste à verser", MONTANT),
    Colonne("part_variable_max", "Part variable max.", MONTANT),
]


class FinanceurAnnee(PerimetreFinancementsMixin, TemplateView):
    """One financeur's lines for a year: amounts computed from the annexes first, then the recorded lines, with
    the committed / paid / variable totals. `?export=csv` or `xlsx` downloads the table."""

    template_name = "financements/financeur.html"

    def get(self, request, *args, **kwargs):
        self.financeur = FINANCEUR_DU_SLUG.get(kwargs["financeur"])
        if self.financeur is None or not annee_plausible(kwargs["annee"]):
            raise Http404("Financeur inconnu.")
        self.annee = kwargs["annee"]
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return self.exporter(export)
        return super().get(request, *args, **kwargs)

    def donnees(self) -> queries.FinanceurDeLAnnee:
        return queries.financeur_de_l_annee(self.lignes(), self.annexes(self.annee), self.financeur, self.annee)

    def get_context_data(self, **kwargs):
        kwargs.pop("financeur", None), kwargs.pop("annee", None)  # from the URL, replaced by their values
        donnees = self.donnees()
        calcules, lignes, total = donnees.calcules, donnees.lignes, donnees.total
        geres = set()
        if self.request.user.perimetre.est_agent:
            geres = set(
                LigneFinancement.objects.gerees_par(self.request.user)
                .filter(pk__in=[ligne.pk for ligne in lignes])
                .values_list("pk", flat=True)
            )
        return super().get_context_data(
            **self.contexte_annee(self.annee),
            financeur=self.financeur,
            slug=slug_du_financeur(self.financeur),
            annee_precedente=self.annee - 1,
            annee_suivante=self.annee + 1,
            financeurs=[(f, slug_du_financeur(f)) for f in Financeur],
            calcules=calcules,
            lignes=[(ligne, ligne.pk in geres) for ligne in lignes],
            total=total,
            **kwargs,
        )

    def exporter(self, format_):
        donnees = self.donnees()
        calcules, lignes, total = donnees.calcules, donnees.lignes, donnees.total
        rangees = [
            {
                "annee": self.annee,
                "financeur": self.financeur.label,
                "dispositif": t.libelle,
                "libelle": f"{t.libelle} ({t.annexes} annexes)",
                "beneficiaire": "",
                "source": t.source,
                "engage": montant(t.engage),
                "verse": montant(t.verse) if t.verse_suivi else None,
                "reste_a_verser": montant(t.reste_a_verser) if t.verse_suivi else None,
                "part_variable_max": montant(t.part_variable_max),
            }
            for t in calcules
        ] + [
            {
                "annee": ligne.annee,
                "financeur": ligne.get_financeur_display(),
                "dispositif": ligne.get_dispositif_display(),
                "libelle": ligne.libelle,
                "beneficiaire": ligne.siae.nom if ligne.siae_id else ligne.projet.nom,
                "source": "ligne saisie",
                "engage": montant(ligne.montant_engage),
                "verse": montant(ligne.montant_verse),
                "reste_a_verser": montant(ligne.reste_a_verser),
                "part_variable_max": montant(ligne.part_variable_max),
            }
            for ligne in lignes
        ]
        rangees.append(
            {
                "annee": self.annee,
                "financeur": self.financeur.label,
                "libelle": "TOTAL",
                "engage": montant(total.engage),
                "verse": montant(total.verse),
                "reste_a_verser": montant(total.reste_a_verser),
                "part_variable_max": montant(total.part_variable_max),
            }
        )
        nom = f"financements-{slug_du_financeur(self.financeur)}-{self.annee}"
        if departement := self.departement():
            nom += f"-{departement}"
        tableau = Tableau(
            f"{self.financeur.label} {self.annee}",
            COLONNES_EXPORT,
            rangees,
            filtres_de_la_page(self.annee, self.departement()),
        )
        return reponse_tableaux(format_, [tableau], nom)


# Financing lines -------------------------------------------------------------------------------------------------


def url_financeur(ligne: LigneFinancement) -> str:
    url = reverse("financements:financeur", args=[slug_du_financeur(ligne.financeur), ligne.annee])
    return f"{url}?departement={ligne.departement}"


class LigneCreation(AgentRequisMixin, FormView):
    form_class = LigneFinancementForm
    template_name = "financements/ligne_formulaire.html"

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        kwargs.setdefault("instance", LigneFinancement())
        return kwargs

    def get_initial(self):
        initial = {}
        if (financeur := self.request.GET.get("financeur")) in Financeur.values:
            initial["financeur"] = financeur
        if (projet := self.request.GET.get("projet", "")).isdigit():
            initial["projet"] = Projet.objects.gerees_par(self.request.user).filter(pk=projet).first()
        return initial

    def form_valid(self, form):
        try:
            ligne = services.enregistrer_ligne(form.instance)
        except ValidationError as erreur:
            reporter_refus(form, erreur)
            return self.form_invalid(form)
        messages.success(self.request, f"La ligne « {ligne.libelle} » a été enregistrée.")
        return redirect(url_financeur(ligne))


class LigneModification(LigneCreation):
    def dispatch(self, request, *args, **kwargs):
        self.ligne = get_object_or_404(LigneFinancement.objects.gerees_par(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.ligne}

    def get_initial(self):
        return {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ligne=self.ligne, **kwargs)


class LigneSuppression(AgentRequisMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        ligne = get_object_or_404(LigneFinancement.objects.gerees_par(request.user), pk=pk)
        retour = url_financeur(ligne)
        try:
            services.supprimer_ligne(ligne, request.user)
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
            return redirect("financements:ligne_modification", pk=pk)
        messages.success(request, f"La ligne « {ligne.libelle} » a été supprimée.")
        return redirect(retour)


# Projects --------------------------------------------------------------------------------------------------------


class ProjetListe(PerimetreMixin, ListView):
    model = Projet
    template_name = "financements/projet_liste.html"
    paginate_by = 30

    def get_queryset(self):
        projets = super().get_queryset().select_related("siae_porteuse")
        if (etat := self.request.GET.get("etat")) in EtatProjet.values:
            projets = projets.filter(etat=etat)
        if (departement := self.request.GET.get("departement")) in DEPARTEMENTS:
            projets = projets.filter(departement=departement)
        return projets.order_by("departement", "nom")

    def get_context_data(self, **kwargs):
        contexte = super().get_context_data(**kwargs)
        page = contexte["object_list"]
        bilans = queries.bilans_des_projets(Projet.objects.filter(pk__in=[p.pk for p in page]))
        contexte.update(
            projets=[(p, bilans[p.pk], not regles.erreurs_equilibre(bilans[p.pk])) for p in page],
            etats=EtatProjet.choices,
            etat=self.request.GET.get("etat", ""),
            peut_creer=self.request.user.perimetre.est_agent,
        )
        return contexte


class ProjetDetail(PerimetreMixin, DetailView):
    model = Projet
    template_name = "financements/projet_detail.html"
    context_object_name = "projet"

    def get_queryset(self):
        return super().get_queryset().select_related("siae_porteuse")

    def get_context_data(self, **kwargs):
        projet, user = self.object, self.request.user
        peut_gerer = Projet.objects.gerees_par(user).filter(pk=projet.pk).exists()
        return super().get_context_data(
            tableau=queries.tableau_budget(projet),
            lignes=sorted(
                LigneFinancement.objects.visible_to(user).filter(projet=projet),
                key=lambda ligne: (ligne.annee, queries.ORDRE_DES_FINANCEURS.index(ligne.financeur), ligne.libelle),
            ),
            candidatures=CandidatureFdi.objects.visible_to(user).filter(projet=projet).select_related("appel"),
            peut_gerer=peut_gerer,
            transitions=[EtatProjet(e) for e in TRANSITIONS_PROJET[EtatProjet(projet.etat)]] if peut_gerer else [],
            **kwargs,
        )


class ProjetCreation(AgentRequisMixin, TemplateView):
    template_name = "financements/projet_formulaire.html"

    def projet(self):
        return Projet()

    def periodes_initiales(self, projet):
        return [
            {"pk": p.pk, "libelle": p.libelle, "debut": p.debut, "fin": p.fin}
            for p in (projet.periodes.order_by("ordre", "debut") if projet.pk else [])
        ]

    def get(self, request, *args, **kwargs):
        projet = self.projet()
        return self.afficher(
            ProjetForm(instance=projet, user=request.user),
            PeriodesFormSet(initial=self.periodes_initiales(projet), prefix="periodes"),
            projet,
        )

    def post(self, request, *args, **kwargs):
        projet = self.projet()
        form = ProjetForm(request.POST, instance=projet, user=request.user)
        periodes = PeriodesFormSet(request.POST, initial=self.periodes_initiales(projet), prefix="periodes")
        nouveau = projet.pk is None
        if form.is_valid() and periodes.is_valid():
            connues = {p["pk"] for p in self.periodes_initiales(projet)}
            saisies = [
                services.SaisiePeriode(
                    f.cleaned_data["libelle"].strip(),
                    f.cleaned_data["debut"],
                    f.cleaned_data["fin"],
                    f.cleaned_data.get("pk") if f.cleaned_data.get("pk") in connues else None,
                )
                for f in periodes.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                projet = services.enregistrer_projet(form.instance, saisies)
            except ValidationError as erreur:
                reporter_refus(form, erreur)
                if nouveau:
                    # Rolled back: the project shown is still a new one.
                    form.instance.pk = None
            else:
                messages.success(request, f"Le projet « {projet.nom} » a été enregistré.")
                return redirect("financements:projet", pk=projet.pk)
        return self.afficher(form, periodes, projet)

    def afficher(self, form, periodes, projet):
        return self.render_to_response(self.get_context_data(form=form, periodes=periodes, projet=projet))


class ProjetModification(ProjetCreation):
    def projet(self):
        return get_object_or_404(Projet.objects.gerees_par(self.request.user), pk=self.kwargs["pk"])


class BudgetModification(AgentRequisMixin, TemplateView):
    """The budget table typed row by row: a rubrique, a label, an amount per period, a remark."""

    template_name = "financements/budget_formulaire.html"

    def dispatch(self, request, *args, **kwargs):
        self.projet = get_object_or_404(Projet.objects.gerees_par(request.user), pk=kwargs["pk"])
        self.periodes = list(self.projet.periodes.order_by("ordre", "debut"))
        return super().dispatch(request, *args, **kwargs)

    def initial(self):
        tableau = queries.tableau_budget(self.projet)
        return [
            {
                "rubrique": rubrique.rubrique,
                "libelle": ligne.libelle,
                "remarque": ligne.remarque,
                **{f"montant_{p.pk}": m for p, m in zip(self.periodes, ligne.montants, strict=True)},
            }
            for rubrique in tableau.charges + tableau.produits
            for ligne in rubrique.lignes
        ]

    def formset(self, donnees=None):
        return BudgetFormSet(donnees, initial=self.initial(), prefix="budget", periodes=self.periodes)

    def get(self, request, *args, **kwargs):
        return self.afficher(self.formset())

    def post(self, request, *args, **kwargs):
        formset = self.formset(request.POST)
        erreurs = []
        if formset.is_valid():
            try:
                services.enregistrer_budget(self.projet, formset.saisies())
            except ValidationError as erreur:
                erreurs = erreur.messages
            else:
                messages.success(request, "Le budget a été enregistré.")
                return redirect("financements:projet", pk=self.projet.pk)
        return self.afficher(formset, erreurs)

    def afficher(self, formset, erreurs=()):
        return self.render_to_response(
            self.get_context_data(
                projet=self.projet,
                periodes=self.periodes,
                formset=formset,
                erreurs=erreurs,
                equilibre_exige=self.projet.etat in ETATS_EQUILIBRE_EXIGE,
            )
        )


class ChangementEtatProjet(AgentRequisMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        projet = get_object_or_404(Projet.objects.gerees_par(request.user), pk=pk)
        form = EtatProjetForm(request.POST, projet=projet)
        if not form.is_valid():
            messages.error(request, "Ce changement d'état n'est pas possible.")
            return redirect("financements:projet", pk=pk)
        try:
            projet = services.changer_etat_projet(projet, form.cleaned_data["etat"])
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            messages.success(request, f"Le projet est maintenant « {projet.get_etat_display().lower()} ».")
        return redirect("financements:projet", pk=pk)


# FDI calls ---------------------------------------------------------------------------------------------------------


class AppelListe(PerimetreMixin, ListView):
    model = AppelAProjets
    template_name = "financements/appel_liste.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                nombre=Count("candidatures", distinct=True),
                accordees=Count("candidatures", filter=Q(candidatures__decision=DecisionFdi.ACCORDEE), distinct=True),
            )
            .order_by("-annee", "departement", "nom")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(peut_creer=self.request.user.perimetre.est_agent, **kwargs)


class AppelDetail(PerimetreMixin, DetailView):
    model = AppelAProjets
    template_name = "financements/appel_detail.html"
    context_object_name = "appel"

    def get_context_data(self, **kwargs):
        appel, user = self.object, self.request.user
        candidatures = list(
            CandidatureFdi.objects.visible_to(user)
            .filter(appel=appel)
            .select_related("projet")
            .order_by("projet__nom")
        )
        peut_gerer = AppelAProjets.objects.gerees_par(user).filter(pk=appel.pk).exists()
        plafonds = appel.plafonds
        return super().get_context_data(
            candidatures=[
                (
                    c,
                    regles.aide_maximale(plafonds.taux_investissement, c.cout_eligible_investissement),
                    regles.aide_maximale(plafonds.taux_conseil, c.cout_eligible_conseil),
                )
                for c in candidatures
            ],
            total_demande=sum((c.aide_totale for c in candidatures), regles.ZERO),
            total_accorde=sum(
                (c.aide_totale for c in candidatures if c.decision == DecisionFdi.ACCORDEE), regles.ZERO
            ),
            peut_gerer=peut_gerer,
            **kwargs,
        )


class AppelCreation(AgentRequisMixin, FormView):
    form_class = AppelForm
    template_name = "financements/appel_formulaire.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.appel()}

    def appel(self):
        return AppelAProjets()

    def form_valid(self, form):
        try:
            appel = services.enregistrer_appel(form.instance)
        except ValidationError as erreur:
            reporter_refus(form, erreur)
            return self.form_invalid(form)
        messages.success(self.request, f"L'appel à projets « {appel.nom} » a été enregistré.")
        return redirect("financements:appel", pk=appel.pk)


class AppelModification(AppelCreation):
    def appel(self):
        return get_object_or_404(AppelAProjets.objects.gerees_par(self.request.user), pk=self.kwargs["pk"])


class CandidatureCreation(AgentRequisMixin, FormView):
    form_class = CandidatureForm
    template_name = "financements/candidature_formulaire.html"

    def dispatch(self, request, *args, **kwargs):
        self.candidature = self.get_candidature()
        return super().dispatch(request, *args, **kwargs)

    def get_candidature(self):
        appel = get_object_or_404(AppelAProjets.objects.gerees_par(self.request.user), pk=self.kwargs["pk"])
        return CandidatureFdi(appel=appel)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "appel": self.candidature.appel,
            "instance": self.candidature,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(appel=self.candidature.appel, candidature=self.candidature, **kwargs)

    def form_valid(self, form):
        nouvelle = form.instance.pk is None
        try:
            candidature = services.enregistrer_candidature(form.instance)
        except ValidationError as erreur:
            reporter_refus(form, erreur)
            if nouvelle:
                form.instance.pk = None
            return self.form_invalid(form)
        messages.success(self.request, f"La candidature de « {candidature.projet.nom} » a été enregistrée.")
        return redirect("financements:appel", pk=candidature.appel_id)


class CandidatureModification(CandidatureCreation):
    def get_candidature(self):
        return get_object_or_404(
            CandidatureFdi.objects.gerees_par(self.request.user).select_related("appel", "projet"),
            pk=self.kwargs["pk"],
        )
