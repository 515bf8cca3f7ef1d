"""Pages of the sorties dynamiques (spec §7), of the publics (spec §8) and of an annexe's dialogue de gestion.

Aggregated figures, not nominative: the DDETS and the CDIAE of the département see them, SIAE staff their own
structure's. The structures come from `Siae.objects.visible_to(user)`, the annexe from
`AnnexeFinanciere.objects.visible_to(user)` (404 out of scope)."""

from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from base.calendrier import Periode, annees_proposees
from base.departements import DEPARTEMENTS
from base.exports import ExportDeLaPageMixin
from base.vues import lignes_affichees
from comptes.choix import ChoixDepartementMixin, annee_demandee
from conventions.choix import ChoixAnnexesMixin
from conventions.models import AnnexeFinanciere
from conventions.queries import annexes_du_departement
from indicateurs import exports
from indicateurs.queries_consommation import (
    consommation_des_siae,
    consommation_mensuelle,
    consommation_par,
    consommation_par_type,
    periode_de_reference,
)
from indicateurs.queries_sorties import (
    TOTAL,
    AnnexeLue,
    SortiesSiae,
    Structure,
    annexes_lues,
    embauches_par,
    publics_des_siae,
    publics_par_type,
    regroupement_ei_etti,
    sorties_des_siae,
    sorties_par_departement,
    sorties_par_type,
)
from indicateurs.regles_sorties import (
    PLANCHER_EMPLOI_DURABLE,
    PLANCHER_SORTIES_DYNAMIQUES,
    CompteSorties,
    LigneDialogue,
    objectif_part_brsa,
    sous_l_objectif,
)
from siae.models import Siae

NOMBRE_D_ANNEES = 3


class ChoixStructuresMixin(ChoixDepartementMixin):
    """The structures whose figures are shown: those the user sees, of the chosen département (SIAE staff: their
    own; an administrator without a choice: all)."""

    def structures(self):
        visibles = Siae.objects.visible_to(self.request.user)
        departement = self.departement()
        return visibles.filter(departement=departement) if departement else visibles


@dataclass
class LigneSiae:
    """A structure's examined exits of the year, against its annexe's objective."""

    structure: Structure
    compte: CompteSorties
    annexe: AnnexeLue | None

    @property
    def objectif(self) -> Decimal | None:
        return self.annexe.objectif_sorties_dynamiques if self.annexe else None

    @property
    def sous_l_objectif(self) -> bool:
        return sous_l_objectif(self.compte.taux_sorties_dynamiques, self.objectif)


def _cle_du_taux(ligne: LigneSiae):
    taux = ligne.compte.taux_sorties_dynamiques
    return (taux is None, taux or 0, ligne.structure.nom.lower())


TRIS = {
    "taux": _cle_du_taux,
    "nom": lambda ligne: ligne.structure.nom.lower(),
    "type": lambda ligne: (ligne.structure.type, ligne.structure.nom.lower()),
}


class Sorties(ExportDeLaPageMixin, ChoixStructuresMixin, TemplateView):
    """By kind over three years (as in the CDIAE bilan), then each structure for the chosen year."""

    template_name = "indicateurs/sorties.html"
    nom_d_export = "sorties"

    def tableaux_exportes(self, contexte):
        return exports.tableaux_sorties(contexte, self.filtres_exportes(contexte))

    def get_context_data(self, **kwargs):
        annee = annee_demandee(self.request)
        annees = [annee - i for i in range(NOMBRE_D_ANNEES)]
        structures = self.structures()
        par_type = sorties_par_type(structures, annees)
        annexes = annexes_lues(structures, annee)
        sorties = {s.structure.siae_id: s for s in sorties_des_siae(structures, annee)}
        for siae_id, annexe in annexes.items():  # a structure with an annexe and no examined exit: a row of zeros
            if siae_id not in sorties:
                sorties[siae_id] = SortiesSiae(annexe.siae, CompteSorties())
        tri = self.request.GET.get("tri", "taux")
        lignes = [LigneSiae(s.structure, s.compte, annexes.get(siae_id)) for siae_id, s in sorties.items()]
        perimetre = self.request.user.perimetre
        plusieurs_departements = self.departement() is None and perimetre.administrateur
        lignes = sorted(lignes, key=TRIS.get(tri, TRIS["taux"]))
        affichees, non_affichees = lignes_affichees(lignes, plusieurs_departements)
        return super().get_context_data(
            **self.contexte_du_choix(annee),
            colonnes=annees,
            par_type=par_type,
            ei_etti=regroupement_ei_etti(par_type),
            par_departement=sorties_par_departement(structures, annees) if plusieurs_departements else None,
            structures=lignes,
            structures_affichees=affichees,
            structures_non_affichees=non_affichees,
            tri=tri,
            **kwargs,
        )


class Publics(ExportDeLaPageMixin, ChoixStructuresMixin, TemplateView):
    """Salariés who worked in the year by kind and by structure, and the share of bRSA among the hires."""

    template_name = "indicateurs/publics.html"
    nom_d_export = "publics"

    def tableaux_exportes(self, contexte):
        return exports.tableaux_publics(contexte, self.filtres_exportes(contexte))

    def get_context_data(self, **kwargs):
        annee = annee_demandee(self.request)
        structures = self.structures()
        siae = sorted(publics_des_siae(structures, annee), key=lambda s: (s.structure.type, s.structure.nom.lower()))
        affichees, non_affichees = lignes_affichees(
            siae, self.departement() is None and self.request.user.perimetre.administrateur
        )
        return super().get_context_data(
            **self.contexte_du_choix(annee),
            par_type=publics_par_type(structures, annee),
            structures=siae,
            structures_affichees=affichees,
            structures_non_affichees=non_affichees,
            **kwargs,
        )


class Dialogue(TemplateView):
    """An annexe's negotiated objectives against what its structure realised in the annexe's year."""

    template_name = "indicateurs/dialogue.html"

    def get_context_data(self, **kwargs):
        annexe = get_object_or_404(
            AnnexeFinanciere.objects.visible_to(self.request.user).select_related("siae"), pk=self.kwargs["pk"]
        )
        annee = annexe.date_debut.year
        annees = [annee - i for i in range(NOMBRE_D_ANNEES)]
        structure = Siae.objects.filter(pk=annexe.siae_id)
        sorties = next(ligne for ligne in sorties_par_type(structure, annees) if ligne.cle == TOTAL)
        compte = sorties.courant
        embauches = embauches_par(structure, annee, "total")[()]
        lignes = [
            LigneDialogue(
                "Sorties dynamiques",
                annexe.objectif_sorties_dynamiques,
                compte.taux_sorties_dynamiques,
                repere=PLANCHER_SORTIES_DYNAMIQUES,
            ),
            LigneDialogue(
                "dont emploi durable",
                annexe.objectif_emploi_durable,
                compte.taux_emploi_durable,
                repere=PLANCHER_EMPLOI_DURABLE,
            ),
            LigneDialogue(
                "dont emploi de transition", annexe.objectif_emploi_transition, compte.taux_emploi_transition
            ),
            LigneDialogue("dont sorties positives", annexe.objectif_sorties_positives, compte.taux_sorties_positives),
            LigneDialogue(
                "Part de bénéficiaires du RSA dans les embauches",
                objectif_part_brsa(annexe.objectif_part_brsa),
                embauches.part,
                objectif_par_defaut=annexe.objectif_part_brsa is None,
            ),
        ]
        return super().get_context_data(
            annexe=annexe,
            annee=annee,
            lignes=lignes,
            sorties=sorties,
            embauches=embauches,
            **kwargs,
        )


TRIS_CONSOMMATION = {
    "taux": lambda s: (s.reference.taux is None, s.reference.taux or 0, s.nom),
    "-taux": lambda s: (s.reference.taux is None, -(s.reference.taux or 0), s.nom),
    "nom": lambda s: s.nom.lower(),
    "type": lambda s: (s.type, s.nom.lower()),
    "etp": lambda s: (-s.reference.etp_conventionnes, s.nom.lower()),
}


class Consommation(ExportDeLaPageMixin, ChoixAnnexesMixin, TemplateView):
    """The département table by kind (as in the CDIAE bilan) and the structures sorted by rate."""

    template_name = "indicateurs/consommation.html"
    nom_d_export = "consommation"

    def tableaux_exportes(self, contexte):
        return exports.tableaux_consommation(contexte, self.filtres_exportes(contexte))

    def get_context_data(self, **kwargs):
        annee = annee_demandee(self.request)
        annexes = self.annexes(annee)
        periode = periode_de_reference(annexes, annee)
        tri = self.request.GET.get("tri", "taux")
        structures = sorted(
            consommation_des_siae(annexes, annee, materialise=True),
            key=TRIS_CONSOMMATION.get(tri, TRIS_CONSOMMATION["taux"]),
        )
        departement = self.departement()
        perimetre = self.request.user.perimetre
        affichees, non_affichees = lignes_affichees(structures, departement is None and perimetre.administrateur)
        # Nationally (administrators), the same figures per département.
        par_departement = []
        if departement is None and perimetre.administrateur:
            par_departement = sorted(
                (
                    (cle[0], DEPARTEMENTS.get(cle[0], ""), conso)
                    for cle, conso in consommation_par(
                        annexes, periode, ["siae__departement"], materialise=True
                    ).items()
                ),
                key=lambda ligne: ligne[0],
            )
        return super().get_context_data(
            par_departement=par_departement,
            **self.contexte_du_choix(annee),
            periode=periode,
            annee_complete=periode.nombre_de_mois == 12,
            par_type=consommation_par_type(annexes, periode, materialise=True),
            structures=structures,
            structures_affichees=affichees,
            structures_non_affichees=non_affichees,
            tri=tri,
            **kwargs,
        )


class ConsommationSiae(TemplateView):
    """One structure month by month (its own page: the year is chosen, not the département)."""

    template_name = "indicateurs/consommation_siae.html"

    def get_context_data(self, **kwargs):
        siae = get_object_or_404(Siae.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        annee = annee_demandee(self.request)
        annexes = AnnexeFinanciere.objects.visible_to(self.request.user).actives().filter(siae=siae)
        annexes = annexes_du_departement(None, annee, base=annexes)
        lignes = consommation_mensuelle(annexes, Periode.annee(annee))
        resume = next(iter(consommation_des_siae(annexes, annee)), None)
        return super().get_context_data(
            siae=siae,
            annee=annee,
            annees=annees_proposees(),
            lignes=lignes,
            resume=resume,
            annexes=list(annexes.order_by("date_debut")),
            **kwargs,
        )
