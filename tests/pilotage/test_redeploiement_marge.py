"""What the simulator shows around the moves, on values: where ETP would stay unused or be missing, and the month
a move starts from until the agent chooses."""

import datetime as dt
from decimal import Decimal

from pilotage.redeploiement import AnnexeSimulee, mois_propose, simuler

D = Decimal
SEUILS = (D("0.95"), D("1.00"))


def annexe(pk: int, etp: str, realise_par_mois: str) -> AnnexeSimulee:
    """An annexe of 2024 at `etp` ETP every month, having realised `realise_par_mois` ETP a month to June."""
    mois = [dt.date(2024, m, 1) for m in range(1, 13)]
    return AnnexeSimulee(
        pk=pk,
        numero=f"ACI055240{pk:03}A0M0",
        siae_id=pk,
        siret=f"{pk:014}",
        nom=f"Structure {pk}",
        type="ACI",
        date_debut=dt.date(2024, 1, 1),
        date_fin=dt.date(2024, 12, 31),
        etp_par_mois=dict.fromkeys(mois, D(etp)),
        reel_a_date=D(realise_par_mois) * 6,
    )


def test_la_marge_et_le_besoin_du_departement():
    annexes = [annexe(1, "10", "8"), annexe(2, "5", "5"), annexe(3, "4", "4.5"), annexe(4, "2", "1.5")]
    simulation = simuler(annexes, [], 2024, "55", dt.date(2024, 6, 1), SEUILS)
    # 8 and 1,5 ETP projected for 10 and 2: 2 + 0,5 would stay unused; 4,5 for 4: 0,5 missing; 5 for 5: conforme.
    assert [s.cle for s in simulation.sous_consommation] == [4, 1]
    assert [s.cle for s in simulation.sur_consommation] == [3]
    assert (simulation.marge, simulation.besoin) == (D("2.5"), D("0.5"))


def test_sans_declaration_ni_marge_ni_besoin():
    simulation = simuler([annexe(1, "10", "0")], [], 2024, "55", dt.date(2024, 6, 1), SEUILS)
    assert (simulation.sous_consommation, simulation.marge, simulation.besoin) == ([], D(0), D(0))


def test_le_mois_propose():
    assert mois_propose(2026, dt.date(2026, 3, 15)) == dt.date(2026, 4, 1)
    assert mois_propose(2026, dt.date(2026, 12, 3)) == dt.date(2026, 12, 1)
    assert mois_propose(2025, dt.date(2026, 3, 15)) == dt.date(2025, 1, 1)
    assert mois_propose(2027, dt.date(2026, 3, 15)) == dt.date(2027, 1, 1)
