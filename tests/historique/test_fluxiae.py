"""The ASP's fluxIAE writes with set-based SQL: the trail gets one entry for the whole archive, linked to its
journal, never one version per row, and the import costs the same number of queries whatever the rows."""

import datetime as dt

import pytest
from django.core.files import File
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.fluxiae import generer_flux
from conventions.models import AnnexeFinanciere
from historique.sources import sources
from imports.models import StatutImport, TraceImport
from imports.services import executer_archive, preparer_archive
from parcours.models import Salarie

pytestmark = pytest.mark.django_db


def versions() -> int:
    return sum(s.modele.objects.count() for s in sources() if not s.est_import)


def archive(dossier, mois_fin: dt.date):
    return generer_flux(
        dossier, ["55"], structures_par_departement=1, annees=(2026,), mois_fin=mois_fin, archive=True
    ).archive


def importer(chemin, auteur):
    with chemin.open("rb") as fichier:
        journal = preparer_archive("fluxiae", chemin.name, File(fichier), auteur, ["55"])
    return executer_archive(journal)


def test_un_fluxiae_est_une_seule_entree_avec_son_journal(tmp_path, agent_55, django_assert_max_num_queries):
    petit, grand = archive(tmp_path / "petit", dt.date(2026, 2, 1)), archive(tmp_path / "grand", dt.date(2026, 9, 1))
    avant = versions()
    with CaptureQueriesContext(connection) as requetes:
        journal = importer(petit, agent_55)
    assert journal.statut == StatutImport.TERMINE, journal.erreurs
    assert AnnexeFinanciere.objects.filter(id_asp__isnull=False).exists() and Salarie.objects.exists()
    trace = TraceImport.objects.get()
    assert (trace.journal, trace.auteur, trace.departement) == (journal, agent_55, "55")
    assert trace.resume.startswith(f"fluxIAE de l'ASP (archive hebdomadaire), {petit.name} : ")
    assert versions() == avant  # no version per structure, annexe, salarié, parcours or declaration line

    # Eight months more of monthly states: more rows, the same number of queries (and still one entry each).
    with django_assert_max_num_queries(len(requetes)):
        journal = importer(grand, agent_55)
    assert journal.statut == StatutImport.TERMINE, journal.erreurs
    assert journal.nb_crees + journal.nb_modifies > 0
    assert TraceImport.objects.count() == 2
    assert versions() == avant
