"""Load the exit motifs shipped with the project (parcours/data/motifs_sortie.csv)."""

import csv
from pathlib import Path

from django.db import migrations

FICHIER = Path(__file__).resolve().parent.parent / "data" / "motifs_sortie.csv"


def charger(apps, schema_editor):
    MotifSortie = apps.get_model("parcours", "MotifSortie")
    with FICHIER.open(encoding="utf-8") as f:
        for ligne in csv.DictReader(f, delimiter=";"):
            MotifSortie.objects.update_or_create(
                code=ligne["code"], defaults={"libelle": ligne["libelle"], "categorie": ligne["categorie"]}
            )


class Migration(migrations.Migration):
    dependencies = [("parcours", "0001_initial")]
    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
