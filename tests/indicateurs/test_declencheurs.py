"""The refreshes asked during one transaction leave together when it commits, each once."""

import pytest

from base.rafraichissement import rafraichir_apres_commit, rafraichir_structure_apres_commit
from indicateurs import tasks
from tests.factories import AnnexeFinanciereFactory, SiaeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def envois(monkeypatch):
    """The tasks sent, instead of being run."""
    envoyes = {"annexes": [], "structures": []}
    monkeypatch.setattr(tasks.rafraichir_indicateurs_task, "delay", lambda ids, mois: envoyes["annexes"].append(ids))
    monkeypatch.setattr(tasks.rafraichir_structures_task, "delay", lambda ids: envoyes["structures"].append(ids))
    return envoyes


def test_une_structure_deja_rafraichie_par_son_annexe_entiere_ne_l_est_pas_deux_fois(
    envois, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the refreshes the creations ask for leave here
        annexe = AnnexeFinanciereFactory(annee=2024)
        autre = SiaeFactory()
        mois_seul = AnnexeFinanciereFactory(annee=2024)
    for envoyes in envois.values():
        envoyes.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rafraichir_apres_commit(annexe.pk)  # every month: its structure's parcours are rebuilt with it
        rafraichir_apres_commit(mois_seul.pk, mois_seul.date_debut)  # one month: only that year's presences
        for siae_id in (annexe.siae_id, autre.pk, mois_seul.siae_id):
            rafraichir_structure_apres_commit(siae_id)
    assert sorted(i for ids in envois["annexes"] for i in ids) == sorted([annexe.pk, mois_seul.pk])
    assert envois["structures"] == [sorted([autre.pk, mois_seul.siae_id])]
