"""The rules of the declarations on values, without the database."""

import datetime as dt
from decimal import Decimal

import pytest

from declarations.regles import echeance_declaration, etp_realises, sortie_du_mois

MARS = dt.date(2025, 3, 1)


def test_l_echeance_est_le_15_du_mois_suivant():
    assert echeance_declaration(MARS) == dt.date(2025, 4, 15)
    assert echeance_declaration(dt.date(2025, 12, 1)) == dt.date(2026, 1, 15)


def test_les_etp_d_un_mois():
    assert etp_realises(Decimal("151.67"), Decimal("1820.04")) == Decimal("151.67") * 12 / Decimal("1820.04")


@pytest.mark.parametrize(
    ("declaree", "enregistree", "montree"),
    [
        # Declared on the line: the line's.
        (
            (dt.date(2025, 3, 10), "FIN_CDDI"),
            (dt.date(2025, 3, 20), "EMBAUCHE_CDI"),
            (dt.date(2025, 3, 10), "FIN_CDDI"),
        ),
        # Recorded on the parcours this month (first and last day included): the parcours's.
        ((None, None), (dt.date(2025, 3, 1), "EMBAUCHE_CDI"), (dt.date(2025, 3, 1), "EMBAUCHE_CDI")),
        ((None, None), (dt.date(2025, 3, 31), "EMBAUCHE_CDI"), (dt.date(2025, 3, 31), "EMBAUCHE_CDI")),
        # Recorded another month, or nowhere: none.
        ((None, None), (dt.date(2025, 4, 1), "EMBAUCHE_CDI"), (None, None)),
        ((None, None), (dt.date(2025, 2, 28), "EMBAUCHE_CDI"), (None, None)),
        ((None, None), (None, None), (None, None)),
    ],
)
def test_la_sortie_que_montre_la_grille(declaree, enregistree, montree):
    assert sortie_du_mois(MARS, declaree, enregistree) == montree
