"""The version of the data, one counter shared by every process: what is cached from the data (the pages of
`base.pages`) is stored under the version it was computed from, and never read again once the version moved.

Any write moves it, once per transaction and only if that transaction commits:
- a model of the project saved or deleted one by one (the signals connected in `BaseConfig.ready`);
- the writes in bulk, which send no signal, through the places they already go through: the demands of refresh of
  the figures (`base.rafraichissement`), the history's bulk helpers (`base.historique`), the end of an import and
  of a refresh of the indicators, which call `donnees_modifiees` themselves.
A write that would escape all of these is covered by the cached pages' short lifetime (`base.pages`).

The counter lives in the shared cache (`pages`: Redis in production, files in `make run`), beside the pages.
"""

import logging
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction

journal = logging.getLogger(__name__)

CACHE = "pages"
CLE = "version-des-donnees"


def _cache():
    return caches[CACHE]


def version() -> int:
    """The current version (0 when the shared cache cannot be read: nothing is then served from it)."""
    try:
        valeur = _cache().get(CLE)
        if valeur is None:
            _cache().add(CLE, 1, None)
            valeur = _cache().get(CLE)
        return int(valeur or 0)
    except Exception:
        journal.exception("Version des données illisible")
        return 0


def _incrementer() -> None:
    try:
        cache_ = _cache()
        cache_.add(CLE, 1, None)
        cache_.incr(CLE)
    except Exception:  # a cache down serves no page from it either (version() is then 0 and pages are not kept)
        journal.exception("Version des données non incrémentée")


def donnees_modifiees(using: str | None = None) -> None:
    """The data changed: the version moves when the current transaction commits (at once outside of one), once
    per transaction whatever the number of writes."""
    connexion = transaction.get_connection(using)
    if not connexion.in_atomic_block:
        _incrementer()
        return
    if any(appel is _incrementer for _, appel, *_ in connexion.run_on_commit):
        return
    transaction.on_commit(_incrementer, using=using)


def _apps_du_projet() -> frozenset[str]:
    """The labels of the project's own apps (the folders at its root), not Django's nor the libraries'."""
    racine = Path(settings.BASE_DIR).resolve()
    return frozenset(config.label for config in apps.get_app_configs() if Path(config.path).resolve().parent == racine)


def brancher_les_signaux() -> None:
    """Every save or delete of a model of the project moves the version (called once, by `BaseConfig.ready`)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    labels = _apps_du_projet()

    def ecriture(sender, using=None, **kwargs):
        if sender._meta.app_label in labels:
            donnees_modifiees(using)

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(ecriture, weak=False, dispatch_uid=f"versions-{id(signal)}")
