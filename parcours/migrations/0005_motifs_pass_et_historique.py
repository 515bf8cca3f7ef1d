"""The reasons of suspension and prolongation of a PASS IAE with their limits (spec §6), and the first version of
each exit motif in its history."""

from django.db import migrations

from parcours.referentiel import charger_motifs_pass, historiser_motifs_sortie


def charger(apps, schema_editor):
    charger_motifs_pass(apps)
    historiser_motifs_sortie(apps)


class Migration(migrations.Migration):
    dependencies = [("parcours", "0004_cycle_du_pass")]
    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
