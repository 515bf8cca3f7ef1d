"""The rate of a month is remembered by the barème of a kind once asked: the same value as computed."""

import datetime as dt
from decimal import Decimal

from aides_au_poste.regles import Bareme, LigneBareme, taux_du_mois


def test_le_taux_retenu_est_celui_calcule():
    lignes = [LigneBareme(dt.date(2024, 1, 1), Decimal("23000")), LigneBareme(dt.date(2025, 1, 1), Decimal("24000"))]
    bareme = Bareme(lignes)
    for mois in (dt.date(2023, 12, 1), dt.date(2024, 6, 1), dt.date(2025, 1, 1), dt.date(2025, 1, 1)):
        assert taux_du_mois(bareme, mois) == taux_du_mois(lignes, mois)
    assert bareme.taux_par_mois == {
        dt.date(2023, 12, 1): Decimal(0),
        dt.date(2024, 6, 1): Decimal("23000"),
        dt.date(2025, 1, 1): Decimal("24000"),
    }
    assert list(bareme) == lignes
