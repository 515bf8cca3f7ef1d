"""Two first amounts of one envelope saved at once: the second waits for the first's row, then changes it.

Needs two real connections to one database that has row locks and a unique index that makes an insert wait: PostgreSQL
(the CI's database). SQLite serialises whole-database writers by itself; tests/modulation/test_services.py plays the
same race on one connection.
"""

import threading
import time
from decimal import Decimal as D

import pytest
from django.db import connection, transaction

from modulation.models import EnveloppeModulation
from modulation.services import fixer_enveloppe

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="verrous de lignes : PostgreSQL seulement"),
    pytest.mark.django_db(transaction=True),
]


def test_la_seconde_premiere_saisie_devient_une_modification(agent_55, admin):
    resultats, erreurs = [], []

    def seconde():
        try:
            resultats.append(fixer_enveloppe("55", 2025, D("510000"), agent_55, "Notification du BOP 102"))
        except Exception as erreur:  # reported to the test's thread below
            erreurs.append(erreur)
        finally:
            connection.close()

    fil = threading.Thread(target=seconde)
    with transaction.atomic():
        # The first save has inserted the envelope and not committed yet: the second one reads no row, and its
        # insert waits on the unique index.
        fixer_enveloppe("55", 2025, D("500000"), admin, "Première notification")
        fil.start()
        time.sleep(0.5)
        assert fil.is_alive()
    fil.join(timeout=10)
    assert not erreurs and len(resultats) == 1
    enveloppe = EnveloppeModulation.objects.get()
    assert (enveloppe.montant, enveloppe.auteur) == (D("510000.00"), agent_55)
    versions = enveloppe.historique.order_by("history_id")
    assert list(versions.values_list("montant", "history_change_reason")) == [
        (D("500000.00"), "Première notification"),
        (D("510000.00"), "Notification du BOP 102"),
    ]
