"""What a web worker prepares when it starts, so that its first request costs what the next ones do.

Each worker process would otherwise pay, on the first request it serves, for importing every view (the URLconf)
and the cache's client library, building the tables that reverse URLs, compiling the templates that page uses
(the cached loader keeps them for the process's life), and loading the French catalogues and formats: a cockpit
asked of a fresh worker took twice as long as the same page asked again. All of that is done once here, before
the worker accepts a request; it reads no table and opens no connection, so it is also safe in a process that
forks its workers afterwards."""

from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.forms.renderers import get_default_renderer
from django.template import TemplateSyntaxError, engines
from django.urls import URLResolver, get_resolver
from django.utils import formats, translation
from django.utils.module_loading import import_string


def _compiler_les_gabarits(moteur) -> int:
    """Compile every template the engine can find (about 300, a quarter of a second). A third-party template
    written for a library this project does not install (django-filter's crispy form) cannot compile: it is never
    rendered either, so it is passed over."""
    compiles = 0
    for dossier in moteur.template_dirs:
        for fichier in Path(dossier).rglob("*.html"):
            try:
                moteur.engine.get_template(fichier.relative_to(dossier).as_posix())
            except TemplateSyntaxError:
                continue
            compiles += 1
    return compiles


def _preparer_les_inversions(resolveur) -> None:
    """The tables that reverse URLs, built on first access by each included URLconf: every page reverses URLs."""
    resolveur.reverse_dict  # noqa: B018
    for motif in resolveur.url_patterns:
        if isinstance(motif, URLResolver):
            _preparer_les_inversions(motif)


def preparer_le_worker() -> int:
    """Import the views and what each request imports on first use (the cache client, the session and messages
    stores, the context processors), build the URL reversal tables, compile the templates of the pages and of the
    forms' widgets, load the catalogues and the formats of the site's language. Returns the number of templates
    compiled."""
    resolveur = get_resolver()
    resolveur.check()
    _preparer_les_inversions(resolveur)
    for alias in settings.CACHES:
        # Django's Redis backend builds its client, importing the Redis library, on first use; no connection opens
        # before the first command.
        getattr(caches[alias], "_cache", None)
    import_module(settings.SESSION_ENGINE)
    import_string(settings.MESSAGE_STORAGE)
    for moteur in engines.all():
        moteur.engine.template_context_processors  # noqa: B018 (imported on first access)
    compiles = sum(_compiler_les_gabarits(moteur) for moteur in engines.all())
    compiles += _compiler_les_gabarits(get_default_renderer().engine)
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("Accueil")
        formats.get_format("DATE_INPUT_FORMATS")
        formats.number_format(1.5, 2)
    return compiles
