"""`bilan_cdiae`: the same PDF from the command line."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import AnnexeFinanciereFactory

from .outils import lit_le_pdf, texte_du_pdf

pytestmark = pytest.mark.django_db


@lit_le_pdf
def test_la_commande_ecrit_le_pdf_et_donne_son_chemin(tmp_path, capsys, siae_a):
    AnnexeFinanciereFactory(siae=siae_a, annee=2024, etp_conventionnes="3.50")
    sortie = tmp_path / "bilan.pdf"
    call_command("bilan_cdiae", "--annee", "2024", "--departement", "055", "--sortie", str(sortie))
    assert capsys.readouterr().out.strip() == str(sortie.resolve())
    texte = texte_du_pdf(sortie.read_bytes())
    assert "Meuse (55)" in texte
    # The ETP table: 3,50 conventionnés over the year, nothing declared.
    assert "ACI 3,50 0,00 0,0 %" in texte and siae_a.nom in texte


def test_un_dossier_recoit_le_nom_du_bilan(tmp_path, capsys):
    call_command("bilan_cdiae", "--annee", "2024", "--departement", "55", "--sortie", str(tmp_path))
    assert (tmp_path / "bilan-cdiae-55-2024.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--annee", "2024", "--departement", "99"], "département inconnu : 99"),
        (["--annee", "1990", "--departement", "55"], "année hors des limites : 1990"),
        (["--annee", "2024", "--departement", "55", "--sortie", "/nulle/part/b.pdf"], "n'existe pas"),
    ],
)
def test_erreurs(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("bilan_cdiae", *arguments)
