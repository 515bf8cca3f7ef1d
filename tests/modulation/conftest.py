"""A small département built by hand: Jardins de Verdun (ACI, 55) with its 2024 annexe (the objectives the 2025
proposal is measured against) and its 2025 annexe (the one the modulation is decided for), four parcours in 2024,
their hours, exits and insertion actions. The figures each test expects are computed in the tests from these
data.

    P1  hired 15/01/2024, bRSA, RQTH, born 1970 (54 at hire), exit 30/06/2024 emploi durable   100 h in March
    P2  hired 01/02/2024, DETLD, infra CAP, exit 15/12/2024 other exit                          80 h in March
    P3  hired 01/03/2024, QPV, in parcours                                                       50 h in April
    P4  hired 01/06/2023 (not a 2024 hire), exit 31/03/2024 sortie positive                 151.67 h in March
    actions: P1 training of 35 h (04/2024), P2 social accompaniment (05/2024), P3 training of 14 h (01/2025),
             P4 PMSMP (09/2023)
"""

import datetime as dt
from decimal import Decimal

import pytest

from indicateurs.services import rafraichir_tout
from parcours.models import ActionInsertion, CategorieSortie, DureeChomage, MotifSortie, NiveauFormation
from tests.factories import AnnexeFinanciereFactory, DeclarationFactory, LigneDeclarationFactory, ParcoursFactory

HEURES = {"P1": Decimal("100.00"), "P2": Decimal("80.00"), "P3": Decimal("50.00"), "P4": Decimal("151.67")}


def motif(categorie: str) -> MotifSortie:
    return MotifSortie.objects.filter(categorie=categorie, actif=True).order_by("code").first()


@pytest.fixture
def annexe_2024(siae_a):
    return AnnexeFinanciereFactory(
        siae=siae_a,
        annee=2024,
        objectif_sorties_dynamiques=Decimal(50),
        objectif_emploi_durable=Decimal(20),
        objectif_part_brsa=Decimal(50),
    )


@pytest.fixture
def annexe_2025(siae_a, annexe_2024):
    return AnnexeFinanciereFactory(siae=siae_a, annee=2025, taux_modulation=Decimal("0.03"))


@pytest.fixture
def parcours_2024(siae_a, annexe_2024):
    p = {
        "P1": ParcoursFactory(
            siae=siae_a,
            date_embauche=dt.date(2024, 1, 15),
            salarie__date_naissance=dt.date(1970, 1, 1),
            brsa=True,
            rqth=True,
            date_sortie=dt.date(2024, 6, 30),
            motif_sortie=motif(CategorieSortie.EMPLOI_DURABLE),
        ),
        "P2": ParcoursFactory(
            siae=siae_a,
            date_embauche=dt.date(2024, 2, 1),
            salarie__date_naissance=dt.date(1990, 5, 5),
            duree_chomage=DureeChomage.DETLD,
            niveau_formation=NiveauFormation.INFRA_CAP,
            date_sortie=dt.date(2024, 12, 15),
            motif_sortie=motif(CategorieSortie.AUTRE),
        ),
        "P3": ParcoursFactory(
            siae=siae_a, date_embauche=dt.date(2024, 3, 1), salarie__date_naissance=dt.date(1995, 7, 7), qpv=True
        ),
        "P4": ParcoursFactory(
            siae=siae_a,
            date_embauche=dt.date(2023, 6, 1),
            salarie__date_naissance=dt.date(1980, 2, 2),
            pass_iae__date_debut=dt.date(2023, 6, 1),
            date_sortie=dt.date(2024, 3, 31),
            motif_sortie=motif(CategorieSortie.SORTIE_POSITIVE),
        ),
    }
    mars = DeclarationFactory(annexe=annexe_2024, mois=dt.date(2024, 3, 1))
    avril = DeclarationFactory(annexe=annexe_2024, mois=dt.date(2024, 4, 1))
    for nom in ("P1", "P2", "P4"):
        LigneDeclarationFactory(declaration=mars, parcours=p[nom], heures_travaillees=HEURES[nom])
    LigneDeclarationFactory(declaration=avril, parcours=p["P3"], heures_travaillees=HEURES["P3"])
    ActionInsertion.objects.create(
        parcours=p["P1"], type="FORMATION", libelle="CACES R489", date_debut=dt.date(2024, 4, 2), heures=Decimal(35)
    )
    ActionInsertion.objects.create(
        parcours=p["P2"], type="ACCOMPAGNEMENT_SOCIAL", libelle="Logement", date_debut=dt.date(2024, 5, 6)
    )
    ActionInsertion.objects.create(
        parcours=p["P3"], type="FORMATION", libelle="SST", date_debut=dt.date(2025, 1, 10), heures=Decimal(14)
    )
    ActionInsertion.objects.create(
        parcours=p["P4"],
        type="PMSMP",
        libelle="Immersion",
        date_debut=dt.date(2023, 9, 4),
        date_fin=dt.date(2023, 9, 15),
    )
    return p


@pytest.fixture
def departement(annexe_2025, parcours_2024):
    """The 2025 annexe to decide, its structure's 2024 data in place."""
    rafraichir_tout()  # what the writes of production ask for when they commit
    return annexe_2025
