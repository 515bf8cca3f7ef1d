"""The Département's co-financing of bRSA in ACI (spec §5), as plain functions on values.

The Département pays 88 % of the RSA forfaitaire (single person) per bRSA employed per month; an annexe's
co-financed amount therefore buys a target number of bRSA each month:
`cible(m) = montant_cofinance_cd / mois_AF / (0.88 × rsa(m))`. Nothing is rounded here.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

TAUX_PRISE_EN_CHARGE = Decimal("0.88")


@dataclass(frozen=True)
class LigneRsa:
    date_effet: dt.date
    montant: Decimal
    source: str = ""


def rsa_du_mois(lignes: list[LigneRsa], mois: dt.date) -> LigneRsa | None:
    """The row in force on the 1st of the month."""
    premier = mois.replace(day=1)
    candidates = [ligne for ligne in lignes if ligne.date_effet <= premier]
    return max(candidates, key=lambda ligne: ligne.date_effet) if candidates else None


def cout_mensuel_brsa(rsa: Decimal) -> Decimal:
    """What the Département pays per bRSA and month: 88 % of the RSA forfaitaire."""
    return TAUX_PRISE_EN_CHARGE * Decimal(rsa)


def cible_brsa(montant_cofinance: Decimal, mois_af: int, rsa: Decimal) -> Decimal:
    """Target number of bRSA employed in a month of the annexe."""
    if not montant_cofinance or not mois_af or not rsa:
        return Decimal(0)
    return Decimal(montant_cofinance) / mois_af / cout_mensuel_brsa(rsa)
