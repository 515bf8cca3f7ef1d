"""The leases and time limits of the tasks (docs/decisions.md): every task has its limits, which fit in the lease of
its queue, and the broker hands a lost task out again once that lease has passed."""

import importlib

import pytest
from django.conf import settings

from iae.celery import app


def _taches_du_projet():
    app.loader.import_default_modules()
    return {nom: tache for nom, tache in app.tasks.items() if not nom.startswith("celery.")}


def test_le_broker_rend_une_tache_perdue_au_bout_du_bail():
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["visibility_timeout"] == settings.CELERY_BAIL == 30 * 60
    # kombu's sweep would otherwise look every 100 s only.
    assert options["unacked_restore_interval"] * options["unacked_restore_throttle"] == 10
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST


def test_chaque_tache_a_ses_limites_dans_le_bail_de_sa_file():
    taches = _taches_du_projet()
    assert "bilans.tasks.generer_bilan_task" in taches and "comptes.tasks.purger_journal_des_connexions_task" in taches
    for nom, tache in taches.items():
        file = app.amqp.router.route({}, nom)["queue"].name
        bail = settings.CELERY_BAIL_IMPORTS if file == settings.CELERY_FILE_IMPORTS else settings.CELERY_BAIL
        assert nom in settings.CELERY_TASK_ANNOTATIONS, f"{nom} n'a pas ses limites"
        assert 0 < tache.soft_time_limit < tache.time_limit < bail, nom


def test_les_imports_ont_leur_file_et_leur_bail():
    assert app.amqp.router.route({}, "imports.tasks.executer_import_task")["queue"].name == "imports"
    assert app.amqp.router.route({}, "bilans.tasks.generer_bilan_task")["queue"].name == "celery"
    assert settings.CELERY_BAIL_IMPORTS == 5 * 3600


def test_le_worker_des_imports_garde_ses_messages_a_part(monkeypatch):
    """Its messages are kept under keys of their own: the default workers' sweep, with a shorter lease, never
    hands a running import out again."""
    monkeypatch.setenv("CELERY_WORKER_DES_IMPORTS", "1")
    import iae.settings.base as reglages

    try:
        importlib.reload(reglages)
        options = reglages.CELERY_BROKER_TRANSPORT_OPTIONS
        assert options["visibility_timeout"] == 5 * 3600
        assert {options["unacked_key"], options["unacked_index_key"], options["unacked_mutex_key"]} == {
            "unacked_imports",
            "unacked_index_imports",
            "unacked_mutex_imports",
        }
    finally:
        monkeypatch.delenv("CELERY_WORKER_DES_IMPORTS")
        importlib.reload(reglages)
    assert "unacked_key" not in reglages.CELERY_BROKER_TRANSPORT_OPTIONS


@pytest.mark.parametrize(("secondes", "bail", "dure", "douce"), [(600, 1800, 600, 570), (3600, 1800, 1620, 1539)])
def test_limites_de_tache(secondes, bail, dure, douce):
    from iae.settings.base import limites_de_tache

    assert limites_de_tache(secondes, bail) == {"time_limit": dure, "soft_time_limit": douce}
