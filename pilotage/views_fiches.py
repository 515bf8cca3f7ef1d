"""The fiches that gather several floors on one page: an annexe with its months (conventionné, réalisé, the
declarations' deadlines) and a salarié with their parcours, hours and PASS IAE. Their data comes from each app's
queries; the pages live here, above them all."""

import datetime as dt
from decimal import Decimal

from django.views.generic import DetailView

from base.calendrier import Periode
from base.vues import NominatifRequisMixin, PerimetreMixin
from conventions.forms import EtatForm
from conventions.models import AnnexeFinanciere
from conventions.regles import implications_du_changement, libelle_du_changement
from declarations.queries import heures_par_parcours, restes_a_declarer, suivi_des_declarations
from indicateurs.queries_consommation import consommation_mensuelle
from parcours.chronologie import chronologie
from parcours.models import Parcours, Salarie
from parcours.queries_pass import fins_des_pass, suspensions_et_prolongations
from siae.models import Siae


class AnnexeDetail(PerimetreMixin, DetailView):
    model = AnnexeFinanciere
    template_name = "pilotage/annexe.html"
    context_object_name = "annexe"

    def get_queryset(self):
        return super().get_queryset().select_related("siae", "convention")

    def get_context_data(self, **kwargs):
        annexe = self.object
        user = self.request.user
        periode = Periode(annexe.date_debut, annexe.date_fin.replace(day=1))
        mois = consommation_mensuelle(AnnexeFinanciere.objects.filter(pk=annexe.pk), periode)
        suivis = {s.mois: s for s in suivi_des_declarations([annexe.pk], periode.debut, periode.fin)}
        peut_gerer = AnnexeFinanciere.objects.gerees_par(user).filter(pk=annexe.pk).exists()
        formulaire_etat = EtatForm(annexe=annexe) if peut_gerer else None
        reste = restes_a_declarer(list(suivis.values()))
        # One button per state reachable, each confirmed with what it implies (nothing is preselected).
        changements_etat = [
            {
                "etat": etat,
                "libelle": libelle_du_changement(annexe.etat, etat),
                "message": f"L'annexe {annexe.numero} passera de « {annexe.get_etat_display()} » à « {nom} ».",
                "implications": implications_du_changement(annexe.etat, etat, reste.mois, reste.a_valider),
            }
            for etat, nom in (formulaire_etat.fields["etat"].choices if formulaire_etat else [])
            if etat
        ]
        peut_declarer = Siae.objects.avec_donnees_nominatives(user).filter(pk=annexe.siae_id).exists()
        return super().get_context_data(
            mois=[(ligne, suivis.get(ligne.mois)) for ligne in mois],
            avenants=annexe.avenants.select_related("auteur").order_by("rang_avenant", "rang_modification"),
            peut_gerer=peut_gerer,
            peut_declarer=peut_declarer,
            formulaire_etat=formulaire_etat,
            changements_etat=changements_etat,
            mois_courant=dt.date.today().replace(day=1),
            **kwargs,
        )


class SalarieDetail(NominatifRequisMixin, DetailView):
    model = Salarie
    template_name = "pilotage/salarie.html"
    context_object_name = "salarie"

    def get_queryset(self):
        return Salarie.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        # Only the parcours the user may see: another structure's parcours of the same person stays hidden.
        parcours = list(
            Parcours.objects.visible_to(user)
            .filter(salarie=self.object)
            .select_related("siae", "pass_iae", "motif_sortie")
            .prefetch_related("contrats", "actions_insertion")
            .order_by("-date_embauche")
        )
        par_parcours = heures_par_parcours(parcours)
        # The suspensions and prolongations of their PASS, read once for all the parcours (those the user may see).
        suspensions, prolongations = suspensions_et_prolongations(user, {p.pass_iae_id for p in parcours})
        # The official end beside the computed one, and their difference flagged.
        fins = fins_des_pass(list({p.pass_iae_id: p.pass_iae for p in parcours}.values()))
        return super().get_context_data(
            parcours=[
                (
                    p,
                    chronologie(
                        p,
                        par_parcours.get(p.pk, []),
                        suspensions.get(p.pass_iae_id, []),
                        prolongations.get(p.pass_iae_id, []),
                    ),
                    sum((h for _, h in par_parcours.get(p.pk, [])), Decimal(0)),
                    fins[p.pass_iae_id],
                )
                for p in parcours
            ],
            **kwargs,
        )
