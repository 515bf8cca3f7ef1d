"""Rules of conventions, annexes financières and consumption (spec §2 and §4), as plain functions."""

import datetime as dt
import re
from decimal import Decimal

from base.calendrier import dernier_jour_du_mois, nom_du_mois

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


# Changing an annexe's state ----------------------------------------------------------------------------------------

# What the button of each change says, by (current state, new state) or by new state alone.
VERBES_DU_CHANGEMENT = {
    ("CLOTURE", "VALIDE"): "Rouvrir l'annexe",
    "BROUILLON": "Remettre en brouillon",
    "PROVISOIRE": "Rendre l'annexe provisoire",
    "VALIDE": "Valider l'annexe",
    "CLOTURE": "Clôturer l'annexe",
    "ANNULE": "Annuler l'annexe",
}


def libelle_du_changement(etat: str, nouvel_etat: str) -> str:
    return VERBES_DU_CHANGEMENT.get((etat, nouvel_etat)) or VERBES_DU_CHANGEMENT[nouvel_etat]


def _liste_de_mois(mois: list[dt.date]) -> str:
    noms = [nom_du_mois(m) for m in mois]
    return noms[0] if len(noms) == 1 else ", ".join(noms[:-1]) + " et " + noms[-1]


def implications_du_changement(
    etat: str, nouvel_etat: str, mois_a_declarer: list[dt.date], declarations_a_valider: int
) -> list[str]:
    """What a change of state implies, said before it is confirmed. `mois_a_declarer`: the months of the annexe's
    period with no declaration transmitted yet; `declarations_a_valider`: those transmitted and not yet validated
    (both from `declarations.queries.restes_a_declarer`). Only the states PROVISOIRE, VALIDE and CLOTURE count in
    the figures (`ETATS_ACTIFS`)."""
    actifs = ("PROVISOIRE", "VALIDE", "CLOTURE")
    phrases = []
    if nouvel_etat in ("CLOTURE", "ANNULE") and mois_a_declarer:
        n = len(mois_a_declarer)
        phrases.append(
            f"{n} mois reste{'nt' if n > 1 else ''} à déclarer sur la période de l'annexe "
            f"({_liste_de_mois(mois_a_declarer)})."
        )
    if nouvel_etat in ("CLOTURE", "ANNULE") and declarations_a_valider:
        n = declarations_a_valider
        phrases.append(
            "1 déclaration transmise attend encore sa validation."
            if n == 1
            else f"{n} déclarations transmises attendent encore leur validation."
        )
    if nouvel_etat == "CLOTURE":
        phrases.append("L'annexe clôturée ne change plus : sa modulation est figée jusqu'à ce qu'elle soit rouverte.")
    elif nouvel_etat == "ANNULE":
        phrases.append(
            "L'annexe annulée ne compte plus dans les chiffres : ETP conventionnés, consommation, aides au poste."
        )
    elif nouvel_etat == "VALIDE" and etat == "CLOTURE":
        phrases.append("L'annexe rouverte peut de nouveau être modifiée (avenants, modulation).")
    elif nouvel_etat in actifs and etat not in actifs:
        phrases.append("L'annexe comptera dans les chiffres : ETP conventionnés, consommation, aides au poste.")
    elif nouvel_etat == "BROUILLON":
        phrases.append("L'annexe redevient un brouillon : elle ne compte pas dans les chiffres.")
    return phrases
