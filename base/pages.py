"""Pages served again from the shared cache while the data they show has not changed.

The figures of a cockpit are computed once, when the data changes (`indicateurs`); reading and laying them out
still costs tens of milliseconds, which fifty agents opening it at once turn into seconds. A page marked with
`PageEnCache` is rendered once per session, address, version of the data (`base.versions`) and day, and stored in
the shared cache with that version; the same session's next requests read it back (the version and the page in
one round trip), as long as the version has not moved.

What must never happen, and why it cannot:
- serving a page to someone else: the key holds the session key, so a page only goes back to the session that
  rendered it; a page with forms only to the browser holding the CSRF cookie its tokens were signed with;
- serving figures older than a write: any write moves the version, and a page cached before is never read again;
  the day is in the key (a declaration becomes late at midnight), and a page lives `DUREE_DE_VIE` at most;
- serving a page that was meant once: a page carrying flash messages or a CSP nonce, or not a 200, is not stored,
  and a request with messages waiting is rendered, not read.
"""

import datetime as dt
import gzip
import hashlib
import logging
import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from base import versions

journal = logging.getLogger(__name__)

# Ten minutes: the bound on a write that would move no version (an update in SQL that no service announces).
DUREE_DE_VIE = 10 * 60
# A page is kept compressed (a cockpit's 200 KB, charts inline, are 20 to 30 KB so): compressed once when stored,
# sent as it is to the browsers that accept it (all of them), decompressed for a client that does not.
NIVEAU_DE_COMPRESSION = 6
_GZIP_ACCEPTE = re.compile(r"\bgzip\b")


@cache
def _version_du_code() -> str:
    """The templates as deployed (names and modification times): a new release renders every page again."""
    empreinte = hashlib.sha256()
    for dossier in settings.TEMPLATES[0]["DIRS"]:
        for fichier in sorted(Path(dossier).rglob("*.html")):
            empreinte.update(f"{fichier}:{fichier.stat().st_mtime_ns}".encode())
    return empreinte.hexdigest()[:16]


def cle_de_la_page(request) -> str | None:
    """The page's key for this request, None when it must not be read from the cache (no session). The version of
    the data is kept with the page, not in its key, so that both are read in one round trip."""
    session = getattr(request, "session", None)
    cle_session = session.session_key if session is not None else None
    if not cle_session:
        return None
    entree = "\n".join((_version_du_code(), dt.date.today().isoformat(), cle_session, request.get_full_path()))
    return "page:" + hashlib.sha256(entree.encode()).hexdigest()


def _messages_en_attente(request) -> bool:
    return len(messages.get_messages(request)) > 0


def _jeton_csrf_de_la_page(request) -> str | None:
    """The CSRF secret the page's forms were signed with, when it has forms (Django's `get_token` was called)."""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return request.META.get("CSRF_COOKIE")
    return None


def _a_lire_dans_le_cache(request) -> bool:
    return (
        settings.PAGES_EN_CACHE
        and request.method == "GET"
        and not request.GET.get("export")
        and not _messages_en_attente(request)
    )


def _servir(request, gardee: tuple) -> HttpResponse:
    """The page kept, compressed to a browser that accepts it, as it was rendered to another client."""
    if _GZIP_ACCEPTE.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        reponse = HttpResponse(gardee[1], content_type=gardee[2])
        reponse["Content-Encoding"] = "gzip"
    else:
        reponse = HttpResponse(gzip.decompress(gardee[1]), content_type=gardee[2])
    patch_vary_headers(reponse, ["Accept-Encoding"])
    return reponse


def _lire(request) -> tuple[str | None, int, HttpResponse | None]:
    """The page's key, the version of the data, and the page kept for this session at this version (None when
    there is none, or when it carries forms signed for another browser's CSRF cookie): the version and the page in
    one round trip."""
    cache_ = caches[versions.CACHE]
    cle = cle_de_la_page(request)
    version, gardee = 0, None
    if cle:
        try:
            lus = cache_.get_many([versions.CLE, cle])
            version, gardee = int(lus.get(versions.CLE) or 0), lus.get(cle)
        except Exception:  # a cache down must not fail the page: it is rendered
            journal.exception("Cache des pages illisible")
    version = version or versions.version()  # the counter's first reading creates it
    if (
        gardee is not None
        and version
        and gardee[0] == version
        and gardee[3] in (None, request.COOKIES.get(settings.CSRF_COOKIE_NAME))
    ):
        return cle, version, _servir(request, gardee)
    return cle, version, None


class ServirLesPagesGardees:
    """Middleware, before the login check: a page of a `PageEnCache` view kept for this very session is served
    without loading the user and its memberships again (the rendering that kept it checked them, for this session).
    What would change the answer moves the version of the data first (a membership removed, a user deactivated, a
    password changed: writes), an expired or ended session has no user any more (its key changes at logout), and
    a page lives `DUREE_DE_VIE` at most. Every other request goes on as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, vue, args, kwargs):
        classe = getattr(vue, "view_class", None)
        if not (classe and issubclass(classe, PageEnCache) and request.session.get("_auth_user_id")):
            return None
        if not _a_lire_dans_le_cache(request):
            return None
        return _lire(request)[2]


class PageEnCache:
    """A view mixin: its GET pages (HTML, the ones without `?export=`) are kept as the module says."""

    def get(self, request, *args, **kwargs):
        if not _a_lire_dans_le_cache(request):
            return super().get(request, *args, **kwargs)
        cle, version, gardee = _lire(request)
        if gardee is not None:
            return gardee
        reponse = super().get(request, *args, **kwargs)
        if hasattr(reponse, "render") and callable(reponse.render):
            reponse = reponse.render()
        if cle is not None and version and self._a_garder(request, reponse):
            corps = gzip.compress(reponse.content, NIVEAU_DE_COMPRESSION)
            gardee = (version, corps, reponse["Content-Type"], _jeton_csrf_de_la_page(request))
            try:
                caches[versions.CACHE].set(cle, gardee, DUREE_DE_VIE)
            except Exception:
                journal.exception("Cache des pages non écrit")
        return reponse

    @staticmethod
    def _a_garder(request, reponse) -> bool:
        return (
            reponse.status_code == 200
            and not reponse.streaming
            and not reponse.cookies
            and getattr(request, "_csp_nonce", None) is None
            and not _messages_en_attente(request)
        )
