"""French display of figures (spec: `426,99`, `99,7 %`, `8 800 000,00 €`, `15/06/2022`).

Money and rates are Decimal all the way; rounding is half-up, done here only for display.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

ESPACE_INSECABLE = "\u202f"  # narrow no-break space, the French thousands separator


def arrondi(valeur: Decimal | int | float | str, decimales: int = 2) -> Decimal:
    """Half-up to `decimales` decimals: every figure shown or exported goes through here (a float as it is
    written, 0.1 and not its binary approximation). Money stored is the domain's (`aides_au_poste.regles`)."""
    return Decimal(str(valeur)).quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)


def nombre_fr(valeur, decimales: int = 2, separateur: str = ESPACE_INSECABLE) -> str:
    if valeur is None or valeur == "":
        return "–"
    arrondie = arrondi(valeur, decimales)
    # A difference of a fraction of a cent rounds to zero: never "-0,00".
    texte = f"{arrondie + 0 if arrondie else abs(arrondie):,.{decimales}f}"
    return texte.replace(",", "\x00").replace(".", ",").replace("\x00", separateur)


def etp_fr(valeur) -> str:
    return nombre_fr(valeur, 2)


def montant_fr(valeur) -> str:
    return "–" if valeur is None else f"{nombre_fr(valeur, 2)}\u00a0€"


def taux_fr(ratio) -> str:
    """A ratio (0.997) shown as a percentage with one decimal (99,7 %); None → '–'."""
    if ratio is None:
        return "–"
    return f"{nombre_fr(Decimal(str(ratio)) * 100, 1)}\u00a0%"


# The machine-readable figures of the exporter, the API and the exports: dot decimals, rounded half-up, None when
# undefined (formats.md). `Decimal(valeur)` first: they have always read a float at its exact binary value.
def etp(valeur: Decimal | None) -> str | None:
    return None if valeur is None else str(arrondi(Decimal(valeur), 2))


def taux(ratio: Decimal | None) -> str | None:
    """A ratio as a percentage string with one decimal ("99.7"), None when undefined."""
    return None if ratio is None else str(arrondi(Decimal(ratio) * 100, 1))


def montant(valeur: Decimal | None) -> str | None:
    """An amount in euros as a string with 2 decimals, rounded half-up to the cent."""
    return None if valeur is None else str(arrondi(Decimal(valeur), 2))


def date_fr(jour) -> str | None:
    """A date as a person reads it (15/06/2022); a datetime in local time with its hour (15/06/2022 à 09:30)."""
    if jour is None:
        return None
    if hasattr(jour, "hour"):
        return f"{timezone.localtime(jour):%d/%m/%Y à %H:%M}"
    return f"{jour:%d/%m/%Y}"


def oui_non(valeur: bool) -> str:
    return "oui" if valeur else "non"
