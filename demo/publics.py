"""The situation at hire the demo adjusts after drawing it: the share of bRSA among each structure's 2025 hires
(a few structures miss the 40 % objective, spec §8) and the hires made on the structure's own diagnosis
(auto-prescriptions, checked a posteriori the next year, spec §9)."""

import math
import random

from parcours.regles import age_au

ANNEE_DES_OBJECTIFS = 2025
OBJECTIF_BRSA = 0.40
# By rang: the structures whose 2025 hires count fewer bRSA than the objective, and their share. Every other
# structure reaches 40 % at least.
BRSA_SOUS_OBJECTIF = {4: 0.30, 11: 0.27, 19: 0.33, 22: 0.31, 27: 0.25}
# Auto-prescriptions among 2025 hires: most structures between 25 and 35 % of their hires (at least 2, so that
# the 2026 contrôle can draw them), these ones exactly so many; other years, about 30 % of the hires.
AUTO_PRESCRIPTIONS_IMPOSEES = {8: 0, 25: 0, 14: 1, 28: 1}
PART_AUTO_PRESCRIPTIONS = (0.25, 0.35)
PART_AUTO_PRESCRIPTIONS_AUTRES_ANNEES = 0.3
TYPES_AUTO_PRESCRIPTION = ("ACI", "AI", "EI", "ETTI")


def _basculer(rng: random.Random, embauches: list, voulu: int, lire, ecrire, eligible=lambda e: True) -> None:
    """Set the flag on exactly `voulu` of these hires (when eligible ones allow), changing as few as possible."""
    oui = [e for e in embauches if lire(e)]
    if len(oui) > voulu:
        for embauche in rng.sample(oui, len(oui) - voulu):
            ecrire(embauche, False)
    elif len(oui) < voulu:
        candidats = [e for e in embauches if not lire(e) and eligible(e)]
        for embauche in rng.sample(candidats, min(len(candidats), voulu - len(oui))):
            ecrire(embauche, True)


def _ecrire_brsa(embauche, valeur: bool) -> None:
    embauche.situation["brsa"] = valeur


def _ecrire_auto_prescription(embauche, valeur: bool) -> None:
    embauche.auto_prescription = valeur


def ajuster_publics(rng: random.Random, types: list[str], embauches: list) -> None:
    par_rang = {}
    for embauche in embauches:
        if embauche.date_embauche.year == ANNEE_DES_OBJECTIFS:
            par_rang.setdefault(embauche.rang, []).append(embauche)
        elif types[embauche.rang - 1] in TYPES_AUTO_PRESCRIPTION:
            embauche.auto_prescription = rng.random() < PART_AUTO_PRESCRIPTIONS_AUTRES_ANNEES
    for rang, embauches_2025 in sorted(par_rang.items()):
        nombre = len(embauches_2025)
        brsa = sum(1 for e in embauches_2025 if e.situation["brsa"])
        if rang in BRSA_SOUS_OBJECTIF:
            voulu = round(BRSA_SOUS_OBJECTIF[rang] * nombre)
        elif brsa < OBJECTIF_BRSA * nombre:
            voulu = math.ceil(rng.uniform(OBJECTIF_BRSA + 0.01, 0.48) * nombre)
        else:
            voulu = brsa
        # The RSA is for people of 25 and over (a few exceptions aside).
        _basculer(
            rng,
            embauches_2025,
            voulu,
            lambda e: e.situation["brsa"],
            _ecrire_brsa,
            lambda e: age_au(e.date_naissance, e.date_embauche) >= 25,
        )
        if types[rang - 1] in TYPES_AUTO_PRESCRIPTION:
            voulu = AUTO_PRESCRIPTIONS_IMPOSEES.get(rang)
            if voulu is None:
                voulu = max(2, round(rng.uniform(*PART_AUTO_PRESCRIPTIONS) * nombre))
            _basculer(rng, embauches_2025, voulu, lambda e: e.auto_prescription, _ecrire_auto_prescription)
