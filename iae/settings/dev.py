"""Development: `make run`. SQLite and inline Celery unless DATABASE_URL / REDIS_URL say otherwise."""

import os
import secrets

from .base import *  # noqa: F403
from .base import BASE_DIR, env_bool

DEBUG = env_bool("DEBUG", True)


def _cle_locale() -> str:
    # A key generated once per checkout and kept out of the repository (var/ is ignored).
    chemin = BASE_DIR / "var" / "dev-secret-key"
    if not chemin.exists():
        chemin.parent.mkdir(parents=True, exist_ok=True)
        chemin.write_text(secrets.token_urlsafe(50))
    return chemin.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _cle_locale()

# runserver serves static files itself; WhiteNoise is for production (it wants collected files).
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405

# Without a worker Celery runs a task inside the request: long work (a bilan, an import) then runs in a thread of
# its own instead, so the page returns at once and shows its progress (base/taches.py). Off in the tests.
TACHES_EN_ARRIERE_PLAN = env_bool("TACHES_EN_ARRIERE_PLAN", True)
