"""Reading a PDF as text, as a reader would copy it: poppler's `pdftotext` (poppler-utils), page layout kept so
that a table row stays on one line."""

import os
import re
import shutil
import subprocess

import pytest

PDFTOTEXT = shutil.which("pdftotext")
# Without poppler-utils the tests that read a PDF back are skipped, saying why; never in CI, where they fail.
_sans_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None and os.environ.get("CI") != "true",
    reason="pdftotext n'est pas installé (apt-get install poppler-utils)",
)


def lit_le_pdf(test):
    """For a test that renders a PDF and reads it back: skipped without pdftotext (above), and slow (`lent`, left
    out by `make test-rapide`): rendering takes seconds."""
    return pytest.mark.lent(_sans_pdftotext(test))


ESPACES = {"\u00a0": " ", "\u202f": " ", "\u2009": " "}


def normaliser(texte: str) -> str:
    """Non-breaking spaces as spaces, runs of spaces as one, per line; pages stay separated by form feeds."""
    for espace, remplacement in ESPACES.items():
        texte = texte.replace(espace, remplacement)
    return "\f".join(
        "\n".join(re.sub(r"[ \t]+", " ", ligne).strip() for ligne in page.split("\n")) for page in texte.split("\f")
    )


def texte_du_pdf(contenu: bytes) -> str:
    assert contenu.startswith(b"%PDF-"), "ce n'est pas un PDF"
    if PDFTOTEXT is None:
        pytest.fail("pdftotext est requis en CI pour lire les PDF (apt-get install poppler-utils)")
    resultat = subprocess.run(
        [PDFTOTEXT, "-layout", "-enc", "UTF-8", "-", "-"], input=contenu, capture_output=True, check=True
    )
    return normaliser(resultat.stdout.decode("utf-8"))


def pages(texte: str) -> list[str]:
    """pdftotext separates the pages with a form feed."""
    return texte.split("\f")
