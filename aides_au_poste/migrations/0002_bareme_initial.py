"""Load the barème of aides au poste shipped with the project."""

from django.db import migrations

from aides_au_poste.referentiel import charger_bareme


class Migration(migrations.Migration):
    dependencies = [("financement", "0001_initial")]
    operations = [migrations.RunPython(charger_bareme, migrations.RunPython.noop)]
