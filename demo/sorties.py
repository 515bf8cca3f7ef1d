"""The demo's exits: the motifs drawn by kind, then adjusted so that each kind's taux de sorties dynamiques of each
year is the one the seeds give (spec §7). Only motifs change: dates and hours, hence the ETP tables, do not."""

import csv
import datetime as dt
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from parcours.referentiel import FICHIER_MOTIFS
from parcours.regles import age_au, ajouter_mois

# Exit motifs (parcours/data/motifs_sortie.csv) with weights per kind, close to the bilan's rates of sorties
# dynamiques (ACI 49 %, AI 72 %, EI/ETTI 56 %).
MOTIFS = {
    "ACI": {
        "CDI": 6, "CDI_SIAE": 1, "CDD_6M_PLUS": 5, "INTERIM_6M_PLUS": 2, "FONCTION_PUBLIQUE": 1,
        "CREATION_ENTREPRISE": 1, "CDD_MOINS_6M": 8, "INTERIM_MOINS_6M": 5, "CONTRAT_AIDE": 3,
        "FORMATION_QUALIFIANTE": 9, "AUTRE_SIAE": 4, "RETRAITE": 2, "CHOMAGE": 23, "INACTIVITE": 7,
        "SANS_NOUVELLES": 9, "AUTRE": 6, "MALADIE_MATERNITE": 3, "FAUTE_GRAVE": 1.5, "DECES": 0.5,
        "DECISION_JUSTICE": 0.5,
    },
    "AI": {
        "CDI": 9, "CDD_6M_PLUS": 8, "INTERIM_6M_PLUS": 6, "FONCTION_PUBLIQUE": 2, "CDD_MOINS_6M": 14,
        "INTERIM_MOINS_6M": 12, "CONTRAT_AIDE": 4, "FORMATION_QUALIFIANTE": 9, "AUTRE_SIAE": 6, "RETRAITE": 2,
        "CHOMAGE": 15, "INACTIVITE": 3, "SANS_NOUVELLES": 6, "AUTRE": 2, "MALADIE_MATERNITE": 2,
    },
    "ETTI": {
        "CDI": 7, "CDD_6M_PLUS": 6, "INTERIM_6M_PLUS": 9, "CDD_MOINS_6M": 8, "INTERIM_MOINS_6M": 14,
        "FORMATION_QUALIFIANTE": 8, "AUTRE_SIAE": 4, "CHOMAGE": 26, "SANS_NOUVELLES": 8, "INACTIVITE": 4,
        "AUTRE": 3, "FAUTE_GRAVE": 2, "MALADIE_MATERNITE": 1,
    },
    "EI": {
        "CDI": 9, "CDI_SIAE": 3, "CDD_6M_PLUS": 7, "CREATION_ENTREPRISE": 1, "CDD_MOINS_6M": 10,
        "INTERIM_MOINS_6M": 7, "CONTRAT_AIDE": 3, "FORMATION_QUALIFIANTE": 8, "AUTRE_SIAE": 3, "RETRAITE": 1,
        "CHOMAGE": 22, "INACTIVITE": 6, "SANS_NOUVELLES": 7, "AUTRE": 3, "MALADIE_MATERNITE": 3, "FAUTE_GRAVE": 1,
    },
}  # fmt: skip
# Ruptures in the first weeks are rarely towards a job.
MOTIFS_RUPTURE = {"CHOMAGE": 5, "SANS_NOUVELLES": 3, "INACTIVITE": 2, "AUTRE": 2, "CDD_MOINS_6M": 1, "FAUTE_GRAVE": 1}

# Taux de sorties dynamiques by year and kind, in %. 2025, the last complete year: the Meuse bilan (seed 000:
# ACI 49 %, AI 72 %, EI/ETTI 56 %); 2024 the year before it (ACI 48 %, AI 79 %, EI/ETTI 51 %); 2026 under way.
TAUX_CIBLES = {
    2024: {"ACI": 48, "AI": 79, "ETTI": 51, "EI": 51},
    2025: {"ACI": 49, "AI": 72, "ETTI": 56, "EI": 56},
    2026: {"ACI": 50, "AI": 70, "ETTI": 54, "EI": 55},
}
# Exits neutralised (death, long illness, serious misconduct…) of each kind each year, at least.
RETRAITS_MINIMUM = 2
DYNAMIQUES = ("EMPLOI_DURABLE", "EMPLOI_TRANSITION", "SORTIE_POSITIVE")
HEURES_MINIMUM_AI_ETTI = 150


def _categories() -> dict[str, str]:
    with FICHIER_MOTIFS.open(encoding="utf-8") as f:
        return {ligne["code"]: ligne["categorie"] for ligne in csv.DictReader(f, delimiter=";")}


CATEGORIES = _categories()


def examinee(type_: str, date_embauche: dt.date, date_sortie: dt.date, heures: Decimal) -> bool:
    """Spec §7: ACI, EI at least 3 months between hire and exit; AI, ETTI at least 150 hours worked in the
    parcours; EITI always."""
    if type_ in ("ACI", "EI"):
        return date_sortie >= ajouter_mois(date_embauche, 3)
    if type_ in ("AI", "ETTI"):
        return heures >= HEURES_MINIMUM_AI_ETTI
    return True


def _motif(rng: random.Random, type_: str, categories: tuple[str, ...], embauche) -> str:
    """A motif of the kind's weights in one of these categories (retirement only from 60)."""
    poids = {m: p for m, p in MOTIFS[type_].items() if CATEGORIES[m] in categories}
    while True:
        motif = rng.choices(list(poids), weights=list(poids.values()))[0]
        if motif != "RETRAITE" or age_au(embauche.date_naissance, embauche.date_sortie) >= 60:
            return motif


def ajuster_sorties(rng: random.Random, types: list[str], embauches: list) -> None:
    """For each kind and year of TAUX_CIBLES, among the exits examinées: at least RETRAITS_MINIMUM retraits, then
    as many sorties dynamiques as the target rate asks, by drawing again the motif of exits taken at random."""
    examinees = defaultdict(list)
    for embauche in embauches:
        sortie, type_ = embauche.date_sortie, types[embauche.rang - 1]
        heures = sum(embauche.heures.values(), Decimal(0))
        if sortie and sortie.year in TAUX_CIBLES and examinee(type_, embauche.date_embauche, sortie, heures):
            examinees[(type_, sortie.year)].append(embauche)
    for (type_, annee), sorties in sorted(examinees.items()):
        categorie = lambda e: CATEGORIES[e.motif_sortie]  # noqa: E731
        autres = [e for e in sorties if categorie(e) == "AUTRE"]
        retraits = sum(1 for e in sorties if categorie(e) == "RETRAIT")
        for embauche in rng.sample(autres, max(0, RETRAITS_MINIMUM - retraits)):
            embauche.motif_sortie = _motif(rng, type_, ("RETRAIT",), embauche)
        retenues = [e for e in sorties if categorie(e) != "RETRAIT"]
        cible = int((Decimal(TAUX_CIBLES[annee][type_]) * len(retenues) / 100).quantize(1, ROUND_HALF_UP))
        dynamiques = [e for e in retenues if categorie(e) in DYNAMIQUES]
        if len(dynamiques) < cible:
            autres = [e for e in retenues if categorie(e) == "AUTRE"]
            for embauche in rng.sample(autres, cible - len(dynamiques)):
                embauche.motif_sortie = _motif(rng, type_, DYNAMIQUES, embauche)
        else:
            for embauche in rng.sample(dynamiques, len(dynamiques) - cible):
                embauche.motif_sortie = _motif(rng, type_, ("AUTRE",), embauche)
