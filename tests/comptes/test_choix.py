"""The département and year a page shows (`comptes.choix`): what is asked for among the user's, their own
otherwise, never an empty page."""

import datetime as dt

import pytest
from django.test import RequestFactory

from comptes.choix import ChoixDepartementMixin, annee_demandee
from comptes.perimetre import Perimetre


class Utilisateur:
    def __init__(self, perimetre: Perimetre):
        self.perimetre = perimetre


def page(parametres: dict, perimetre: Perimetre) -> ChoixDepartementMixin:
    vue = ChoixDepartementMixin()
    vue.request = RequestFactory().get("/", parametres)
    vue.request.user = Utilisateur(perimetre)
    return vue


AGENT_55_57 = Perimetre(departements_ddets=frozenset({"55", "57"}))
ADMIN = Perimetre(administrateur=True)
SIAE = Perimetre(siae_ids=frozenset({1}), departements_siae=frozenset({"55"}))


@pytest.mark.parametrize(
    ("valeur", "attendue"), [("2024", 2024), ("", None), ("x", None), ("1850", None), ("2101", None)]
)
def test_l_annee_demandee(valeur, attendue):
    requete = RequestFactory().get("/", {"annee": valeur})
    assert annee_demandee(requete) == (attendue or dt.date.today().year)


@pytest.mark.parametrize(
    ("perimetre", "demande", "attendu"),
    [
        (AGENT_55_57, None, "55"),
        (AGENT_55_57, "57", "57"),
        (AGENT_55_57, "13", "55"),  # out of reach: their own
        (ADMIN, None, None),  # the whole country
        (ADMIN, "13", "13"),
        (SIAE, "55", None),  # their structures, in no département
    ],
)
def test_le_departement_choisi(perimetre, demande, attendu):
    parametres = {"departement": demande} if demande else {}
    assert page(parametres, perimetre).departement() == attendu


def test_le_contexte_du_selecteur():
    contexte = page({"departement": "57"}, AGENT_55_57).contexte_du_choix(2025)
    assert contexte["annee"] == 2025 and contexte["annee_texte"] == "2025"
    assert contexte["departement"] == "57" and contexte["nom_departement"] == "Moselle"
    assert contexte["departement_requete"] == "&departement=57"
    assert contexte["departements"] == ["55", "57"]
    assert contexte["annees"][0] == dt.date.today().year + 1 and len(contexte["annees"]) == 7
    # A page that settled on another département says so.
    assert page({}, AGENT_55_57).contexte_du_choix(2025, "57")["departement"] == "57"
    assert page({}, ADMIN).contexte_du_choix(2025)["departement_requete"] == ""
