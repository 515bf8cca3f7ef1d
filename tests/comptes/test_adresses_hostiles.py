"""What a user types in the address bar never reaches a query as is: a département code that names none (a NUL byte,
which PostgreSQL refuses with a 500), a structure id that is no number. Found by rerunning the attack of the
hardening issue (every page with `?departement=55%00…`, `?siae=%00`)."""

import pytest

from comptes.choix import ChoixDepartementMixin
from comptes.perimetre import Perimetre
from tests.comptes.test_choix import page

pytestmark = pytest.mark.django_db

ADMIN = Perimetre(administrateur=True)


@pytest.mark.parametrize("demande", ["55\x00", "999", "", "../55"])
def test_un_administrateur_ne_choisit_qu_un_departement_qui_existe(demande):
    assert page({"departement": demande}, ADMIN).departement() is None
    assert page({"departement": "2A"}, ADMIN).departement() == "2A"


@pytest.mark.parametrize(
    "adresse",
    [
        "/consommation/",
        "/sorties/",
        "/publics/",
        "/aides-au-poste/",
        "/aides-au-poste/cofinancement/",
        "/financements/",
        "/fluxiae/ecarts/",
        "/pilotage/redeploiement/",
        "/bilans/",
    ],
)
def test_un_departement_qui_n_existe_pas_dans_l_adresse(client_de, admin, adresse):
    reponse = client_de(admin).get(adresse, {"departement": "55\x00"})
    assert reponse.status_code == 200
    assert "\x00" not in reponse.content.decode()


def test_la_liste_des_projets_filtree_sur_un_departement_qui_n_existe_pas(client_de, admin, agent_55):
    """The filter of the list is dropped: PostgreSQL refused the NUL byte with a 500 (SQLite takes it)."""
    assert client_de(admin).get("/financements/projets/", {"departement": "55\x00"}).status_code == 200
    assert client_de(agent_55).get("/financements/projets/", {"departement": "55\x00"}).status_code == 200


@pytest.mark.parametrize("siae", ["\x00", "abc", "²", "99999999999999999999"])
def test_une_structure_qui_n_est_pas_un_nombre_a_la_creation_d_une_annexe(client_de, agent_55, siae):
    reponse = client_de(agent_55).get("/annexes/nouvelle/", {"siae": siae})
    assert reponse.status_code == 200


def test_le_choix_par_defaut_n_est_pas_change():
    assert ChoixDepartementMixin is page({}, ADMIN).__class__
    assert page({"departement": "57"}, ADMIN).departement() == "57"
