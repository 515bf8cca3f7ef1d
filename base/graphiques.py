"""Charts drawn on the server as SVG strings, so that a page and its PDF show the very same picture; each drawn once
per version of its figures, whatever the process that asks.

A chart only depends on what it is given (figures, labels, title, size): its key in the shared cache (the
`graphiques` cache: Redis in production, files in development) is the hash of that input and of the drawing code.
Any process (a web worker, the Celery worker warming the cockpits after a refresh, the bilan's PDF) reads what
another drew; a refresh that leaves a chart's figures as they were leaves its key, so nothing is drawn again.
Only a miss draws, with matplotlib (`base.dessins`), imported then and not before: a command, the URLconf or a
page whose charts are all cached never loads it.

While one process draws a chart, the others asking for the same one wait for it a few seconds rather than draw it
too (a lock in the cache): fifty clients on a cockpit whose figures just changed cost one drawing, not fifty.
"""

import contextlib
import contextvars
import hashlib
import logging
import time
from functools import cache
from importlib.metadata import version
from pathlib import Path

from django.core.cache import caches

journal = logging.getLogger(__name__)

BLEU_FRANCE = "#000091"
BLEU_CLAIR = "#6a6af4"
GRIS = "#929292"
ROUGE = "#c9191e"
VERT = "#18753c"
PALETTE = (BLEU_FRANCE, BLEU_CLAIR, GRIS, VERT, ROUGE)
TEXTE = "#3a3a3a"
GRILLE = "#dddddd"

POLICE_PAGE = "Marianne, arial, sans-serif"
MOIS_COURTS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")

CACHE = "graphiques"
# A chart not asked for in five weeks leaves the cache; the warming after each night's refresh keeps the cockpits'.
DUREE_DE_VIE = 35 * 24 * 3600
# How long a process waits for a chart another one is drawing before drawing it itself (a drawing takes a few
# tenths of a second; the lock outlives a process killed mid-drawing by no more than its own timeout).
ATTENTE_MAX = 10.0
DUREE_DU_VERROU = 30

# Inside `en_prechauffage()`, a chart found in the cache has its lifetime renewed.
_prolonger = contextvars.ContextVar("prolonger_les_graphiques", default=False)


@cache
def _version_du_dessin() -> str:
    """The drawing code and matplotlib's version: a deployment that draws differently draws everything again."""
    source = (Path(__file__).with_name("dessins.py")).read_bytes()
    return hashlib.sha256(source + version("matplotlib").encode()).hexdigest()[:16]


def cle(nom: str, args: tuple, kwargs: dict) -> str:
    """The cache key of one chart: the drawing function, its input (repr of Decimal, dates, str and lists is
    stable), the drawing code's version."""
    entree = repr((_version_du_dessin(), nom, args, sorted(kwargs.items())))
    return "graphique:" + hashlib.sha256(entree.encode()).hexdigest()


def _lire(cache_, cle_: str) -> str | None:
    try:
        return cache_.get(cle_)
    except Exception:  # a cache down must not fail the page: the chart is drawn instead
        journal.exception("Cache des graphiques illisible")
        return None


def _dessiner(nom: str, args: tuple, kwargs: dict) -> str:
    from base import dessins  # matplotlib: only when a chart is really drawn

    return getattr(dessins, nom)(*args, **kwargs)


def _graphique(nom: str, *args, **kwargs) -> str:
    cache_ = caches[CACHE]
    cle_ = cle(nom, args, kwargs)
    svg = _lire(cache_, cle_)
    if svg is not None:
        if _prolonger.get():
            cache_.touch(cle_, DUREE_DE_VIE)
        return svg
    verrou = cle_ + ":verrou"
    try:
        a_le_verrou = cache_.add(verrou, 1, DUREE_DU_VERROU)
    except Exception:
        a_le_verrou = True
    if not a_le_verrou:
        fin = time.monotonic() + ATTENTE_MAX
        while time.monotonic() < fin:
            time.sleep(0.05)
            svg = _lire(cache_, cle_)
            if svg is not None:
                return svg
    try:
        svg = _dessiner(nom, args, kwargs)
        try:
            cache_.set(cle_, svg, DUREE_DE_VIE)
        except Exception:
            journal.exception("Cache des graphiques non écrit")
    finally:
        if a_le_verrou:
            with contextlib.suppress(Exception):
                cache_.delete(verrou)
    return svg


@contextlib.contextmanager
def en_prechauffage():
    """The charts asked for inside are drawn if missing, and kept five more weeks if present."""
    jeton = _prolonger.set(True)
    try:
        yield
    finally:
        _prolonger.reset(jeton)


def courbe_consommation(courbe, titre: str = "", largeur: int = 720, hauteur: int = 320) -> str:
    """Cumulative ETP-mois conventionnés against réalisés, month by month; the projection to the year's end dashed.

    `courbe` is the consumption curve every page draws (`indicateurs.regles.Courbe`, read here by its attributes:
    the base imports no app): its `mois`, `cumul_conventionne`, `cumul_realise` (None for the months not shown
    réalisé) and `projection` (None up to the last month réalisé; None altogether when nothing is projected).
    """
    return _graphique(
        "courbe_consommation",
        list(courbe.mois),
        list(courbe.cumul_conventionne),
        list(courbe.cumul_realise),
        None if courbe.projection is None else list(courbe.projection),
        titre=titre,
        largeur=largeur,
        hauteur=hauteur,
    )


def barres(
    categories: list[str],
    series: dict,
    titre: str = "",
    unite: str = "",
    ligne_objectif=None,
    largeur: int = 720,
    hauteur: int = 320,
) -> str:
    """Bars grouped by category, one colour per series (e.g. a rate per kind of SIAE, one series per year), each
    bar labelled with its value; `ligne_objectif` draws the target as a red dashed line. None draws no bar."""
    return _graphique(
        "barres",
        list(categories),
        {nom: list(valeurs) for nom, valeurs in series.items()},
        titre=titre,
        unite=unite,
        ligne_objectif=ligne_objectif,
        largeur=largeur,
        hauteur=hauteur,
    )


def barres_horizontales(categories: list[str], valeurs: list, titre: str = "", unite: str = "", largeur: int = 720):
    """One horizontal bar per category (e.g. amounts by financeur), first category on top, value at the end.
    The height follows the number of categories. With negative values (gaps to a target), the bars diverge from a
    zero line, negative ones in the lighter blue, positive ones signed."""
    return _graphique(
        "barres_horizontales", list(categories), list(valeurs), titre=titre, unite=unite, largeur=largeur
    )
