"""A task really travels through Redis to a Celery worker process, which writes to the shared PostgreSQL database.

Needs REDIS_URL and a PostgreSQL DATABASE_URL; skipped otherwise, except under CI=true where it must run.
"""

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from celery.backends.redis import RedisBackend
from django.db import connection

from iae.celery import app as celery_app
from imports.models import Import, StatutImport
from imports.services import preparer_import
from imports.tasks import executer_import_task
from indicateurs.models import IndicateurMensuel
from indicateurs.tasks import rafraichir_indicateurs_task
from siae.models import Siae
from siae.regles import luhn_valide
from tests.factories import AnnexeFinanciereFactory, DeclarationFactory, LigneDeclarationFactory

RACINE = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")


def _raison_de_sauter() -> str | None:
    if not REDIS_URL:
        return "REDIS_URL n'est pas défini : pas de broker réel"
    if connection.vendor != "postgresql":
        return "la base de test n'est pas PostgreSQL : un worker séparé ne peut pas la partager"
    return None


RAISON = _raison_de_sauter()
# Without the real services the test is skipped, saying why; never in CI, where it fails instead.
pytestmark = pytest.mark.skipif(bool(RAISON) and os.environ.get("CI") != "true", reason=RAISON or "")


@pytest.fixture
def services_reels():
    if RAISON:
        pytest.fail(f"Test d'intégration obligatoire en CI : {RAISON}")


def _siret(rang: int) -> str:
    base = f"7770000{rang:06d}"
    return next(base + str(cle) for cle in range(10) if luhn_valide(base + str(cle)))


def _url_base_de_test() -> str:
    reglages = connection.settings_dict
    utilisateur = reglages.get("USER") or "postgres"
    mot_de_passe = f":{reglages['PASSWORD']}" if reglages.get("PASSWORD") else ""
    hote = reglages.get("HOST") or "127.0.0.1"
    port = reglages.get("PORT") or "5432"
    return f"postgres://{utilisateur}{mot_de_passe}@{hote}:{port}/{reglages['NAME']}"


@pytest.fixture
def worker(services_reels, settings, tmp_path):
    file_attente = f"test-{uuid.uuid4().hex[:8]}"
    settings.MEDIA_ROOT = tmp_path
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "iae.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": _url_base_de_test(),
        "REDIS_URL": REDIS_URL,
        "MEDIA_ROOT": str(tmp_path),
    }
    journal = tmp_path / "worker.log"
    with journal.open("w") as sortie:
        processus = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "iae", "worker", "--pool=solo", "-Q", file_attente,
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            cwd=RACINE, env=env, stdout=sortie, stderr=subprocess.STDOUT,
        )  # fmt: skip
    precedent = {"task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.task_always_eager = False
    try:
        yield file_attente, processus, journal
    finally:
        celery_app.conf.update(precedent)
        processus.terminate()
        try:
            processus.wait(timeout=20)
        except subprocess.TimeoutExpired:
            processus.kill()


@pytest.mark.integration
@pytest.mark.lent
@pytest.mark.django_db(transaction=True)
def test_un_import_confirme_est_execute_par_un_vrai_worker(worker):
    file_attente, processus, journal_worker = worker
    contenu = (
        "siret;nom;type;code_postal;commune;departement;ensemblier\n"
        f"{_siret(1)};Structure du worker 1;ACI;55100;Verdun;55;\n"
        f"{_siret(2)};Structure du worker 2;EI;55000;Bar-le-Duc;55;Ensemblier du worker\n"
    ).encode()
    journal = preparer_import("siae", "worker.csv", contenu)
    assert journal.statut == StatutImport.ANALYSE
    assert Siae.objects.count() == 0

    with celery_app.connection_for_write(url=REDIS_URL) as connexion:
        resultat = executer_import_task.apply_async((journal.pk,), queue=file_attente, connection=connexion)

    limite = time.monotonic() + 90
    while time.monotonic() < limite:
        journal.refresh_from_db()
        if journal.statut in (StatutImport.TERMINE, StatutImport.REFUSE, StatutImport.ECHEC):
            break
        assert processus.poll() is None, journal_worker.read_text()
        time.sleep(0.5)
    assert journal.statut == StatutImport.TERMINE, journal_worker.read_text()
    assert journal.nb_crees == 2
    assert set(Siae.objects.values_list("nom", flat=True)) == {"Structure du worker 1", "Structure du worker 2"}
    assert Siae.objects.get(nom="Structure du worker 2").ensemblier.nom == "Ensemblier du worker"
    assert Import.objects.get(pk=journal.pk).date_fin is not None
    # The worker reported the task's result through the Redis result backend too.
    meta = RedisBackend(url=REDIS_URL, app=celery_app).get_task_meta(resultat.id)
    assert meta["status"] == "SUCCESS"
    assert meta["result"] == {"statut": "TERMINE", "crees": 2, "modifies": 0}


@pytest.mark.integration
@pytest.mark.lent
@pytest.mark.django_db(transaction=True)
def test_les_indicateurs_sont_recalcules_par_un_vrai_worker(worker):
    file_attente, processus, journal_worker = worker
    annexe = AnnexeFinanciereFactory(annee=2024)
    LigneDeclarationFactory(
        declaration=DeclarationFactory(annexe=annexe, mois=dt.date(2024, 3, 1)), heures_travaillees=Decimal("182.00")
    )
    with celery_app.connection_for_write(url=REDIS_URL) as connexion:
        # Twice, as a message delivered again would be: the same rows.
        for _ in range(2):
            rafraichir_indicateurs_task.apply_async(
                ([annexe.pk], ["2024-03-01"]), queue=file_attente, connection=connexion
            )
    limite = time.monotonic() + 90
    while time.monotonic() < limite and not IndicateurMensuel.objects.exists():
        assert processus.poll() is None, journal_worker.read_text()
        time.sleep(0.5)
    time.sleep(1)
    mars = IndicateurMensuel.objects.get()
    # 182 h × 12 / 1 820 h (ACI) = 1,2 ETP
    assert (mars.annexe_id, mars.mois, mars.etp_realises) == (annexe.pk, dt.date(2024, 3, 1), Decimal("1.2"))
