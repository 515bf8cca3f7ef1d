"""The PDF layout with WeasyPrint: an HTML template in the State's style (Marianne, the design system's colours
and bloc-marque), rendered to bytes.

The Marianne font and the bloc-marque drawings are those django-dsfr ships (`dsfr/dist/`): their licence allows
the State's services to use them, which a DDETS bilan is. Without them the layout falls back on DejaVu Sans, a
free font of the same width class, and the bloc-marque on its text."""

import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

if TYPE_CHECKING:
    from .recuperateur import RecuperateurStatique

POLICES = (
    ("Marianne-Light.woff", 300, "normal"),
    ("Marianne-Regular.woff", 400, "normal"),
    ("Marianne-Regular_Italic.woff", 400, "italic"),
    ("Marianne-Medium.woff", 500, "normal"),
    ("Marianne-Bold.woff", 700, "normal"),
)
DOSSIER_DSFR = "dsfr/dist"
# The accessible PDF variant WeasyPrint writes: tagged structure, document language and title (PDF/UA-1).
VARIANTE_PDF = "pdf/ua-1"
# WeasyPrint reports each layout step at INFO: noise in a worker's log, the task records its own progression.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Pdf:
    contenu: bytes
    pages: int


def _fichier_dsfr(chemin: str) -> Path | None:
    trouve = finders.find(f"{DOSSIER_DSFR}/{chemin}")
    return Path(trouve) if trouve else None


@functools.cache
def polices_css() -> str:
    """@font-face rules for Marianne, read from the local files (no network)."""
    regles = []
    for nom, graisse, style in POLICES:
        chemin = _fichier_dsfr(f"fonts/{nom}")
        if chemin:
            regles.append(
                f"@font-face {{ font-family: Marianne; src: url('{chemin.as_uri()}') format('woff'); "
                f"font-weight: {graisse}; font-style: {style}; }}"
            )
    return "\n".join(regles)


def _premiere_image(css: str, selecteur: str) -> str | None:
    regle = re.search(re.escape(selecteur) + r"\{background-image:(url\(\"data:image/svg\+xml[^\"]*\"\))", css)
    return regle.group(1) if regle else None


@functools.cache
def bloc_marque_css() -> str:
    """The Marianne and the motto of the design system's logo (`.fr-logo`), as backgrounds of our own boxes: the
    design system's rule itself uses a `calc()` position WeasyPrint does not draw."""
    chemin = _fichier_dsfr("dsfr.min.css")
    if chemin is None:
        return ""
    css = chemin.read_text(encoding="utf-8")
    marianne, devise = _premiere_image(css, ".fr-logo:before"), _premiere_image(css, ".fr-logo:after")
    if not (marianne and devise):
        return ""
    return (
        f".bloc-marque .marianne {{ background-image: {marianne}, "
        "linear-gradient(90deg, #000091, #000091 50%, #e1000f 50%, #e1000f); "
        "background-position: 0 -0.0625rem, 0 0; background-repeat: no-repeat; "
        "background-size: 2.75rem 1.125rem, 2.75rem 1rem; width: 2.75rem; height: 1rem; margin-bottom: 0.33rem; }\n"
        f".bloc-marque .devise {{ background-image: {devise}; background-repeat: no-repeat; "
        "background-size: 5.25rem 3.75rem; background-position: 0 0.333rem; width: 2.625rem; height: 2.21rem; }"
    )


def rendre(gabarit: str, contexte: dict, recuperateur: "RecuperateurStatique | None" = None) -> Pdf:
    """No user text reaches the style sheet: the names a page's margins repeat are taken from the document
    (`string-set`), where the template escapes them as any HTML text. Nothing is fetched but the project's static
    files (`RecuperateurStatique`)."""
    from weasyprint import HTML

    from .recuperateur import RecuperateurStatique, racines_statiques

    html = render_to_string(gabarit, {**contexte, "polices_css": polices_css(), "bloc_marque_css": bloc_marque_css()})
    recuperateur = recuperateur or RecuperateurStatique()
    source = HTML(string=html, base_url=racines_statiques()[0].as_uri() + "/", url_fetcher=recuperateur)
    # PDF/UA-1 (RGAA): tagged, its structure read aloud in order, the language and the title of the template's
    # <html lang> and <title> shown as the document's, the charts' alt text kept (docs/decisions.md).
    document = source.render(pdf_variant=VARIANTE_PDF)
    return Pdf(document.write_pdf(pdf_variant=VARIANTE_PDF), len(document.pages))


def pdf_du_bilan(contenu, recuperateur: "RecuperateurStatique | None" = None) -> Pdf:
    return rendre("bilans/pdf/bilan.html", {"c": contenu}, recuperateur)


def pdf_du_dialogue(contenu, recuperateur: "RecuperateurStatique | None" = None) -> Pdf:
    return rendre("bilans/pdf/dialogue.html", {"c": contenu}, recuperateur)
