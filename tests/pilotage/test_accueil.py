"""Home page per role, /sante/, login, logout and the failed-login lockout."""

import pytest
from axes.models import AccessAttempt

from tests.factories import MOT_DE_PASSE, SiaeFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db


def par_type(reponse) -> dict[str, int]:
    return {ligne["type"]: ligne["nombre"] for ligne in reponse.context["par_type"]}


@pytest.fixture
def structures(siae_a, siae_b, siae_57):
    SiaeFactory(ei=True, nom="Logistique verdunoise")
    SiaeFactory(ei=True, nom="Nettoyage meusien")


class TestAccueil:
    def test_agent_ddets(self, client_de, agent_55, structures):
        reponse = client_de(agent_55).get("/")
        page = reponse.content.decode()
        assert "Bonjour Claire" in page
        assert "DDETS –" in page
        assert "Meuse (55)" in page
        assert "Moselle" not in page
        # In the order of the kinds, only the kinds present, then the total.
        assert [ligne["type"] for ligne in reponse.context["par_type"]] == ["ACI", "EI", "ETTI", "TOTAL"]
        assert par_type(reponse) == {"ACI": 1, "EI": 2, "ETTI": 1, "TOTAL": 4}
        assert 'id="structures-par-type"' in page
        assert "Ma structure" not in page
        assert 'href="/imports/"' in page  # the agent's menu has the imports

    def test_agent_d_un_autre_departement(self, client_de, agent_57, structures):
        reponse = client_de(agent_57).get("/")
        assert par_type(reponse) == {"ACI": 1, "TOTAL": 1}
        assert "Moselle (57)" in reponse.content.decode()

    def test_membre_cdiae(self, client_de, membre_cdiae_55, structures):
        reponse = client_de(membre_cdiae_55).get("/")
        page = reponse.content.decode()
        assert "CDIAE –" in page
        assert "Meuse (55)" in page
        assert par_type(reponse) == {"ACI": 1, "EI": 2, "ETTI": 1, "TOTAL": 4}
        assert 'href="/imports/"' not in page and 'href="/salaries/"' not in page

    def test_personnel_siae(self, client_de, personnel_a, structures):
        reponse = client_de(personnel_a).get("/")
        page = reponse.content.decode()
        assert "Ma structure" in page
        assert "Jardins de Verdun" in page
        assert "Intérim du Barrois" not in page
        assert 'id="structures-par-type"' not in page
        assert [s.nom for s in reponse.context["mes_structures"]] == ["Jardins de Verdun"]
        # Their declarations, salariés and imports, but not the registry's administration.
        assert 'href="/declarations/"' in page and 'href="/imports/"' in page
        assert 'href="/admin/"' not in page

    def test_administrateur(self, client_de, admin, structures):
        reponse = client_de(admin).get("/")
        page = reponse.content.decode()
        assert "Administration nationale : tous les départements." in page
        assert par_type(reponse)["TOTAL"] == 5
        assert 'href="/admin/"' in page

    def test_compte_sans_organisation(self, client_de, structures):
        page = client_de(UtilisateurFactory()).get("/").content.decode()
        assert "Votre compte n'est rattaché à aucune organisation." in page
        assert 'id="structures-par-type"' not in page

    def test_aucune_structure(self, client_de, agent_55):
        reponse = client_de(agent_55).get("/")
        assert reponse.context["par_type"] == [{"type": "TOTAL", "libelle": "Total", "nombre": 0}]


def test_sante_sans_connexion(client):
    reponse = client.get("/sante/")
    assert reponse.status_code == 200
    assert reponse.json() == {"statut": "ok"}


class TestConnexion:
    def test_page_de_connexion(self, client):
        reponse = client.get("/comptes/connexion/")
        assert reponse.status_code == 200
        page = reponse.content.decode()
        assert "Connexion à Pilot'IAE" in page
        assert "Adresse e-mail" in page
        assert 'type="password"' in page

    def test_connexion_reussie(self, client, agent_55):
        reponse = client.post("/comptes/connexion/", {"username": agent_55.email, "password": MOT_DE_PASSE})
        assert reponse.status_code == 302
        assert reponse["Location"] == "/"
        assert client.get("/").status_code == 200
        assert int(client.session["_auth_user_id"]) == agent_55.pk

    def test_e_mail_sans_tenir_compte_de_la_casse(self, client, agent_55):
        reponse = client.post("/comptes/connexion/", {"username": agent_55.email.upper(), "password": MOT_DE_PASSE})
        assert reponse.status_code == 302
        assert int(client.session["_auth_user_id"]) == agent_55.pk

    def test_retour_a_la_page_demandee(self, client, agent_55, siae_a):
        demande = client.get(f"/siae/{siae_a.pk}/")
        assert demande.status_code == 302
        reponse = client.post(
            demande["Location"], {"username": agent_55.email, "password": MOT_DE_PASSE, "next": f"/siae/{siae_a.pk}/"}
        )
        assert reponse["Location"] == f"/siae/{siae_a.pk}/"

    def test_pas_de_redirection_vers_un_autre_site(self, client, agent_55):
        reponse = client.post(
            "/comptes/connexion/",
            {"username": agent_55.email, "password": MOT_DE_PASSE, "next": "https://exemple.test/"},
        )
        assert reponse["Location"] == "/"

    def test_mauvais_mot_de_passe(self, client, agent_55):
        reponse = client.post("/comptes/connexion/", {"username": agent_55.email, "password": "mauvais"})
        assert reponse.status_code == 200
        assert "Adresse e-mail ou mot de passe incorrect." in reponse.content.decode()
        assert "_auth_user_id" not in client.session

    def test_compte_desactive(self, client, agent_55):
        agent_55.is_active = False
        agent_55.save()
        reponse = client.post("/comptes/connexion/", {"username": agent_55.email, "password": MOT_DE_PASSE})
        assert reponse.status_code == 200
        assert "_auth_user_id" not in client.session

    def test_deconnexion(self, client, agent_55):
        client.force_login(agent_55)
        reponse = client.post("/comptes/deconnexion/")
        assert reponse.status_code == 302
        assert reponse["Location"] == "/comptes/connexion/"
        assert client.get("/").status_code == 302


class TestVerrouillage:
    """5 failures on one e-mail address from one IP address lock the account for 30 minutes (django-axes)."""

    def echouer(self, client, email, fois):
        for _ in range(fois):
            client.post("/comptes/connexion/", {"username": email, "password": "mauvais-mot-de-passe"})

    def test_verrouille_apres_5_echecs(self, client, agent_55):
        self.echouer(client, agent_55.email, 4)
        cinquieme = client.post("/comptes/connexion/", {"username": agent_55.email, "password": "encore-faux"})
        assert cinquieme.status_code == 429
        assert "Trop de tentatives de connexion" in cinquieme.content.decode()
        # Even the right password is refused now.
        reponse = client.post("/comptes/connexion/", {"username": agent_55.email, "password": MOT_DE_PASSE})
        assert reponse.status_code == 429
        assert "_auth_user_id" not in client.session
        assert AccessAttempt.objects.get(username=agent_55.email).failures_since_start >= 5

    def test_4_echecs_puis_succes_remet_le_compteur_a_zero(self, client, agent_55):
        self.echouer(client, agent_55.email, 4)
        reponse = client.post("/comptes/connexion/", {"username": agent_55.email, "password": MOT_DE_PASSE})
        assert reponse.status_code == 302
        assert not AccessAttempt.objects.filter(username=agent_55.email).exists()
        client.post("/comptes/deconnexion/")
        self.echouer(client, agent_55.email, 4)
        reponse = client.post("/comptes/connexion/", {"username": agent_55.email, "password": MOT_DE_PASSE})
        assert reponse.status_code == 302

    def test_changer_la_casse_ne_contourne_pas_le_verrou(self, client, agent_55):
        email = agent_55.email
        for variante in (email, email.upper(), email.title(), email.capitalize(), f" {email.upper()} "):
            client.post("/comptes/connexion/", {"username": variante, "password": "mauvais-mot-de-passe"})
        reponse = client.post("/comptes/connexion/", {"username": email, "password": MOT_DE_PASSE})
        assert reponse.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_le_verrou_ne_touche_que_ce_compte(self, client, agent_55, agent_57):
        self.echouer(client, agent_55.email, 5)
        reponse = client.post("/comptes/connexion/", {"username": agent_57.email, "password": MOT_DE_PASSE})
        assert reponse.status_code == 302
        assert int(client.session["_auth_user_id"]) == agent_57.pk
