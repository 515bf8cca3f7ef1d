"""Rules about structures, as plain functions (spec §1)."""

# La Poste's establishments share one SIREN whose SIRETs do not follow Luhn: INSEE checks them
# with "sum of the digits is a multiple of 5" instead.
SIREN_LA_POSTE = "356000000"


def luhn_valide(chiffres: str) -> bool:
    total = 0
    for rang, caractere in enumerate(reversed(chiffres)):
        chiffre = int(caractere)
        if rang % 2 == 1:
            chiffre *= 2
            if chiffre > 9:
                chiffre -= 9
        total += chiffre
    return total % 10 == 0


def erreur_siret(siret: str) -> str | None:
    """The reason a SIRET is not valid, or None when it is."""
    if len(siret) != 14 or not siret.isdigit():
        return "le SIRET doit compter exactement 14 chiffres"
    if siret.startswith(SIREN_LA_POSTE) and siret != SIREN_LA_POSTE + "00000":
        return None if sum(int(c) for c in siret) % 5 == 0 else "SIRET invalide (clé de contrôle incorrecte)"
    if not luhn_valide(siret):
        return "SIRET invalide (clé de contrôle incorrecte)"
    return None


def normaliser_siret(valeur: str) -> str:
    return "".join(str(valeur).split())
