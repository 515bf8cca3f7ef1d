"""The aide au poste (spec §5), as plain functions on values: no database, Decimal only.

Nothing here rounds: amounts are exact Decimals; they are rounded half-up to the cent only when stored or shown
(`arrondi_euro`, `base.formats`). A month is the date of its first day. The barème of one kind is given as a list
of `LigneBareme` (any order).

Regularisation convention (docs/decisions.md): the ASP pays each month an advance of 1/12 of the socle
conventionné. At the points — after months 5, 8 and 11 of the annexe, and after its end — it settles
`dû cumulé at that point − (advances paid so far + earlier regularisations)`, so that after each point the
annexe has received exactly what was due so far (positive: a complement; negative: an amount to recover).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
DOUZE = Decimal(12)
CENTIME = Decimal("0.01")
MOIS_DE_REGULARISATION = (5, 8, 11)


def arrondi_euro(montant: Decimal) -> Decimal:
    return Decimal(montant).quantize(CENTIME, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LigneBareme:
    date_effet: dt.date
    montant: Decimal  # annual montant socle per ETP
    source: str = ""
    pk: int | None = None


def premier_du_mois(jour: dt.date) -> dt.date:
    return jour.replace(day=1)


def mois_de(debut: dt.date, fin: dt.date) -> list[dt.date]:
    """The months (first days) from the month of `debut` to the month of `fin`, both included."""
    mois, dernier, resultat = premier_du_mois(debut), premier_du_mois(fin), []
    while mois <= dernier:
        resultat.append(mois)
        mois = dt.date(mois.year + mois.month // 12, mois.month % 12 + 1, 1)
    return resultat


def ligne_en_vigueur(lignes: list[LigneBareme], mois: dt.date) -> LigneBareme | None:
    """The row in force on the 1st of the month: the latest effective date on or before it."""
    premier = premier_du_mois(mois)
    candidates = [ligne for ligne in lignes if ligne.date_effet <= premier]
    return max(candidates, key=lambda ligne: ligne.date_effet) if candidates else None


class Bareme(list):
    """One kind's barème rows (a list of `LigneBareme`, built once, never changed), remembering the rate of each
    month once asked: a national page asks it for every annexe and every month."""

    def __init__(self, *args):
        super().__init__(*args)
        self.taux_par_mois: dict[dt.date, Decimal] = {}


def taux_du_mois(lignes: list[LigneBareme], mois: dt.date) -> Decimal:
    """b(m): the annual montant socle per ETP in force on the 1st of m (0 when no row applies yet)."""
    memoire = getattr(lignes, "taux_par_mois", None)
    if memoire is not None and mois in memoire:
        return memoire[mois]
    ligne = ligne_en_vigueur(lignes, mois)
    taux = ligne.montant if ligne else ZERO
    if memoire is not None:
        memoire[mois] = taux
    return taux


def montant_mensuel(etp: Decimal, taux_annuel: Decimal) -> Decimal:
    """etp × b(m) / 12: one month of aide for that many ETP."""
    return Decimal(etp) * Decimal(taux_annuel) / DOUZE


def socle_du_mois(etp_conventionnes: Decimal, lignes: list[LigneBareme], mois: dt.date) -> Decimal:
    """socle_conv(m) = etp_conventionnes(m) × b(m) / 12."""
    return montant_mensuel(etp_conventionnes, taux_du_mois(lignes, mois))


def socle_conventionne(etp_par_mois: dict[dt.date, Decimal], lignes: list[LigneBareme]) -> Decimal:
    """Σ_m socle_conv(m) over the months of the annexe."""
    return sum((socle_du_mois(etp, lignes, mois) for mois, etp in etp_par_mois.items()), ZERO)


def modulation(taux_modulation: Decimal, socle: Decimal) -> Decimal:
    """The part modulée: taux (a fraction, 0 to 0.10) × socle conventionné."""
    return Decimal(taux_modulation) * socle


def total_conventionne(socle: Decimal, taux_modulation: Decimal) -> Decimal:
    return socle + modulation(taux_modulation, socle)


def du_non_plafonne(
    etp_realises_par_mois: dict[dt.date, Decimal], lignes: list[LigneBareme], jusqu_a: dt.date | None = None
) -> Decimal:
    """Σ_{m ≤ M} etp_realises(m) × b(m) / 12 (all months when M is None)."""
    return sum(
        (
            montant_mensuel(etp, taux_du_mois(lignes, mois))
            for mois, etp in etp_realises_par_mois.items()
            if jusqu_a is None or mois <= premier_du_mois(jusqu_a)
        ),
        ZERO,
    )


def du_cumule(
    etp_realises_par_mois: dict[dt.date, Decimal],
    lignes: list[LigneBareme],
    socle: Decimal,
    jusqu_a: dt.date | None = None,
) -> Decimal:
    """du_cumule(M) = min(Σ_{m ≤ M} etp_realises(m) × b(m) / 12, socle conventionné)."""
    return min(du_non_plafonne(etp_realises_par_mois, lignes, jusqu_a), socle)


def avance_mensuelle(socle: Decimal) -> Decimal:
    """The monthly advance: 1/12 of the socle conventionné."""
    return socle / DOUZE


@dataclass(frozen=True)
class PointRegularisation:
    rang: int  # the month of the annexe after which it happens (5, 8, 11, or its number of months)
    mois: dt.date  # that month
    fin: bool  # the regularisation after the end of the annexe
    du_cumule: Decimal
    avances: Decimal  # advances paid through that month
    deja_regularise: Decimal  # earlier regularisations
    a_regulariser: Decimal  # du_cumule − (avances + deja_regularise)


def points_de_regularisation(
    mois_annexe: list[dt.date],
    etp_realises_par_mois: dict[dt.date, Decimal],
    lignes: list[LigneBareme],
    socle: Decimal,
) -> list[PointRegularisation]:
    """Months 5, 8 and 11 of the annexe (when it has them) and its last month, each with what it settles."""
    nombre = len(mois_annexe)
    rangs = [r for r in MOIS_DE_REGULARISATION if r < nombre] + [nombre]
    avance = avance_mensuelle(socle)
    points, regularise = [], ZERO
    for rang in rangs:
        mois = mois_annexe[rang - 1]
        du = du_cumule(etp_realises_par_mois, lignes, socle, mois)
        avances = avance * rang
        a_regulariser = du - avances - regularise
        points.append(PointRegularisation(rang, mois, rang == nombre, du, avances, regularise, a_regulariser))
        regularise += a_regulariser
    return points


@dataclass
class ImpactMois:
    mois: dt.date
    etp_conventionnes: Decimal
    ancien: Decimal
    nouveau: Decimal
    retroactif: bool

    @property
    def impact(self) -> Decimal:
        return (self.nouveau - self.ancien) * self.etp_conventionnes / DOUZE


@dataclass
class Impact:
    mois: list[ImpactMois] = field(default_factory=list)

    @property
    def retroactif(self) -> Decimal:
        return sum((m.impact for m in self.mois if m.retroactif), ZERO)

    @property
    def previsionnel(self) -> Decimal:
        return sum((m.impact for m in self.mois if not m.retroactif), ZERO)

    @property
    def total(self) -> Decimal:
        return self.retroactif + self.previsionnel


def bareme_avec(lignes: list[LigneBareme], nouvelle: LigneBareme) -> list[LigneBareme]:
    """The barème once the new row is added (it replaces a row of the same effective date)."""
    return [ligne for ligne in lignes if ligne.date_effet != nouvelle.date_effet] + [nouvelle]


def impact_revalorisation(
    etp_par_mois: dict[dt.date, Decimal], lignes: list[LigneBareme], nouvelle: LigneBareme, mois_courant: dt.date
) -> Impact:
    """For every month m ≥ d of the annexe: (b_new(m) − b_old(m)) × etp_conventionnes(m) / 12; months before the
    current month are the impact rétroactif, the current one and later the impact prévisionnel."""
    apres = bareme_avec(lignes, nouvelle)
    debut, courant = premier_du_mois(nouvelle.date_effet), premier_du_mois(mois_courant)
    return Impact(
        [
            ImpactMois(mois, etp, taux_du_mois(lignes, mois), taux_du_mois(apres, mois), mois < courant)
            for mois, etp in sorted(etp_par_mois.items())
            if mois >= debut
        ]
    )
