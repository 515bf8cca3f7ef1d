"""A page under load: gunicorn on the benchmark's database with the production settings, and a bounded load client.

`mesurer_sous_charge` starts gunicorn (4 workers, as the image runs it, bound to 127.0.0.1 only), then sends a fixed
number of GET requests from `clients` threads at once, each request on a new connection (gunicorn's sync workers
close it), and stops by itself: when every request has answered, or after `duree_max` seconds whatever is left. The
client never targets anything but 127.0.0.1 and the port it started gunicorn on.

The page read is the cockpit of the largest département, with its DDETS agent's session, against `/sante/` under
the same load: latency percentiles of each, their ratio, the throughput and the peak memory of gunicorn's
processes. The cockpit is read first once with its charts not in the cache (drawn by that request), then under
load with its charts drawn, as the worker leaves them after a refresh.
"""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HOTE = "127.0.0.1"
RACINE = Path(__file__).resolve().parent.parent
# Redis for the charts' cache when the machine has one: a database number of its own, so that emptying the charts
# touches nothing of the broker or of another process.
REDIS_DU_BANC = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


@dataclass
class Charge:
    page: str
    clients: int
    requetes: int
    erreurs: int
    duree_s: float
    requetes_par_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind((HOTE, 0))
        return s.getsockname()[1]


def _redis_disponible(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:  # no Redis: the charts go to files, as in development
        return False


def vider_les_graphiques(redis_url: str | None) -> None:
    """Only the charts' keys: the cockpit's next request draws them again."""
    if redis_url:
        import redis

        client = redis.Redis.from_url(redis_url)
        for cle in client.scan_iter("*graphique:*", count=1000):
            client.delete(cle)
    else:
        from django.core.cache import caches

        caches["graphiques"].clear()


def _centile(durees: list[float], centile: float) -> float:
    rangees = sorted(durees)
    return rangees[min(len(rangees) - 1, max(0, round(centile / 100 * len(rangees)) - 1))]


def _rss_ko(pid: int, champ: str = "VmRSS") -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for ligne in f:
                if ligne.startswith(champ + ":"):
                    return int(ligne.split()[1])
    except OSError:
        pass
    return 0


def _enfants(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


class Gunicorn:
    """gunicorn on 127.0.0.1, production settings, the benchmark's database; its processes' memory sampled."""

    def __init__(self, database_url: str, secret_key: str, redis_url: str | None, workers: int = 4):
        self.port = _port_libre()
        self.redis_url = redis_url
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "iae.settings.production",
            "DATABASE_URL": database_url,
            # The sessions the benchmark opens are signed with this key: the server must share it.
            "SECRET_KEY": secret_key,
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": HOTE,
            "LOG_LEVEL": "WARNING",
            "CONN_MAX_AGE": "600",
            # The production settings want an SMTP server; the pages read send no e-mail.
            "EMAIL_URL": os.environ.get("EMAIL_URL", "smtp://127.0.0.1:25"),
        }
        env.pop("REDIS_URL", None)
        if redis_url:
            env["REDIS_URL"] = redis_url
        self.env = env
        self.workers = workers
        self.processus = None
        self.pic_total_ko = 0
        self._fin_echantillons = threading.Event()

    def __enter__(self):
        # The production settings serve static files through the manifest `collectstatic` writes: written again each
        # time (it only copies what changed), a file added since would otherwise be missing from it (a 500).
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=RACINE, env=self.env,
            check=True,
        )  # fmt: skip
        self.processus = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "iae.wsgi:application", "--config", "gunicorn.conf.py",
                "--bind", f"{HOTE}:{self.port}", "--workers", str(self.workers), "--timeout", "120",
            ],
            cwd=RACINE,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        fin = time.monotonic() + 60
        while time.monotonic() < fin:
            try:
                if get(self.port, "/sante/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            self.__exit__(None, None, None)
            raise RuntimeError("gunicorn n'a pas répondu sur /sante/ en 60 s")
        threading.Thread(target=self._echantillonner, daemon=True).start()
        return self

    def processus_ids(self) -> list[int]:
        return [self.processus.pid, *_enfants(self.processus.pid)]

    def _echantillonner(self) -> None:
        while not self._fin_echantillons.wait(0.2):
            self.pic_total_ko = max(self.pic_total_ko, sum(_rss_ko(pid) for pid in self.processus_ids()))

    def pic_par_worker_ko(self) -> int:
        """The highest peak resident memory of one worker since it started (the kernel's VmHWM)."""
        return max((_rss_ko(pid, "VmHWM") for pid in _enfants(self.processus.pid)), default=0)

    def __exit__(self, *exc):
        self._fin_echantillons.set()
        if self.processus is not None and self.processus.poll() is None:
            self.processus.terminate()
            try:
                self.processus.wait(30)
            except subprocess.TimeoutExpired:
                self.processus.kill()
                self.processus.wait()


def get(port: int, chemin: str, cookie: str | None = None, timeout: float = 120) -> tuple[int, float]:
    """One GET on 127.0.0.1: the status and the time to the last byte, in ms. The client accepts compressed
    answers, as every browser does."""
    entetes = {"Host": HOTE, "Accept-Encoding": "gzip, deflate, br"}
    if cookie:
        entetes["Cookie"] = cookie
    debut = time.perf_counter()
    connexion = http.client.HTTPConnection(HOTE, port, timeout=timeout)
    try:
        connexion.request("GET", chemin, headers=entetes)
        reponse = connexion.getresponse()
        reponse.read()
        return reponse.status, (time.perf_counter() - debut) * 1000
    finally:
        connexion.close()


def charger(port: int, chemin: str, cookie: str | None, requetes: int, clients: int, duree_max: float = 900) -> Charge:
    """`requetes` GETs of `chemin`, `clients` at a time; stops when all answered or after `duree_max` seconds."""
    restantes = iter(range(requetes))
    verrou = threading.Lock()
    durees, erreurs = [], [0]
    echeance = time.monotonic() + duree_max

    def client() -> None:
        while time.monotonic() < echeance:
            with verrou:
                if next(restantes, None) is None:
                    return
            try:
                statut, duree = get(port, chemin, cookie)
            except OSError:
                statut, duree = 0, 0.0
            with verrou:
                if statut == 200:
                    durees.append(duree)
                else:
                    erreurs[0] += 1

    debut = time.perf_counter()
    fils = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(max(0.0, echeance - time.monotonic()) + 130)
    duree = time.perf_counter() - debut
    if not durees:
        raise RuntimeError(f"{chemin} : aucune réponse 200 ({erreurs[0]} erreurs)")
    return Charge(
        page=chemin,
        clients=clients,
        requetes=len(durees),
        erreurs=erreurs[0],
        duree_s=round(duree, 1),
        requetes_par_s=round(len(durees) / duree, 1),
        p50_ms=round(statistics.median(durees), 1),
        p95_ms=round(_centile(durees, 95), 1),
        p99_ms=round(_centile(durees, 99), 1),
        max_ms=round(max(durees), 1),
    )


def session_de(utilisateur) -> str:
    """The cookies of a browser where `utilisateur` logged in: a session in the database, signed with this process'
    key (shared with gunicorn), and the CSRF cookie the login page gave."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string

    session = SessionStore()
    session[SESSION_KEY] = str(utilisateur.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = utilisateur.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}; csrftoken={_get_new_csrf_string()}"


def departement_le_plus_grand() -> str:
    from django.db.models import Count

    from siae.models import Siae

    return Siae.objects.values("departement").annotate(n=Count("pk")).order_by("-n", "departement")[0]["departement"]


def _mediane(charges: list[Charge]) -> Charge:
    """The run of median p95 among several."""
    return sorted(charges, key=lambda c: c.p95_ms)[len(charges) // 2]


def mesurer_sous_charge(annee: int, requetes: int = 1000, clients: int = 50, tours: int = 3) -> dict:
    """The cockpit of the largest département and /sante/, each under `clients` concurrent clients, in `tours`
    alternate runs (the machine's other work moves a single run a lot): the run of median p95 of each, and the
    ratio of those."""
    from django.conf import settings

    from comptes.models import Utilisateur

    departement = departement_le_plus_grand()
    agent = Utilisateur.objects.get(email=f"agent.{departement.lower()}@bench.pilot-iae.test")
    cookie = session_de(agent)
    redis_url = REDIS_DU_BANC if _redis_disponible(REDIS_DU_BANC) else None
    cockpit = f"/pilotage/?annee={annee}"
    with Gunicorn(os.environ["DATABASE_URL"], settings.SECRET_KEY, redis_url) as serveur:
        vider_les_graphiques(redis_url)
        statut, premiere = get(serveur.port, cockpit, cookie)
        if statut != 200:
            raise RuntimeError(f"{cockpit} : réponse {statut}")
        # Every worker once, charts drawn: what a request costs when the worker already has its imports, the page
        # rendered (a new session each time: as after a change of the data) or served again (the same session).
        rendues = [get(serveur.port, cockpit, session_de(agent))[1] for _ in range(8)]
        relues = [get(serveur.port, cockpit, cookie)[1] for _ in range(8)]
        santes, pages = [], []
        for _ in range(tours):
            santes.append(charger(serveur.port, "/sante/", None, requetes, clients))
            pages.append(charger(serveur.port, cockpit, cookie, requetes, clients))
        sante, page = _mediane(santes), _mediane(pages)
        return {
            "departement": departement,
            "cache_des_graphiques": "redis" if redis_url else "fichiers",
            "workers": serveur.workers,
            "cockpit_graphiques_a_dessiner_ms": round(premiere, 1),
            "cockpit_une_requete_ms": round(statistics.median(rendues), 1),
            "cockpit_une_requete_max_ms": round(max(rendues), 1),
            "cockpit_relu_ms": round(statistics.median(relues), 1),
            "sante": asdict(sante),
            "cockpit": asdict(page),
            "ratio_p95": round(page.p95_ms / sante.p95_ms, 2) if sante.p95_ms else None,
            "ratios_p95_par_tour": [round(p.p95_ms / s.p95_ms, 2) for s, p in zip(santes, pages, strict=True)],
            "pic_rss_total_mo": round(serveur.pic_total_ko / 1024, 1),
            "pic_rss_worker_mo": round(serveur.pic_par_worker_ko() / 1024, 1),
        }


def imprimer_charge(resultat: dict) -> None:
    print(
        f"Sous charge ({resultat['cockpit']['clients']} clients, gunicorn {resultat['workers']} workers, "
        f"graphiques en cache {resultat['cache_des_graphiques']}) — cockpit du département "
        f"{resultat['departement']} :"
    )
    print(
        f"  une requête, page rendue : {resultat['cockpit_une_requete_ms']:.1f} ms (médiane), "
        f"{resultat['cockpit_une_requete_max_ms']:.1f} ms au plus (graphiques dessinés) ; "
        f"{resultat['cockpit_graphiques_a_dessiner_ms']:.1f} ms graphiques à dessiner ; page relue du cache : "
        f"{resultat['cockpit_relu_ms']:.1f} ms"
    )
    print(f"  tour de p95 médian parmi {len(resultat['ratios_p95_par_tour'])} tours alternés :")
    entete = f"  {'page':<24} {'requêtes':>8} {'erreurs':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    print(entete)
    for nom in ("sante", "cockpit"):
        c = resultat[nom]
        print(
            f"  {c['page']:<24} {c['requetes']:>8} {c['erreurs']:>7} {c['requetes_par_s']:>7.1f} "
            f"{c['p50_ms']:>8.1f} {c['p95_ms']:>8.1f} {c['p99_ms']:>8.1f}"
        )
    print(
        f"  p95 cockpit / p95 /sante/ : {resultat['ratio_p95']} (objectif ≤ 2 ; par tour "
        f"{', '.join(str(r) for r in resultat['ratios_p95_par_tour'])}) ; pic de mémoire de gunicorn "
        f"{resultat['pic_rss_total_mo']} Mo en tout, {resultat['pic_rss_worker_mo']} Mo pour un worker"
    )
