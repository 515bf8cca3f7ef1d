"""Stored files deleted with the rows that name them."""

from django.core.files.storage import default_storage
from django.db import transaction


def supprimer_apres_commit(noms: list[str]) -> None:
    """Delete these stored files once the current transaction commits: a rollback leaves them with their rows."""
    noms = [nom for nom in noms if nom]
    if noms:
        transaction.on_commit(lambda: _supprimer(noms))


def _supprimer(noms: list[str]) -> None:
    for nom in noms:
        default_storage.delete(nom)
