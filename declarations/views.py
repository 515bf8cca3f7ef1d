import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.generic import DetailView, TemplateView

from base.calendrier import annee_plausible, annees_proposees, dernier_jour_du_mois
from base.vues import NominatifRequisMixin
from comptes.choix import annee_demandee
from conventions.models import AnnexeFinanciere

from . import services
from .forms import LignesFormSet, MotifVersionForm, RenvoiForm
from .models import DeclarationMensuelle, EtatDeclaration
from .queries import LIBELLES, comptes_par_statut, mois_precedent, parcours_a_declarer, suivi_des_declarations
from .regles import echeance_declaration, se_modifie_sur_place, sortie_du_mois


class Suivi(NominatifRequisMixin, TemplateView):
    """Agents: the département's declarations of a month, on time, late or missing. SIAE staff: their months."""

    template_name = "declarations/suivi.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        aujourd_hui = timezone.localdate()
        annexes = AnnexeFinanciere.objects.de_la_structure(user).actives()
        contexte = {"aujourd_hui": aujourd_hui, "libelles": LIBELLES}
        if user.perimetre.est_agent:
            try:
                mois = dt.datetime.strptime(self.request.GET.get("mois", ""), "%Y-%m").date()
            except ValueError:
                mois = mois_precedent(aujourd_hui)
            if not annee_plausible(mois.year):
                mois = mois_precedent(aujourd_hui)
            debut_annee = mois.replace(month=1)
            annee = suivi_des_declarations(annexes, debut_annee, dt.date(mois.year, 12, 1), aujourd_hui)
            par_mois = {}
            for suivi in annee:
                par_mois.setdefault(suivi.mois, []).append(suivi)
            contexte.update(
                vue="agent",
                mois=mois,
                echeance=echeance_declaration(mois),
                lignes=par_mois.get(mois, []),
                comptes=comptes_par_statut(par_mois.get(mois, [])),
                annee=[(m, comptes_par_statut(s)) for m, s in sorted(par_mois.items())],
                precedent=mois_precedent(mois),
                suivant=dernier_jour_du_mois(mois) + dt.timedelta(days=1),
            )
        else:
            annee = annee_demandee(self.request)
            fin = min(dt.date(annee, 12, 1), aujourd_hui.replace(day=1))
            lignes = suivi_des_declarations(annexes, dt.date(annee, 1, 1), fin, aujourd_hui)
            contexte.update(
                vue="siae",
                annee=annee,
                # The year and the three before: the months a structure may still have to declare or correct.
                annees=annees_proposees(avant=3, apres=0, aujourd_hui=aujourd_hui),
                lignes=sorted(lignes, key=lambda s: (s.mois, s.numero), reverse=True),
            )
        return super().get_context_data(**contexte, **kwargs)


class Saisie(NominatifRequisMixin, TemplateView):
    """The month's grid, pre-filled with the salariés in parcours that month: save as draft, or transmit."""

    template_name = "declarations/saisie.html"

    def dispatch(self, request, *args, **kwargs):
        self.annexe = get_object_or_404(
            AnnexeFinanciere.objects.de_la_structure(request.user).actives().select_related("siae"),
            pk=kwargs["annexe"],
        )
        try:
            self.mois = dt.date(kwargs["annee"], kwargs["mois"], 1)
        except (ValueError, OverflowError):  # a month of 20 digits overflows the C integer before it is checked
            raise Http404("Mois inconnu.") from None
        if not (self.annexe.date_debut <= self.mois <= self.annexe.date_fin) or self.mois > timezone.localdate():
            raise Http404("Ce mois n'est pas à déclarer pour cette annexe.")
        self.declaration = services.derniere_version(self.annexe, self.mois)
        return super().dispatch(request, *args, **kwargs)

    def parcours_du_mois(self):
        lignes = {}
        if self.declaration:
            lignes = {ligne.parcours_id: ligne for ligne in self.declaration.lignes.select_related("motif_sortie")}
        return parcours_a_declarer(self.annexe.siae, self.mois, lignes.keys()), lignes

    def initial(self, parcours, lignes):
        """The month's lines; an exit recorded on the parcours this month shows in its row too."""
        initial = []
        for p in parcours:
            ligne = lignes.get(p.pk)
            declaree = (ligne.date_sortie, ligne.motif_sortie) if ligne else (None, None)
            sortie, motif = sortie_du_mois(self.mois, declaree, (p.date_sortie, p.motif_sortie))
            initial.append(
                {
                    "parcours": p.pk,
                    "heures": ligne.heures_travaillees if ligne else None,
                    "date_sortie": sortie,
                    "motif_sortie": motif.code if motif else "",
                }
            )
        return initial

    @property
    def transmise(self) -> bool:
        """The version shown was transmitted: saving the grid opens the next one, for a reason given."""
        return self.declaration is not None and not se_modifie_sur_place(self.declaration.etat)

    def formulaire_version_vierge(self) -> MotifVersionForm | None:
        if not self.transmise:
            return None
        if self.declaration.etat == EtatDeclaration.A_CORRIGER:
            demande = f"Correction demandée par la DDETS : {self.declaration.motif_retour}"
            return MotifVersionForm(initial={"motif_version": demande[:500]})
        return MotifVersionForm()

    def contexte(self, formset, parcours, erreurs=None, formulaire_version=None):
        erreurs = erreurs or []
        par_parcours = {}
        for erreur in erreurs:
            par_parcours.setdefault(erreur.parcours_id, []).append(erreur)
        contrats = {p.pk: services.contrat_du_mois(list(p.contrats.all()), p, self.mois) for p in parcours}
        total = sum(
            (f.cleaned_data.get("heures") or Decimal(0) for f in formset if hasattr(f, "cleaned_data")), Decimal(0)
        )
        return {
            "annexe": self.annexe,
            "mois": self.mois,
            "echeance": echeance_declaration(self.mois),
            "declaration": self.declaration,
            "transmise": self.transmise,
            "formulaire_version": formulaire_version or self.formulaire_version_vierge(),
            "rangees": [
                (f, p, contrats[p.pk], par_parcours.get(p.pk, [])) for f, p in zip(formset, parcours, strict=True)
            ],
            "formset": formset,
            "erreurs": erreurs,
            "total": total,
        }

    def get(self, request, *args, **kwargs):
        parcours, lignes = self.parcours_du_mois()
        formset = LignesFormSet(initial=self.initial(parcours, lignes), prefix="lignes")
        return self.render_to_response(self.contexte(formset, parcours))

    def post(self, request, *args, **kwargs):
        parcours, lignes = self.parcours_du_mois()
        formset = LignesFormSet(request.POST, initial=self.initial(parcours, lignes), prefix="lignes")
        postes = [f["parcours"].value() for f in formset]
        if [str(p) for p in postes] != [str(p.pk) for p in parcours]:
            # The list of salariés changed since the page was shown (a hire or an exit recorded meanwhile).
            messages.error(request, "La liste des salariés du mois a changé : vérifiez la grille puis renvoyez-la.")
            return redirect(request.path)
        formulaire_version = MotifVersionForm(request.POST) if self.transmise else None
        if not formset.is_valid() or (formulaire_version is not None and not formulaire_version.is_valid()):
            return self.render_to_response(self.contexte(formset, parcours, formulaire_version=formulaire_version))
        par_id = {p.pk: p for p in parcours}
        saisies = [
            services.LigneSaisie(
                parcours=par_id[f.cleaned_data["parcours"]],
                heures=f.cleaned_data["heures"],
                date_sortie=f.cleaned_data["date_sortie"],
                motif_sortie=f.cleaned_data["motif_sortie"],
            )
            for f in formset
            if f.cleaned_data.get("parcours") in par_id and f.cleaned_data.get("heures") is not None
        ]
        transmettre = request.POST.get("action") == "transmettre"
        try:
            declaration, comptes = services.enregistrer_lignes(
                self.annexe,
                self.mois,
                saisies,
                auteur=request.user,
                transmettre=transmettre,
                remplacer=True,
                motif=formulaire_version.cleaned_data["motif_version"] if formulaire_version else "",
            )
        except services.DeclarationRefusee as refus:
            return self.render_to_response(
                self.contexte(formset, parcours, refus.erreurs, formulaire_version=formulaire_version)
            )
        except services.EcritureConcurrente:
            return render(
                request,
                "409.html",
                {
                    "message": f"La déclaration de {self.mois:%m/%Y} a été enregistrée au même moment par une autre "
                    "page ou une autre personne : la vôtre ne l'a pas été.",
                    "retour": request.path,
                    "retour_libelle": "Revoir la déclaration du mois",
                },
                status=409,
            )
        for avertissement in comptes["avertissements"]:
            messages.warning(request, str(avertissement))
        if not comptes["ecrit"]:
            messages.info(request, f"Aucun changement : la version {declaration.version} reste telle quelle.")
        elif comptes["nouvelle_version"]:
            messages.info(
                request,
                f"Version {declaration.version} créée : la version {declaration.version - 1} reste enregistrée "
                "telle quelle.",
            )
        if transmettre:
            if comptes["ecrit"]:
                messages.success(
                    request,
                    f"Déclaration de {self.mois:%m/%Y} transmise (version {declaration.version}, "
                    f"{len(saisies)} salariés).",
                )
            return redirect("declarations:detail", pk=declaration.pk)
        if comptes["ecrit"]:
            messages.success(request, f"Brouillon enregistré (version {declaration.version}).")
        return redirect(request.path)


class Detail(NominatifRequisMixin, DetailView):
    template_name = "declarations/detail.html"
    context_object_name = "declaration"

    def get_queryset(self):
        return DeclarationMensuelle.objects.de_la_structure(self.request.user).select_related(
            "annexe__siae", "transmise_par", "creee_par"
        )

    def get_context_data(self, **kwargs):
        declaration = self.object
        versions = (
            DeclarationMensuelle.objects.filter(annexe=declaration.annexe, mois=declaration.mois)
            .select_related("creee_par")
            .order_by("-version")
        )
        lignes = declaration.lignes.select_related("parcours__salarie", "parcours__pass_iae", "motif_sortie").order_by(
            "parcours__salarie__nom", "parcours__salarie__prenom"
        )
        derniere = versions.first()
        return super().get_context_data(
            lignes=lignes,
            total=sum((ligne.heures_travaillees for ligne in lignes), Decimal(0)),
            versions=versions,
            est_derniere=derniere.pk == declaration.pk,
            est_agent=DeclarationMensuelle.objects.gerees_par(self.request.user).filter(pk=declaration.pk).exists(),
            formulaire_renvoi=RenvoiForm(),
            echeance=echeance_declaration(declaration.mois),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        # Validating or sending back is for the DDETS of the structure's département only.
        declaration = get_object_or_404(DeclarationMensuelle.objects.gerees_par(request.user), pk=kwargs["pk"])
        try:
            if request.POST.get("action") == "valider":
                services.valider_declaration(declaration)
                messages.success(request, "Déclaration validée.")
            elif request.POST.get("action") == "renvoyer":
                formulaire = RenvoiForm(request.POST)
                if not formulaire.is_valid():
                    raise ValidationError("Indiquez ce que la structure doit corriger.")
                services.renvoyer_declaration(declaration, formulaire.cleaned_data["motif_retour"])
                messages.success(request, "Déclaration renvoyée à la structure.")
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        return redirect("declarations:detail", pk=declaration.pk)
