"""How often the password reset page sends an e-mail: a few times an hour per address asked for, a few dozen times an
hour per client (docs/decisions.md). Past either limit the page answers exactly as before, and sends nothing: it
must not become a way to flood someone's inbox, nor tell anyone whether an address has an account (the counts are
kept for every address asked for, with an account or not).

The counts live in the shared cache (CACHES["limites"], Redis in production): every web process counts the same
requests. A fixed window of an hour per key, started by its first request."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches

journal = logging.getLogger(__name__)

FENETRE_SECONDES = 3600


def _cle(genre: str, valeur: str) -> str:
    # The address is hashed: the cache holds no e-mail address in clear.
    return f"reinitialisation:{genre}:{hashlib.sha256(valeur.encode()).hexdigest()}"


def _compter(cle: str) -> int:
    cache = caches["limites"]
    cache.add(cle, 0, timeout=FENETRE_SECONDES)
    try:
        return cache.incr(cle)
    except ValueError:  # the window ended between the two calls: this request opens the next one
        cache.set(cle, 1, timeout=FENETRE_SECONDES)
        return 1


def reinitialisation_permise(email: str, adresse_ip: str | None) -> bool:
    """Count this request for its address and its client; False past either hourly limit. Both are counted even when
    the first is past: a client that floods several addresses stays limited. Without the cache (Redis down) the
    request is let through, as before the limits: a person locked out of their account must still get the link."""
    try:
        par_adresse = _compter(_cle("email", email.strip().lower()))
        par_client = _compter(_cle("ip", adresse_ip or "inconnue"))
    except Exception:
        journal.warning("limites de réinitialisation non comptées : cache indisponible", exc_info=True)
        return True
    if par_adresse > settings.REINITIALISATION_MAX_PAR_ADRESSE:
        journal.warning("réinitialisation de mot de passe non envoyée : limite horaire de l'adresse atteinte")
        return False
    if par_client > settings.REINITIALISATION_MAX_PAR_CLIENT:
        journal.warning("réinitialisation de mot de passe non envoyée : limite horaire du client atteinte")
        return False
    return True
