"""The bilan and the dialogue de gestion sheet are accessible PDFs (RGAA, PDF/UA-1): tagged, with a structure tree,
the document's language and title, and the charts' alternative text. Read with poppler (`pdfinfo`), as a checker
would."""

import re
import shutil
import subprocess
import zlib

import pytest

from bilans.contenu import assembler_bilan, assembler_dialogue
from bilans.pdf import pdf_du_bilan, pdf_du_dialogue
from indicateurs.services import rafraichir_tout
from siae.models import Siae
from tests.conventions.test_departement import A, departement  # noqa: F401

from .outils import lit_le_pdf

pytestmark = pytest.mark.django_db

ANNEE = 2024
PDFINFO = shutil.which("pdfinfo")


@pytest.fixture(autouse=True)
def indicateurs_rafraichis(departement):  # noqa: F811
    rafraichir_tout()


def objets(contenu: bytes) -> bytes:
    """The PDF's objects as text, the compressed streams (object streams among them) inflated."""
    morceaux = [contenu]
    for flux in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", contenu, flags=re.S):
        try:
            morceaux.append(zlib.decompress(flux))
        except zlib.error:
            continue
    return b"\n".join(morceaux)


def proprietes(contenu: bytes) -> dict[str, str]:
    if PDFINFO is None:
        pytest.fail("pdfinfo est requis pour lire les PDF (apt-get install poppler-utils)")
    sortie = subprocess.run([PDFINFO, "-"], input=contenu, capture_output=True, check=True).stdout.decode()
    return dict(ligne.split(":", 1) for ligne in sortie.splitlines() if ":" in ligne)


def verifier_accessible(contenu: bytes, titre: str) -> list[str]:
    """The PDF's checks; returns its charts' alternative texts."""
    infos = {cle.strip(): valeur.strip() for cle, valeur in proprietes(contenu).items()}
    assert infos["Tagged"] == "yes"
    assert infos["Title"] == titre
    texte = objets(contenu)
    assert b"/StructTreeRoot" in texte
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true", texte)
    assert re.search(rb"/Lang\s*\(fr\)", texte)
    # The title is the one shown in the reader's window, not the file name.
    assert re.search(rb"/DisplayDocTitle\s+true", texte)
    # Each chart is a Figure of the structure with its alternative text (the chart's own title).
    assert re.search(rb"/S\s*/Figure", texte)
    alternatives = [chaine(a) for a in re.findall(rb"/Alt\s*(<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\))", texte)]
    assert alternatives and all(a.strip() and a != "Graphique" for a in alternatives), alternatives
    return alternatives


def chaine(brute: bytes) -> str:
    """A PDF string, hexadecimal or literal, UTF-16 when it starts with its byte order mark."""
    if brute.startswith(b"<"):
        octets = bytes.fromhex(brute[1:-1].decode())
    else:
        octets = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), brute[1:-1])
        octets = re.sub(rb"\\(.)", rb"\1", octets)
    return octets[2:].decode("utf-16-be") if octets.startswith(b"\xfe\xff") else octets.decode("latin-1")


@lit_le_pdf
def test_le_bilan_est_un_pdf_accessible(departement):  # noqa: F811
    contenu = pdf_du_bilan(assembler_bilan("55", ANNEE)).contenu
    alternatives = verifier_accessible(contenu, f"Bilan {ANNEE} du CDIAE – Meuse")
    assert any(a.startswith("Taux de sorties dynamiques") for a in alternatives), alternatives


@lit_le_pdf
def test_la_fiche_de_dialogue_est_un_pdf_accessible(departement):  # noqa: F811
    chantier = Siae.objects.get(siret=A)
    contenu = pdf_du_dialogue(assembler_dialogue(chantier, ANNEE)).contenu
    verifier_accessible(contenu, f"Dialogue de gestion {ANNEE} – {chantier.nom}")
