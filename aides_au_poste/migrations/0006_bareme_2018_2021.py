"""Reload the barème shipped with the project: the rows of 2018, 2020 and 1 January 2021 (and the EITI of 2019) it
lacked, without which the revaluation of 1 October 2021 was measured from the 2019 amounts. The rows an
administrator created or changed (a version in their history) are kept as they are (docs/decisions.md)."""

from django.db import migrations

from aides_au_poste.referentiel import recharger_bareme


class Migration(migrations.Migration):
    dependencies = [("financement", "0005_montants_rsa_initiaux")]
    operations = [migrations.RunPython(recharger_bareme, migrations.RunPython.noop)]
