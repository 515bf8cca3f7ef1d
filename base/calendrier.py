"""Months, years and periods: the calendar every app counts in (a month is its first day)."""

import datetime as dt
from dataclasses import dataclass

# The years a page, an endpoint or a command accepts: anything outside is a typo, not a year of the IAE.
ANNEE_MIN, ANNEE_MAX = 2000, 2100
# The years the selectors offer: the next one (annexes are prepared ahead) down to five years back.
ANNEES_PROPOSEES_AVANT, ANNEES_PROPOSEES_APRES = 5, 1


def annee_plausible(annee: int) -> bool:
    return ANNEE_MIN <= annee <= ANNEE_MAX


def lire_annee(valeur, defaut: int) -> int:
    """A year as typed in a query string or a form (`"2025"`); `defaut` when missing, not a number or not
    plausible."""
    try:
        annee = int(valeur or "")
    except (TypeError, ValueError):
        return defaut
    return annee if annee_plausible(annee) else defaut


def annees_proposees(
    avant: int = ANNEES_PROPOSEES_AVANT, apres: int = ANNEES_PROPOSEES_APRES, aujourd_hui: dt.date | None = None
) -> list[int]:
    """The years a selector offers, the most recent first: from `apres` years ahead to `avant` years back."""
    annee = (aujourd_hui or dt.date.today()).year
    return list(range(annee + apres, annee - avant - 1, -1))


def choix_des_annees() -> list[tuple[int, str]]:
    """`annees_proposees` as the choices of a form field or a filter."""
    return [(a, str(a)) for a in annees_proposees()]


def premier_du_mois(valeur: dt.date | str) -> dt.date:
    """A day, or a month as the tasks carry it once serialised (`AAAA-MM-JJ`, `AAAA-MM`) → its month's first day."""
    if isinstance(valeur, str):
        valeur = dt.date.fromisoformat(valeur if len(valeur) > 7 else f"{valeur}-01")
    if isinstance(valeur, dt.datetime):
        valeur = valeur.date()
    return valeur.replace(day=1)


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


def mois_de_l_annee(annee: int) -> list[dt.date]:
    return mois_entre(dt.date(annee, 1, 1), dt.date(annee, 12, 1))


NOMS_DES_MOIS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def nom_du_mois(mois: dt.date) -> str:
    """« février 2026 », whatever the active language."""
    return f"{NOMS_DES_MOIS[mois.month - 1]} {mois.year}"


def de_mois(mois: dt.date) -> str:
    """« de février 2026 », « d'octobre 2026 »: the elision before avril, août and octobre."""
    nom = nom_du_mois(mois)
    return f"d'{nom}" if nom[0] in "aeiou" else f"de {nom}"


@dataclass(frozen=True)
class Periode:
    debut: dt.date  # first day of the first month
    fin: dt.date  # first day of the last month

    @classmethod
    def annee(cls, annee: int) -> "Periode":
        return cls(dt.date(annee, 1, 1), dt.date(annee, 12, 1))

    @property
    def nombre_de_mois(self) -> int:
        return (self.fin.year - self.debut.year) * 12 + self.fin.month - self.debut.month + 1
