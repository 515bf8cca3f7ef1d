from django.db import migrations, models


class Migration(migrations.Migration):
    """The materialised rows keep only what is read: the ETP-mois conventionnés and réalisés (the curves, the
    monthly summary), what groups and scopes them, and when they were computed. Hours, salariés, bRSA, hires, exits
    and the retained declaration's state were written at each refresh and read by nothing. Reversed, the columns
    come back at zero until the next refresh."""

    dependencies = [
        ("indicateurs", "0003_objectif_brsa"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="indicateurmensuel", name="indicateur_valeurs_positives"),
        migrations.RemoveConstraint(model_name="indicateurmensuel", name="indicateur_brsa_salaries"),
        migrations.RemoveField(model_name="indicateurmensuel", name="declaration_retenue"),
        migrations.RemoveField(model_name="indicateurmensuel", name="entrees"),
        migrations.RemoveField(model_name="indicateurmensuel", name="heures_travaillees"),
        migrations.RemoveField(model_name="indicateurmensuel", name="salaries"),
        migrations.RemoveField(model_name="indicateurmensuel", name="salaries_brsa"),
        migrations.RemoveField(model_name="indicateurmensuel", name="sorties"),
        migrations.AddConstraint(
            model_name="indicateurmensuel",
            constraint=models.CheckConstraint(
                condition=models.Q(("etp_conventionnes__gte", 0), ("etp_realises__gte", 0)),
                name="indicateur_valeurs_positives",
            ),
        ),
    ]
