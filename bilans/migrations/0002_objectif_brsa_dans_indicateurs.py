from django.db import migrations


def vers_indicateurs(apps, schema_editor):
    """Each section's threshold becomes the département's objective for the year."""
    SectionsEditoriales = apps.get_model("bilans", "SectionsEditoriales")
    ObjectifBrsa = apps.get_model("indicateurs", "ObjectifBrsa")
    ObjectifBrsa.objects.bulk_create(
        [
            ObjectifBrsa(departement=departement, annee=annee, seuil=seuil)
            for departement, annee, seuil in SectionsEditoriales.objects.values_list(
                "departement", "annee", "seuil_brsa"
            )
        ]
    )


def vers_les_sections(apps, schema_editor):
    """Back onto the sections: a département's objective without sections gets empty sections to carry it."""
    SectionsEditoriales = apps.get_model("bilans", "SectionsEditoriales")
    ObjectifBrsa = apps.get_model("indicateurs", "ObjectifBrsa")
    for departement, annee, seuil in ObjectifBrsa.objects.values_list("departement", "annee", "seuil"):
        SectionsEditoriales.objects.update_or_create(
            departement=departement, annee=annee, defaults={"seuil_brsa": seuil}
        )


class Migration(migrations.Migration):
    """The bRSA objective leaves the bilan's editorial sections for `indicateurs.ObjectifBrsa`: the cockpit reads
    it, and a page of the dashboard does not read the bilan's model. The values are copied before the field goes."""

    dependencies = [
        ("bilans", "0001_initial"),
        ("indicateurs", "0003_objectif_brsa"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="sectionseditoriales", name="sections_seuil_brsa"),
        migrations.RunPython(vers_indicateurs, vers_les_sections),
        migrations.RemoveField(model_name="sectionseditoriales", name="seuil_brsa"),
    ]
