"""What a bilan says, assembled before any layout: the figures of `indicateurs.sections` (the very functions of
`exporter indicateurs`, so that the PDF and the export cannot differ), the charts of `base.graphiques`, and
the editorial sections written by the DDETS. Also the dialogue de gestion sheet of one structure.

A fixed number of queries whatever the number of structures: each step below runs a few aggregates."""

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from aides_au_poste import queries as aides_queries
from base import graphiques
from base.calendrier import Periode
from base.departements import DEPARTEMENTS
from base.formats import nombre_fr
from conventions.models import AnnexeFinanciere
from conventions.queries import annexes_du_departement
from financements.models import LigneFinancement
from financements.queries import regrouper_par_financeur, totaux_par_dispositif
from indicateurs import sections as indicateurs
from indicateurs.queries import courbe_de_consommation, objectif_brsa_du_departement
from indicateurs.queries_consommation import consommation_des_siae, consommation_mensuelle, periode_de_reference
from indicateurs.queries_sorties import (
    TOTAL,
    embauches_par,
    publics_des_siae,
    publics_par_type,
    regroupement_ei_etti,
    sorties_par_type,
)
from indicateurs.regles import Courbe
from indicateurs.regles_sorties import (
    PLANCHER_EMPLOI_DURABLE,
    PLANCHER_SORTIES_DYNAMIQUES,
    LigneDialogue,
    ecart_en_points,
    objectif_part_brsa,
    sous_l_objectif,
)
from siae.models import ORDRE_DES_TYPES, Siae

from . import queries, regles
from .models import SectionsEditoriales

NOMBRE_D_ANNEES = 3

# The steps of a generation, with the progression reached once each is done (the layout is the longest).
ETAPES = {
    "consommation": (15, "Consommation des ETP"),
    "sorties": (25, "Sorties dynamiques"),
    "publics": (35, "Publics et objectif bRSA"),
    "aides": (50, "Aides au poste et financements"),
    "controle": (55, "Contrôle a posteriori"),
    "structures": (65, "Annexe par structure"),
    "sections": (70, "Sections éditoriales"),
    "mise_en_page": (95, "Mise en page du PDF"),
}


def _rien(progression: int, etape: str) -> None:
    return None


@dataclass
class ChiffreCle:
    valeur: str
    libelle: str
    detail: str = ""


@dataclass
class LigneSortiesAnnees:
    """A kind (or EI/ETTI, or TOTAL) over the three years, each year as `exporter indicateurs` writes it."""

    type: str
    annees: list[dict]
    regroupement: bool = False


@dataclass
class LigneBrsa:
    type: str
    embauches: int
    brsa: int
    part: Decimal | None
    objectif: Decimal

    @property
    def ecart(self) -> Decimal | None:
        return ecart_en_points(self.part, self.objectif)

    @property
    def sous_l_objectif(self) -> bool:
        return sous_l_objectif(self.part, self.objectif)


@dataclass
class ObjectifChiffre:
    libelle: str
    objectif: Decimal  # in %
    realise: Decimal | None  # a ratio

    @property
    def ecart(self) -> Decimal | None:
        return ecart_en_points(self.realise, self.objectif)

    @property
    def atteint(self) -> bool | None:
        return None if self.realise is None else not sous_l_objectif(self.realise, self.objectif)


@dataclass
class LigneStructure:
    """A row of the annex: the structure's exported row, with its share of bRSA among its hires."""

    exportee: dict
    embauches: int = 0
    part_brsa: Decimal | None = None
    objectif_brsa: Decimal | None = None

    @property
    def sous_l_objectif_brsa(self) -> bool:
        return sous_l_objectif(self.part_brsa, self.objectif_brsa)


@dataclass
class ContenuBilan:
    departement: str
    annee: int
    date_edition: dt.date
    periode: Periode
    indicateurs: dict = field(default_factory=dict)
    chiffres_cles: list[ChiffreCle] = field(default_factory=list)
    courbe: Courbe | None = None
    graphique_consommation: str = ""
    annees_sorties: list[int] = field(default_factory=list)
    sorties: list[LigneSortiesAnnees] = field(default_factory=list)
    graphique_sorties: str = ""
    brsa: list[LigneBrsa] = field(default_factory=list)
    graphique_brsa: str = ""
    structures_sous_objectif_brsa: int = 0
    structures_avec_embauches: int = 0
    revalorisations: queries.Revalorisations | None = None
    # Per financeur and dispositif (financements.queries: the lines typed and the amounts of the annexes), and per
    # financeur with the TOTAL last.
    financements: list = field(default_factory=list)
    financeurs: list = field(default_factory=list)

    @property
    def groupes_financement(self) -> list[tuple]:
        """(financeur's total, its dispositifs) in order, without the TOTAL."""
        return [
            (f, [d for d in self.financements if d.financeur == f.financeur])
            for f in self.financeurs
            if f.financeur != TOTAL
        ]

    controles: list[queries.BilanControle] = field(default_factory=list)
    sections: SectionsEditoriales | None = None
    # The département's bRSA objective for the year (`indicateurs.ObjectifBrsa`), None when it set none.
    objectif_brsa: Decimal | None = None
    objectifs: list[ObjectifChiffre] = field(default_factory=list)
    structures: list[LigneStructure] = field(default_factory=list)

    @property
    def nom_departement(self) -> str:
        return DEPARTEMENTS.get(self.departement, self.departement)

    @property
    def prefet(self) -> str:
        return regles.prefet_de(self.departement)

    @property
    def annee_terminee(self) -> bool:
        return self.periode == Periode.annee(self.annee)

    @property
    def total_consommation(self) -> dict:
        return self.indicateurs["consommation"][-1]

    @property
    def total_sorties(self) -> dict:
        return self.indicateurs["sorties"][-1]

    @property
    def total_aides(self) -> dict:
        return self.indicateurs["aides_au_poste"][-1]

    @property
    def total_publics(self) -> dict:
        return self.indicateurs["publics"][-1]

    @property
    def seuil_brsa(self) -> Decimal:
        return objectif_part_brsa(self.objectif_brsa)

    def _points(self, champ: str) -> list[str]:
        return regles.puces(getattr(self.sections, champ, "") if self.sections else "")

    @property
    def faits_marquants(self) -> list[str]:
        return self._points("faits_marquants")

    @property
    def matrice(self) -> list[tuple[str, list[str]]]:
        """Forces, faiblesses, opportunités, menaces, in the order of the seed's grid."""
        return [
            ("Forces", self._points("forces")),
            ("Faiblesses", self._points("faiblesses")),
            ("Opportunités", self._points("opportunites")),
            ("Menaces", self._points("menaces")),
        ]

    @property
    def a_une_matrice(self) -> bool:
        return any(points for _, points in self.matrice)

    @property
    def plan_d_actions(self) -> list[regles.Axe]:
        return regles.plan_d_actions(self.sections.plan_d_actions if self.sections else "")


def _etp_mois(valeur) -> Decimal:
    return Decimal(valeur or 0)


def _taux_sorties(ligne: dict) -> Decimal | None:
    return None if ligne["taux_sorties_dynamiques"] is None else Decimal(ligne["taux_sorties_dynamiques"])


def chiffres_cles(contenu: ContenuBilan, embauches_total) -> list[ChiffreCle]:
    conso, sorties, aides, publics = (
        contenu.total_consommation,
        contenu.total_sorties,
        contenu.total_aides,
        contenu.total_publics,
    )
    par_type = Counter(ligne["type"] for ligne in contenu.indicateurs["siae"])
    repartition = ", ".join(f"{par_type[t]} {t}" for t in ORDRE_DES_TYPES if par_type[t])
    modulation = regles.montant_abrege(Decimal(aides["modulation"])) if aides["modulation"] else "–"
    return [
        ChiffreCle(nombre_fr(len(contenu.indicateurs["siae"]), 0), "structures conventionnées", repartition),
        ChiffreCle(
            f"{nombre_fr(conso['etp_conventionnes'], 2)}",
            "ETP conventionnés",
            f"{nombre_fr(conso['etp_realises'], 2)} réalisés, {regles.texte_pourcent(conso['taux_consommation'])}",
        ),
        ChiffreCle(
            nombre_fr(publics["salaries"], 0),
            "salariés en parcours",
            f"{nombre_fr(embauches_total.embauches, 0)} embauches en {contenu.annee}",
        ),
        ChiffreCle(
            regles.texte_pourcent(sorties["taux_sorties_dynamiques"]),
            "de sorties dynamiques",
            f"sur {nombre_fr(sorties['examinees'], 0)} sorties examinées",
        ),
        ChiffreCle(
            regles.montant_abrege(Decimal(aides["total_conventionne"])),
            "d'aides au poste conventionnées",
            f"dont {modulation} de modulation",
        ),
        ChiffreCle(
            regles.texte_pourcent(regles.en_pourcent(embauches_total.part)),
            "de bénéficiaires du RSA dans les embauches",
            f"objectif : {regles.texte_pourcent(contenu.seuil_brsa)}",
        ),
    ]


def assembler_bilan(
    departement: str,
    annee: int,
    rapporter: Callable[[int, str], None] = _rien,
    aujourd_hui: dt.date | None = None,
) -> ContenuBilan:
    """Everything the bilan shows; `rapporter(progression, etape)` is called as each step ends."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    annexes = annexes_du_departement(departement, annee)
    structures = indicateurs.structures_du_departement(departement)
    contenu = ContenuBilan(departement, annee, aujourd_hui, periode_de_reference(annexes, annee, aujourd_hui))
    contenu.sections = SectionsEditoriales.objects.filter(departement=departement, annee=annee).first()
    contenu.objectif_brsa = objectif_brsa_du_departement(departement, annee)

    def etape(cle: str) -> None:
        rapporter(*ETAPES[cle])

    # The ETP table by kind and the cumulative curve.
    contenu.indicateurs["consommation"] = indicateurs.section_consommation(annexes, annee)
    contenu.courbe = courbe_de_consommation(annexes, annee, aujourd_hui)
    contenu.graphique_consommation = graphiques.courbe_consommation(
        contenu.courbe,
        titre=f"ETP-mois conventionnés et réalisés cumulés en {annee}",
        hauteur=300,
    )
    etape("consommation")

    # Sorties dynamiques over three years, by kind (EI and ETTI together too, as the bilan always showed them).
    contenu.indicateurs["sorties"] = indicateurs.section_sorties(structures, annee)
    annees = [annee - i for i in range(NOMBRE_D_ANNEES)]
    par_type = sorties_par_type(structures, annees)
    # A past year without any examined exit (before the data starts) is left out, rather than shown as zeros.
    rangs = [rang for rang, _ in enumerate(annees) if rang == 0 or par_type[-1].comptes[rang].examinees]
    contenu.annees_sorties = [annees[rang] for rang in rangs]
    ei_etti = regroupement_ei_etti(par_type)
    lignes = [ligne for ligne in par_type if ligne.cle != TOTAL]
    if ei_etti:
        lignes.append(ei_etti)
    lignes.append(par_type[-1])
    contenu.sorties = [
        LigneSortiesAnnees(
            ligne.cle,
            [indicateurs.ligne_sorties(ligne.cle, ligne.comptes[rang]) for rang in rangs],
            regroupement=ligne is ei_etti,
        )
        for ligne in lignes
    ]
    au_graphique = [
        ligne for ligne in contenu.sorties if not (ei_etti and ligne.type in ("EI", "ETTI"))
    ]  # EI/ETTI drawn once
    contenu.graphique_sorties = graphiques.barres(
        [ligne.type for ligne in au_graphique],
        {
            str(a): [_taux_sorties(ligne.annees[rang]) for ligne in au_graphique]
            for rang, a in reversed(list(enumerate(contenu.annees_sorties)))
        },
        titre=f"Taux de sorties dynamiques par type de structure, {contenu.annees_sorties[-1]}–{annee}",
        unite="%",
        ligne_objectif=contenu.sections.objectif_sorties_dynamiques if contenu.sections else None,
        largeur=560,
        hauteur=280,
    )
    etape("sorties")

    # Publics, and the share of bRSA among the year's hires against the threshold.
    publics = publics_par_type(structures, annee)
    # The exporter's section, from the rows just read (`indicateurs.section_publics` would read them again).
    contenu.indicateurs["publics"] = [indicateurs.ligne_publics(ligne.cle, ligne.publics) for ligne in publics]
    seuil = contenu.seuil_brsa
    contenu.brsa = [
        LigneBrsa(ligne.cle, ligne.embauches.embauches, ligne.embauches.brsa, ligne.embauches.part, seuil)
        for ligne in publics
    ]
    contenu.graphique_brsa = graphiques.barres(
        [ligne.type for ligne in contenu.brsa],
        {"Part de bRSA dans les embauches": [regles.en_pourcent(ligne.part) for ligne in contenu.brsa]},
        titre=f"Part des bénéficiaires du RSA dans les embauches {annee}",
        unite="%",
        ligne_objectif=seuil,
        largeur=560,
        hauteur=240,
    )
    par_siae = publics_des_siae(structures, annee)
    brsa_par_siae = {p.structure.siae_id: p.embauches for p in par_siae}
    avec_embauches = [p for p in par_siae if p.embauches.embauches]
    contenu.structures_avec_embauches = len(avec_embauches)
    contenu.structures_sous_objectif_brsa = sum(1 for p in avec_embauches if p.embauches.sous_l_objectif)
    etape("publics")

    # Aides au poste, revaluations, financing by financeur.
    contenu.indicateurs["aides_au_poste"] = indicateurs.section_aides_au_poste(annexes, annee)
    de_l_annee = aides_queries.annexes_de_l_annee(annexes, annee)
    contenu.revalorisations = queries.revalorisations(de_l_annee, annee, aujourd_hui.replace(day=1))
    contenu.financements = totaux_par_dispositif(
        LigneFinancement.objects.filter(departement=departement),
        annee,
        annexes=AnnexeFinanciere.objects.filter(siae__departement=departement),
    )
    contenu.financeurs = regrouper_par_financeur(contenu.financements)
    etape("aides")

    contenu.controles = queries.controle_du_departement(departement, [annee - 1, annee])
    etape("controle")

    # The annex: one row per structure, as exported, with its bRSA hires against its annexe's objective.
    contenu.indicateurs["siae"] = indicateurs.section_siae(annexes, annee)
    # The exported row names its structure by SIRET and type: one SIRET may carry two kinds (an AI and an EI).
    ids = {
        (siret, type_): pk
        for siret, type_, pk in Siae.objects.filter(
            siret__in=[s["siret"] for s in contenu.indicateurs["siae"]]
        ).values_list("siret", "type", "pk")
    }
    for ligne in contenu.indicateurs["siae"]:
        embauches = brsa_par_siae.get(ids.get((ligne["siret"], ligne["type"])))
        contenu.structures.append(
            LigneStructure(
                ligne,
                embauches.embauches if embauches else 0,
                embauches.part if embauches else None,
                embauches.objectif if embauches else None,
            )
        )
    etape("structures")

    total_embauches = next(ligne.embauches for ligne in publics if ligne.cle == TOTAL)
    contenu.chiffres_cles = chiffres_cles(contenu, total_embauches)
    contenu.objectifs = [
        ObjectifChiffre("Part de bénéficiaires du RSA dans les embauches", seuil, total_embauches.part)
    ]
    if contenu.sections and contenu.sections.objectif_sorties_dynamiques is not None:
        contenu.objectifs.append(
            ObjectifChiffre(
                "Taux de sorties dynamiques",
                contenu.sections.objectif_sorties_dynamiques,
                regles.pourcentage(contenu.total_sorties["taux_sorties_dynamiques"]),
            )
        )
    etape("sections")
    return contenu


# The dialogue de gestion sheet of one structure ------------------------------------------------------------------


@dataclass
class ContenuDialogue:
    siae: Siae
    annee: int
    date_edition: dt.date
    periode: Periode
    annexes: list[AnnexeFinanciere]
    annexe: AnnexeFinanciere | None  # the one whose objectives are negotiated for the year
    mois: list
    resume: object | None  # conventions.queries.ConsommationSiae
    graphique_consommation: str
    objectifs: list[LigneDialogue]
    sorties: object  # indicateurs.queries_sorties.LigneSorties, TOTAL of the structure
    publics: object | None  # indicateurs.queries_sorties.PublicsSiae
    embauches: object
    aides: list
    aides_total: object | None

    @property
    def nom_departement(self) -> str:
        return DEPARTEMENTS.get(self.siae.departement, self.siae.departement)

    @property
    def prefet(self) -> str:
        return regles.prefet_de(self.siae.departement)


def assembler_dialogue(siae: Siae, annee: int, aujourd_hui: dt.date | None = None) -> ContenuDialogue:
    """The printable dialogue de gestion of a structure for a year: its annexes, its consumption month by month,
    its sorties and publics against its objectives (the page `indicateurs:dialogue`), its aides au poste."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    structure = Siae.objects.filter(pk=siae.pk)
    annexes = annexes_du_departement(None, annee, base=AnnexeFinanciere.objects.filter(siae=siae))
    liste = list(annexes.order_by("date_debut", "pk"))
    annexe = liste[-1] if liste else None

    def objectif(champ: str) -> Decimal | None:
        return getattr(annexe, champ) if annexe else None

    periode = periode_de_reference(annexes, annee, aujourd_hui)
    mois = consommation_mensuelle(annexes, Periode.annee(annee))
    annees = [annee - i for i in range(NOMBRE_D_ANNEES)]
    sorties = next(ligne for ligne in sorties_par_type(structure, annees) if ligne.cle == TOTAL)
    compte = sorties.courant
    embauches = embauches_par(structure, annee, "total")[()]
    objectifs = [
        LigneDialogue(
            "Sorties dynamiques",
            objectif("objectif_sorties_dynamiques"),
            compte.taux_sorties_dynamiques,
            repere=PLANCHER_SORTIES_DYNAMIQUES,
        ),
        LigneDialogue(
            "dont emploi durable",
            objectif("objectif_emploi_durable"),
            compte.taux_emploi_durable,
            repere=PLANCHER_EMPLOI_DURABLE,
        ),
        LigneDialogue(
            "dont emploi de transition",
            annexe.objectif_emploi_transition if annexe else None,
            compte.taux_emploi_transition,
        ),
        LigneDialogue(
            "dont sorties positives",
            annexe.objectif_sorties_positives if annexe else None,
            compte.taux_sorties_positives,
        ),
        LigneDialogue(
            "Part de bénéficiaires du RSA dans les embauches",
            objectif_part_brsa(objectif("objectif_part_brsa")),
            embauches.part,
            objectif_par_defaut=annexe is None or annexe.objectif_part_brsa is None,
        ),
    ]
    aides = aides_queries.aides_des_annexes(aides_queries.annexes_de_l_annee(annexes, annee))
    publics = next(iter(publics_des_siae(structure, annee)), None)
    return ContenuDialogue(
        siae=siae,
        annee=annee,
        date_edition=aujourd_hui,
        periode=periode,
        annexes=liste,
        annexe=annexe,
        mois=mois,
        resume=next(iter(consommation_des_siae(annexes, annee, aujourd_hui)), None),
        graphique_consommation=graphiques.courbe_consommation(
            courbe_de_consommation(annexes, annee, aujourd_hui),
            titre=f"ETP-mois conventionnés et réalisés cumulés en {annee}",
            hauteur=260,
        ),
        objectifs=objectifs,
        sorties=sorties,
        publics=publics,
        embauches=embauches,
        aides=aides,
        aides_total=aides_queries.par_type(aides)[-1] if aides else None,
    )
