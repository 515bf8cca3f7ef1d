"""No figure moves: on the session's demo, `exporter indicateurs` (JSON) for 2024–2026 and the text of the 2025 CDIAE
bilan are, byte for byte, those saved in donnees/ before the code was restructured (issue 10). Only the bilan's
edition date may differ. Never regenerate these files to make a test pass: a difference is a figure that moved.

donnees/postgresql/ holds, for the years where they differ, the same exports computed on PostgreSQL by the same
code (commit d85bc2f): SQLite keeps decimals as floating-point numbers, so a few of its sums round to the other
cent. Each database is compared with what it gave before."""

import difflib
import io
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tests.bilans.outils import PDFTOTEXT, lit_le_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.lent, pytest.mark.usefixtures("demo")]

DONNEES = Path(__file__).parent / "donnees"
DATE_D_EDITION = re.compile(r"(édité le )\d{2}/\d{2}/\d{4}")


@pytest.mark.parametrize("annee", [2024, 2025, 2026])
def test_exporter_indicateurs_en_json(annee, tmp_path):
    sortie = tmp_path / f"indicateurs_55_{annee}.json"
    # The file is what the command prints on standard output, byte for byte.
    call_command(
        "exporter", "indicateurs", "--annee", annee, "--departement", "55", "--format", "json", "--sortie", sortie
    )
    fichier = fichier_attendu(f"indicateurs_55_{annee}.json")
    comparer(
        sortie.read_text(encoding="utf-8"), fichier.read_text(encoding="utf-8"), str(fichier.relative_to(DONNEES))
    )


def fichier_attendu(nom: str) -> Path:
    """The saved file, or this database's own when it has one."""
    propre = DONNEES / connection.vendor / nom
    return propre if propre.exists() else DONNEES / nom


def comparer(obtenu: str, attendu: str, nom: str) -> None:
    """Equal to the saved text; otherwise the failure shows the lines that differ, as `diff -u` would."""
    if obtenu != attendu:
        difference = difflib.unified_diff(
            attendu.splitlines(keepends=True), obtenu.splitlines(keepends=True), nom, "obtenu"
        )
        pytest.fail("".join(difference), pytrace=False)


def sans_date_d_edition(texte: str) -> str:
    """The day the bilan was edited ("édité le JJ/MM/AAAA" in each footer, "Document édité le" on the cover) is
    the day the test runs."""
    return DATE_D_EDITION.sub(r"\1JJ/MM/AAAA", texte)


@lit_le_pdf
def test_texte_du_bilan_cdiae_2025(tmp_path):
    if PDFTOTEXT is None:
        pytest.fail("pdftotext est requis en CI pour lire le bilan (apt-get install poppler-utils)")
    pdf = tmp_path / "bilan-cdiae-55-2025.pdf"
    call_command("bilan_cdiae", "--annee", "2025", "--departement", "55", "--sortie", pdf, stdout=io.StringIO())
    texte = subprocess.run(
        [PDFTOTEXT, "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    fichier = fichier_attendu("bilan_cdiae_55_2025.txt")
    comparer(
        sans_date_d_edition(texte),
        sans_date_d_edition(fichier.read_text(encoding="utf-8")),
        str(fichier.relative_to(DONNEES)),
    )
