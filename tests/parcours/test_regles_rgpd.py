"""Rules of the lifetime of personal data (parcours/regles_rgpd.py), without a database."""

import datetime as dt

import pytest

from parcours.models import TrancheAge
from parcours.regles_rgpd import date_limite, tranche_d_age

D = dt.date


@pytest.mark.parametrize(
    ("aujourd_hui", "mois", "limite"),
    [
        (D(2027, 1, 15), 24, D(2025, 1, 15)),
        (D(2026, 3, 31), 1, D(2026, 2, 28)),  # clamped to the shorter month
        (D(2028, 2, 29), 24, D(2026, 2, 28)),
        (D(2026, 12, 4), 6, D(2026, 6, 4)),
    ],
)
def test_date_limite(aujourd_hui, mois, limite):
    assert date_limite(aujourd_hui, mois) == limite


@pytest.mark.parametrize(
    ("naissance", "embauche", "tranche"),
    [
        (D(1998, 3, 15), D(2024, 3, 14), TrancheAge.MOINS_DE_26),  # 25, 26 the next day
        (D(1998, 3, 15), D(2024, 3, 15), TrancheAge.DE_26_A_49),
        (D(1974, 3, 16), D(2024, 3, 15), TrancheAge.DE_26_A_49),  # 49
        (D(1974, 3, 15), D(2024, 3, 15), TrancheAge.CINQUANTE_ET_PLUS),
        (D(2000, 2, 29), D(2026, 2, 28), TrancheAge.MOINS_DE_26),  # born on 29 February: 26 on 1 March
    ],
)
def test_tranche_d_age_a_l_embauche(naissance, embauche, tranche):
    assert tranche_d_age(naissance, embauche) == tranche
