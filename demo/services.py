"""The demo département 55 (Meuse): fictive structures in the proportions of the Meuse CDIAE bilan, one account
per role, and three years of activity (annexes financières, parcours, monthly declarations, exits, PASS IAE
suspended or prolonged: see plan.py). Running it again changes nothing."""

import os

from django.db import transaction

from comptes.models import Organisation, TypeOrganisation
from demo.activite import creer_activite
from demo.bilans import creer_bilan_de_demonstration
from demo.financements import creer_financeurs
from demo.modulation import creer_modulation
from demo.referentiels import charger_referentiels
from demo.structures import DEPARTEMENT, MOT_DE_PASSE_PAR_DEFAUT, Compte, _compte, _structures, siret_demo
from indicateurs.services import rafraichir_tout

__all__ = ["DEPARTEMENT", "MOT_DE_PASSE_PAR_DEFAUT", "Compte", "creer_demo", "siret_demo"]


@transaction.atomic
def creer_demo() -> list[Compte]:
    # The exit motifs and the barème come from migrations; a flushed database would have lost them.
    charger_referentiels()
    mot_de_passe = os.environ.get("DEMO_MOT_DE_PASSE", MOT_DE_PASSE_PAR_DEFAUT)
    structures = _structures()
    ddets, _ = Organisation.objects.get_or_create(
        type=TypeOrganisation.DDETS, departement=DEPARTEMENT, defaults={"nom": "DDETS de la Meuse"}
    )
    cdiae, _ = Organisation.objects.get_or_create(
        type=TypeOrganisation.CDIAE, departement=DEPARTEMENT, defaults={"nom": "CDIAE de la Meuse"}
    )
    premiere = structures[0]
    org_siae, _ = Organisation.objects.get_or_create(
        type=TypeOrganisation.SIAE, siae=premiere, defaults={"nom": premiere.nom}
    )
    comptes = [
        (Compte("agent.ddets@pilot-iae.test", "Claire", "Agent", "Agent DDETS (Meuse)"), ddets, False),
        (Compte("siae@pilot-iae.test", "Samir", "Encadrant", f"Personnel de SIAE ({premiere.nom})"), org_siae, False),
        (Compte("cdiae@pilot-iae.test", "Colette", "Membre", "Membre du CDIAE (Meuse)"), cdiae, False),
        (Compte("admin@pilot-iae.test", "Alex", "Admin", "Administrateur"), None, True),
    ]
    utilisateurs = {
        compte.email: _compte(compte.email, compte.prenom, compte.nom, mot_de_passe, organisation, admin)
        for compte, organisation, admin in comptes
    }
    # The SIAE account transmits its structure's declarations; the others' are sent by accounts the demo lacks.
    creer_activite(structures, auteurs={premiere.pk: utilisateurs["siae@pilot-iae.test"]})
    creer_financeurs()
    creer_modulation()
    rafraichir_tout()
    creer_bilan_de_demonstration()
    return [compte for compte, _, _ in comptes]
