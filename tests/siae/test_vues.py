"""The structures' pages: list with filters and pagination, detail, creation and edition with contacts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from siae.models import ContactSiae, Ensemblier, Siae
from tests.factories import ContactSiaeFactory, EnsemblierFactory, SiaeFactory, siret_valide

pytestmark = pytest.mark.django_db


def noms(reponse) -> list[str]:
    return [siae.nom for siae in reponse.context["object_list"]]


@pytest.fixture
def registre(db):
    """Six structures of 55 and one of 57."""
    groupe = EnsemblierFactory(nom="Groupe du Barrois")
    return {
        "jardins": SiaeFactory(nom="Jardins de Verdun", aci=True, commune="Verdun", ensemblier=groupe),
        "recyclerie": SiaeFactory(nom="Recyclerie meusienne", aci=True, regie=True, commune="Bar-le-Duc"),
        "interim": SiaeFactory(nom="Intérim solidaire", etti=True, commune="Bar-le-Duc", ensemblier=groupe),
        "services": SiaeFactory(nom="Services à domicile", ai=True, commune="Commercy"),
        "logistique": SiaeFactory(nom="Logistique verdunoise", ei=True, commune="Verdun"),
        "artisans": SiaeFactory(nom="Artisans indépendants", eiti=True, commune="Stenay"),
        "metz": SiaeFactory(nom="Jardins de Metz", aci=True, moselle=True),
    }


class TestListe:
    def test_toutes_les_structures_du_departement_triees(self, client_de, agent_55, registre):
        reponse = client_de(agent_55).get("/siae/")
        assert noms(reponse) == sorted(noms(reponse))
        assert len(noms(reponse)) == 6
        assert "Jardins de Metz" not in noms(reponse)
        assert "6 structures" in reponse.content.decode()

    @pytest.mark.parametrize(
        ("parametres", "attendus"),
        [
            ({"type": "ACI"}, ["Jardins de Verdun", "Recyclerie meusienne"]),
            ({"type": "EITI"}, ["Artisans indépendants"]),
            ({"commune": "bar-le-duc"}, ["Intérim solidaire", "Recyclerie meusienne"]),
            ({"commune": "Bar"}, []),  # the commune is matched whole
            ({"regie_de_quartier": "true"}, ["Recyclerie meusienne"]),
            ({"q": "verdun"}, ["Jardins de Verdun", "Logistique verdunoise"]),
            ({"q": "stenay"}, ["Artisans indépendants"]),  # by commune
            ({"q": "  jardins "}, ["Jardins de Verdun"]),
            ({"q": "verdun", "type": "EI"}, ["Logistique verdunoise"]),
            ({"q": "introuvable"}, []),
        ],
    )
    def test_filtres(self, client_de, agent_55, registre, parametres, attendus):
        reponse = client_de(agent_55).get("/siae/", parametres)
        assert reponse.status_code == 200
        assert noms(reponse) == sorted(attendus)

    def test_filtre_ensemblier(self, client_de, agent_55, registre):
        groupe = Ensemblier.objects.get(nom="Groupe du Barrois")
        reponse = client_de(agent_55).get("/siae/", {"ensemblier": groupe.pk})
        assert noms(reponse) == ["Intérim solidaire", "Jardins de Verdun"]

    def test_le_choix_d_ensembliers_suit_le_perimetre(self, client_de, agent_57, registre):
        EnsemblierFactory(nom="Groupe mosellan")
        registre["metz"].ensemblier = Ensemblier.objects.get(nom="Groupe mosellan")
        registre["metz"].save()
        page = client_de(agent_57).get("/siae/").content.decode()
        assert "Groupe mosellan" in page
        assert "Groupe du Barrois" not in page

    def test_recherche_par_siret(self, client_de, agent_55, registre):
        siret = registre["services"].siret
        client = client_de(agent_55)
        assert noms(client.get("/siae/", {"q": siret})) == ["Services à domicile"]
        espace = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
        assert noms(client.get("/siae/", {"q": espace})) == ["Services à domicile"]
        # A SIRET prefix (the SIREN) finds every establishment starting with it.
        assert "Services à domicile" in noms(client.get("/siae/", {"q": siret[:9]}))
        # A SIRET of 57 is not found by an agent of 55.
        assert noms(client.get("/siae/", {"q": registre["metz"].siret})) == []

    def test_filtre_departement_ignore_hors_perimetre(self, client_de, agent_55, registre):
        reponse = client_de(agent_55).get("/siae/", {"departement": "57"})
        assert noms(reponse) == []

    def test_filtre_departement_pour_l_administrateur(self, client_de, admin, registre):
        client = client_de(admin)
        assert noms(client.get("/siae/", {"departement": "57"})) == ["Jardins de Metz"]
        assert len(noms(client.get("/siae/"))) == 7
        assert 'name="departement"' in client.get("/siae/").content.decode()

    def test_valeur_de_filtre_invalide(self, client_de, agent_55, registre):
        reponse = client_de(agent_55).get("/siae/", {"type": "LICORNE"})
        assert reponse.status_code == 200
        assert "Sélectionnez un choix valide" in reponse.content.decode()

    def test_pagination(self, client_de, agent_55):
        SiaeFactory.create_batch(30, type="AI")
        SiaeFactory.create_batch(3, type="EI")
        client = client_de(agent_55)
        page1 = client.get("/siae/")
        assert len(page1.context["object_list"]) == 25
        assert page1.context["paginator"].count == 33
        assert "33 structures" in page1.content.decode()
        page2 = client.get("/siae/", {"page": 2})
        assert len(page2.context["object_list"]) == 8
        assert not set(noms(page1)) & set(noms(page2))
        assert client.get("/siae/", {"page": 3}).status_code == 404

    def test_pagination_garde_les_filtres(self, client_de, agent_55):
        SiaeFactory.create_batch(27, type="AI")
        SiaeFactory.create_batch(2, type="EI")
        reponse = client_de(agent_55).get("/siae/", {"type": "AI"})
        assert reponse.context["paginator"].count == 27
        assert "type=AI&amp;page=2" in reponse.content.decode()
        assert len(client_de(agent_55).get("/siae/", {"type": "AI", "page": 2}).context["object_list"]) == 2

    def test_boutons_reserves_aux_agents(self, client_de, agent_55, membre_cdiae_55, registre):
        assert "Ajouter une structure" in client_de(agent_55).get("/siae/").content.decode()
        assert "Ajouter une structure" not in client_de(membre_cdiae_55).get("/siae/").content.decode()


class TestNombreDeRequetes:
    """The number of queries does not depend on the number of structures."""

    @staticmethod
    def peupler(nombre):
        for _ in range(nombre):
            siae = SiaeFactory(ensemblier=EnsemblierFactory())
            ContactSiaeFactory(siae=siae)

    @staticmethod
    def compter(client, url):
        with CaptureQueriesContext(connection) as requetes:
            assert client.get(url).status_code == 200
        return len(requetes)

    @pytest.mark.parametrize("url", ["/siae/", "/", "/api/v1/siae/", "/siae/?q=structure&type=ACI"])
    @pytest.mark.parametrize("role", ["agent_55", "membre_cdiae_55", "admin"])
    def test_constant(self, client_de, django_assert_max_num_queries, request, url, role):
        client = client_de(request.getfixturevalue(role))
        self.peupler(5)
        avec_5 = self.compter(client, url)
        # The homes aggregate the département's figures (consumption, exits, publics, aides): a few more queries.
        assert avec_5 <= (20 if url == "/" else 12)
        self.peupler(45)
        with django_assert_max_num_queries(avec_5):
            reponse = client.get(url)
        assert reponse.status_code == 200
        assert Siae.objects.count() == 50

    def test_page_de_detail(self, client_de, django_assert_max_num_queries, agent_55):
        siae = SiaeFactory(ensemblier=EnsemblierFactory())
        ContactSiaeFactory.create_batch(20, siae=siae)
        client = client_de(agent_55)
        with django_assert_max_num_queries(8):
            reponse = client.get(f"/siae/{siae.pk}/")
        assert reponse.status_code == 200
        assert len(reponse.context["contacts"]) == 20


class TestDetail:
    def test_fiche(self, client_de, agent_55, registre):
        siae = registre["recyclerie"]
        ContactSiaeFactory(siae=siae, nom="Jeanne Martin", fonction="Directrice", email="jeanne@recyclerie.test")
        page = client_de(agent_55).get(f"/siae/{siae.pk}/").content.decode()
        assert siae.siret in page
        assert "Atelier et chantier d&#x27;insertion" in page
        assert "Régie de quartier" in page
        assert "55 – Meuse" in page
        assert "Jeanne Martin" in page
        assert "jeanne@recyclerie.test" in page
        assert f'href="/siae/{siae.pk}/modifier/"' in page

    def test_sans_contact(self, client_de, agent_55, registre):
        page = client_de(agent_55).get(f"/siae/{registre['services'].pk}/").content.decode()
        assert "Aucun contact enregistré." in page


def formulaire(**valeurs):
    donnees = {
        "siret": siret_valide(500),
        "nom": "Ressourcerie de Stenay",
        "type": "ACI",
        "departement": "55",
        "ensemblier": "",
        "nouvel_ensemblier": "",
        "adresse": "1 rue du Port",
        "code_postal": "55700",
        "commune": "Stenay",
        "email": "contact@ressourcerie.test",
        "telephone": "03 29 00 00 00",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-nom": "Paul Durand",
        "contacts-0-fonction": "Directeur",
        "contacts-0-email": "paul@ressourcerie.test",
        "contacts-0-telephone": "",
    }
    donnees.update(valeurs)
    return donnees


class TestCreation:
    def test_creer_avec_un_contact(self, client_de, agent_55):
        client = client_de(agent_55)
        assert client.get("/siae/nouvelle/").status_code == 200
        reponse = client.post("/siae/nouvelle/", formulaire(nouvel_ensemblier="Groupe de Stenay"))
        siae = Siae.objects.get()
        assert reponse.status_code == 302
        assert reponse["Location"] == f"/siae/{siae.pk}/"
        assert (siae.nom, siae.type, siae.departement, siae.commune) == (
            "Ressourcerie de Stenay",
            "ACI",
            "55",
            "Stenay",
        )
        assert siae.ensemblier.nom == "Groupe de Stenay"
        contact = siae.contacts.get()
        assert (contact.nom, contact.fonction, contact.email) == ("Paul Durand", "Directeur", "paul@ressourcerie.test")
        page = client.get(reponse["Location"]).content.decode()
        assert "La structure « Ressourcerie de Stenay » a été enregistrée." in page
        assert "Paul Durand" in page

    def test_contact_facultatif(self, client_de, agent_55):
        reponse = client_de(agent_55).post(
            "/siae/nouvelle/", formulaire(**{"contacts-0-nom": "", "contacts-0-fonction": "", "contacts-0-email": ""})
        )
        assert reponse.status_code == 302
        assert not ContactSiae.objects.exists()

    def test_siret_saisi_avec_des_espaces(self, client_de, agent_55):
        siret = siret_valide(500)
        espace = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
        reponse = client_de(agent_55).post("/siae/nouvelle/", formulaire(siret=espace))
        assert reponse.status_code == 302
        assert Siae.objects.get().siret == siret

    def test_ensemblier_existant(self, client_de, agent_55):
        # A group is offered once one of its structures is in the agent's département.
        groupe = EnsemblierFactory(nom="Groupe existant")
        membre = SiaeFactory(departement="55", ensemblier=groupe)
        client_de(agent_55).post("/siae/nouvelle/", formulaire(ensemblier=groupe.pk))
        assert Siae.objects.exclude(pk=membre.pk).get().ensemblier == groupe
        client_de(agent_55).post(
            "/siae/nouvelle/", formulaire(siret=siret_valide(501), nouvel_ensemblier="Groupe existant")
        )
        assert Ensemblier.objects.count() == 1

    @pytest.mark.parametrize(
        ("valeurs", "message"),
        [
            ({"siret": "siret_faux"}, "SIRET invalide (clé de contrôle incorrecte)."),
            ({"siret": "1234567890123"}, "Le SIRET doit compter exactement 14 chiffres."),
            ({"nom": ""}, "Ce champ est obligatoire."),
            ({"type": "SCOP"}, "Sélectionnez un choix valide. SCOP n’en fait pas partie."),
            ({"departement": "57"}, "Sélectionnez un choix valide. 57 n’en fait pas partie."),
            ({"type": "AI", "regie_de_quartier": "on"}, "Une régie de quartier est conventionnée comme EI ou ACI."),
            ({"email": "pas-un-email"}, "Saisissez une adresse e-mail valide."),
            ({"contacts-0-email": "pas-un-email"}, "Saisissez une adresse e-mail valide."),
        ],
    )
    def test_erreurs_en_francais(self, client_de, agent_55, valeurs, message):
        if valeurs.get("siret") == "siret_faux":
            siret = siret_valide(500)
            valeurs = {"siret": siret[:13] + str((int(siret[13]) + 1) % 10)}
        reponse = client_de(agent_55).post("/siae/nouvelle/", formulaire(**valeurs))
        assert reponse.status_code == 200
        assert message in reponse.content.decode()
        assert not Siae.objects.exists()
        assert not ContactSiae.objects.exists()

    def test_siret_deja_enregistre(self, client_de, agent_55):
        existante = SiaeFactory(moselle=True)
        reponse = client_de(agent_55).post("/siae/nouvelle/", formulaire(siret=existante.siret))
        assert reponse.status_code == 200
        assert "Une SIAE de ce type a déjà ce SIRET." in reponse.content.decode()
        assert Siae.objects.count() == 1

    def test_meme_siret_autre_type(self, client_de, agent_55):
        """An employer running an AI and an EI under one SIRET: the second kind is recorded beside the first."""
        existante = SiaeFactory(ai=True)
        reponse = client_de(agent_55).post("/siae/nouvelle/", formulaire(siret=existante.siret, type="EI"))
        assert reponse.status_code == 302
        assert sorted(Siae.objects.filter(siret=existante.siret).values_list("type", flat=True)) == ["AI", "EI"]

    def test_choix_des_departements_de_l_agent(self, client_de, agent_55):
        champ = client_de(agent_55).get("/siae/nouvelle/").context["form"].fields["departement"]
        assert [code for code, _ in champ.choices] == ["55"]


class TestEdition:
    def test_modifier_et_ajouter_un_contact(self, client_de, agent_55, siae_a):
        ancien = siae_a.contacts.get()
        donnees = formulaire(
            siret=siae_a.siret,
            nom="Jardins de Verdun et de Meuse",
            **{
                "contacts-TOTAL_FORMS": "2",
                "contacts-INITIAL_FORMS": "1",
                "contacts-0-id": ancien.pk,
                "contacts-0-nom": "Directrice Alpha",
                "contacts-0-fonction": "Présidente",
                "contacts-0-email": "alpha@jardins.test",
                "contacts-1-nom": "Nouveau Contact",
                "contacts-1-fonction": "CIP",
            },
        )
        client = client_de(agent_55)
        assert client.get(f"/siae/{siae_a.pk}/modifier/").status_code == 200
        reponse = client.post(f"/siae/{siae_a.pk}/modifier/", donnees)
        assert reponse.status_code == 302
        assert reponse["Location"] == f"/siae/{siae_a.pk}/"
        siae_a.refresh_from_db()
        assert siae_a.nom == "Jardins de Verdun et de Meuse"
        assert Siae.objects.count() == 1
        assert sorted(siae_a.contacts.values_list("nom", "fonction")) == [
            ("Directrice Alpha", "Présidente"), ("Nouveau Contact", "CIP"),
        ]  # fmt: skip

    def test_supprimer_un_contact(self, client_de, agent_55, siae_a):
        ancien = siae_a.contacts.get()
        donnees = formulaire(
            siret=siae_a.siret,
            nom=siae_a.nom,
            **{
                "contacts-INITIAL_FORMS": "1",
                "contacts-0-id": ancien.pk,
                "contacts-0-nom": ancien.nom,
                "contacts-0-DELETE": "on",
            },
        )
        assert client_de(agent_55).post(f"/siae/{siae_a.pk}/modifier/", donnees).status_code == 302
        assert not siae_a.contacts.exists()

    def test_erreur_ne_modifie_rien(self, client_de, agent_55, siae_a):
        reponse = client_de(agent_55).post(
            f"/siae/{siae_a.pk}/modifier/", formulaire(siret=siae_a.siret, nom="Autre nom", email="faux")
        )
        assert reponse.status_code == 200
        assert "Saisissez une adresse e-mail valide." in reponse.content.decode()
        siae_a.refresh_from_db()
        assert siae_a.nom == "Jardins de Verdun"
        assert not ContactSiae.objects.filter(nom="Paul Durand").exists()

    def test_le_contact_d_une_autre_siae_ne_peut_etre_detourne(self, client_de, agent_55, siae_a, siae_57):
        """A contact id of another structure in the formset is rejected, not moved."""
        autre = ContactSiaeFactory(siae=siae_57, nom="Contact de Metz")
        donnees = formulaire(
            siret=siae_a.siret,
            nom=siae_a.nom,
            **{"contacts-INITIAL_FORMS": "1", "contacts-0-id": autre.pk, "contacts-0-nom": "Détourné"},
        )
        client_de(agent_55).post(f"/siae/{siae_a.pk}/modifier/", donnees)
        autre.refresh_from_db()
        assert (autre.siae, autre.nom) == (siae_57, "Contact de Metz")
