"""`exporter indicateurs` in its three formats: the same figures."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conventions.test_departement import departement  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def exporter(dossier, format_, nom):
    chemin = dossier / nom
    call_command(
        "exporter",
        "indicateurs",
        "--annee",
        "2024",
        "--departement",
        "055",
        "--format",
        format_,
        "--sortie",
        str(chemin),
    )
    return chemin


def test_csv_et_xlsx_reprennent_le_json(departement):  # noqa: F811
    donnees = json.loads(exporter(departement, "json", "i.json").read_text(encoding="utf-8"))
    assert donnees["departement"] == "55"

    texte = exporter(departement, "csv", "i.csv").read_text(encoding="utf-8-sig")
    lignes = list(csv.DictReader(io.StringIO(texte), delimiter=";"))
    consommation = [
        {k: v for k, v in ligne.items() if k in ("type", "etp_conventionnes", "etp_realises", "taux_consommation")}
        for ligne in lignes
        if ligne["section"] == "consommation"
    ]
    assert consommation == donnees["consommation"]
    assert [ligne["siret"] for ligne in lignes if ligne["section"] == "siae"] == [s["siret"] for s in donnees["siae"]]

    classeur = openpyxl.load_workbook(exporter(departement, "xlsx", "i.xlsx"))
    assert classeur.sheetnames == ["consommation", "siae"]
    feuille = classeur["consommation"]
    entetes = [c.value for c in feuille[1]]
    assert [
        dict(zip(entetes, [c.value for c in rang], strict=True)) for rang in feuille.iter_rows(min_row=2)
    ] == donnees["consommation"]


def test_departement_inconnu():
    with pytest.raises(CommandError, match="département inconnu"):
        call_command("exporter", "indicateurs", "--annee", "2024", "--departement", "99")
