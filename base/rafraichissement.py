"""The one way a write asks for the figures computed from its data to be refreshed, pointing up the floors.

The domain services (conventions, parcours, declarations) call `rafraichir_apres_commit` or
`rafraichir_structures_apres_commit` here; the `indicateurs` app, on a higher floor, plugs in what does the work
when Django starts (`IndicateursConfig.ready`). So a write never imports the indicators, and the indicators are the
only ones to know how they are computed. Without them installed, asking does nothing.
"""

import datetime as dt
from collections.abc import Callable, Iterable

_annexe: Callable[[int, dt.date | None], None] | None = None
_structures: Callable[[Iterable[int], dt.date | None], None] | None = None


def brancher(
    annexe: Callable[[int, dt.date | None], None], structures: Callable[[Iterable[int], dt.date | None], None]
) -> None:
    """Called once by the app that computes the figures."""
    global _annexe, _structures
    _annexe, _structures = annexe, structures


def rafraichir_apres_commit(annexe_id: int, mois: dt.date | None = None) -> None:
    """An annexe's month (every month when None) changed: refresh it once the current transaction commits."""
    if _annexe is not None:
        _annexe(annexe_id, mois)


def rafraichir_structures_apres_commit(siae_ids: Iterable[int], depuis: dt.date | None = None) -> None:
    """Parcours of these structures changed from that date on (every date when None): refresh their annexes."""
    if _structures is not None:
        _structures(siae_ids, depuis)
