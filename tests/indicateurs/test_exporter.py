"""`exporter indicateurs` in its three formats: the same figures."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from siae.models import Siae
from tests.base.formules import PIEGE, verifier_csv, verifier_xlsx
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
    assert classeur.sheetnames == ["consommation", "sorties", "aides_au_poste", "publics", "siae"]
    feuille = classeur["consommation"]
    entetes = [c.value for c in feuille[1]]
    assert [
        dict(zip(entetes, [c.value for c in rang], strict=True)) for rang in feuille.iter_rows(min_row=2)
    ] == donnees["consommation"]


def test_sorties_et_publics(departement):  # noqa: F811
    """The sections of formats.md, in their order, with counts as integers and rates as strings."""
    donnees = json.loads(exporter(departement, "json", "i.json").read_text(encoding="utf-8"))
    assert list(donnees) == ["annee", "departement", "consommation", "sorties", "aides_au_poste", "publics", "siae"]
    # Bravo's CDI on 20 December, after a year in the ACI: the one examined exit of 2024.
    assert donnees["sorties"] == [
        {
            "type": type_,
            "examinees": 1,
            "retraits": 0,
            "emploi_durable": 1,
            "emploi_transition": 0,
            "sorties_positives": 0,
            "autres": 0,
            "taux_sorties_dynamiques": "100.0",
            "taux_emploi_durable": "100.0",
        }
        for type_ in ("ACI", "TOTAL")
    ]
    # Four salariés worked in 2024 in the 55 (the Moselle one is not there): Ana (F, bRSA, infra CAP, DELD) and
    # Bob (M, 57, QPV, RQTH) in the ACI, Dan (M, bRSA, ZRR) in the AI, Cléo (F, 23) in the EI.
    total = donnees["publics"][-1]
    assert [ligne["type"] for ligne in donnees["publics"]] == ["ACI", "AI", "EI", "TOTAL"]
    assert total == {
        "type": "TOTAL",
        "salaries": 4,
        "femmes": "50.0",
        "brsa": "50.0",
        "qpv": "25.0",
        "moins_26_ans": "25.0",
        "50_ans_et_plus": "25.0",
        "rqth": "25.0",
        "zrr": "25.0",
        "deld_detld": "25.0",
        "infra_cap": "25.0",
    }
    assert {s["nom"]: s["taux_sorties_dynamiques"] for s in donnees["siae"]} == {
        "Chantier A": "100.0",
        "Entreprise B": None,
        "Association C": None,
    }
    assert list(donnees["siae"][0])[-5:] == [
        "statut_consommation",
        "taux_sorties_dynamiques",
        "socle_conventionne",
        "modulation",
        "du",
    ]

    texte = exporter(departement, "csv", "i.csv").read_text(encoding="utf-8-sig")
    sorties = [ligne for ligne in csv.DictReader(io.StringIO(texte), delimiter=";") if ligne["section"] == "sorties"]
    assert [(ligne["type"], ligne["examinees"], ligne["taux_sorties_dynamiques"]) for ligne in sorties] == [
        ("ACI", "1", "100.0"),
        ("TOTAL", "1", "100.0"),
    ]


def test_departement_inconnu():
    with pytest.raises(CommandError, match="département inconnu"):
        call_command("exporter", "indicateurs", "--annee", "2024", "--departement", "99")


def test_un_nom_de_structure_piege_sort_en_texte(departement):  # noqa: F811
    Siae.objects.filter(departement="55").update(nom=PIEGE)
    verifier_csv(exporter(departement, "csv", "i.csv").read_bytes())
    verifier_xlsx(exporter(departement, "xlsx", "i.xlsx").read_bytes())
