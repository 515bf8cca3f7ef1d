"""Load the exit motifs shipped with the project."""

from django.db import migrations

from parcours.referentiel import charger_motifs_sortie


class Migration(migrations.Migration):
    dependencies = [("parcours", "0001_initial")]
    operations = [migrations.RunPython(charger_motifs_sortie, migrations.RunPython.noop)]
