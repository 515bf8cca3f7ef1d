"""Load the RSA's montants forfaitaires shipped with the project."""

from django.db import migrations

from aides_au_poste.referentiel import charger_montants_rsa


class Migration(migrations.Migration):
    dependencies = [("financement", "0004_montantrsa")]
    operations = [migrations.RunPython(charger_montants_rsa, migrations.RunPython.noop)]
