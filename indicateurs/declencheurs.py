"""Refreshing the indicators once the data they read is committed.

Writers call `rafraichir_apres_commit(annexe_id, mois)`: all the months touched by one transaction (a file of
declarations, a grid and its transmission) leave in one task when it commits, and nothing leaves if it rolls
back. Outside a transaction the refresh is asked at once. Asking never fails the write that asks.
"""

import datetime as dt

from django.db import transaction

from base.calendrier import premier_du_mois
from conventions.models import AnnexeFinanciere

from .regles import regrouper_demandes


class _Lot:
    """The refreshes asked during one transaction; `envoyer` is called by Django after the commit."""

    def __init__(self):
        self.demandes: set[tuple[int, dt.date | None]] = set()
        self.structures: set[int] = set()
        self.envoye = False

    def envoyer(self):
        from .tasks import rafraichir_indicateurs_task, rafraichir_structures_task

        self.envoye = True
        for annexe_ids, mois in regrouper_demandes(self.demandes):
            rafraichir_indicateurs_task.delay(annexe_ids, None if mois is None else [m.isoformat() for m in mois])
        structures = self.structures - self._structures_des_annexes_entieres()
        if structures:
            rafraichir_structures_task.delay(sorted(structures))

    def _structures_des_annexes_entieres(self) -> set[int]:
        """The structures of the annexes refreshed for every month: that refresh rebuilds their parcours' facts
        for every year already (an import asks for both), so they are not rebuilt a second time."""
        entieres = {annexe_id for annexe_id, mois in self.demandes if mois is None}
        if not entieres or not self.structures:
            return set()
        return set(AnnexeFinanciere.objects.filter(pk__in=entieres).values_list("siae_id", flat=True))


def _lot_en_attente(connexion) -> _Lot | None:
    # Django keeps the transaction's callbacks (savepoint ids, callable, robust) until the commit and drops them on
    # a rollback: the batch lives exactly as long as the transaction, never into the next one.
    lots = (getattr(entree[1], "__self__", None) for entree in connexion.run_on_commit)
    return next((lot for lot in lots if isinstance(lot, _Lot) and not lot.envoye), None)


def _lot() -> _Lot:
    """The batch of the current transaction, created (and sent on its commit) when it is the first demand."""
    connexion = transaction.get_connection()
    lot = _lot_en_attente(connexion) if connexion.in_atomic_block else None
    if lot is not None:
        return lot
    lot = _Lot()
    # Robust: the data is committed whatever happens to its refresh (a broker down, a locked database inline in
    # development); the error is logged and the night's refresh catches up.
    transaction.on_commit(lot.envoyer, robust=True)
    return lot


def rafraichir_apres_commit(annexe_id: int, mois: dt.date | None = None) -> None:
    """Ask for the refresh of one annexe's month (every month when None) after the current transaction."""
    _lot().demandes.add((annexe_id, None if mois is None else premier_du_mois(mois)))


def rafraichir_structure_apres_commit(siae_id: int) -> None:
    """Ask for the refresh of the facts of a structure's parcours after the current transaction."""
    _lot().structures.add(siae_id)
