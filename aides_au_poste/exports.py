"""The exported rows of the aides au poste: the same in `exporter indicateurs`, the API and the downloads."""

from base.formats import montant


def ligne_aides(cle: str, groupe) -> dict:
    """The exported row of a `aides_au_poste.queries.AidesGroupe`."""
    return {
        "type": cle,
        "socle_conventionne": montant(groupe.socle_conventionne),
        "modulation": montant(groupe.modulation),
        "total_conventionne": montant(groupe.total_conventionne),
        "du": montant(groupe.du),
        "verse": montant(groupe.verse),
    }
