"""The indicators of a département and year, as `exporter indicateurs` prints them (formats.md): the same
figures the dashboards, the API and the CDIAE bilan show."""

from decimal import Decimal

from aides_au_poste.exports import ligne_aides
from aides_au_poste.queries import aides_des_annexes, annexes_de_l_annee, par_siae, par_type
from base.formats import etp, montant, taux
from conventions.queries import annexes_du_departement
from indicateurs.queries_consommation import consommation_des_siae, consommation_par_type, periode_de_reference
from indicateurs.queries_sorties import publics_par_type, sorties_des_siae, sorties_par_type
from siae.models import Siae


def section_consommation(annexes, annee: int, materialise: bool = False) -> list[dict]:
    """`materialise`: read the materialised months (the API), as `consommation_par` says."""
    return [
        {
            "type": ligne.cle,
            "etp_conventionnes": etp(ligne.etp_conventionnes),
            "etp_realises": etp(ligne.etp_realises),
            "taux_consommation": taux(ligne.taux),
        }
        for ligne in consommation_par_type(annexes, periode_de_reference(annexes, annee), materialise)
    ]


def ligne_sorties(cle: str, compte) -> dict:
    """The exported row of a `indicateurs.regles_sorties.CompteSorties` (a kind, TOTAL or a structure)."""
    return {
        "type": cle,
        "examinees": compte.examinees,
        "retraits": compte.retraits,
        "emploi_durable": compte.emploi_durable,
        "emploi_transition": compte.emploi_transition,
        "sorties_positives": compte.sorties_positives,
        "autres": compte.autres,
        "taux_sorties_dynamiques": taux(compte.taux_sorties_dynamiques),
        "taux_emploi_durable": taux(compte.taux_emploi_durable),
    }


def section_sorties(structures, annee: int) -> list[dict]:
    """The examined exits of the year (spec §7) per kind, then TOTAL."""
    return [ligne_sorties(ligne.cle, ligne.courant) for ligne in sorties_par_type(structures, [annee])]


def section_aides_au_poste(annexes, annee: int) -> list[dict]:
    """The aides au poste (spec §5) of the annexes starting in the year, per kind, then TOTAL."""
    aides = aides_des_annexes(annexes_de_l_annee(annexes, annee))
    return [ligne_aides(groupe.cle, groupe) for groupe in par_type(aides)]


def ligne_publics(cle: str, publics) -> dict:
    """The exported row of a `indicateurs.queries_sorties.ComptePublics`: shares of the salariés, in %."""
    return {
        "type": cle,
        "salaries": publics.salaries,
        "femmes": taux(publics.part("femmes")),
        "brsa": taux(publics.part("brsa")),
        "qpv": taux(publics.part("qpv")),
        "moins_26_ans": taux(publics.part("moins_26_ans")),
        "50_ans_et_plus": taux(publics.part("cinquante_ans_et_plus")),
        "rqth": taux(publics.part("rqth")),
        "zrr": taux(publics.part("zrr")),
        "deld_detld": taux(publics.part("deld_detld")),
        "infra_cap": taux(publics.part("infra_cap")),
    }


def section_publics(structures, annee: int) -> list[dict]:
    """The salariés with hours worked in the year (spec §8) per kind, then TOTAL (each salarié once)."""
    return [ligne_publics(ligne.cle, ligne.publics) for ligne in publics_par_type(structures, annee)]


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


def siae_exportees(annexes, annee: int) -> list[tuple]:
    """(ConsommationSiae, exported row) of each structure: consumption, then the rate of sorties dynamiques."""
    sorties = sorties_des_siae(Siae.objects.filter(pk__in=annexes.values("siae_id")), annee)
    taux_par_siae = {s.structure.siae_id: s.compte.taux_sorties_dynamiques for s in sorties}
    return [
        (s, {**ligne_siae(s), "taux_sorties_dynamiques": taux(taux_par_siae.get(s.siae_id))})
        for s in structures_triees(annexes, annee)
    ]


CHAMPS_AIDES_SIAE = ("socle_conventionne", "modulation", "du")


def section_siae(annexes, annee: int) -> list[dict]:
    """The rows of the structures, then their aides au poste (annexes starting in the year; 0.00 when none
    does): the aides are in the export, not in /api/v1/consommation/ (see /api/v1/aides-au-poste/)."""
    aides = {g.cle: g for g in par_siae(aides_des_annexes(annexes_de_l_annee(annexes, annee), versements=False))}
    lignes = []
    for s, ligne in siae_exportees(annexes, annee):
        aide = aides.get(s.siae_id)
        lignes.append({**ligne, **{c: montant(getattr(aide, c) if aide else Decimal(0)) for c in CHAMPS_AIDES_SIAE}})
    return lignes


def structures_du_departement(departement: str | None, base=None):
    """The structures of a département (all when None), among `base` (a scoped queryset) when given."""
    structures = base if base is not None else Siae.objects.all()
    return structures.filter(departement=departement) if departement else structures


def indicateurs(annee: int, departement: str | None = None) -> dict:
    annexes = annexes_du_departement(departement, annee)
    structures = structures_du_departement(departement)
    return {
        "annee": annee,
        "departement": departement,
        "consommation": section_consommation(annexes, annee),
        "sorties": section_sorties(structures, annee),
        "aides_au_poste": section_aides_au_poste(annexes, annee),
        "publics": section_publics(structures, annee),
        "siae": section_siae(annexes, annee),
    }
