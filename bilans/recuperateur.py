"""What the PDF renderer may fetch: the project's static files, nothing else (no network, no other file).

Imported only where a PDF is rendered (WeasyPrint is heavy to load, and logs its first steps as it loads)."""

import functools
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders

# WeasyPrint reports each layout step at INFO, from its very import on: noise in a worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint.urls import URLFetcher  # noqa: E402 (after the logger is quietened)


@functools.cache
def racines_statiques() -> tuple[Path, ...]:
    """The folders of the project's static files: the collected ones, the project's own, each app's."""
    racines = [Path(settings.STATIC_ROOT)]
    for dossier in settings.STATICFILES_DIRS:  # a folder, or (prefix, folder)
        racines.append(Path(dossier[1] if isinstance(dossier, tuple | list) else dossier))
    for chercheur in finders.get_finders():
        racines += [Path(stockage.location) for stockage in getattr(chercheur, "storages", {}).values()]
    return tuple(racine.resolve() for racine in racines)


class AdresseRefusee(ValueError):
    """A URL the PDF renderer may not fetch."""


class RecuperateurStatique(URLFetcher):
    """WeasyPrint's only way out. `data:` URLs (the charts, the bloc-marque: their content is in the document) and
    `file:` URLs of a file inside the project's static folders (the Marianne font) are served; any other scheme,
    host or path is refused before anything is opened, and noted in `refusees`."""

    def __init__(self):
        super().__init__(timeout=5, allowed_protocols={"data", "file"}, allow_redirects=False)
        self.demandees: list[str] = []
        self.refusees: list[str] = []

    def fetch(self, url, headers=None):
        self.demandees.append(url)
        parties = urlsplit(url)
        schema = parties.scheme.lower()
        if schema == "data":
            return super().fetch(url, headers)
        if schema == "file" and parties.netloc in ("", "localhost"):
            chemin = Path(url2pathname(unquote(parties.path))).resolve()
            if chemin.is_file() and any(chemin.is_relative_to(racine) for racine in racines_statiques()):
                return super().fetch(chemin.as_uri(), headers)
        self.refusees.append(url)
        raise AdresseRefusee(f"adresse refusée par le rendu PDF : {url[:200]}")
