"""Financing lines, project budgets and FDI caps, as plain functions on values: no database, Decimal only.

A project budget (seed 004, the shared accompaniment posts) has, for each period, charges (personnel,
fonctionnement, then indirect costs computed at a rate of the direct charges, 20 % by default) and produits (FSE+,
État, Département, SIAE contributions, others). It is balanced when, in every period, total charges = total
produits, to the cent. Indirect costs are rounded half-up to the cent per period: they are a budget line like the
others, and the produits that balance them are typed in cents.

FDI (fonds de développement de l'inclusion, spec §5): an investment aid of at most 70 % of the eligible investment
cost, a consulting aid of at most 30 % of the eligible consulting cost, and at most 90 000 € per project. A call
for projects may set lower caps, never higher ones.
"""

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from aides_au_poste.regles import CENTIME, ZERO, arrondi_euro
from base.formats import montant_fr, taux_fr

from .choix import RUBRIQUES_PAR_SENS, Rubrique, Sens

TAUX_FRAIS_INDIRECTS_DEFAUT = Decimal("0.20")
TAUX_MAX_INVESTISSEMENT = Decimal("0.70")
TAUX_MAX_CONSEIL = Decimal("0.30")
PLAFOND_FDI_PAR_PROJET = Decimal("90000")
# The amounts of a candidature, in the order `violations_fdi` takes them.
CHAMPS_FDI = ("cout_eligible_investissement", "aide_investissement", "cout_eligible_conseil", "aide_conseil")


# Budgets ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Periode:
    cle: object
    libelle: str


@dataclass(frozen=True)
class MontantBudget:
    """One budget line of one period."""

    periode: object  # the key of its Periode
    sens: str
    rubrique: str
    montant: Decimal


@dataclass
class BilanPeriode:
    """The totals of one period of a budget."""

    periode: Periode
    par_rubrique: dict[str, Decimal] = field(default_factory=dict)
    frais_indirects: Decimal = ZERO

    def montant(self, rubrique: str) -> Decimal:
        return self.par_rubrique.get(rubrique, ZERO)

    @property
    def charges_directes(self) -> Decimal:
        return sum((self.montant(r) for r in RUBRIQUES_PAR_SENS[Sens.CHARGE]), ZERO)

    @property
    def total_charges(self) -> Decimal:
        return self.charges_directes + self.frais_indirects

    @property
    def total_produits(self) -> Decimal:
        return sum((self.montant(r) for r in RUBRIQUES_PAR_SENS[Sens.PRODUIT]), ZERO)

    @property
    def resultat(self) -> Decimal:
        """Produits − charges: 0 when balanced; negative, the produits are missing that much."""
        return self.total_produits - self.total_charges

    @property
    def equilibre(self) -> bool:
        return self.resultat == ZERO


def frais_indirects(taux: Decimal, personnel: Decimal, fonctionnement: Decimal) -> Decimal:
    """Indirect costs of a period: the rate × the direct charges (personnel + fonctionnement), to the cent."""
    return arrondi_euro(Decimal(taux) * (Decimal(personnel) + Decimal(fonctionnement)))


def bilan_budget(periodes: list[Periode], montants: list[MontantBudget], taux: Decimal) -> list[BilanPeriode]:
    """The totals of each period, in the order given. A line of an unknown period is an error of the caller."""
    bilans = {p.cle: BilanPeriode(p) for p in periodes}
    for m in montants:
        bilan = bilans[m.periode]
        bilan.par_rubrique[m.rubrique] = bilan.par_rubrique.get(m.rubrique, ZERO) + Decimal(m.montant)
    for bilan in bilans.values():
        bilan.frais_indirects = frais_indirects(
            taux, bilan.montant(Rubrique.PERSONNEL), bilan.montant(Rubrique.FONCTIONNEMENT)
        )
    return list(bilans.values())


def message_ecart(bilan: BilanPeriode) -> str:
    charges, produits = montant_fr(bilan.total_charges), montant_fr(bilan.total_produits)
    ecart = montant_fr(abs(bilan.resultat))
    if bilan.resultat < 0:
        return (
            f"Période « {bilan.periode.libelle} » : les charges ({charges}) dépassent les produits ({produits}) "
            f"de {ecart}."
        )
    return (
        f"Période « {bilan.periode.libelle} » : les produits ({produits}) dépassent les charges ({charges}) "
        f"de {ecart}."
    )


def erreurs_equilibre(bilans: list[BilanPeriode]) -> list[str]:
    """Why a budget cannot be deposited: no period, a period without charges, a period out of balance."""
    if not bilans:
        return ["Le budget n'a aucune période."]
    erreurs = []
    for bilan in bilans:
        if bilan.total_charges == ZERO:
            erreurs.append(f"Période « {bilan.periode.libelle} » : aucune charge n'est inscrite.")
        elif not bilan.equilibre:
            erreurs.append(message_ecart(bilan))
    return erreurs


# FDI caps --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlafondsFdi:
    taux_investissement: Decimal = TAUX_MAX_INVESTISSEMENT
    taux_conseil: Decimal = TAUX_MAX_CONSEIL
    plafond_par_projet: Decimal = PLAFOND_FDI_PAR_PROJET


PLAFONDS_REGLEMENTAIRES = PlafondsFdi()


@dataclass(frozen=True)
class Violation:
    """A broken cap: the field at fault and a French message naming it and the cap."""

    champ: str
    message: str


def aide_maximale(taux: Decimal, cout_eligible: Decimal) -> Decimal:
    """The largest aid in cents within `taux` of the cost: rounded down, so that the amount shown is allowed."""
    return (Decimal(taux) * Decimal(cout_eligible)).quantize(CENTIME, rounding=ROUND_DOWN)


def violations_plafonds_appel(plafonds: PlafondsFdi) -> list[Violation]:
    """The caps of a call: positive and never above the regulatory maxima."""
    violations = []
    for champ, valeur, maximum, libelle in (
        ("taux_max_investissement", plafonds.taux_investissement, TAUX_MAX_INVESTISSEMENT, "investissement"),
        ("taux_max_conseil", plafonds.taux_conseil, TAUX_MAX_CONSEIL, "conseil"),
    ):
        if not ZERO < valeur <= maximum:
            violations.append(
                Violation(
                    champ,
                    f"Le taux maximal d'aide au {libelle} doit être supérieur à 0 et au plus de {taux_fr(maximum)} "
                    f"(maximum réglementaire du FDI).",
                )
            )
    if not ZERO < plafonds.plafond_par_projet <= PLAFOND_FDI_PAR_PROJET:
        violations.append(
            Violation(
                "plafond_par_projet",
                f"Le plafond par projet doit être supérieur à 0 et au plus de {montant_fr(PLAFOND_FDI_PAR_PROJET)} "
                f"(maximum réglementaire du FDI).",
            )
        )
    return violations


def violations_fdi(
    cout_eligible_investissement: Decimal,
    aide_investissement: Decimal,
    cout_eligible_conseil: Decimal,
    aide_conseil: Decimal,
    plafonds: PlafondsFdi = PLAFONDS_REGLEMENTAIRES,
) -> list[Violation]:
    """Every cap a candidature breaks (none: an empty list)."""
    violations = []
    montants = (cout_eligible_investissement, aide_investissement, cout_eligible_conseil, aide_conseil)
    for champ, montant in zip(CHAMPS_FDI, montants, strict=True):
        if Decimal(montant) < ZERO:
            violations.append(Violation(champ, "Un montant ne peut pas être négatif."))
    if violations:
        return violations
    for champ, aide, cout, taux, nature in (
        ("aide_investissement", aide_investissement, cout_eligible_investissement, plafonds.taux_investissement,
         "à l'investissement"),
        ("aide_conseil", aide_conseil, cout_eligible_conseil, plafonds.taux_conseil, "au conseil"),
    ):  # fmt: skip
        if Decimal(aide) > Decimal(taux) * Decimal(cout):
            violations.append(
                Violation(
                    champ,
                    f"L'aide {nature} ({montant_fr(aide)}) dépasse {taux_fr(taux)} du coût éligible "
                    f"({montant_fr(cout)}) : au plus {montant_fr(aide_maximale(taux, cout))}.",
                )
            )
    total = Decimal(aide_investissement) + Decimal(aide_conseil)
    if total > plafonds.plafond_par_projet:
        violations.append(
            Violation(
                "aide_investissement" if Decimal(aide_investissement) >= Decimal(aide_conseil) else "aide_conseil",
                f"Le total des aides ({montant_fr(total)}) dépasse le plafond de "
                f"{montant_fr(plafonds.plafond_par_projet)} par projet.",
            )
        )
    return violations


def violations_cumul_fdi(
    aide_investissement: Decimal,
    aide_conseil: Decimal,
    deja_accorde: Decimal,
    plafond: Decimal = PLAFOND_FDI_PAR_PROJET,
) -> list[Violation]:
    """The cap is per project, not per call (spec §5): the aids of a candidature being accorded, added to what the
    project's other accorded candidatures (every call) already grant, stay within it. Without another aid, the cap
    of the candidature itself (`violations_fdi`) says it all."""
    deja_accorde = Decimal(deja_accorde)
    total = Decimal(aide_investissement) + Decimal(aide_conseil)
    if deja_accorde <= ZERO or total + deja_accorde <= plafond:
        return []
    disponible = max(Decimal(plafond) - deja_accorde, ZERO)
    return [
        Violation(
            "aide_investissement" if Decimal(aide_investissement) >= Decimal(aide_conseil) else "aide_conseil",
            f"Total des aides FDI du projet : {montant_fr(deja_accorde)} déjà accordés par d'autres appels à projets "
            f"et {montant_fr(total)} ici dépasseraient le plafond de {montant_fr(plafond)} par projet ; il reste "
            f"au plus {montant_fr(disponible)} à accorder à ce projet.",
        )
    ]


# Projects --------------------------------------------------------------------------------------------------------


def erreur_siae_porteuse(departement_siae: str | None, departement_projet: str | None) -> str | None:
    """The carrying structure of a project is of the project's département (its staff sees the project)."""
    if departement_siae and departement_projet and departement_siae != departement_projet:
        return (
            f"SIAE porteuse : la structure est du département {departement_siae}, le projet du département "
            f"{departement_projet} ; choisissez une SIAE du département du projet."
        )
    return None


# Financing lines -------------------------------------------------------------------------------------------------


def erreurs_montants_ligne(engage: Decimal, verse: Decimal, part_variable_max: Decimal) -> dict[str, str]:
    """Committed, paid and variable part of a financing line: none negative, neither paid nor variable part above
    the committed amount."""
    erreurs = {}
    montants = {"montant_engage": engage, "montant_verse": verse, "part_variable_max": part_variable_max}
    for champ, valeur in montants.items():
        if Decimal(valeur) < ZERO:
            erreurs[champ] = "Un montant ne peut pas être négatif."
    if "montant_verse" not in erreurs and Decimal(verse) > Decimal(engage):
        erreurs["montant_verse"] = (
            f"Le montant versé ({montant_fr(verse)}) dépasse le montant engagé ({montant_fr(engage)})."
        )
    if "part_variable_max" not in erreurs and Decimal(part_variable_max) > Decimal(engage):
        erreurs["part_variable_max"] = (
            f"La part variable maximale ({montant_fr(part_variable_max)}) dépasse le montant engagé "
            f"({montant_fr(engage)})."
        )
    return erreurs
