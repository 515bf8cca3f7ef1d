"""Totals of the financing lines of a year, per financeur and per dispositif, summed in SQL.

Three amounts are not typed as lines but computed from the annexes financières of the year (those that start in
it, active, as on the aides au poste page): the État's aide au poste (socle conventionné, paid: the ASP's advances
and regularisations), its modulation (paid: the modulation payments; all of it is a variable part) and the
Département's co-financing of the aides au poste (`montant_cofinance_cd`; its payments are not recorded in the
application). They are added as rows "calculé depuis les annexes" when the caller gives the annexes it may see.

Queries: one for the recorded lines; with annexes, four for the aides au poste (`aides_au_poste.queries`), one for
the payments by nature, one for the co-financing. None per line. Project budgets: `bilans_des_projets` (three
queries for any number of projects) and `tableau_budget` (the seed's table of one project, two queries).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from aides_au_poste.models import NatureVersement, Versement
from aides_au_poste.queries import aides_des_annexes, annexes_de_l_annee
from aides_au_poste.regles import ZERO, arrondi_euro
from conventions.models import ETATS_ACTIFS

from . import regles
from .choix import RUBRIQUES_PAR_SENS, Dispositif, Financeur, Rubrique, Sens
from .models import LigneBudgetaire, PeriodeBudgetaire

TOTAL = "TOTAL"
ORDRE_DES_FINANCEURS = [f.value for f in Financeur]
ORDRE_DES_DISPOSITIFS = [d.value for d in Dispositif]
SOURCE_ANNEXES = "calculé depuis les annexes"


@dataclass
class TotalFinanceur:
    """The committed, paid and variable-part totals of one financeur for a year (or of all: `TOTAL`)."""

    financeur: str
    libelle: str
    engage: Decimal = ZERO
    verse: Decimal = ZERO
    part_variable_max: Decimal = ZERO
    lignes: int = 0  # recorded financing lines
    annexes: int = 0  # annexes behind the amounts computed from them (the most of any dispositif)

    @property
    def reste_a_verser(self) -> Decimal:
        return self.engage - self.verse

    def ajouter(self, autre) -> None:
        self.engage += autre.engage
        self.verse += autre.verse
        self.part_variable_max += autre.part_variable_max
        self.lignes += autre.lignes
        # The same annexes feed the aide au poste, its modulation and the co-financing: counted once.
        self.annexes = max(self.annexes, autre.annexes)


@dataclass
class TotalDispositif:
    """One financeur × dispositif for a year: recorded lines, or an amount computed from the annexes."""

    financeur: str
    dispositif: str
    engage: Decimal = ZERO
    verse: Decimal = ZERO
    part_variable_max: Decimal = ZERO
    lignes: int = 0
    annexes: int = 0
    calcule: bool = False  # from the annexes, not typed
    verse_suivi: bool = True  # False: the payments of this amount are not recorded in the application

    @property
    def libelle_financeur(self) -> str:
        return Financeur(self.financeur).label

    @property
    def libelle(self) -> str:
        return Dispositif(self.dispositif).label

    @property
    def reste_a_verser(self) -> Decimal:
        return self.engage - self.verse

    @property
    def source(self) -> str:
        return SOURCE_ANNEXES if self.calcule else "lignes saisies"


def somme(valeur) -> Decimal:
    """A sum of amounts read from the database, to the cent: SQLite adds decimals as floats."""
    return arrondi_euro(valeur or ZERO)


def lignes_de_l_annee(lignes_qs, annee: int):
    return lignes_qs.filter(annee=annee)


def totaux_des_lignes(lignes_qs, annee: int) -> list[TotalDispositif]:
    """The recorded lines of the year summed per financeur and dispositif: one query."""
    rangs = (
        lignes_de_l_annee(lignes_qs, annee)
        .order_by()
        .values("financeur", "dispositif")
        .annotate(
            engage=Sum("montant_engage"),
            verse=Sum("montant_verse"),
            part_variable_max=Sum("part_variable_max"),
            lignes=Count("pk"),
        )
    )
    return [
        TotalDispositif(
            r["financeur"],
            r["dispositif"],
            somme(r["engage"]),
            somme(r["verse"]),
            somme(r["part_variable_max"]),
            r["lignes"],
        )
        for r in rangs
    ]


def totaux_des_annexes(annexes, annee: int, realises=None, aides=None) -> list[TotalDispositif]:
    """The État's aide au poste and modulation, the Département's co-financing, from the active annexes that start
    in the year (those of `annexes`, already scoped by the caller). Rows with nothing are left out. `aides`: the
    `aides_des_annexes` of those same annexes when the caller has them already (the cockpit shows them too)."""
    annexes = annexes_de_l_annee(annexes.filter(etat__in=ETATS_ACTIFS), annee)
    if aides is None:
        aides = aides_des_annexes(annexes, versements=False, realises=realises)
    if not aides:
        return []
    verses = dict(
        Versement.objects.filter(annexe__in=annexes)
        .order_by()
        .values_list("nature")
        .annotate(total=Sum("montant"))
        .values_list("nature", "total")
    )
    cofinancement = annexes.order_by().aggregate(
        total=Sum("montant_cofinance_cd"), annexes=Count("pk", filter=Q(montant_cofinance_cd__gt=0))
    )
    # Each annexe commits an amount in cents, and is paid in cents: the sums are of amounts rounded per annexe, so
    # that "reste à verser" is exactly 0 once an annexe is fully paid.
    socle = sum((arrondi_euro(a.socle_conventionne) for a in aides), ZERO)
    modulation = sum((arrondi_euro(a.modulation) for a in aides), ZERO)
    lignes = [
        TotalDispositif(
            Financeur.ETAT,
            Dispositif.AIDE_AU_POSTE,
            engage=socle,
            verse=somme(verses.get(NatureVersement.AVANCE)) + somme(verses.get(NatureVersement.REGULARISATION)),
            annexes=len(aides),
            calcule=True,
        ),
        TotalDispositif(
            Financeur.ETAT,
            Dispositif.MODULATION,
            engage=modulation,
            verse=somme(verses.get(NatureVersement.MODULATION)),
            # The modulation is paid on the structure's results: all of it is a variable part.
            part_variable_max=modulation,
            annexes=sum(1 for a in aides if arrondi_euro(a.modulation)),
            calcule=True,
        ),
        TotalDispositif(
            Financeur.DEPARTEMENT,
            Dispositif.COFINANCEMENT,
            engage=somme(cofinancement["total"]),
            annexes=cofinancement["annexes"],
            calcule=True,
            verse_suivi=False,
        ),
    ]
    return [ligne for ligne in lignes if ligne.engage or ligne.verse]


def _ordre(ligne: TotalDispositif):
    return ORDRE_DES_FINANCEURS.index(ligne.financeur), ORDRE_DES_DISPOSITIFS.index(ligne.dispositif), ligne.calcule


def totaux_par_dispositif(lignes_qs, annee: int, annexes=None, realises=None, aides=None) -> list[TotalDispositif]:
    """Per financeur and dispositif, in the order of the choices; with `annexes`, the rows computed from them
    (their ETP réalisés read by `realises`, as `aides_des_annexes` says; or their `aides` already computed)."""
    lignes = totaux_des_lignes(lignes_qs, annee)
    if annexes is not None:
        lignes += totaux_des_annexes(annexes, annee, realises, aides)
    return sorted(lignes, key=_ordre)


def regrouper_par_financeur(par_dispositif: list[TotalDispositif]) -> list[TotalFinanceur]:
    """One row per financeur present, in the order of the choices, then `TOTAL`."""
    groupes: dict[str, TotalFinanceur] = {}
    total = TotalFinanceur(TOTAL, "TOTAL")
    for ligne in par_dispositif:
        groupes.setdefault(ligne.financeur, TotalFinanceur(ligne.financeur, Financeur(ligne.financeur).label))
        groupes[ligne.financeur].ajouter(ligne)
        total.ajouter(ligne)
    return [*(groupes[f] for f in ORDRE_DES_FINANCEURS if f in groupes), total]


def totaux_par_financeur(lignes_qs, annee: int, annexes=None, realises=None, aides=None) -> list[TotalFinanceur]:
    """Committed, paid and variable-part totals per financeur for the year, then a `TOTAL` row.

    `lignes_qs`: the financing lines to sum (e.g. `LigneFinancement.objects.visible_to(user)`, filtered on a
    département). `annexes`: the annexes financières whose aide au poste, modulation and Département co-financing
    are added (e.g. `AnnexeFinanciere.objects.visible_to(user).filter(siae__departement=...)`); None: the recorded
    lines only. `realises`: as `aides_des_annexes` says; `aides`: as `totaux_des_annexes` says."""
    return regrouper_par_financeur(totaux_par_dispositif(lignes_qs, annee, annexes, realises, aides))


@dataclass
class FinanceurDeLAnnee:
    """One financeur's year: the amounts computed from the annexes, its recorded lines, and their total."""

    calcules: list[TotalDispositif]
    lignes: list  # LigneFinancement, with their structure and project
    total: TotalFinanceur


def financeur_de_l_annee(lignes_qs, annexes, financeur: Financeur, annee: int) -> FinanceurDeLAnnee:
    """The rows computed from the annexes first, then the recorded lines of the year in the order of their
    dispositif and label, and the committed / paid / variable totals of both."""
    calcules = [t for t in totaux_des_annexes(annexes, annee) if t.financeur == financeur]
    lignes = list(
        lignes_de_l_annee(lignes_qs, annee)
        .filter(financeur=financeur)
        .select_related("siae", "projet")
        .order_by("dispositif", "libelle", "pk")
    )
    total = TotalFinanceur(financeur, financeur.label)
    for t in calcules:
        total.ajouter(t)
    for ligne in lignes:
        total.engage += ligne.montant_engage
        total.verse += ligne.montant_verse
        total.part_variable_max += ligne.part_variable_max
        total.lignes += 1
    return FinanceurDeLAnnee(calcules, lignes, total)


# Project budgets -------------------------------------------------------------------------------------------------


def bilans_des_projets(projets) -> dict[int, list[regles.BilanPeriode]]:
    """The totals of each period of each project, in period order: three queries whatever the number of projects
    (the projects' rates, their periods, their budget lines summed per period and rubrique in SQL)."""
    taux = dict(projets.order_by().values_list("pk", "taux_frais_indirects"))
    periodes: dict[int, list[regles.Periode]] = {pk: [] for pk in taux}
    for pk, projet_id, libelle in (
        PeriodeBudgetaire.objects.filter(projet__in=taux)
        .order_by("projet", "ordre", "debut")
        .values_list("pk", "projet_id", "libelle")
    ):
        periodes[projet_id].append(regles.Periode(pk, libelle))
    montants: dict[int, list[regles.MontantBudget]] = {pk: [] for pk in taux}
    for projet_id, periode_id, sens, rubrique, total in (
        LigneBudgetaire.objects.filter(projet__in=taux)
        .order_by()
        .values_list("projet_id", "periode_id", "sens", "rubrique")
        .annotate(total=Sum("montant"))
    ):
        montants[projet_id].append(regles.MontantBudget(periode_id, sens, rubrique, somme(total)))
    return {pk: regles.bilan_budget(periodes[pk], montants[pk], taux[pk]) for pk in taux}


@dataclass
class LigneTableau:
    libelle: str
    remarque: str
    montants: list[Decimal | None]


@dataclass
class RubriqueTableau:
    rubrique: str
    montants: list[Decimal]
    lignes: list[LigneTableau] = field(default_factory=list)

    @property
    def libelle(self) -> str:
        return Rubrique(self.rubrique).label


@dataclass
class TableauBudget:
    """A project's budget as the seed's table: one column per period, charges then produits by rubrique."""

    periodes: list
    charges: list[RubriqueTableau]
    produits: list[RubriqueTableau]
    bilans: list[regles.BilanPeriode]
    taux_frais_indirects: Decimal

    @property
    def erreurs(self) -> list[str]:
        return regles.erreurs_equilibre(self.bilans)

    @property
    def equilibre(self) -> bool:
        return not self.erreurs


def tableau_budget(projet) -> TableauBudget:
    """Two queries: the periods, the budget lines."""
    periodes = list(projet.periodes.order_by("ordre", "debut"))
    rang = {p.pk: i for i, p in enumerate(periodes)}
    lignes = list(projet.lignes_budgetaires.order_by("ordre", "pk"))
    rubriques: dict[str, RubriqueTableau] = {}
    rangees: dict[tuple, LigneTableau] = {}
    for ligne in lignes:
        rubrique = rubriques.setdefault(ligne.rubrique, RubriqueTableau(ligne.rubrique, [ZERO] * len(periodes)))
        rubrique.montants[rang[ligne.periode_id]] += ligne.montant
        cle = (ligne.rubrique, ligne.ordre, ligne.libelle)
        if cle not in rangees:
            rangees[cle] = LigneTableau(ligne.libelle, ligne.remarque, [None] * len(periodes))
            rubrique.lignes.append(rangees[cle])
        rangee = rangees[cle]
        rangee.montants[rang[ligne.periode_id]] = ligne.montant
        if ligne.remarque and ligne.remarque not in rangee.remarque:
            rangee.remarque = f"{rangee.remarque} ; {ligne.remarque}" if rangee.remarque else ligne.remarque
    bilans = regles.bilan_budget(
        [regles.Periode(p.pk, p.libelle) for p in periodes],
        [regles.MontantBudget(lg.periode_id, lg.sens, lg.rubrique, lg.montant) for lg in lignes],
        projet.taux_frais_indirects,
    )
    return TableauBudget(
        periodes=periodes,
        charges=[rubriques[r] for r in RUBRIQUES_PAR_SENS[Sens.CHARGE] if r in rubriques],
        produits=[rubriques[r] for r in RUBRIQUES_PAR_SENS[Sens.PRODUIT] if r in rubriques],
        bilans=bilans,
        taux_frais_indirects=projet.taux_frais_indirects,
    )
