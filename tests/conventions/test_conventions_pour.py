"""The conventions of many annexes at once (the fluxIAE's AFs) follow the rule of one annexe at a time."""

import datetime as dt

import pytest

from conventions.models import Convention
from conventions.services import convention_pour, conventions_pour
from tests.factories import SiaeFactory

pytestmark = pytest.mark.django_db


def _annees(siae, type_, *annees):
    return [(siae, type_, dt.date(annee, 1, 1), dt.date(annee, 12, 31)) for annee in annees]


def test_en_bloc_comme_une_a_une():
    aci, ei = SiaeFactory(), SiaeFactory(type="EI")
    # An existing convention covers 2024-2025; 2026 then 2027-2029 need new ones, given out of order.
    existante = Convention.objects.create(siae=aci, type="ACI", date_debut=dt.date(2024, 1, 1),
                                          date_fin=dt.date(2025, 12, 31))  # fmt: skip
    demandes = [*_annees(aci, "ACI", 2027, 2025, 2024, 2026), *_annees(ei, "EI", 2025)]

    conventions = conventions_pour(demandes)

    assert conventions[1] == conventions[2] == existante
    # 2026 opened a convention of three civil years (2026–2028), which also covers 2027.
    assert conventions[3].date_debut == dt.date(2026, 1, 1) and conventions[3].date_fin == dt.date(2028, 12, 31)
    assert conventions[0] == conventions[3]
    assert conventions[4].siae == ei and conventions[4].date_fin == dt.date(2027, 12, 31)
    assert Convention.objects.count() == 3
    # One by one now finds the same ones, and creates nothing.
    assert [convention_pour(*demande) for demande in demandes] == conventions
    assert Convention.objects.count() == 3


def test_requetes_en_nombre_fixe(django_assert_max_num_queries):
    demandes = [demande for _ in range(20) for demande in _annees(SiaeFactory(), "ACI", 2024, 2025, 2028)]
    with django_assert_max_num_queries(2):
        conventions_pour(demandes)
    assert Convention.objects.count() == 40
