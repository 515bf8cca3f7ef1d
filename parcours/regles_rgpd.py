"""Rules of the lifetime of personal data (docs/rgpd.md), as plain functions: no database."""

import datetime as dt

from .models import TrancheAge
from .regles import AGE_JEUNE, AGE_SENIOR, age_au, ajouter_mois

# What an erased identity reads on the pages: the row stays for the figures, nobody is named.
NOM_ANONYMISE = "Anonymisé"
# What replaces a free text written about a person (a refusal's reason, a derogation's motive) where one is
# required: the decision stays, its wording goes.
TEXTE_EFFACE = "Texte effacé (durée de conservation des données personnelles échue)"
# An anonymised PASS IAE number: the prefix and the row's id on 8 digits (written in SQL by the purge), 12
# characters as the constraint wants; no real number starts with letters.
PREFIXE_PASS_ANONYMISE = "ANON"
CHIFFRES_PASS_ANONYMISE = 8


def date_limite(aujourd_hui: dt.date, mois: int) -> dt.date:
    """The first day still kept: what ended before it is past a retention period of `mois` months."""
    return ajouter_mois(aujourd_hui, -mois)


def tranche_d_age(date_naissance: dt.date, date_embauche: dt.date) -> str:
    """The age bracket on the hire date that the publics indicators count (under 26, 26 to 49, 50 and over)."""
    age = age_au(date_naissance, date_embauche)
    if age < AGE_JEUNE:
        return TrancheAge.MOINS_DE_26
    if age >= AGE_SENIOR:
        return TrancheAge.CINQUANTE_ET_PLUS
    return TrancheAge.DE_26_A_49
