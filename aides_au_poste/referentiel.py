"""The barème of aides au poste (financement/data/bareme_aide_au_poste.csv) and the RSA's montants forfaitaires
(financement/data/montants_rsa.csv) shipped with the project.

Create-only: once loaded, rows are the administrators' to correct (with history).

Loaded by a migration so a fresh database has it; `apps` is the registry to read the model from (the migration's
historical one, or the current one).
"""

import csv
from decimal import Decimal
from pathlib import Path

FICHIER = Path(__file__).resolve().parent / "data" / "bareme_aide_au_poste.csv"
FICHIER_RSA = Path(__file__).resolve().parent / "data" / "montants_rsa.csv"


def charger_bareme(apps, schema_editor=None) -> None:
    Bareme = apps.get_model("financement", "BaremeAideAuPoste")
    with FICHIER.open(encoding="utf-8") as f:
        for ligne in csv.DictReader(f, delimiter=";"):
            Bareme.objects.get_or_create(
                type=ligne["type"],
                date_effet=ligne["date_effet"],
                defaults={
                    "montant_socle_annuel_par_etp": Decimal(ligne["montant_socle_annuel_par_etp"]),
                    "source": ligne["source"],
                },
            )


def charger_montants_rsa(apps, schema_editor=None) -> None:
    MontantRsa = apps.get_model("financement", "MontantRsa")
    with FICHIER_RSA.open(encoding="utf-8") as f:
        for ligne in csv.DictReader(f, delimiter=";"):
            MontantRsa.objects.get_or_create(
                date_effet=ligne["date_effet"],
                defaults={"montant_forfaitaire": Decimal(ligne["montant_forfaitaire"]), "source": ligne["source"]},
            )
