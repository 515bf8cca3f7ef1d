from django.db import migrations


class Migration(migrations.Migration):
    """The materialised table takes the name of its app (it was born in `calculs`)."""

    dependencies = [("indicateurs", "0001_initial")]

    operations = [migrations.AlterModelTable(name="indicateurmensuel", table=None)]
