"""The DDETS cockpit of a département and year: every block assembled from the query functions the other pages,
the API and `exporter indicateurs` call (conventions, parcours, financement, declarations), never recomputed.

`Cockpit` takes querysets already scoped by the caller (`visible_to(user)`, then the département and the kind) and
computes each block once, on first use: an export of one table runs only that block's queries. Every block runs a
fixed number of queries, whatever the number of structures, salariés or declarations.

The rows of the exports are built by the row functions of `indicateurs/sections.py`: a table downloaded from the
cockpit has the figures, the rounding and the columns of the exporter's.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.utils.safestring import mark_safe

from aides_au_poste.exports import ligne_aides
from aides_au_poste.queries import aides_calculees, annexes_de_l_annee, par_type
from base import graphiques
from base.calendrier import Periode
from base.formats import etp, montant, taux
from base.vues import LIGNES_AFFICHEES
from declarations.queries import EN_RETARD, LIBELLES, MANQUANTE, Suivi, comptes_par_mois, suivi_des_declarations
from financements.queries import totaux_par_financeur
from indicateurs.queries import courbe_de_consommation
from indicateurs.queries_consommation import (
    consommation_des_siae,
    consommation_par_type,
    periode_de_reference,
)
from indicateurs.queries_sorties import publics_par_type, sorties_par_type
from indicateurs.regles import CONFORME, SOUS_CONSOMMATION, SUR_CONSOMMATION, Courbe
from indicateurs.regles_sorties import OBJECTIF_PART_BRSA
from indicateurs.sections import ligne_publics, ligne_siae, ligne_sorties

NOMBRE_D_ANNEES_DE_SORTIES = 3
# The chart of structures shows the ones furthest from their ETP conventionnés; the table lists them all. Nationally
# there are hundreds: one bar each would be unreadable.
STRUCTURES_DU_GRAPHIQUE = 15


def en_pourcentage(ratio: Decimal | None) -> Decimal | None:
    """A ratio (0.997) as the percentage a chart draws (99.7), None kept."""
    return None if ratio is None else ratio * 100


@dataclass
class MoisDeclarations:
    mois: dt.date
    comptes: dict[str, int]

    @property
    def en_retard(self) -> int:
        return self.comptes[EN_RETARD]

    @property
    def manquantes(self) -> int:
        return self.comptes[MANQUANTE]


class Cockpit:
    def __init__(
        self,
        annexes,
        structures,
        annee: int,
        lignes_financement=None,
        aujourd_hui: dt.date | None = None,
        objectif_brsa: Decimal | None = None,
    ):
        """`annexes`: the active annexes overlapping the year (`annexes_du_departement`); `structures`: the
        structures they belong to (a `Siae` queryset); `lignes_financement`: the financing lines
        (`financeurs.LigneFinancement`) of the same scope, None for none. All scoped and filtered the same way."""
        self.annexes = annexes
        self.structures = structures
        self.lignes_financement = lignes_financement
        self.annee = annee
        self.aujourd_hui = aujourd_hui or dt.date.today()
        # The département's threshold the DDETS sets with its bilan (40 % unless it says otherwise).
        self._objectif_brsa = objectif_brsa

    # Consumption -------------------------------------------------------------------------------------------------

    @cached_property
    def periode(self) -> Periode:
        return periode_de_reference(self.annexes, self.annee, self.aujourd_hui)

    @property
    def annee_complete(self) -> bool:
        return self.periode.nombre_de_mois == 12

    @cached_property
    def consommation(self):
        """By kind, then TOTAL (`Consommation`)."""
        return consommation_par_type(self.annexes, self.periode, materialise=True)

    @property
    def total_consommation(self):
        return self.consommation[-1]

    @cached_property
    def mensuel(self) -> Courbe:
        """The year's twelve months, cumulated (`indicateurs.queries.courbe_de_consommation`: the materialised
        monthly indicators, one query whatever the size of the département)."""
        return courbe_de_consommation(self.annexes, self.annee, self.aujourd_hui)

    @property
    def dernier_mois_realise(self) -> dt.date | None:
        return self.mensuel.dernier_mois_realise

    @property
    def projection_etp(self) -> Decimal | None:
        """The year-end ETP réalisés projected (ETP-mois of the year / 12), as a structure's `projection_etp`."""
        fin = self.mensuel.projection_fin_d_annee
        return None if fin is None else fin / 12

    @property
    def etp_conventionnes_annee(self) -> Decimal:
        return self.mensuel.cumul_conventionne[-1] / 12

    # Structures ----------------------------------------------------------------------------------------------------

    @cached_property
    def siae(self):
        """Each structure with an annexe in the year (`ConsommationSiae`), by kind then name."""
        return sorted(
            consommation_des_siae(self.annexes, self.annee, self.aujourd_hui, materialise=True),
            key=lambda s: (s.type, s.nom, s.siret),
        )

    @cached_property
    def hors_norme(self):
        """The structures in sous- or sur-consommation over the reference period, the lowest rate first."""
        return sorted(
            (s for s in self.siae if s.reference.statut in (SOUS_CONSOMMATION, SUR_CONSOMMATION)),
            key=lambda s: (s.reference.taux, s.nom),
        )

    @cached_property
    def structures_du_graphique(self):
        """The `STRUCTURES_DU_GRAPHIQUE` structures out of range with the widest projected gap (either way), by
        gap; those without a projection come last."""
        plus_eloignees = sorted(
            self.hors_norme,
            key=lambda s: (s.ecart_projection_etp is None, -abs(s.ecart_projection_etp or 0), s.nom, s.siret),
        )[:STRUCTURES_DU_GRAPHIQUE]
        return sorted(
            plus_eloignees, key=lambda s: (s.ecart_projection_etp is None, s.ecart_projection_etp or 0, s.nom)
        )

    @property
    def hors_norme_affichees(self):
        return self.hors_norme[:LIGNES_AFFICHEES]

    @property
    def hors_norme_non_affichees(self) -> int:
        return max(0, len(self.hors_norme) - LIGNES_AFFICHEES)

    @property
    def autres_hors_norme(self) -> int:
        """The structures out of range the chart leaves to the table."""
        return len(self.hors_norme) - len(self.structures_du_graphique)

    @property
    def nombre_par_statut(self) -> dict[str, int]:
        """How many structures per status, keyed for templates (`sous_consommation`, `conforme`, ...)."""
        comptes = dict.fromkeys((SOUS_CONSOMMATION, CONFORME, SUR_CONSOMMATION), 0)
        for s in self.siae:
            if s.reference.statut:
                comptes[s.reference.statut] += 1
        return {statut.replace("-", "_"): n for statut, n in comptes.items()}

    # Sorties, publics ----------------------------------------------------------------------------------------------

    @property
    def annees_de_sorties(self) -> list[int]:
        """The chosen year first, as `sorties_par_type` takes them."""
        return [self.annee - i for i in range(NOMBRE_D_ANNEES_DE_SORTIES)]

    @cached_property
    def sorties(self):
        return sorties_par_type(self.structures, self.annees_de_sorties)

    @property
    def total_sorties(self):
        return self.sorties[-1].courant

    @cached_property
    def publics(self):
        return publics_par_type(self.structures, self.annee)

    @property
    def objectif_brsa(self) -> Decimal:
        return OBJECTIF_PART_BRSA if self._objectif_brsa is None else self._objectif_brsa

    # Aides au poste ------------------------------------------------------------------------------------------------

    @cached_property
    def aides_des_annexes(self):
        """Each annexe starting in the year (`AideAnnexe`), as `exporter indicateurs`: its amounts as computed when
        its data changed (`AideCalculee`), read once for the aides and the financeurs."""
        return aides_calculees(annexes_de_l_annee(self.annexes, self.annee))

    @cached_property
    def aides(self):
        """By kind, then TOTAL (`AidesGroupe`)."""
        return par_type(self.aides_des_annexes)

    @property
    def total_aides(self):
        return self.aides[-1]

    @cached_property
    def financeurs(self):
        """Per financeur, then TOTAL (`financements.queries.TotalFinanceur`): the recorded lines of the year, plus the
        aides au poste, modulation and co-financing computed from the annexes starting in the year."""
        if self.lignes_financement is None:
            return []
        return totaux_par_financeur(
            self.lignes_financement, self.annee, annexes=self.annexes, aides=self.aides_des_annexes
        )

    # Declarations --------------------------------------------------------------------------------------------------

    @property
    def dernier_mois_du(self) -> dt.date | None:
        """The last month of the year whose declaration is due, None when none is yet."""
        return self.dernier_mois_realise

    @cached_property
    def declarations_par_mois(self) -> list[MoisDeclarations]:
        """From January to the last month due, the declarations by status: counted in SQL (nationally there are a
        hundred thousand annexes' months)."""
        if self.dernier_mois_du is None:
            return []
        comptes = comptes_par_mois(
            self.annexes, dt.date(self.annee, 1, 1), self.dernier_mois_du, aujourd_hui=self.aujourd_hui
        )
        return [MoisDeclarations(mois, du_mois) for mois, du_mois in sorted(comptes.items())]

    @property
    def retards_affiches(self) -> list[Suivi]:
        return self.retards[:LIGNES_AFFICHEES]

    @property
    def retards_non_affiches(self) -> int:
        return max(0, len(self.retards) - LIGNES_AFFICHEES)

    @cached_property
    def retards(self) -> list[Suivi]:
        """The declarations late or missing of the last month due, by structure."""
        if self.dernier_mois_du is None:
            return []
        du_dernier_mois = suivi_des_declarations(
            self.annexes, self.dernier_mois_du, self.dernier_mois_du, aujourd_hui=self.aujourd_hui
        )
        return sorted(
            (s for s in du_dernier_mois if s.statut in (EN_RETARD, MANQUANTE)),
            key=lambda s: (s.statut != MANQUANTE, s.siae_nom.lower(), s.numero),
        )

    # Tables for the exports ----------------------------------------------------------------------------------------

    def tableau(self, nom: str) -> list[dict]:
        return getattr(self, f"tableau_{nom}")()

    def tableau_chiffres(self) -> list[dict]:
        total = self.total_consommation
        return [
            {"indicateur": "etp_conventionnes", "valeur": etp(total.etp_conventionnes)},
            {"indicateur": "etp_realises", "valeur": etp(total.etp_realises)},
            {"indicateur": "taux_consommation", "valeur": taux(total.taux)},
            {
                "indicateur": "aides_au_poste_total_conventionne",
                "valeur": montant(self.total_aides.total_conventionne),
            },
            {"indicateur": "taux_sorties_dynamiques", "valeur": taux(self.total_sorties.taux_sorties_dynamiques)},
            {"indicateur": "structures_conventionnees", "valeur": len(self.siae)},
        ]

    def tableau_consommation(self) -> list[dict]:
        return [
            {
                "type": ligne.cle,
                "etp_conventionnes": etp(ligne.etp_conventionnes),
                "etp_realises": etp(ligne.etp_realises),
                "taux_consommation": taux(ligne.taux),
            }
            for ligne in self.consommation
        ]

    def tableau_mensuel(self) -> list[dict]:
        return [
            {
                "mois": p["mois"].strftime("%Y-%m"),
                "etp_mois_conventionnes": etp(p["conventionne"]),
                "etp_mois_realises": etp(p["realise"]),
                "cumul_conventionne": etp(p["cumul_conventionne"]),
                "cumul_realise": etp(p["cumul_realise"]),
                "projection_cumul": etp(p["projection"]),
            }
            for p in self.mensuel.par_mois
        ]

    def tableau_structures(self) -> list[dict]:
        return [
            {
                **ligne_siae(s),
                "projection_etp": etp(s.projection_etp),
                "ecart_projection_etp": etp(s.ecart_projection_etp),
            }
            for s in self.hors_norme
        ]

    def tableau_sorties(self) -> list[dict]:
        return [
            {"annee": annee, **ligne_sorties(ligne.cle, compte)}
            for ligne in self.sorties
            for annee, compte in ligne.par_annee
        ]

    def tableau_publics(self) -> list[dict]:
        return [
            {
                **ligne_publics(ligne.cle, ligne.publics),
                "embauches": ligne.embauches.embauches,
                "embauches_brsa": ligne.embauches.brsa,
                "part_brsa_embauches": taux(ligne.embauches.part),
                "objectif_brsa": str(ligne.embauches.objectif),
            }
            for ligne in self.publics
        ]

    def tableau_aides(self) -> list[dict]:
        return [ligne_aides(groupe.cle, groupe) for groupe in self.aides]

    def tableau_financeurs(self) -> list[dict]:
        return [
            {
                "financeur": t.financeur,
                "libelle": t.libelle,
                "engage": montant(t.engage),
                "verse": montant(t.verse),
                "reste_a_verser": montant(t.reste_a_verser),
                "part_variable_max": montant(t.part_variable_max),
                "lignes": t.lignes,
                "annexes": t.annexes,
            }
            for t in self.financeurs
        ]

    def tableau_declarations(self) -> list[dict]:
        return [{"mois": m.mois.strftime("%Y-%m"), **m.comptes} for m in self.declarations_par_mois]

    def tableau_retards(self) -> list[dict]:
        return [
            {
                "mois": s.mois.strftime("%Y-%m"),
                "structure": s.siae_nom,
                "type": s.siae_type,
                "annexe": s.numero,
                "statut": s.libelle_statut,
                "etat": s.libelle_etat,
            }
            for s in self.retards
        ]


TABLEAUX = {
    "chiffres": "Chiffres clés",
    "consommation": "Consommation par type",
    "mensuel": "Consommation mensuelle",
    "structures": "Structures hors norme",
    "sorties": "Sorties par type",
    "publics": "Publics",
    "aides": "Aides au poste",
    "financeurs": "Financements par financeur",
    "declarations": "Déclarations par mois",
    "retards": "Déclarations en retard",
}


# Charts --------------------------------------------------------------------------------------------------------
# The SVG is built by base.graphiques from our own figures and labels, which matplotlib escapes: safe to inline.


def graphique_consommation(cockpit: Cockpit) -> str:
    lignes = cockpit.consommation
    return mark_safe(
        graphiques.barres(
            [ligne.cle for ligne in lignes],
            {
                "ETP conventionnés": [ligne.etp_conventionnes for ligne in lignes],
                "ETP réalisés": [ligne.etp_realises for ligne in lignes],
            },
            titre=f"ETP conventionnés et réalisés par type de structure, {cockpit.annee}",
            largeur=600,
        )
    )


def graphique_mensuel(cockpit: Cockpit) -> str:
    return mark_safe(
        graphiques.courbe_consommation(
            cockpit.mensuel,
            titre=f"ETP-mois réalisés cumulés face aux conventionnés, {cockpit.annee}",
            largeur=660,
        )
    )


def graphique_structures(cockpit: Cockpit) -> str:
    """The gap each structure is heading for: the table's last column, what a redeployment would balance; the
    furthest ones only (`Cockpit.structures_du_graphique`)."""
    structures = cockpit.structures_du_graphique
    autres = f", les {len(structures)} plus éloignées de leur objectif" if cockpit.autres_hors_norme else ""
    return mark_safe(
        graphiques.barres_horizontales(
            [s.nom for s in structures],
            [s.ecart_projection_etp for s in structures],
            titre=(
                f"Écart en fin d'année entre ETP réalisés projetés et conventionnés des structures en sous- ou "
                f"sur-consommation{autres}, {cockpit.annee}"
            ),
            largeur=960,
        )
    )


def graphique_sorties(cockpit: Cockpit) -> str:
    lignes = cockpit.sorties
    annees = list(reversed(cockpit.annees_de_sorties))
    return mark_safe(
        graphiques.barres(
            [ligne.cle for ligne in lignes],
            {
                str(annee): [en_pourcentage(dict(ligne.par_annee)[annee].taux_sorties_dynamiques) for ligne in lignes]
                for annee in annees
            },
            titre=f"Taux de sorties dynamiques par type de structure, {annees[0]} à {annees[-1]}",
            unite="%",
            largeur=600,
        )
    )


def graphique_publics(cockpit: Cockpit) -> str:
    lignes = cockpit.publics
    return mark_safe(
        graphiques.barres(
            [ligne.cle for ligne in lignes],
            {"Part des bRSA dans les embauches": [en_pourcentage(ligne.embauches.part) for ligne in lignes]},
            titre=f"Part des bénéficiaires du RSA dans les embauches, {cockpit.annee}",
            unite="%",
            ligne_objectif=cockpit.objectif_brsa,
            largeur=600,
        )
    )


def graphique_aides(cockpit: Cockpit) -> str:
    groupes = cockpit.aides
    return mark_safe(
        graphiques.barres_horizontales(
            [g.libelle for g in groupes],
            [g.total_conventionne for g in groupes],
            titre=f"Aides au poste conventionnées par type de structure, {cockpit.annee}",
            unite="€",
            largeur=600,
        )
    )


def graphique_financeurs(cockpit: Cockpit) -> str:
    totaux = [t for t in cockpit.financeurs if t.financeur != "TOTAL"]
    return mark_safe(
        graphiques.barres_horizontales(
            [t.libelle for t in totaux],
            [t.engage for t in totaux],
            titre=f"Montants engagés par financeur, {cockpit.annee}",
            unite="€",
            largeur=600,
        )
    )


def graphique_declarations(cockpit: Cockpit) -> str:
    mois = cockpit.declarations_par_mois
    return mark_safe(
        graphiques.barres(
            [graphiques.MOIS_COURTS[m.mois.month - 1] for m in mois],
            {
                LIBELLES[EN_RETARD]: [Decimal(m.en_retard) for m in mois],
                LIBELLES[MANQUANTE]: [Decimal(m.manquantes) for m in mois],
            },
            titre=f"Déclarations mensuelles en retard ou manquantes, {cockpit.annee}",
            largeur=660,
        )
    )


GRAPHIQUES = {
    "consommation": graphique_consommation,
    "mensuel": graphique_mensuel,
    "structures": graphique_structures,
    "sorties": graphique_sorties,
    "publics": graphique_publics,
    "aides": graphique_aides,
    "financeurs": graphique_financeurs,
    "declarations": graphique_declarations,
}


def graphiques_du_cockpit(cockpit: Cockpit) -> dict[str, str]:
    """Every chart of the page, by block: read from the shared cache, drawn only when its figures are new."""
    return {nom: graphique(cockpit) for nom, graphique in GRAPHIQUES.items()}
