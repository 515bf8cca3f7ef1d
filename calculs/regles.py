"""Rules of the materialised indicators, as plain functions on values."""

import datetime as dt
from collections.abc import Iterable

from conventions.regles import mois_entre


def premier_du_mois(valeur: dt.date | str) -> dt.date:
    """A month as the tasks carry it (a date, or `AAAA-MM-JJ` / `AAAA-MM` once serialised) → its first day."""
    if isinstance(valeur, str):
        valeur = dt.date.fromisoformat(valeur if len(valeur) > 7 else f"{valeur}-01")
    if isinstance(valeur, dt.datetime):
        valeur = valeur.date()
    return valeur.replace(day=1)


def mois_de_l_annee(annee: int) -> list[dt.date]:
    return mois_entre(dt.date(annee, 1, 1), dt.date(annee, 12, 1))


def regrouper_demandes(demandes: Iterable[tuple[int, dt.date | None]]) -> list[tuple[list[int], list[dt.date] | None]]:
    """The (annexe, month) refreshes asked during one transaction, as at most two task calls: the annexes to
    recompute whole (month None), then the others over the months asked. The second call recomputes every asked
    month of every listed annexe: a few more rows than strictly needed, each one still right, in one task."""
    demandes = list(demandes)
    entieres = sorted({annexe for annexe, mois in demandes if mois is None})
    partielles = {(annexe, mois) for annexe, mois in demandes if mois is not None and annexe not in entieres}
    appels = []
    if entieres:
        appels.append((entieres, None))
    if partielles:
        appels.append((sorted({a for a, _ in partielles}), sorted({m for _, m in partielles})))
    return appels


def cumuls(valeurs: Iterable) -> list:
    """Running sums: the ETP-mois since January of each month."""
    total, resultat = 0, []
    for valeur in valeurs:
        total += valeur
        resultat.append(total)
    return resultat


NOMS_DES_MOIS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def de_mois(mois: dt.date) -> str:
    """« de février 2026 », « d'octobre 2026 »: the elision before avril, août and octobre."""
    nom = f"{NOMS_DES_MOIS[mois.month - 1]} {mois.year}"
    return f"d'{nom}" if nom[0] in "aeiou" else f"de {nom}"
