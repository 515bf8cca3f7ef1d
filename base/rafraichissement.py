"""The one way a write asks for the figures computed from its data to be refreshed, pointing up the floors.

The domain services (conventions, declarations, the fluxIAE import) call `rafraichir_apres_commit` here; the
`indicateurs` app, on a higher floor, plugs in what does the work when Django starts (`IndicateursConfig.ready`).
So a write never imports the indicators, and the indicators are the only ones to know how they are computed.
Without them installed, asking does nothing. Only what the materialised figures read asks: the ETP conventionnés
of an annexe and the hours of its retained declarations (`rafraichir_apres_commit`), and the parcours of a
structure: their exit, the situation at hire, the salarié's identity (`rafraichir_structure_apres_commit`).
"""

import datetime as dt
from collections.abc import Callable

from base.versions import donnees_modifiees

_annexe: Callable[[int, dt.date | None], None] | None = None
_structure: Callable[[int], None] | None = None


def brancher(annexe: Callable[[int, dt.date | None], None], structure: Callable[[int], None]) -> None:
    """Called once by the app that computes the figures."""
    global _annexe, _structure
    _annexe, _structure = annexe, structure


def rafraichir_apres_commit(annexe_id: int, mois: dt.date | None = None) -> None:
    """An annexe's month (every month when None) changed: refresh it once the current transaction commits."""
    donnees_modifiees()
    if _annexe is not None:
        _annexe(annexe_id, mois)


def rafraichir_structure_apres_commit(siae_id: int) -> None:
    """A parcours of the structure changed (its exit, the situation at hire, the salarié's identity): refresh the
    facts of its parcours once the current transaction commits."""
    donnees_modifiees()
    if _structure is not None:
        _structure(siae_id)
