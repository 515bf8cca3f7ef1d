from django.db import migrations
from django.db.models import Max, OuterRef, Subquery


def reporter_les_dates(apps, schema_editor):
    """Each annexe with a decision records when its rate was last decided (what its form and imports read)."""
    AnnexeFinanciere = apps.get_model("conventions", "AnnexeFinanciere")
    DecisionModulation = apps.get_model("modulation", "DecisionModulation")
    derniere = (
        DecisionModulation.objects.filter(annexe=OuterRef("pk"))
        .values("annexe")
        .annotate(date=Max("date"))
        .values("date")[:1]
    )
    AnnexeFinanciere.objects.filter(pk__in=DecisionModulation.objects.values("annexe")).update(
        taux_modulation_decide_le=Subquery(derniere)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("modulation", "0001_initial"),
        ("conventions", "0003_taux_modulation_decide"),
    ]

    operations = [migrations.RunPython(reporter_les_dates, migrations.RunPython.noop)]
