"""Rules of conventions, annexes financières and consumption (spec §2 and §4), as plain functions."""

import datetime as dt
import re
from decimal import Decimal

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


def premier_du_mois(jour: dt.date) -> dt.date:
    return jour.replace(day=1)


def mois_suivant(mois: dt.date) -> dt.date:
    return dt.date(mois.year + mois.month // 12, mois.month % 12 + 1, 1)


def dernier_jour_du_mois(mois: dt.date) -> dt.date:
    return mois_suivant(mois) - dt.timedelta(days=1)


def mois_entre(debut: dt.date, fin: dt.date) -> list[dt.date]:
    """The first days of the months from debut's month to fin's month, both included."""
    mois, resultat = premier_du_mois(debut), []
    while mois <= fin:
        resultat.append(mois)
        mois = mois_suivant(mois)
    return resultat


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


def etp_realises(heures: Decimal, heures_annuelles_par_etp: Decimal) -> Decimal:
    """ETP of one month: hours worked / (annual hours of a post / 12), at full precision."""
    return heures * 12 / heures_annuelles_par_etp


def taux_consommation(realise: Decimal, conventionne: Decimal) -> Decimal | None:
    """réalisé / conventionné (both in ETP-mois, or both in ETP over the same period); None when nothing is
    conventionné."""
    if not conventionne:
        return None
    return realise / conventionne


SOUS_CONSOMMATION = "sous-consommation"
CONFORME = "conforme"
SUR_CONSOMMATION = "sur-consommation"


def statut_consommation(taux: Decimal | None, seuil_bas: Decimal, seuil_haut: Decimal) -> str | None:
    if taux is None:
        return None
    if taux < seuil_bas:
        return SOUS_CONSOMMATION
    if taux > seuil_haut:
        return SUR_CONSOMMATION
    return CONFORME


def projection_annuelle(realise_cumule: Decimal, mois_ecoules: int) -> Decimal | None:
    """Year-end projection of ETP-mois réalisés, linear: real(jan..M) × 12 / M."""
    if mois_ecoules <= 0:
        return None
    return realise_cumule * 12 / mois_ecoules


def echeance_declaration(mois: dt.date) -> dt.date:
    """A month's declaration is due on the 15th of the following month."""
    return mois_suivant(mois).replace(day=15)
