"""`base.taches.lancer`: to the worker when there is one; without one, inside the request (the tests) or, when
`TACHES_EN_ARRIERE_PLAN` is on (development), in a thread of its own so the page returns at once."""

import threading

import pytest

from base.taches import en_arriere_plan, lancer, lancer_apres_commit


class TacheEnregistree:
    """Stands for a Celery task: records how it was sent, and in which thread it ran."""

    name = "tests.tache"

    def __init__(self, attente: threading.Event | None = None):
        self.envois = []
        self.fils = []
        self.attente = attente

    def delay(self, *args, **kwargs):
        self.envois.append(("delay", args, kwargs))

    def apply(self, args=(), kwargs=None, throw=False):
        if self.attente is not None:
            self.attente.wait(5)
        self.fils.append(threading.current_thread().name)
        self.envois.append(("apply", args, kwargs))


def test_sans_l_arriere_plan_la_tache_part_tout_de_suite(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.TACHES_EN_ARRIERE_PLAN = False
    tache = TacheEnregistree()
    assert lancer(tache, 3, avec="x") is None
    assert tache.envois == [("delay", (3,), {"avec": "x"})]


def test_avec_un_travailleur_le_reglage_ne_change_rien(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.TACHES_EN_ARRIERE_PLAN = True
    assert not en_arriere_plan()
    tache = TacheEnregistree()
    assert lancer(tache, 3) is None
    assert tache.envois == [("delay", (3,), {})]


@pytest.mark.django_db
def test_en_developpement_la_tache_tourne_dans_un_fil_sans_retenir_l_appel(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.TACHES_EN_ARRIERE_PLAN = True
    feu_vert = threading.Event()
    tache = TacheEnregistree(attente=feu_vert)
    fil = lancer(tache, 7)
    # The call has returned while the task still waits: the request would not be held.
    assert fil is not None and fil.is_alive() and tache.envois == []
    feu_vert.set()
    fil.join(5)
    assert tache.envois == [("apply", (7,), {})]
    assert tache.fils == ["tache-tests.tache"] and tache.fils[0] != threading.current_thread().name


@pytest.mark.django_db
def test_dans_une_transaction_la_tache_attend_le_commit(settings, django_capture_on_commit_callbacks):
    settings.TACHES_EN_ARRIERE_PLAN = False
    tache = TacheEnregistree()
    with django_capture_on_commit_callbacks(execute=True):
        lancer_apres_commit(tache, 1)
        assert tache.envois == []
    assert tache.envois == [("delay", (1,), {})]


def test_le_reglage_est_actif_en_developpement_seulement():
    from iae.settings import base, dev

    assert dev.TACHES_EN_ARRIERE_PLAN is True
    assert not hasattr(base, "TACHES_EN_ARRIERE_PLAN")
