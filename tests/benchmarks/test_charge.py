"""The bounded load client of the benchmark: it targets 127.0.0.1 only, sends exactly the requests asked for and
stops by itself, and its percentiles are the nearest-rank ones."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from benchmarks import charge


class Reponse(BaseHTTPRequestHandler):
    recues: list[str] = []

    def do_GET(self):  # the name http.server calls
        Reponse.recues.append(self.path)
        statut = 500 if self.path == "/erreur/" else 200
        self.send_response(statut)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def serveur():
    Reponse.recues = []
    serveur = ThreadingHTTPServer((charge.HOTE, 0), Reponse)
    fil = threading.Thread(target=serveur.serve_forever, daemon=True)
    fil.start()
    yield serveur.server_address[1]
    serveur.shutdown()
    serveur.server_close()


def test_le_nombre_de_requetes_demande_puis_s_arrete(serveur):
    resultat = charge.charger(serveur, "/sante/", None, requetes=40, clients=7)
    assert resultat.requetes == 40 and resultat.erreurs == 0
    assert Reponse.recues == ["/sante/"] * 40
    assert resultat.p50_ms <= resultat.p95_ms <= resultat.p99_ms <= resultat.max_ms


def test_les_erreurs_sont_comptees_a_part(serveur):
    with pytest.raises(RuntimeError, match="aucune réponse 200"):
        charge.charger(serveur, "/erreur/", None, requetes=5, clients=2)


def test_centiles_au_rang_le_plus_proche():
    durees = [float(i) for i in range(1, 101)]
    assert charge._centile(durees, 50) == 50.0
    assert charge._centile(durees, 95) == 95.0
    assert charge._centile(durees, 99) == 99.0
    assert charge._centile([3.0], 95) == 3.0
