"""Tests: the database is the one DATABASE_URL names (SQLite by default, PostgreSQL in CI)."""

import secrets

from .base import *  # noqa: F403

SECRET_KEY = secrets.token_urlsafe(50)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The tests of the inline path must not depend on the machine having Redis; the worker test sets its own broker.
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = True
AXES_ENABLED = True
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405
# The live server's request threads must not keep connections open past the test database's teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Charts are cached in the test process' memory, whatever REDIS_URL says (tests run in parallel on one Redis).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "graphiques": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "graphiques"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    "limites": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limites"},
}
# Sessions in the test database, whatever REDIS_URL says: each test's are rolled back with it.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A test runs inside one transaction that never commits, so the version of the data never moves (it moves on
# commit): pages are rendered every time, except in the tests of the page cache, which turn it on.
PAGES_EN_CACHE = False
