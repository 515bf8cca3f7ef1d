"""Production: refuses to start without a strong secret key (base/cle_secrete.py); HTTPS only."""

from django.core.exceptions import ImproperlyConfigured

from base.cle_secrete import faiblesse_de_la_cle

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool, env_list

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

# Behind the TLS reverse proxy (comptes/adresse.py): the client's address is the one the proxy writes last in
# X-Forwarded-For. By default the proxy is on the machine (the web port is published on 127.0.0.1 only) and reaches
# the container through Docker's bridge networks; PROXYS_DE_CONFIANCE names it otherwise.
PROXYS_DE_CONFIANCE = env_list("PROXYS_DE_CONFIANCE", "127.0.0.1/32,::1/128,172.16.0.0/12")

# E-mails carry agents' and structures' addresses and password reset links: never written to the logs by the
# console backend, the default of development. EMAIL_URL names the SMTP server, by a scheme dj-email-url knows (an
# unknown one, `smtp+tls://` say, would fall back to Django's plain SMTP without TLS).
if EMAIL_CONFIG.get("EMAIL_BACKEND") in (None, "django.core.mail.backends.console.EmailBackend"):  # noqa: F405
    raise ImproperlyConfigured(
        "EMAIL_URL doit désigner le serveur d'envoi des courriels, par exemple "
        "submission://utilisateur:mot-de-passe@smtp.exemple.fr:587 (chiffré par STARTTLS) : en production, les "
        "courriels ne s'écrivent pas dans les journaux."
    )
