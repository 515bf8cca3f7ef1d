"""Who may see what (spec §10): every role × every page and endpoint.

SIAE A and SIAE B are both in département 55. A page or object outside the user's scope answers 404, as does a
page reserved to another role; an anonymous visitor is sent to the login page (the API answers 403 instead).
"""

from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile

from bilans.models import FicheDialogue, StatutBilan
from imports.models import Import
from siae.models import Siae
from tests.factories import (
    AnnexeFinanciereFactory,
    EnsemblierFactory,
    LigneDeclarationFactory,
    SiaeFactory,
    UtilisateurFactory,
    siret_valide,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonyme", "agent_55", "agent_57", "personnel_a", "personnel_b", "membre_cdiae_55", "admin")
CONNEXION = "connexion"  # 302 to the login page
ADMIN_CONNEXION = "admin"  # 302 to the admin's login page

# url → expected outcome for each role, in the order of ROLES.
MATRICE = {
    "/": (CONNEXION, 200, 200, 200, 200, 200, 200),
    "/siae/": (CONNEXION, 200, 200, 200, 200, 200, 200),
    "/siae/{a}/": (CONNEXION, 200, 404, 200, 404, 200, 200),
    "/siae/{b}/": (CONNEXION, 200, 404, 404, 200, 200, 200),
    "/siae/{a}/modifier/": (CONNEXION, 200, 404, 404, 404, 404, 200),
    "/siae/nouvelle/": (CONNEXION, 200, 200, 404, 404, 404, 200),
    # SIAE staff import their own parcours and declarations; CDIAE members import nothing.
    "/imports/": (CONNEXION, 200, 200, 200, 200, 404, 200),
    "/imports/nouveau/": (CONNEXION, 200, 200, 200, 200, 404, 200),
    "/imports/{import_55}/": (CONNEXION, 200, 404, 404, 404, 404, 200),
    # Annexes and consumption: the structures' scope, read-only for SIAE staff and CDIAE members.
    "/annexes/": (CONNEXION, 200, 200, 200, 200, 200, 200),
    "/annexes/nouvelle/": (CONNEXION, 200, 200, 404, 404, 404, 200),
    "/annexes/{annexe_a}/": (CONNEXION, 200, 404, 200, 404, 200, 200),
    "/annexes/{annexe_b}/": (CONNEXION, 200, 404, 404, 200, 200, 200),
    "/annexes/{annexe_a}/avenant/": (CONNEXION, 200, 404, 404, 404, 404, 200),
    "/consommation/?annee=2024": (CONNEXION, 200, 200, 200, 200, 200, 200),
    "/consommation/siae/{a}/?annee=2024": (CONNEXION, 200, 404, 200, 404, 200, 200),
    # Declarations and salariés: the nominative scope, never CDIAE members.
    "/declarations/": (CONNEXION, 200, 200, 200, 200, 404, 200),
    "/declarations/{declaration_a}/": (CONNEXION, 200, 404, 200, 404, 404, 200),
    "/declarations/saisie/{annexe_a}/2024/1/": (CONNEXION, 200, 404, 200, 404, 404, 200),
    "/salaries/": (CONNEXION, 200, 200, 200, 200, 404, 200),
    "/salaries/{salarie_a}/": (CONNEXION, 200, 404, 200, 404, 404, 200),
    # Aides au poste and co-financing: aggregated money, the structures' scope; simulations and the RSA table for
    # agents.
    "/aides-au-poste/?annee=2024": (CONNEXION, 200, 200, 200, 200, 200, 200),
    "/aides-au-poste/annexe/{annexe_a}/": (CONNEXION, 200, 404, 200, 404, 200, 200),
    "/aides-au-poste/revalorisation/": (CONNEXION, 200, 200, 404, 404, 404, 200),
    "/aides-au-poste/cofinancement/?annee=2024": (CONNEXION, 200, 200, 200, 200, 200, 200),
    "/aides-au-poste/cofinancement/{annexe_a}/": (CONNEXION, 200, 404, 200, 404, 200, 200),
    "/aides-au-poste/rsa/": (CONNEXION, 200, 200, 404, 404, 404, 200),
    # The modulation is deliberated between the DDETS and the structure: never the CDIAE.
    "/modulation/?annee=2024": (CONNEXION, 200, 200, 404, 404, 404, 200),
    "/modulation/annexe/{annexe_a}/": (CONNEXION, 200, 404, 200, 404, 404, 200),
    "/financements/?annee=2024": (CONNEXION, 200, 200, 200, 200, 200, 200),
    "/financements/projets/": (CONNEXION, 200, 200, 200, 200, 200, 200),
    "/financements/fdi/": (CONNEXION, 200, 200, 200, 200, 200, 200),
    # Dashboards and bilans: the département's agents and CDIAE; the simulator for agents only.
    "/pilotage/?annee=2024": (CONNEXION, 200, 200, 404, 404, 200, 200),
    "/pilotage/redeploiement/?annee=2024": (CONNEXION, 200, 200, 404, 404, 404, 200),
    # SIAE staff find there their own structure's dialogue de gestion sheet, no bilan.
    "/bilans/": (CONNEXION, 200, 200, 200, 200, 200, 200),
    "/bilans/dialogue/{a}/?annee=2024": (CONNEXION, 200, 404, 200, 404, 200, 200),
    "/bilans/dialogue/fiche/{fiche_a}/statut/": (CONNEXION, 200, 404, 200, 404, 200, 200),
    "/bilans/dialogue/fiche/{fiche_a}/telecharger/": (CONNEXION, 200, 404, 200, 404, 200, 200),
    "/api/v1/siae/": (403, 200, 200, 200, 200, 200, 200),
    "/api/v1/siae/{a}/": (403, 200, 404, 200, 404, 200, 200),
    "/api/v1/siae/{b}/": (403, 200, 404, 404, 200, 200, 200),
    "/api/v1/siae/{inexistante}/": (403, 404, 404, 404, 404, 404, 404),
    "/api/v1/annexes/": (403, 200, 200, 200, 200, 200, 200),
    "/api/v1/annexes/{annexe_a}/": (403, 200, 404, 200, 404, 200, 200),
    "/api/v1/annexes/{annexe_b}/": (403, 200, 404, 404, 200, 200, 200),
    "/api/v1/consommation/?annee=2024": (403, 200, 200, 200, 200, 200, 200),
    "/api/v1/consommation/?annee=2024&departement=55": (403, 200, 404, 200, 200, 200, 200),
    "/api/v1/consommation/?annee=2024&departement=57": (403, 404, 200, 404, 404, 404, 200),
    # Nominative: CDIAE members get empty lists and 404 on objects.
    "/api/v1/salaries/": (403, 200, 200, 200, 200, 200, 200),
    "/api/v1/salaries/{salarie_a}/": (403, 200, 404, 200, 404, 404, 200),
    "/api/v1/parcours/": (403, 200, 200, 200, 200, 200, 200),
    "/api/v1/parcours/{parcours_a}/": (403, 200, 404, 200, 404, 404, 200),
    # The list of declarations has no nominative field; the detail has the lines.
    "/api/v1/declarations/": (403, 200, 200, 200, 200, 200, 200),
    "/api/v1/declarations/{declaration_a}/": (403, 200, 404, 200, 404, 404, 200),
    "/api/v1/bareme/": (403, 200, 200, 200, 200, 200, 200),
    "/api/v1/aides-au-poste/?annee=2024": (403, 200, 200, 200, 200, 200, 200),
    "/api/v1/versements/": (403, 200, 200, 200, 200, 200, 200),
    "/api/v1/financements/": (403, 200, 200, 200, 200, 200, 200),
    "/api/v1/projets/": (403, 200, 200, 200, 200, 200, 200),
    "/api/v1/modulation/?annee=2024": (403, 200, 200, 200, 200, 200, 200),
    "/api/v1/modulation/{annexe_a}/": (403, 200, 404, 200, 404, 404, 200),
    # The API's description too is for signed-in users only.
    "/api/v1/schema/": (403, 200, 200, 200, 200, 200, 200),
    "/api/v1/docs/": (403, 200, 200, 200, 200, 200, 200),
    "/admin/": (ADMIN_CONNEXION,) * 6 + (200,),  # only staff get into the admin site
    "/sante/": (200, 200, 200, 200, 200, 200, 200),
    "/donnees-personnelles/": (200, 200, 200, 200, 200, 200, 200),
}


@pytest.fixture
def monde(siae_a, siae_b, siae_57, agent_55):
    journal = Import.objects.create(type="siae", nom_fichier="structures.csv", auteur=agent_55, departement="55")
    fiche = FicheDialogue(siae=siae_a, annee=2024, statut=StatutBilan.PRET, progression=100)
    fiche.fichier.save("fiche.pdf", ContentFile(b"%PDF-1.7"), save=False)
    fiche.save()
    ligne = LigneDeclarationFactory(declaration__annexe__siae=siae_a)
    return {
        "a": siae_a.pk,
        "b": siae_b.pk,
        "import_55": journal.pk,
        "fiche_a": fiche.pk,
        "annexe_a": ligne.declaration.annexe.pk,
        "annexe_b": AnnexeFinanciereFactory(siae=siae_b).pk,
        "salarie_a": ligne.parcours.salarie.pk,
        "parcours_a": ligne.parcours.pk,
        "declaration_a": ligne.declaration.pk,
        "inexistante": Siae.objects.order_by("pk").last().pk + 100,
    }


@pytest.fixture
def utilisateur(request):
    """The user of a role name (parametrized indirectly), None for the anonymous visitor."""
    return None if request.param == "anonyme" else request.getfixturevalue(request.param)


@pytest.mark.parametrize(
    ("url", "utilisateur", "attendu"),
    [
        pytest.param(url, role, attendu, id=f"{role}-{url}")
        for url, attendus in MATRICE.items()
        for role, attendu in zip(ROLES, attendus, strict=True)
    ],
    indirect=["utilisateur"],
)
def test_matrice(client_de, monde, url, utilisateur, attendu):
    adresse = url.format(**monde)
    reponse = client_de(utilisateur).get(adresse)
    if attendu == CONNEXION:
        assert reponse.status_code == 302
        assert reponse["Location"] == f"/comptes/connexion/?next={quote(adresse)}"
    elif attendu == ADMIN_CONNEXION:
        assert reponse.status_code == 302
        assert reponse["Location"].startswith("/admin/login/")
    else:
        assert reponse.status_code == attendu


def test_la_matrice_couvre_tous_les_roles():
    assert all(len(attendus) == len(ROLES) for attendus in MATRICE.values())


@pytest.mark.parametrize("role", ROLES[1:])
def test_page_de_connexion_renvoie_les_connectes_a_l_accueil(client_de, role, request):
    reponse = client_de(request.getfixturevalue(role)).get("/comptes/connexion/")
    assert reponse.status_code == 302
    assert reponse["Location"] == "/"


class TestPersonnelSiae:
    def test_ne_voit_pas_la_page_ni_l_objet_api_d_une_autre_siae(self, client_de, personnel_a, siae_b):
        client = client_de(personnel_a)
        assert client.get(f"/siae/{siae_b.pk}/").status_code == 404
        assert client.get(f"/siae/{siae_b.pk}/modifier/").status_code == 404
        assert client.get(f"/api/v1/siae/{siae_b.pk}/").status_code == 404
        assert (
            client.patch(f"/api/v1/siae/{siae_b.pk}/", {"nom": "x"}, content_type="application/json").status_code
            == 404
        )
        # Structures are never deleted through the API: their history hangs from them.
        assert client.delete(f"/api/v1/siae/{siae_b.pk}/").status_code == 405
        siae_b.refresh_from_db()
        assert siae_b.nom == "Intérim du Barrois"

    def test_ne_liste_que_sa_structure(self, client_de, personnel_a, siae_b, siae_57):
        client = client_de(personnel_a)
        page = client.get("/siae/").content.decode()
        assert "Jardins de Verdun" in page
        assert "Intérim du Barrois" not in page
        assert "Recyclerie de Metz" not in page
        api = client.get("/api/v1/siae/").json()
        assert [s["nom"] for s in api["results"]] == ["Jardins de Verdun"]
        # Searching by another structure's SIRET finds nothing either.
        assert client.get("/api/v1/siae/", {"q": siae_b.siret}).json()["count"] == 0

    def test_voit_les_contacts_de_sa_structure(self, client_de, personnel_a, siae_a):
        client = client_de(personnel_a)
        assert "Directrice Alpha" in client.get(f"/siae/{siae_a.pk}/").content.decode()
        assert client.get(f"/api/v1/siae/{siae_a.pk}/").json()["contacts"][0]["nom"] == "Directrice Alpha"

    def test_ne_modifie_pas_sa_propre_structure(self, client_de, personnel_a, siae_a):
        client = client_de(personnel_a)
        patch = client.patch(f"/api/v1/siae/{siae_a.pk}/", {"nom": "Piratée"}, content_type="application/json")
        assert patch.status_code == 404  # the write queryset holds only the structures the user manages
        assert client.post(f"/siae/{siae_a.pk}/modifier/", {"nom": "Piratée"}).status_code == 404
        assert "Modifier" not in client.get(f"/siae/{siae_a.pk}/").content.decode()
        siae_a.refresh_from_db()
        assert siae_a.nom == "Jardins de Verdun"

    def test_adhesion_inactive_ne_donne_rien(self, client_de, personnel_a, siae_a):
        personnel_a.adhesions.update(actif=False)
        client = client_de(personnel_a)
        assert client.get(f"/siae/{siae_a.pk}/").status_code == 404
        assert client.get("/api/v1/siae/").json()["count"] == 0


class TestMembreCdiae:
    def test_voit_les_structures_du_departement_sans_contacts(
        self, client_de, membre_cdiae_55, siae_a, siae_b, siae_57
    ):
        client = client_de(membre_cdiae_55)
        page = client.get("/siae/").content.decode()
        assert "Jardins de Verdun" in page
        assert "Intérim du Barrois" in page
        assert "Recyclerie de Metz" not in page
        detail = client.get(f"/siae/{siae_a.pk}/").content.decode()
        assert siae_a.siret in detail
        assert "Directrice Alpha" not in detail
        assert "Contacts" not in detail
        assert "Modifier" not in detail
        assert client.get(f"/siae/{siae_57.pk}/").status_code == 404

    def test_api_sans_contacts(self, client_de, membre_cdiae_55, siae_a, siae_b):
        client = client_de(membre_cdiae_55)
        liste = client.get("/api/v1/siae/").json()
        assert liste["count"] == 2
        assert all(s["contacts"] is None for s in liste["results"])
        objet = client.get(f"/api/v1/siae/{siae_a.pk}/").json()
        assert objet["contacts"] is None
        assert objet["siret"] == siae_a.siret

    def test_lecture_seule(self, client_de, membre_cdiae_55, siae_a):
        client = client_de(membre_cdiae_55)
        assert (
            client.patch(f"/api/v1/siae/{siae_a.pk}/", {"nom": "x"}, content_type="application/json").status_code
            == 404
        )
        creation = {"siret": siret_valide(7), "nom": "Nouvelle", "type": "ACI", "departement": "55"}
        assert client.post("/api/v1/siae/", creation, content_type="application/json").status_code == 403
        assert client.post("/siae/nouvelle/", creation).status_code == 404
        assert not Siae.objects.filter(nom="Nouvelle").exists()


class TestAgentDdets:
    def test_voit_son_departement_seulement(self, client_de, agent_55, agent_57, siae_a, siae_57):
        assert client_de(agent_55).get("/api/v1/siae/").json()["count"] == 1
        assert client_de(agent_55).get(f"/api/v1/siae/{siae_57.pk}/").status_code == 404
        assert [s["nom"] for s in client_de(agent_57).get("/api/v1/siae/").json()["results"]] == ["Recyclerie de Metz"]
        assert "Directrice Alpha" in client_de(agent_55).get(f"/siae/{siae_a.pk}/").content.decode()

    def test_cree_une_siae_de_son_departement(self, client_de, agent_55):
        donnees = {
            "siret": siret_valide(7),
            "nom": "Nouvelle",
            "type": "EI",
            "departement": "55",
            "ensemblier": "Groupe",
        }
        reponse = client_de(agent_55).post("/api/v1/siae/", donnees, content_type="application/json")
        assert reponse.status_code == 201, reponse.content
        siae = Siae.objects.get(siret=donnees["siret"])
        assert (siae.nom, siae.type, siae.departement, siae.ensemblier.nom) == ("Nouvelle", "EI", "55", "Groupe")
        assert reponse.json()["contacts"] == []

    def test_ne_cree_pas_dans_un_autre_departement(self, client_de, agent_55):
        donnees = {"siret": siret_valide(7), "nom": "Ailleurs", "type": "EI", "departement": "57"}
        reponse = client_de(agent_55).post("/api/v1/siae/", donnees, content_type="application/json")
        assert reponse.status_code == 400
        assert reponse.json() == {"departement": ["Vous ne gérez pas ce département."]}
        assert not Siae.objects.filter(nom="Ailleurs").exists()

    def test_modifie_une_siae_de_son_departement(self, client_de, agent_55, siae_a):
        reponse = client_de(agent_55).patch(
            f"/api/v1/siae/{siae_a.pk}/", {"nom": "Jardins renommés"}, content_type="application/json"
        )
        assert reponse.status_code == 200
        siae_a.refresh_from_db()
        assert siae_a.nom == "Jardins renommés"

    def test_ne_deplace_pas_une_siae_hors_de_son_departement(self, client_de, agent_55, siae_a):
        reponse = client_de(agent_55).patch(
            f"/api/v1/siae/{siae_a.pk}/", {"departement": "57"}, content_type="application/json"
        )
        assert reponse.status_code == 400
        siae_a.refresh_from_db()
        assert siae_a.departement == "55"

    def test_agent_d_un_autre_departement(self, client_de, agent_57, siae_a):
        client = client_de(agent_57)
        assert (
            client.patch(f"/api/v1/siae/{siae_a.pk}/", {"nom": "x"}, content_type="application/json").status_code
            == 404
        )
        assert (
            client.put(f"/api/v1/siae/{siae_a.pk}/", {"nom": "x"}, content_type="application/json").status_code == 404
        )
        assert client.delete(f"/api/v1/siae/{siae_a.pk}/").status_code == 405
        assert client.post(f"/siae/{siae_a.pk}/modifier/", {"nom": "x"}).status_code == 404
        siae_a.refresh_from_db()
        assert siae_a.nom == "Jardins de Verdun"

    def test_regie_de_quartier_seulement_ei_ou_aci(self, client_de, agent_55):
        donnees = {
            "siret": siret_valide(7),
            "nom": "Régie",
            "type": "AI",
            "departement": "55",
            "regie_de_quartier": True,
        }
        reponse = client_de(agent_55).post("/api/v1/siae/", donnees, content_type="application/json")
        assert reponse.status_code == 400
        assert reponse.json() == {"regie_de_quartier": ["Une régie de quartier est conventionnée comme EI ou ACI."]}

    def test_siret_invalide_refuse(self, client_de, agent_55):
        siret = siret_valide(7)
        faux = siret[:13] + str((int(siret[13]) + 1) % 10)
        donnees = {"siret": faux, "nom": "Fausse", "type": "EI", "departement": "55"}
        reponse = client_de(agent_55).post("/api/v1/siae/", donnees, content_type="application/json")
        assert reponse.status_code == 400
        assert reponse.json() == {"siret": ["SIRET invalide (clé de contrôle incorrecte)."]}


def test_ecritures_api_refusees_aux_non_agents(client_de, personnel_a, membre_cdiae_55):
    creation = {"siret": siret_valide(7), "nom": "Nouvelle", "type": "ACI", "departement": "55"}
    for utilisateur in (None, personnel_a, membre_cdiae_55):
        assert (
            client_de(utilisateur).post("/api/v1/siae/", creation, content_type="application/json").status_code == 403
        )
    assert not Siae.objects.filter(nom="Nouvelle").exists()


def test_administrateur_voit_et_modifie_tout(client_de, admin, siae_a, siae_57):
    client = client_de(admin)
    assert client.get("/api/v1/siae/").json()["count"] == 2
    reponse = client.patch(f"/api/v1/siae/{siae_57.pk}/", {"nom": "Metz"}, content_type="application/json")
    assert reponse.status_code == 200
    assert client.get(f"/siae/{siae_57.pk}/modifier/").status_code == 200


def test_utilisateur_sans_organisation_ne_voit_rien(client_de, siae_a):
    client = client_de(UtilisateurFactory())
    assert client.get(f"/siae/{siae_a.pk}/").status_code == 404
    assert client.get("/api/v1/siae/").json()["count"] == 0
    assert "Aucune structure" in client.get("/siae/").content.decode()


def test_une_autre_siae_du_meme_ensemblier_reste_invisible(client_de, personnel_a, siae_a):
    """Belonging to the same ensemblier does not widen the scope."""
    siae_a.ensemblier = EnsemblierFactory(nom="Groupe commun")
    siae_a.save()
    soeur = SiaeFactory(ensemblier=siae_a.ensemblier, nom="Soeur")
    assert client_de(personnel_a).get("/api/v1/siae/", {"ensemblier": siae_a.ensemblier.pk}).json()["count"] == 1
    assert client_de(personnel_a).get(f"/siae/{soeur.pk}/").status_code == 404
