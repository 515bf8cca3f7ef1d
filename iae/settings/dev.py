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

# Without a worker Celery runs a task inside the request: long work (a bilan, an import) then runs in a thread of
# its own instead, so the page returns at once and shows its progress (base/taches.py). Off in the tests.
TACHES_EN_ARRIERE_PLAN = env_bool("TACHES_EN_ARRIERE_PLAN", True)

# `make run` serves the demo as the product runs, DEBUG off (the Makefile sets DEBUG=0): the French 404, 403 and
# 500 pages, never Django's technical page. runserver then serves no static file: WhiteNoise does, read straight
# from the apps' and the project's folders (no collectstatic), and looked for again at each request, so that a
# file changed while working shows at once. DEBUG=1 (a bare `manage.py runserver`) gives the technical pages back.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
