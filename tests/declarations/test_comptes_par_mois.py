"""The statuses counted per month in SQL (`comptes_par_mois`, what the cockpit reads) equal the statuses of
`suivi_des_declarations` counted one by one, whatever the day it is: before a deadline, after it, on its day."""

import datetime as dt

import pytest

from conventions.models import AnnexeFinanciere
from declarations.queries import comptes_par_mois, comptes_par_statut, suivi_des_declarations
from tests.pilotage.test_cockpit import ANNEE, departement  # noqa: F401  (the cockpit's fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "aujourd_hui",
    [dt.date(ANNEE, 6, 15), dt.date(ANNEE, 6, 16), dt.date(ANNEE + 1, 1, 15), dt.date(ANNEE + 1, 1, 16)],
)
def test_egaux_aux_statuts_un_par_un(departement, aujourd_hui):  # noqa: F811
    annexes = AnnexeFinanciere.objects.all()
    debut, fin = dt.date(ANNEE, 1, 1), dt.date(ANNEE, 12, 1)
    par_mois = {}
    for suivi in suivi_des_declarations(annexes, debut, fin, aujourd_hui=aujourd_hui):
        par_mois.setdefault(suivi.mois, []).append(suivi)
    attendu = {mois: comptes_par_statut(suivis) for mois, suivis in par_mois.items()}
    assert comptes_par_mois(annexes, debut, fin, aujourd_hui=aujourd_hui) == attendu
    # The fixture has late declarations (December, transmitted on 20 January) and on-time ones.
    assert sum(c["en_retard"] for c in attendu.values()) > 0
    assert sum(c["a_temps"] for c in attendu.values()) > 0


def test_une_requete_quel_que_soit_le_nombre_d_annexes(departement, django_assert_num_queries):  # noqa: F811
    with django_assert_num_queries(1):
        comptes_par_mois(AnnexeFinanciere.objects.all(), dt.date(ANNEE, 1, 1), dt.date(ANNEE, 12, 1))
