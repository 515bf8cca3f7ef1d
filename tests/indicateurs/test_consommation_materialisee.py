"""The cockpit reads the consumption and the ETP réalisés of the aides from the materialised months: the same
figures as the data itself, once the refresh has run."""

import datetime as dt
from decimal import Decimal

import pytest

from aides_au_poste.queries import aides_des_annexes
from base.calendrier import Periode
from conventions.models import AnnexeFinanciere
from indicateurs.queries import realises_materialises
from indicateurs.queries_consommation import consommation_des_siae, consommation_par, consommation_par_type
from indicateurs.services import rafraichir_tout
from tests.pilotage.test_cockpit import ANNEE, departement  # noqa: F401  (the cockpit's fixture)

pytestmark = pytest.mark.django_db

PRECISION = Decimal("1e-12")


@pytest.fixture
def annexes(departement):  # noqa: F811
    rafraichir_tout()
    return AnnexeFinanciere.objects.all()


def test_par_type_et_par_departement(annexes):
    for periode in (Periode.annee(ANNEE), Periode(dt.date(ANNEE, 1, 1), dt.date(ANNEE, 5, 1))):
        en_direct = consommation_par_type(annexes, periode)
        materialisee = consommation_par_type(annexes, periode, materialise=True)
        assert [c.cle for c in materialisee] == [c.cle for c in en_direct]
        for lu, calcule in zip(materialisee, en_direct, strict=True):
            assert lu.conv_etp_mois == calcule.conv_etp_mois
            assert abs(lu.real_etp_mois - calcule.real_etp_mois) < PRECISION
        par_departement = consommation_par(annexes, periode, ["siae__departement"], materialise=True)
        assert set(par_departement) == set(consommation_par(annexes, periode, ["siae__departement"]))


def test_par_structure(annexes):
    aujourd_hui = dt.date(ANNEE, 8, 20)
    en_direct = {s.siae_id: s for s in consommation_des_siae(annexes, ANNEE, aujourd_hui)}
    materialisee = {s.siae_id: s for s in consommation_des_siae(annexes, ANNEE, aujourd_hui, materialise=True)}
    assert set(materialisee) == set(en_direct)
    for siae_id, lu in materialisee.items():
        calcule = en_direct[siae_id]
        assert abs(lu.reference.real_etp_mois - calcule.reference.real_etp_mois) < PRECISION
        assert lu.annee.conv_etp_mois == calcule.annee.conv_etp_mois
        assert (lu.projection_etp is None) == (calcule.projection_etp is None)


def test_les_aides_lisent_les_memes_etp_realises(annexes):
    en_direct = {a.annexe_id: a for a in aides_des_annexes(annexes)}
    materialisees = {a.annexe_id: a for a in aides_des_annexes(annexes, realises=realises_materialises)}
    assert set(materialisees) == set(en_direct)
    for annexe_id, lue in materialisees.items():
        calculee = en_direct[annexe_id]
        assert set(lue.etp_realises) == set(calculee.etp_realises)
        assert lue.du == calculee.du
        assert lue.socle_conventionne == calculee.socle_conventionne
