"""Rules of the materialised indicators, as plain functions on values."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal


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
