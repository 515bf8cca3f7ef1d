"""Load the barème of aides au poste shipped with the project (financement/data/bareme_aide_au_poste.csv)."""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

FICHIER = Path(__file__).resolve().parent.parent / "data" / "bareme_aide_au_poste.csv"


def charger(apps, schema_editor):
    Bareme = apps.get_model("financement", "BaremeAideAuPoste")
    with FICHIER.open(encoding="utf-8") as f:
        for ligne in csv.DictReader(f, delimiter=";"):
            Bareme.objects.update_or_create(
                type=ligne["type"],
                date_effet=ligne["date_effet"],
                defaults={
                    "montant_socle_annuel_par_etp": Decimal(ligne["montant_socle_annuel_par_etp"]),
                    "source": ligne["source"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("financement", "0001_initial")]
    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
