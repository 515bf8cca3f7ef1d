"""Rules of conventions, annexes financières and consumption (spec §2 and §4), as plain functions."""

import datetime as dt
import re
from decimal import Decimal

from base.calendrier import dernier_jour_du_mois

# Hours of one full-time post per year, per kind (spec §2). ACI: paid hours, 35 h × 52.
HEURES_ANNUELLES_PAR_DEFAUT = {
    "ACI": Decimal("1820"),
    "AI": Decimal("1607"),
    "ETTI": Decimal("1607"),
    "EI": Decimal("1607"),
    "EITI": Decimal("1505"),
}

# kind + département on 3 characters + millésime (2) + order (4) + A<n>M<n>, e.g. ACI055220001A0M0.
NUMERO_ANNEXE = re.compile(
    r"^(?P<type>ACI|AI|EITI|ETTI|EI)(?P<departement>\d{3}|02A|02B)(?P<millesime>\d{2})(?P<ordre>\d{4})"
    r"A(?P<avenant>\d+)M(?P<modification>\d+)$"
)


def analyser_numero_annexe(numero: str) -> dict | None:
    """The parts of an AF number, or None when it does not follow the format."""
    correspondance = NUMERO_ANNEXE.match(numero.strip().upper())
    if not correspondance:
        return None
    parties = correspondance.groupdict()
    parties["prefixe"] = numero.strip().upper()[: correspondance.start("avenant") - 1]
    parties["avenant"] = int(parties["avenant"])
    parties["modification"] = int(parties["modification"])
    return parties


def departement_du_numero(code: str) -> str:
    """'055' → '55', '971' → '971', '02A' → '2A'."""
    if code.upper() in ("02A", "02B"):
        return code[1:].upper()
    return code.lstrip("0").zfill(2) if int(code) < 100 else code


def periode_en_mois_entiers(debut: dt.date, fin: dt.date) -> str | None:
    """Why an AF period is not made of whole months, or None when it is."""
    if debut.day != 1:
        return "la date de début doit être le premier jour d'un mois"
    if fin != dernier_jour_du_mois(fin):
        return "la date de fin doit être le dernier jour d'un mois"
    if fin < debut:
        return "la date de fin précède la date de début"
    return None


def heures_par_etp_mensuel(heures_annuelles_par_etp: Decimal) -> Decimal:
    return heures_annuelles_par_etp / 12
