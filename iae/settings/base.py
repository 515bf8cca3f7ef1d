"""Settings shared by every environment. Each environment module (dev, test, production) imports this one."""

import os
from pathlib import Path

import dj_database_url
import dj_email_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "oui", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "widget_tweaks",
    "dsfr",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "simple_history",
    "csp",
    # The floors of the house, from the ground up (docs/architecture.md); import-linter holds them.
    "base",
    "comptes",
    "imports",
    "historique",
    "siae",
    "conventions",
    "parcours",
    "declarations",
    "aides_au_poste",
    "controle",
    "fluxiae",
    "financements",
    "indicateurs",
    "modulation",
    "bilans",
    "pilotage",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "comptes.middleware.PrendreEnCompteLActivite",
    # A page kept for this very session is served before the user is loaded again (base/pages.py).
    "base.pages.ServirLesPagesGardees",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Who changed what: the trail's versions take the request's user (base/historique.py).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# The trail of changes (base/historique.py, docs/decisions.md): a version's reason may be a long comment, and
# nothing is ever reverted from the administration (a correction is a new change, through the services).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

ROOT_URLCONF = "iae.urls"
WSGI_APPLICATION = "iae.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "iae.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "dsfr.forms.DsfrDjangoTemplates"
# Required fields carry the design system's asterisk; optional ones (every filter) carry nothing.
DSFR_MARK_OPTIONAL_FIELDS = False

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "comptes.Utilisateur"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "base.vues.echec_csrf"
LOGIN_URL = "comptes:connexion"
LOGIN_REDIRECT_URL = "pilotage:accueil"
LOGOUT_REDIRECT_URL = "comptes:connexion"

# Failed-login lockout: 5 failures on one e-mail address from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login form's field is `username` (axes would look for USERNAME_FIELD, `email`, and count every failure under
# no address at all, which never locks the right password out); lower-cased so that case variants share a count.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "comptes.forms.identifiant_de_connexion"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "comptes/verrouille.html"
# The address failures are counted on: the client's, as the trusted reverse proxies tell it (comptes/adresse.py).
AXES_CLIENT_IP_CALLABLE = "comptes.adresse.adresse_du_client"
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks). None in development: a request's
# address is its own. Production names its proxy (iae/settings/production.py).
PROXYS_DE_CONFIANCE = env_list("PROXYS_DE_CONFIANCE")

# A session ends after 2 hours without a request (docs/rgpd.md): activity pushes the end back
# (comptes.middleware). Agents read names, birth dates and PASS numbers; a forgotten open session on a shared
# computer should not outlive the day.
SESSION_COOKIE_AGE = 2 * 3600
# A password reset link is valid for an hour, and once.
PASSWORD_RESET_TIMEOUT = 3600
# The reset e-mails sent per hour at most, for one address asked for and for one client (comptes/limitation.py).
REINITIALISATION_MAX_PAR_ADRESSE = int(os.environ.get("REINITIALISATION_MAX_PAR_ADRESSE", "3"))
REINITIALISATION_MAX_PAR_CLIENT = int(os.environ.get("REINITIALISATION_MAX_PAR_CLIENT", "20"))

# The Content-Security-Policy of every page (django-csp, docs/decisions.md): scripts, styles, images, fonts and
# requests come from the site itself; an inline script runs only with the page's nonce (the design system's
# scripts and the few of the pages carry it). Style attributes stay allowed: the server-drawn charts (matplotlib's
# SVG) are styled by them, and a style attribute neither runs code nor loads from elsewhere (url() answers to
# img-src and font-src).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Import files are read by the worker after the upload; keep them off the web root.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The fields of a form, files aside: Django's default, refused (400) on the announced size before being read.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
# A proof of the contrôle a posteriori is a PDF of 5 Mo at most (controle/regles.py): a request announcing more than
# that and its form's few fields is refused before its body is read (controle.views.DepotJustificatif).
JUSTIFICATIF_TAILLE_MAX_REQUETE = 5 * 1024 * 1024 + 64 * 1024

EMAIL_CONFIG = dj_email_url.parse(os.environ.get("EMAIL_URL", "console://"))
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Pilot'IAE <ne-pas-repondre@pilot-iae.localhost>")

# Celery: a real broker when REDIS_URL is set, tasks run inline otherwise (development without services).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# The lease of a task (docs/decisions.md): a task is acknowledged once it has run, so a worker lost mid-task (killed,
# restarted, its machine gone) leaves its message unacknowledged, and Redis hands it to a worker again once the
# lease — the broker's visibility timeout — has passed since it was handed out. Every task's hard time limit fits in
# the lease of its queue: a task still running is never handed out twice, and one older than its lease is lost.
# The imports, which may read a national fluxIAE for hours, have their own queue, worker and lease: the other
# tasks of a lost worker come back within half an hour instead of waiting for the longest import.
CELERY_FILE_IMPORTS = "imports"
CELERY_TASK_ROUTES = {"imports.tasks.*": {"queue": CELERY_FILE_IMPORTS}}
CELERY_BAIL = int(os.environ.get("CELERY_BAIL_SECONDES", 30 * 60))
CELERY_BAIL_IMPORTS = int(os.environ.get("CELERY_BAIL_IMPORTS_SECONDES", 5 * 3600))
# The worker of the imports queue (CELERY_WORKER_DES_IMPORTS=1, `celery worker -Q imports`) keeps the messages it
# holds under keys of its own: the sweep of the other workers, with their shorter lease, never hands them out again.
_WORKER_DES_IMPORTS = env_bool("CELERY_WORKER_DES_IMPORTS", False)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_BAIL_IMPORTS if _WORKER_DES_IMPORTS else CELERY_BAIL,
    # Each worker looks for messages past their lease every 10 s (kombu's default sweeps every 100 s).
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    **(
        {"unacked_key": "unacked_imports", "unacked_index_key": "unacked_index_imports",
         "unacked_mutex_key": "unacked_mutex_imports"}
        if _WORKER_DES_IMPORTS
        else {}
    ),
}  # fmt: skip


def limites_de_tache(secondes: int, bail: int = CELERY_BAIL) -> dict:
    """A task's hard limit, within nine tenths of its queue's lease, and its soft limit a twentieth earlier: the
    task is told (SoftTimeLimitExceeded), records its failure, then its process is stopped at the hard limit."""
    dure = min(secondes, bail * 9 // 10)
    return {"time_limit": dure, "soft_time_limit": dure - max(1, dure // 20)}


# Every task's limits: how long it may take on a national scale, with room to spare.
CELERY_TASK_ANNOTATIONS = {
    "bilans.tasks.generer_bilan_task": limites_de_tache(10 * 60),
    "bilans.tasks.generer_fiche_dialogue_task": limites_de_tache(5 * 60),
    "indicateurs.tasks.rafraichir_indicateurs_task": limites_de_tache(10 * 60),
    "indicateurs.tasks.rafraichir_structures_task": limites_de_tache(10 * 60),
    "pilotage.tasks.dessiner_le_cockpit_task": limites_de_tache(5 * 60),
    "indicateurs.tasks.rafraichir_departement_task": limites_de_tache(20 * 60),
    "indicateurs.tasks.rafraichir_nuit_task": limites_de_tache(5 * 60),
    "indicateurs.tasks.envoyer_synthese_mensuelle_task": limites_de_tache(15 * 60),
    "declarations.tasks.relancer_declarations_manquantes_task": limites_de_tache(15 * 60),
    "parcours.tasks.purger_donnees_personnelles_task": limites_de_tache(25 * 60),
    "comptes.tasks.purger_journal_des_connexions_task": limites_de_tache(10 * 60),
    "imports.tasks.executer_import_task": limites_de_tache(4 * 3600, CELERY_BAIL_IMPORTS),
    "imports.tasks.analyser_import_task": limites_de_tache(4 * 3600, CELERY_BAIL_IMPORTS),
}
# A task without its own line: the longest the default lease allows.
CELERY_TASK_TIME_LIMIT = limites_de_tache(CELERY_BAIL)["time_limit"]
CELERY_TASK_SOFT_TIME_LIMIT = limites_de_tache(CELERY_BAIL)["soft_time_limit"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Declarations are due on the 15th: the morning after, the SIAE whose declaration is missing are reminded.
    "relance-declarations-manquantes": {
        "task": "declarations.tasks.relancer_declarations_manquantes_task",
        "schedule": crontab(day_of_month="16", hour="8", minute="0"),
    },
    # The materialised indicators of every département, rebuilt at night from the live data.
    "rafraichir-indicateurs-nuit": {
        "task": "indicateurs.tasks.rafraichir_nuit_task",
        "schedule": crontab(hour="2", minute="30"),
    },
    # After the reminder of the 16th and the night's refresh: the agents' summary of the last month due.
    "synthese-mensuelle-ddets": {
        "task": "indicateurs.tasks.envoyer_synthese_mensuelle_task",
        "schedule": crontab(day_of_month="17", hour="7", minute="30"),
    },
    # Once a month, after the night's refresh: the personal data past their retention period (docs/rgpd.md).
    "purger-donnees-personnelles": {
        "task": "parcours.tasks.purger_donnees_personnelles_task",
        "schedule": crontab(day_of_month="1", hour="3", minute="30"),
    },
    # Every night: the connection logs (address, browser) past their retention.
    "purger-journal-des-connexions": {
        "task": "comptes.tasks.purger_journal_des_connexions_task",
        "schedule": crontab(hour="4", minute="15"),
    },
}
# The charts (base.graphiques) are drawn once per version of their figures and shared by every process: in Redis
# when there is one (production), else in files under var/ (`make run`, several processes of one machine). The
# default cache stays each process' own memory.
if REDIS_URL:
    _CACHE_GRAPHIQUES = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "pilotiae",
    }
else:
    _CACHE_GRAPHIQUES = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(BASE_DIR / "var" / "cache" / "graphiques"),
        # Eight charts per cockpit (département, year, kind), one per structure's home.
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
# The counts of the password reset's hourly limits (comptes/limitation.py) are shared by every web process: in Redis
# when there is one; each process' own memory otherwise (development: one process).
_CACHE_LIMITES = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "pilotiae-limites"}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limites"}
)
# The pages served again while the data has not changed (base/pages.py) and the version of the data
# (base/versions.py): shared by every process as the charts are, under their own prefix or folder.
if REDIS_URL:
    _CACHE_PAGES = {**_CACHE_GRAPHIQUES, "KEY_PREFIX": "pilotiae-pages"}
else:
    _CACHE_PAGES = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(BASE_DIR / "var" / "cache" / "pages"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
PAGES_EN_CACHE = env_bool("PAGES_EN_CACHE", True)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "graphiques": _CACHE_GRAPHIQUES,
    "pages": _CACHE_PAGES,
    "limites": _CACHE_LIMITES,
}
# With Redis, sessions are read from it and written through to the database (which keeps them across a restart of
# Redis): a page served again from the cache (base/pages.py) then reads no table at all.
if REDIS_URL:
    CACHES["sessions"] = {**_CACHE_GRAPHIQUES, "KEY_PREFIX": "pilotiae-sessions"}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"

# The results of tasks (counts and statuses; a failure's message) are dropped from the broker after a day.
CELERY_RESULT_EXPIRES = 24 * 3600
# The worker logs through LOGGING below (and its filter of personal data) rather than through handlers of its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "base.api_recherche.Recherche",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "base.api_schema.SchemaPilotIae",
    "COERCE_DECIMAL_TO_STRING": True,
    "EXCEPTION_HANDLER": "base.api.gestionnaire_d_exceptions",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Pilot'IAE",
    "DESCRIPTION": "Données de pilotage de l'IAE d'un département, filtrées selon le périmètre de l'utilisateur.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several choice sets share a field name (`type`, `etat`): each gets its own enum name.
    "ENUM_NAME_OVERRIDES": {
        "TypeSiaeEnum": "siae.models.TypeSiae",
        "TypeContratEnum": "parcours.models.TypeContrat",
        "EtatAnnexeEnum": "conventions.models.EtatAnnexe",
        "EtatDeclarationEnum": "declarations.models.EtatDeclaration",
    },
}

# The importers of each kind of file (imports/registre.py), one per app that a file fills.
IMPORTEURS = {
    "siae": "siae.importation.ImportSiae",
    "annexes": "conventions.importation.ImportAnnexes",
    "parcours": "parcours.importation.ImportParcours",
    "declarations": "declarations.importation.ImportDeclarations",
    "versements": "aides_au_poste.importation.ImportVersements",
    "fluxiae": "fluxiae.importation.ImportFluxIae",
}
# A table of rows (CSV, XLSX) is read within these limits (docs/decisions.md), so that no file, however built,
# holds a worker for long or takes more than about 200 MB: the file's size, checked before it is read; the lines
# and the columns holding a value, counted while it is read; what an XLSX's parts would unzip to, read from the
# archive's directory before anything is inflated (all of them, and each part read whole: the shared strings, the
# styles, the workbook); the characters of one CSV line. Beyond any of them, the file is refused, nothing is read.
IMPORTS_TAILLE_MAX = int(os.environ.get("IMPORTS_TAILLE_MAX", 20 * 1024**2))
IMPORTS_LIGNES_MAX = int(os.environ.get("IMPORTS_LIGNES_MAX", 50_000))
IMPORTS_COLONNES_MAX = int(os.environ.get("IMPORTS_COLONNES_MAX", 50))
IMPORTS_XLSX_DECOMPRESSE_MAX = int(os.environ.get("IMPORTS_XLSX_DECOMPRESSE_MAX", 100 * 1024**2))
IMPORTS_XLSX_PARTIE_MAX = int(os.environ.get("IMPORTS_XLSX_PARTIE_MAX", 16 * 1024**2))
IMPORTS_CARACTERES_PAR_LIGNE_MAX = 100_000
# The errors an import's journal keeps, the first ones; the others are counted.
IMPORTS_ERREURS_GARDEES = 200
# The largest fluxIAE archive the upload page accepts, in bytes, checked before the file is read: room for the
# national flux (gzip members, some 7 M monthly states); a departmental one weighs a few megabytes. The reverse
# proxy in front of the web server must let such a body through too.
FLUXIAE_TAILLE_MAX_ARCHIVE = int(os.environ.get("FLUXIAE_TAILLE_MAX_ARCHIVE", 4 * 1024**3))

# A parcours import line whose identity does not match the person of its PASS IAE number is refused with one message
# that says neither which field differs nor where the PASS is followed; past this many such lines within the window
# (hours), the user's parcours imports are suspended until the oldest leave it, and the DDETS sees them
# (parcours.services_identite, docs/decisions.md): a birth date cannot be found by trying them all.
IDENTITE_DISCORDANCES_MAX = int(os.environ.get("IDENTITE_DISCORDANCES_MAX", "20"))
IDENTITE_DISCORDANCES_FENETRE_HEURES = int(os.environ.get("IDENTITE_DISCORDANCES_FENETRE_HEURES", "24"))

# Consumption thresholds (spec §4): below is sous-consommation, above is sur-consommation.
SEUIL_SOUS_CONSOMMATION = "0.95"
SEUIL_SUR_CONSOMMATION = "1.00"

# Personal data have a lifetime (docs/rgpd.md). A salarié's name, first name, birth date, PASS IAE numbers and the
# free texts written about them are erased this many months after the end of everything they had here (their last
# exit, the end of their last PASS IAE), as les emplois de l'inclusion anonymise a person whose PASS IAE ended two
# years ago; what the figures of past years count stays, anonymised (parcours.services_rgpd).
RGPD_CONSERVATION_MOIS = 24
# The files brought in (parcours, declarations, fluxIAE: names, birth dates, PASS numbers) and what was read of
# their lines (preview, errors): erased this many months after the import; the record of the import stays.
RGPD_CONSERVATION_FICHIERS_IMPORT_MOIS = 6
# The connection logs (django-axes: address, browser, time of each login): six months, as the CNIL recommends for
# access logs, enough to look into a suspicious connection.
RGPD_CONSERVATION_JOURNAL_CONNEXIONS_JOURS = 183

# Logs carry no personal data (docs/rgpd.md): every record goes through the filter that masks PASS IAE numbers,
# dates, the rows and keys PostgreSQL quotes in its errors and the query strings of URLs (what was searched). The
# code logs ids and counts, never a name. No e-mail of errors to administrators (Django's `mail_admins` would send
# the request's data): only the console handler, filtered.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"donnees_personnelles": {"()": "base.journalisation.MasquerDonneesPersonnelles"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["donnees_personnelles"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # SQL with its parameters (names, birth dates) is never logged, whatever LOG_LEVEL says.
        "django.db.backends": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
AXES_VERBOSE = False
