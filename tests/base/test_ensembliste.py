"""`base.ensembliste.rafraichir_la_table`: a table brought in line with a SELECT, writing only what differs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from base.ensembliste import compiler, rafraichir_la_table
from indicateurs.models import EmbauchesAnnuelles
from tests.factories import SiaeFactory

pytestmark = pytest.mark.django_db

CHAMPS = ["siae", "annee", "embauches", "brsa"]


def _source(lignes: list[tuple[int, int, int, int]]) -> tuple[str, tuple]:
    """A SELECT of fixed rows, as an aggregate would give them."""
    selects = " UNION ALL ".join("SELECT %s AS s, %s AS a, %s AS e, %s AS b" for _ in lignes)
    return selects, tuple(valeur for ligne in lignes for valeur in ligne)


def _rafraichir(lignes, siae_ids):
    sql, params = _source(lignes)
    perimetre = compiler(EmbauchesAnnuelles.objects.filter(siae_id__in=siae_ids).order_by().values("pk"))
    return rafraichir_la_table(EmbauchesAnnuelles, sql, params, CHAMPS, ["siae", "annee"], perimetre)


def _table() -> set[tuple]:
    return set(EmbauchesAnnuelles.objects.values_list(*CHAMPS))


def test_insere_modifie_et_supprime_seulement_ce_qui_differe():
    a, b, dehors = SiaeFactory(), SiaeFactory(), SiaeFactory()
    EmbauchesAnnuelles.objects.create(siae=dehors, annee=2024, embauches=9, brsa=9)
    assert _rafraichir([(a.pk, 2024, 3, 1), (a.pk, 2025, 2, 0), (b.pk, 2025, 5, 5)], [a.pk, b.pk]) == (3, 0)

    # 2024 of a changes, 2025 of a is unchanged, b's row is gone from the source, a 2026 row appears. The row of a
    # structure outside the perimeter is kept even though the source does not have it.
    avant = {e.annee: e.pk for e in EmbauchesAnnuelles.objects.filter(siae=a)}
    assert _rafraichir([(a.pk, 2024, 4, 1), (a.pk, 2025, 2, 0), (a.pk, 2026, 1, 1)], [a.pk, b.pk]) == (2, 1)
    assert _table() == {(a.pk, 2024, 4, 1), (a.pk, 2025, 2, 0), (a.pk, 2026, 1, 1), (dehors.pk, 2024, 9, 9)}
    assert EmbauchesAnnuelles.objects.get(siae=a, annee=2024).pk == avant[2024]  # rewritten in place

    # Run again: nothing differs, nothing is written, and no temporary table is left behind.
    assert _rafraichir([(a.pk, 2024, 4, 1), (a.pk, 2025, 2, 0), (a.pk, 2026, 1, 1)], [a.pk, b.pk]) == (0, 0)
    assert _rafraichir([(a.pk, 2024, 4, 1), (a.pk, 2025, 2, 0), (a.pk, 2026, 1, 1)], [a.pk, b.pk]) == (0, 0)


def test_une_ligne_hors_du_perimetre_que_la_source_a_est_mise_a_jour():
    """The perimeter says what may be deleted, not what may be updated: a row keyed as the source's is rewritten
    wherever it lies."""
    a = SiaeFactory()
    EmbauchesAnnuelles.objects.create(siae=a, annee=2024, embauches=1, brsa=0)
    assert _rafraichir([(a.pk, 2024, 2, 0)], [SiaeFactory().pk]) == (1, 0)
    assert _table() == {(a.pk, 2024, 2, 0)}


def test_les_lignes_a_jour_ne_sont_pas_reecrites():
    a = SiaeFactory()
    _rafraichir([(a.pk, 2024, 3, 1)], [a.pk])
    with CaptureQueriesContext(connection) as capture:
        _rafraichir([(a.pk, 2024, 3, 1)], [a.pk])
    ecritures = [q["sql"] for q in capture.captured_queries if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]
    # The update and the insertion find nothing to write (counted above); none is an upsert that would lock them.
    assert not any("DO UPDATE" in sql for sql in ecritures)
