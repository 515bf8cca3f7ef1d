"""What a web worker prepares when it starts, so that its first request costs what the next ones do.

Each worker process would otherwise pay, on the first request it serves, for importing every view (the URLconf),
compiling the templates that page uses (the cached loader keeps them for the process's life), and loading the
French catalogues and formats: a cockpit asked of a fresh worker took twice as long as the same page asked again.
All of that is done once here, before the worker accepts a request; it reads no table and opens no connection,
so it is also safe in a process that forks its workers afterwards."""

from pathlib import Path

from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import formats, translation


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


def preparer_le_worker() -> int:
    """Import the views, compile the templates of the pages and of the forms' widgets, load the catalogues and the
    formats of the site's language. Returns the number of templates compiled."""
    get_resolver().check()
    compiles = sum(_compiler_les_gabarits(moteur) for moteur in engines.all())
    compiles += _compiler_les_gabarits(get_default_renderer().engine)
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("Accueil")
        formats.get_format("DATE_INPUT_FORMATS")
        formats.number_format(1.5, 2)
    return compiles
