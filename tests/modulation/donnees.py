"""Structures in bulk for the tests of the number of queries."""

import datetime as dt
from decimal import Decimal as D

from indicateurs.services import rafraichir_tout
from parcours.models import ActionInsertion
from tests.factories import AnnexeFinanciereFactory, LigneDeclarationFactory, ParcoursFactory, SiaeFactory


def creer(nombre: int) -> None:
    """Structures each with a 2025 annexe, a 2024 annexe, a 2024 hire with hours, an exit and an action."""
    for _ in range(nombre):
        siae = SiaeFactory()
        annexe_2024 = AnnexeFinanciereFactory(siae=siae, annee=2024)
        AnnexeFinanciereFactory(siae=siae, annee=2025)
        parcours = ParcoursFactory(siae=siae, date_embauche=dt.date(2024, 2, 1), date_sortie=dt.date(2024, 9, 30))
        LigneDeclarationFactory(
            declaration__annexe=annexe_2024, declaration__mois=dt.date(2024, 3, 1), parcours=parcours
        )
        ActionInsertion.objects.create(
            parcours=parcours, type="FORMATION", libelle="SST", date_debut=dt.date(2024, 3, 4), heures=D(14)
        )
    rafraichir_tout()  # what the writes of production ask for when they commit
