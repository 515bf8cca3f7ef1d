"""On the demo département, the purge of personal data (docs/rgpd.md) leaves every exported figure of 2024–2026
as it was: `exporter indicateurs` (JSON) gives the same bytes before and after anonymising everyone whose parcours
and PASS IAE are over."""

import datetime as dt

import pytest
from django.core.management import call_command

from parcours.models import Salarie
from parcours.services_rgpd import purger_donnees_personnelles

pytestmark = [pytest.mark.django_db, pytest.mark.lent, pytest.mark.usefixtures("demo")]

ANNEES = (2024, 2025, 2026)


def exporter(dossier, annee: int) -> bytes:
    sortie = dossier / f"indicateurs_55_{annee}.json"
    call_command(
        "exporter", "indicateurs", "--annee", annee, "--departement", "55", "--format", "json", "--sortie", sortie
    )
    return sortie.read_bytes()


def test_la_purge_ne_change_aucun_chiffre(tmp_path):
    avant = {annee: exporter(tmp_path, annee) for annee in ANNEES}
    # Far enough ahead for every parcours that ended to be past the retention period.
    bilan = purger_donnees_personnelles(origine="test", aujourd_hui=dt.date(2040, 1, 1))
    assert bilan.salaries > 100
    assert Salarie.objects.filter(date_anonymisation__isnull=False).count() == bilan.salaries
    assert {annee: exporter(tmp_path, annee) for annee in ANNEES} == avant
