import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.generic import DetailView, TemplateView

from base.calendrier import annee_plausible, annees_proposees, de_mois, dernier_jour_du_mois
from base.vues import NominatifRequisMixin
from comptes.choix import annee_demandee
from conventions.models import AnnexeFinanciere
from parcours.regles import depasse_le_contrat, heures_contractuelles_du_mois

from . import services
from .forms import LignesFormSet, MotifVersionForm, RenvoiForm
from .models import DeclarationMensuelle, EtatDeclaration
from .queries import (
    LIBELLES,
    comptes_par_statut,
    etp_conventionnes_du_mois,
    heures_retenues_du_mois,
    mois_precedent,
    parcours_a_declarer,
    suivi_des_declarations,
    totaux_retenus,
)
from .regles import (
    avertissement_depassement,
    echeance_declaration,
    etp_realises,
    heures_d_apres_le_contrat,
    se_modifie_sur_place,
    sortie_du_mois,
)
from .services import LIBELLES_CHAMPS


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


# The grid's fields the checks of the services name by their label (a file names its columns instead).
CHAMPS_DE_LA_GRILLE = {
    LIBELLES_CHAMPS["heures_travaillees"]: "heures",
    LIBELLES_CHAMPS["date_sortie"]: "date_sortie",
    LIBELLES_CHAMPS["motif_sortie"]: "motif_sortie",
}


@dataclass
class Rangee:
    form: object
    parcours: object
    contrat: object
    heures: Decimal | None  # what the row holds now: saved, pre-filled or typed (None when empty or invalid)
    avertissement: str = ""

    @property
    def vide(self) -> bool:
        """Nothing typed in the hours (a row whose hours are refused is not empty)."""
        valeur = self.form["heures"].value()
        return valeur is None or str(valeur).strip() == ""

    @property
    def nom(self) -> str:
        return f"{self.parcours.salarie.nom.upper()} {self.parcours.salarie.prenom}"


@dataclass
class ErreurResumee:
    """One line of the error summary, linking to the field it is about."""

    cible: str
    nom: str
    champ: str
    message: str


@dataclass
class Totaux:
    heures: Decimal
    etp: Decimal
    etp_conventionnes: Decimal | None


class Saisie(NominatifRequisMixin, TemplateView):
    """The month's grid, pre-filled with the salariés in parcours that month: save as draft, or check a summary then
    transmit. Nothing is written before the grid is valid as a whole."""

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

    def contrats(self, parcours) -> dict:
        return {p.pk: services.contrat_du_mois(list(p.contrats.all()), p, self.mois) for p in parcours}

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

    def pre_remplir(self, initial, parcours, contrats) -> dict[str, int]:
        """The empty rows filled with the salarié's hours of the previous month, or without any, with the hours of
        the contract; rows already holding hours are left alone. Nothing is saved here."""
        precedentes = heures_retenues_du_mois([p.pk for p in parcours], mois_precedent(self.mois))
        comptes = {"precedent": 0, "contrat": 0}
        for valeurs, p in zip(initial, parcours, strict=True):
            if valeurs["heures"] is not None:
                continue
            if p.pk in precedentes:
                valeurs["heures"], source = precedentes[p.pk], "precedent"
            else:
                contrat = contrats[p.pk]
                valeurs["heures"] = heures_d_apres_le_contrat(
                    heures_contractuelles_du_mois(contrat.heures_hebdo) if contrat else None
                )
                source = "contrat"
            if valeurs["heures"] is not None:
                comptes[source] += 1
        return comptes

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

    @staticmethod
    def heures_de(form) -> Decimal | None:
        if not form.is_bound:
            return form.initial.get("heures")
        return getattr(form, "cleaned_data", {}).get("heures") if not form.errors.get("heures") else None

    def rangees(self, formset, parcours, contrats) -> list[Rangee]:
        rangees = []
        for form, p in zip(formset, parcours, strict=True):
            rangee = Rangee(form, p, contrats[p.pk], self.heures_de(form))
            if (
                rangee.contrat
                and rangee.heures is not None
                and depasse_le_contrat(rangee.heures, rangee.contrat.heures_hebdo)
            ):
                rangee.avertissement = avertissement_depassement(rangee.heures, rangee.contrat.heures_hebdo)
                # The warning said on the row is read with the field, as its errors are.
                champ = form["heures"]
                decrit = [f"{champ.auto_id}_error"] if champ.errors else []
                form.fields["heures"].widget.attrs["aria-describedby"] = " ".join(
                    [*decrit, f"{champ.auto_id}_avertissement"]
                )
            rangees.append(rangee)
        return rangees

    def totaux(self, rangees) -> Totaux:
        heures = sum((r.heures for r in rangees if r.heures is not None), Decimal(0))
        return Totaux(
            heures,
            etp_realises(heures, self.annexe.heures_annuelles_par_etp),
            etp_conventionnes_du_mois(self.annexe, self.mois),
        )

    @staticmethod
    def resume_des_erreurs(rangees, formulaire_version) -> list[ErreurResumee]:
        resume = []
        for rangee in rangees:
            for nom_champ, erreurs in rangee.form.errors.items():
                champ = rangee.form[nom_champ]
                resume.extend(ErreurResumee(champ.auto_id, rangee.nom, champ.label, e) for e in erreurs)
        if formulaire_version is not None and formulaire_version.is_bound:
            champ = formulaire_version["motif_version"]
            resume.extend(ErreurResumee(champ.auto_id, "", champ.label, e) for e in champ.errors)
        return resume

    @staticmethod
    def reporter_les_refus(formset, parcours, erreurs) -> None:
        """The refusals of the services (no contract this month, a PASS not valid, an exit outside the month) put
        on the field of their row, so that they are said there and linked from the summary."""
        par_parcours = {p.pk: form for form, p in zip(formset, parcours, strict=True)}
        for erreur in erreurs:
            form = par_parcours.get(erreur.parcours_id)
            if form is None:
                continue
            champ = CHAMPS_DE_LA_GRILLE.get(erreur.champ)
            message = erreur.message if champ else f"{erreur.champ} : {erreur.message}"
            form.add_error(champ or "heures", message)

    def contexte(self, formset, parcours, formulaire_version=None, **autres):
        contrats = self.contrats(parcours)
        rangees = self.rangees(formset, parcours, contrats)
        formulaire_version = formulaire_version or self.formulaire_version_vierge()
        erreurs = self.resume_des_erreurs(rangees, formulaire_version)
        return {
            "annexe": self.annexe,
            "mois": self.mois,
            "echeance": echeance_declaration(self.mois),
            "declaration": self.declaration,
            "transmise": self.transmise,
            "formulaire_version": formulaire_version,
            "rangees": rangees,
            "avertissements": [r for r in rangees if r.avertissement],
            "lignes_vides": sum(1 for r in rangees if r.vide),
            "formset": formset,
            "erreurs": erreurs,
            "totaux": self.totaux(rangees),
            "mois_precedent_grille": mois_precedent(self.mois),
            **autres,
        }

    def get(self, request, *args, **kwargs):
        parcours, lignes = self.parcours_du_mois()
        initial = self.initial(parcours, lignes)
        pre_remplissage = None
        if request.GET.get("reprendre"):
            pre_remplissage = self.pre_remplir(initial, parcours, self.contrats(parcours))
        formset = LignesFormSet(initial=initial, prefix="lignes")
        return self.render_to_response(self.contexte(formset, parcours, pre_remplissage=pre_remplissage))

    def recapitulatif(self, rangees, totaux, motifs: dict) -> dict:
        """What the person checks before transmitting: the totals, the salariés left without hours (they leave the
        declaration), the exits declared, and the previous month of the annexe."""
        precedent = mois_precedent(self.mois)
        totaux_precedents = totaux_retenus(self.annexe, precedent)
        sorties = [
            (r.nom, r.form.cleaned_data["date_sortie"], motifs.get(r.form.cleaned_data["motif_sortie"], ""))
            for r in rangees
            if r.heures is not None and r.form.cleaned_data.get("date_sortie")
        ]
        return {
            "declares": sum(1 for r in rangees if r.heures is not None),
            "sans_heures": [r.nom for r in rangees if r.heures is None],
            "sorties": sorties,
            "mois_precedent": precedent,
            "precedent": Totaux(*totaux_precedents, None) if totaux_precedents else None,
            "ecart_heures": totaux.heures - totaux_precedents[0] if totaux_precedents else None,
            "ecart_etp": totaux.etp - totaux_precedents[1] if totaux_precedents else None,
        }

    def post(self, request, *args, **kwargs):
        parcours, lignes = self.parcours_du_mois()
        formset = LignesFormSet(request.POST, initial=self.initial(parcours, lignes), prefix="lignes")
        postes = [f["parcours"].value() for f in formset]
        if [str(p) for p in postes] != [str(p.pk) for p in parcours]:
            # The list of salariés changed since the page was shown (a hire or an exit recorded meanwhile).
            messages.error(request, "La liste des salariés du mois a changé : vérifiez la grille puis renvoyez-la.")
            return redirect(request.path)
        formulaire_version = MotifVersionForm(request.POST) if self.transmise else None
        action = request.POST.get("action")
        if action == "revoir":
            # Back from the summary to the grid as it was typed: nothing checked again, nothing written.
            return self.render_to_response(self.contexte(formset, parcours, formulaire_version=formulaire_version))
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
        if action == "recapitulatif":
            verification = services.verifier_lignes(
                self.mois,
                saisies,
                services.contrats_par_parcours([s.parcours.pk for s in saisies]),
                services.codes_motifs(),
            )
            if verification.erreurs:
                self.reporter_les_refus(formset, parcours, verification.erreurs)
                return self.render_to_response(self.contexte(formset, parcours, formulaire_version=formulaire_version))
            contexte = self.contexte(formset, parcours, formulaire_version=formulaire_version)
            motifs = dict(formset.motifs)
            contexte["recapitulatif"] = self.recapitulatif(contexte["rangees"], contexte["totaux"], motifs)
            return self.render_to_response(contexte)
        transmettre = action == "transmettre"
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
            self.reporter_les_refus(formset, parcours, refus.erreurs)
            return self.render_to_response(self.contexte(formset, parcours, formulaire_version=formulaire_version))
        except services.EcritureConcurrente:
            return render(
                request,
                "409.html",
                {
                    "message": f"La déclaration {de_mois(self.mois)} a été enregistrée au même moment par une autre "
                    "page ou une autre personne : la vôtre ne l'a pas été.",
                    "retour": request.path,
                    "retour_libelle": "Revoir la déclaration du mois",
                },
                status=409,
            )
        # The confirmation first; the rows over their contract are shown once, grouped, by the grid itself (and
        # were in the summary before transmitting), not as one message each.
        if transmettre and comptes["ecrit"]:
            messages.success(
                request,
                f"Déclaration {de_mois(self.mois)} transmise "
                f"(version {declaration.version}, {len(saisies)} salariés).",
            )
        elif comptes["ecrit"]:
            messages.success(request, f"Brouillon enregistré (version {declaration.version}).")
        if not comptes["ecrit"]:
            messages.info(request, f"Aucun changement : la version {declaration.version} reste telle quelle.")
        elif comptes["nouvelle_version"]:
            messages.info(
                request,
                f"Version {declaration.version} créée : la version {declaration.version - 1} reste enregistrée "
                "telle quelle.",
            )
        if transmettre:
            return redirect("declarations:detail", pk=declaration.pk)
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
