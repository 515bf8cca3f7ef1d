"""The one way a page launches long work (a PDF, an import's analysis or run): `lancer(tache, *args)`, or
`lancer_apres_commit` from inside a transaction.

With a worker (REDIS_URL set) it is `tache.delay(*args)`: the message leaves, the request returns, the page polls.
Without one (`make run`, the tests) Celery runs the task eagerly, that is inside the request: a bilan held the
button 24 s and its progress bar never showed. When `TACHES_EN_ARRIERE_PLAN` is on (development settings) an eager
task runs instead in a thread of its own, so the request returns at once and the page follows the progress as it
would with a worker. The tests keep it off: the task runs synchronously and they stay deterministic."""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connections, transaction

logger = logging.getLogger(__name__)


def en_arriere_plan() -> bool:
    """Whether an eager task runs in a thread rather than in the request."""
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)) and bool(
        getattr(settings, "TACHES_EN_ARRIERE_PLAN", False)
    )


def _executer(tache, args: tuple, kwargs: dict) -> None:
    # A thread has its own database connections: opened here, closed at the end so none leaks.
    close_old_connections()
    try:
        tache.apply(args=args, kwargs=kwargs, throw=False)
    except Exception:
        # The tasks record their own failures on their rows; what escapes them goes to the logs.
        logger.exception("Échec de la tâche %s lancée en arrière-plan", tache.name)
    finally:
        connections.close_all()


def lancer(tache, *args, **kwargs) -> threading.Thread | None:
    """Send `tache(*args, **kwargs)` now: to the worker, or to a thread of its own when eager in development (the
    thread, returned, is for the tests to wait on); inside the request otherwise."""
    if not en_arriere_plan():
        tache.delay(*args, **kwargs)
        return None
    fil = threading.Thread(target=_executer, args=(tache, args, kwargs), name=f"tache-{tache.name}", daemon=True)
    fil.start()
    return fil


def lancer_apres_commit(tache, *args, **kwargs) -> None:
    """`lancer` once the current transaction commits (at once outside any): the row the task reads must exist for
    it."""
    transaction.on_commit(lambda: lancer(tache, *args, **kwargs))
