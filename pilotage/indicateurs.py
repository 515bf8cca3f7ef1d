"""The indicators of a département and year, as `exporter indicateurs` prints them (formats.md): the same
figures the dashboards, the API and the CDIAE bilan show."""

from decimal import ROUND_HALF_UP, Decimal

from conventions.queries import (
    annexes_du_departement,
    consommation_des_siae,
    consommation_par_type,
    periode_de_reference,
)


def etp(valeur: Decimal | None) -> str | None:
    return None if valeur is None else str(Decimal(valeur).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def taux(ratio: Decimal | None) -> str | None:
    """A ratio as a percentage string with one decimal ("99.7"), None when undefined."""
    return None if ratio is None else str((Decimal(ratio) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def section_consommation(annexes, annee: int) -> list[dict]:
    return [
        {
            "type": ligne.cle,
            "etp_conventionnes": etp(ligne.etp_conventionnes),
            "etp_realises": etp(ligne.etp_realises),
            "taux_consommation": taux(ligne.taux),
        }
        for ligne in consommation_par_type(annexes, periode_de_reference(annexes, annee))
    ]


def ligne_siae(s) -> dict:
    """The exported row of one structure (a `conventions.queries.ConsommationSiae`)."""
    return {
        "siret": s.siret,
        "nom": s.nom,
        "type": s.type,
        "etp_conventionnes": etp(s.reference.etp_conventionnes),
        "etp_realises": etp(s.reference.etp_realises),
        "taux_consommation": taux(s.reference.taux),
        "statut_consommation": s.reference.statut,
    }


def structures_triees(annexes, annee: int):
    return sorted(consommation_des_siae(annexes, annee), key=lambda s: (s.type, s.nom, s.siret))


def section_siae(annexes, annee: int) -> list[dict]:
    return [ligne_siae(s) for s in structures_triees(annexes, annee)]


def indicateurs(annee: int, departement: str | None = None) -> dict:
    annexes = annexes_du_departement(departement, annee)
    return {
        "annee": annee,
        "departement": departement,
        "consommation": section_consommation(annexes, annee),
        "siae": section_siae(annexes, annee),
    }
