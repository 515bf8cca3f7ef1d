"""Two refreshes of the same annexe at once: the second waits for the first's lock, then reads what it committed.

Needs two real connections to one database that has row locks: PostgreSQL (the CI's database). SQLite serialises
whole-database writers by itself and has nothing to show here.
"""

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from conventions.models import AnnexeFinanciere
from declarations.models import LigneDeclaration
from indicateurs.models import IndicateurMensuel
from indicateurs.services import rafraichir
from tests.factories import AnnexeFinanciereFactory, DeclarationFactory, LigneDeclarationFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="verrous de lignes : PostgreSQL seulement"),
    pytest.mark.django_db(transaction=True),
]

JANVIER = dt.date(2024, 1, 1)


def test_le_second_attend_le_premier(siae_a):
    annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2024)
    ligne = LigneDeclarationFactory(
        declaration=DeclarationFactory(annexe=annexe, mois=JANVIER), heures_travaillees=Decimal("91.00")
    )
    rafraichir([annexe.pk])
    resultats, erreurs = [], []

    def second():
        try:
            resultats.append(rafraichir([annexe.pk], [JANVIER]))
        except Exception as erreur:  # reported to the test's thread below
            erreurs.append(erreur)
        finally:
            connection.close()

    fil = threading.Thread(target=second)
    with transaction.atomic():
        # A first writer holds the annexe (as a refresh does) and corrects the hours of January.
        AnnexeFinanciere.objects.select_for_update().get(pk=annexe.pk)
        LigneDeclaration.objects.filter(pk=ligne.pk).update(heures_travaillees=Decimal("182.00"))
        fil.start()
        time.sleep(0.5)
        assert fil.is_alive()  # blocked on the lock, has read nothing yet
    fil.join(timeout=10)
    assert not erreurs and len(resultats) == 1
    janvier = IndicateurMensuel.objects.get(annexe=annexe, mois=JANVIER)
    # It read the committed correction: 182 h × 12 / 1 820 = 1,2 ETP.
    assert janvier.etp_realises == Decimal("1.2")
    assert IndicateurMensuel.objects.filter(annexe=annexe).count() == 12
