"""Rules of the materialised indicators, as plain functions on values."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from base.calendrier import mois_de_l_annee


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


def seuils_de_consommation() -> tuple[Decimal, Decimal]:
    """(below it, sous-consommation; above it, sur-consommation): spec §4, set in the settings."""
    return Decimal(settings.SEUIL_SOUS_CONSOMMATION), Decimal(settings.SEUIL_SUR_CONSOMMATION)


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


def ecart_projete_etp(realise_cumule: Decimal, mois_ecoules: int, conventionne_annee: Decimal) -> Decimal | None:
    """The year-end gap in ETP: the linear projection of the ETP-mois réalisés less the year's ETP-mois
    conventionnés, divided by 12 (spec §4). Shown in ETP, the projection itself, real(jan..M) × 12 / M / 12, is the
    average of the months réalisés, the "ETP réalisés" column by construction: the tables show this gap, not it."""
    projection = projection_annuelle(realise_cumule, mois_ecoules)
    return None if projection is None else (projection - conventionne_annee) / 12


@dataclass(frozen=True)
class Courbe:
    """A year's consumption month by month, in ETP-mois: what the cockpit, the homes, the bilan and the dialogue de
    gestion show and `base.graphiques.courbe_consommation` draws. Every list has the twelve months of the year."""

    mois: list[dt.date]
    conventionnes: list[Decimal]
    realises: list[Decimal | None]  # None after the last month shown réalisé
    cumul_conventionne: list[Decimal]
    cumul_realise: list[Decimal | None]
    projection: list[Decimal | None] | None  # None before the last month réalisé; None when nothing is projected

    @property
    def par_mois(self) -> list[dict]:
        """One row per month (mois, conventionne, realise, cumuls, projection), for the tables."""
        projection = self.projection or [None] * len(self.mois)
        return [
            {
                "mois": m,
                "conventionne": conv,
                "realise": real,
                "cumul_conventionne": cumul_conv,
                "cumul_realise": cumul_real,
                "projection": proj,
            }
            for m, conv, real, cumul_conv, cumul_real, proj in zip(
                self.mois,
                self.conventionnes,
                self.realises,
                self.cumul_conventionne,
                self.cumul_realise,
                projection,
                strict=True,
            )
        ]

    @property
    def dernier_mois_realise(self) -> dt.date | None:
        return max((m for m, real in zip(self.mois, self.realises, strict=True) if real is not None), default=None)

    @property
    def projection_fin_d_annee(self) -> Decimal | None:
        """The ETP-mois réalisés projected to December, None when nothing is projected."""
        return self.projection[-1] if self.projection else None


def courbe_cumulee(
    annee: int,
    conventionnes: dict[dt.date, Decimal],
    realises: dict[dt.date, Decimal],
    fin_du_realise: dt.date | None,
) -> Courbe:
    """January to December (a month absent from the dicts at zero), summed month after month. The réalisé stops at
    `fin_du_realise` (None: nothing is shown réalisé yet); when months remain after it and something was realised,
    the linear year-end projection (`projection_annuelle`, the rule of the structures' projection) runs from it to
    December."""
    mois = mois_de_l_annee(annee)
    conv = [conventionnes.get(m, Decimal(0)) for m in mois]
    real = [realises.get(m, Decimal(0)) if fin_du_realise is not None and m <= fin_du_realise else None for m in mois]
    ecoules = sum(1 for r in real if r is not None)
    cumul_real = [None if r is None else c for r, c in zip(real, cumuls(r or Decimal(0) for r in real), strict=True)]
    projection = None
    total_realise = cumul_real[ecoules - 1] if ecoules else Decimal(0)
    if 0 < ecoules < len(mois) and total_realise:
        annuelle = projection_annuelle(total_realise, ecoules)
        projection = [None if m.month < ecoules else annuelle * m.month / 12 for m in mois]
    return Courbe(mois, conv, real, cumuls(conv), cumul_real, projection)
