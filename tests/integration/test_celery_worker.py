"""A task really travels through Redis to a Celery worker process, which writes to the shared PostgreSQL database.

Needs REDIS_URL and a PostgreSQL DATABASE_URL; skipped otherwise, except under CI=true where it must run.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from celery.backends.redis import RedisBackend
from django.db import connection

from bilans.models import BilanCdiae, StatutBilan
from bilans.tasks import generer_bilan_task
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


def _lancer_worker(file_attente: str, media: Path, journal: Path, redis_url: str = REDIS_URL, **env_en_plus):
    """A worker process of its own on one queue, logging to `journal`; `env_en_plus` adds to its environment."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "iae.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": _url_base_de_test(),
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(media),
        **env_en_plus,
    }
    with journal.open("w") as sortie:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "iae", "worker", "--pool=solo", "-Q", file_attente,
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            cwd=RACINE, env=env, stdout=sortie, stderr=subprocess.STDOUT,
        )  # fmt: skip


def _arreter(processus) -> None:
    processus.terminate()
    try:
        processus.wait(timeout=20)
    except subprocess.TimeoutExpired:
        processus.kill()


@pytest.fixture
def sans_execution_en_ligne():
    precedent = {"task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.update(precedent)


@pytest.fixture
def worker(services_reels, settings, tmp_path, sans_execution_en_ligne):
    file_attente = f"test-{uuid.uuid4().hex[:8]}"
    settings.MEDIA_ROOT = tmp_path
    journal = tmp_path / "worker.log"
    processus = _lancer_worker(file_attente, tmp_path, journal)
    try:
        yield file_attente, processus, journal
    finally:
        _arreter(processus)


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


def _redis_a_part(url: str, base: int) -> str:
    """The same Redis server, another database: a worker with a lease of seconds must not hand out again the
    messages of anyone else's workers."""
    return url.rsplit("/", 1)[0] + f"/{base}" if url.rsplit("/", 1)[-1].isdigit() else f"{url.rstrip('/')}/{base}"


@pytest.mark.integration
@pytest.mark.lent
@pytest.mark.django_db(transaction=True)
def test_un_worker_tue_en_pleine_tache_la_reprend_apres_redemarrage_au_bout_du_bail(
    services_reels, settings, tmp_path, sans_execution_en_ligne
):
    """The whole worker is killed (SIGKILL, no warm shutdown) while it generates a bilan; a worker restarted at once
    gets the message back once the lease has passed, and the bilan is generated, instead of staying "en cours"."""
    bail = 12  # seconds, for this test's workers (CELERY_BAIL_SECONDES); 30 minutes in production
    redis_url = _redis_a_part(REDIS_URL, 13)
    file_attente = f"test-{uuid.uuid4().hex[:8]}"
    settings.MEDIA_ROOT = tmp_path
    bilan = BilanCdiae.objects.create(departement="55", annee=2024, etape="En attente de traitement")
    premier = _lancer_worker(
        file_attente, tmp_path, tmp_path / "worker-1.log", redis_url, CELERY_BAIL_SECONDES=str(bail)
    )
    second = None
    try:
        with celery_app.connection_for_write(url=redis_url) as connexion:
            generer_bilan_task.apply_async((bilan.pk,), queue=file_attente, connection=connexion)
        limite = time.monotonic() + 90
        while time.monotonic() < limite:
            bilan.refresh_from_db()
            if bilan.statut != StatutBilan.EN_ATTENTE:
                break
            assert premier.poll() is None, (tmp_path / "worker-1.log").read_text()
            time.sleep(0.05)
        os.kill(premier.pid, signal.SIGKILL)
        premier.wait(timeout=10)
        tue_a = time.monotonic()
        bilan.refresh_from_db()
        assert bilan.statut == StatutBilan.EN_COURS and bilan.progression < 100, (
            tmp_path / "worker-1.log"
        ).read_text()
        debut_interrompu = bilan.date_debut

        second = _lancer_worker(
            file_attente, tmp_path, tmp_path / "worker-2.log", redis_url, CELERY_BAIL_SECONDES=str(bail)
        )
        # The lease, the sweep that finds the message (every 10 s), then the generation itself.
        limite = tue_a + bail + 10 + 60
        while time.monotonic() < limite:
            bilan.refresh_from_db()
            if bilan.statut in (StatutBilan.PRET, StatutBilan.ECHEC):
                break
            assert second.poll() is None, (tmp_path / "worker-2.log").read_text()
            time.sleep(0.5)
        journal = (tmp_path / "worker-2.log").read_text()
        assert bilan.statut == StatutBilan.PRET, journal
        assert bilan.date_debut > debut_interrompu  # generated again by the second worker
        assert bilan.pages > 0 and bilan.fichier.name.endswith(".pdf")
        assert "generer_bilan_task" in journal and "succeeded" in journal
    finally:
        if premier.poll() is None:
            premier.kill()
        if second is not None:
            _arreter(second)


@pytest.mark.integration
@pytest.mark.lent
@pytest.mark.django_db(transaction=True)
def test_un_import_dont_le_worker_est_tue_est_repris_au_bout_du_bail(
    services_reels, settings, tmp_path, sans_execution_en_ligne
):
    """The worker of the imports queue is killed (SIGKILL) while it writes a confirmed import: its transaction dies
    with it, nothing is half-written; a worker restarted at once gets the message back once the lease has passed and
    writes the import whole, instead of leaving it "en cours" for good."""
    bail = 20  # seconds, the lease of the imports queue for this test's workers; 5 hours in production
    lignes = 3000
    redis_url = _redis_a_part(REDIS_URL, 14)
    file_attente = f"test-{uuid.uuid4().hex[:8]}"
    settings.MEDIA_ROOT = tmp_path
    contenu = "siret;nom;type;code_postal;commune;departement;ensemblier\n" + "".join(
        f"{_siret(rang)};Structure reprise {rang};ACI;55100;Verdun;55;\n" for rang in range(1, lignes + 1)
    )
    journal = preparer_import("siae", "reprise.csv", contenu.encode())
    assert journal.statut == StatutImport.ANALYSE
    reglages = {"CELERY_WORKER_DES_IMPORTS": "1", "CELERY_BAIL_SECONDES": str(bail),
                "CELERY_BAIL_IMPORTS_SECONDES": str(bail)}  # fmt: skip
    premier = _lancer_worker(file_attente, tmp_path, tmp_path / "worker-1.log", redis_url, **reglages)
    second = None
    try:
        with celery_app.connection_for_write(url=redis_url) as connexion:
            executer_import_task.apply_async((journal.pk,), queue=file_attente, connection=connexion)
        # Killed once the execution has read some lines, before it has written anything.
        limite = time.monotonic() + 90
        while time.monotonic() < limite:
            journal.refresh_from_db()
            if journal.statut != StatutImport.ANALYSE and journal.lignes_traitees > 0:
                break
            assert premier.poll() is None, (tmp_path / "worker-1.log").read_text()
            time.sleep(0.02)
        os.kill(premier.pid, signal.SIGKILL)
        premier.wait(timeout=10)
        tue_a = time.monotonic()
        journal.refresh_from_db()
        assert journal.statut == StatutImport.EN_COURS, (tmp_path / "worker-1.log").read_text()
        assert Siae.objects.count() == 0  # the write is one transaction: nothing of it stays

        second = _lancer_worker(file_attente, tmp_path, tmp_path / "worker-2.log", redis_url, **reglages)
        # The lease, the sweep that finds the message (every 10 s), then the import itself.
        limite = tue_a + bail + 10 + 90
        while time.monotonic() < limite:
            journal.refresh_from_db()
            if journal.statut in (StatutImport.TERMINE, StatutImport.REFUSE, StatutImport.ECHEC):
                break
            assert second.poll() is None, (tmp_path / "worker-2.log").read_text()
            time.sleep(0.5)
        sortie = (tmp_path / "worker-2.log").read_text()
        assert journal.statut == StatutImport.TERMINE, sortie
        assert (journal.nb_crees, journal.progression) == (lignes, 100)
        assert Siae.objects.count() == lignes
        assert "executer_import_task" in sortie and "succeeded" in sortie
    finally:
        if premier.poll() is None:
            premier.kill()
        if second is not None:
            _arreter(second)
