"""Production: refuses to start without a strong secret key (base/cle_secrete.py); HTTPS only."""

from django.core.exceptions import ImproperlyConfigured

from base.cle_secrete import faiblesse_de_la_cle

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool

DEBUG = False

if faiblesse := faiblesse_de_la_cle(SECRET_KEY):
    raise ImproperlyConfigured(
        f"SECRET_KEY est trop faible ({faiblesse}) : définissez dans l'environnement au moins 50 caractères "
        'aléatoires (python -c "import secrets; print(secrets.token_urlsafe(50))").'
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Behind one reverse proxy: the client's address is the last one it adds (for the failed-login lockout).
AXES_IPWARE_PROXY_COUNT = 1
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
