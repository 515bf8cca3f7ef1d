"""/api/v1/siae/: filters, search, ordering, pagination; the OpenAPI schema."""

import pytest

from tests.factories import ContactSiaeFactory, EnsemblierFactory, SiaeFactory

pytestmark = pytest.mark.django_db


def noms(reponse) -> list[str]:
    assert reponse.status_code == 200, reponse.content
    return [s["nom"] for s in reponse.json()["results"]]


@pytest.fixture
def client(client_de, agent_55):
    return client_de(agent_55)


@pytest.fixture
def registre(db):
    groupe = EnsemblierFactory(nom="Groupe du Barrois")
    jardins = SiaeFactory(nom="Jardins de Verdun", aci=True, commune="Verdun", ensemblier=groupe)
    ContactSiaeFactory(siae=jardins, nom="Directrice", fonction="Direction", email="d@jardins.test")
    return {
        "jardins": jardins,
        "recyclerie": SiaeFactory(nom="Recyclerie meusienne", aci=True, regie=True, commune="Bar-le-Duc"),
        "interim": SiaeFactory(nom="Intérim solidaire", etti=True, commune="Bar-le-Duc", ensemblier=groupe),
        "logistique": SiaeFactory(nom="Logistique verdunoise", ei=True, commune="Verdun"),
        "metz": SiaeFactory(nom="Jardins de Metz", aci=True, moselle=True),
    }


def test_representation(client, registre):
    jardins = registre["jardins"]
    reponse = client.get(f"/api/v1/siae/{jardins.pk}/")
    assert reponse.json() == {
        "id": jardins.pk,
        "siret": jardins.siret,
        "nom": "Jardins de Verdun",
        "type": "ACI",
        "departement": "55",
        "ensemblier": "Groupe du Barrois",
        "regie_de_quartier": False,
        "adresse": "",
        "code_postal": "55100",
        "commune": "Verdun",
        "email": "",
        "telephone": "",
        "contacts": [{"nom": "Directrice", "fonction": "Direction", "email": "d@jardins.test", "telephone": ""}],
    }


def test_liste_triee_par_nom(client, registre):
    reponse = client.get("/api/v1/siae/")
    assert reponse.json()["count"] == 4
    assert noms(reponse) == ["Intérim solidaire", "Jardins de Verdun", "Logistique verdunoise", "Recyclerie meusienne"]


@pytest.mark.parametrize(
    ("parametres", "attendus"),
    [
        ({"type": "ACI"}, ["Jardins de Verdun", "Recyclerie meusienne"]),
        ({"commune": "bar-le-duc"}, ["Intérim solidaire", "Recyclerie meusienne"]),
        ({"regie_de_quartier": "true"}, ["Recyclerie meusienne"]),
        ({"regie_de_quartier": "false", "type": "ACI"}, ["Jardins de Verdun"]),
        ({"q": "verdun"}, ["Jardins de Verdun", "Logistique verdunoise"]),
        ({"search": "recyclerie"}, ["Recyclerie meusienne"]),
        ({"departement": "57"}, []),  # outside the agent's scope: filtered, not shown
        (
            {"ordering": "-nom"},
            ["Recyclerie meusienne", "Logistique verdunoise", "Jardins de Verdun", "Intérim solidaire"],
        ),
        ({"ordering": "type,nom", "type": "ACI"}, ["Jardins de Verdun", "Recyclerie meusienne"]),
    ],
)
def test_filtres(client, registre, parametres, attendus):
    assert noms(client.get("/api/v1/siae/", parametres)) == attendus


def test_filtre_ensemblier(client, registre):
    groupe = registre["jardins"].ensemblier
    assert noms(client.get("/api/v1/siae/", {"ensemblier": groupe.pk})) == ["Intérim solidaire", "Jardins de Verdun"]


def test_filtre_par_siret(client, registre):
    assert noms(client.get("/api/v1/siae/", {"q": registre["logistique"].siret})) == ["Logistique verdunoise"]


def test_filtre_invalide(client, registre):
    reponse = client.get("/api/v1/siae/", {"type": "LICORNE"})
    assert reponse.status_code == 400
    assert "type" in reponse.json()


def test_administrateur_filtre_par_departement(client_de, admin, registre):
    assert noms(client_de(admin).get("/api/v1/siae/", {"departement": "57"})) == ["Jardins de Metz"]


def test_pagination(client):
    SiaeFactory.create_batch(55)
    premiere = client.get("/api/v1/siae/").json()
    assert premiere["count"] == 55
    assert len(premiere["results"]) == 50
    assert premiere["previous"] is None
    assert premiere["next"].endswith("/api/v1/siae/?page=2")
    seconde = client.get("/api/v1/siae/", {"page": 2}).json()
    assert len(seconde["results"]) == 5
    assert seconde["next"] is None
    ids = {s["id"] for s in premiere["results"]} | {s["id"] for s in seconde["results"]}
    assert len(ids) == 55
    assert client.get("/api/v1/siae/", {"page": 3}).status_code == 404


def test_pagination_garde_les_filtres(client):
    SiaeFactory.create_batch(52, type="AI")
    SiaeFactory.create_batch(3, type="EI")
    reponse = client.get("/api/v1/siae/", {"type": "AI"}).json()
    assert reponse["count"] == 52
    assert "type=AI" in reponse["next"]


def test_schema_openapi(client):
    reponse = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert reponse.status_code == 200
    schema = reponse.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "API Pilot'IAE"
    assert {"/api/v1/siae/", "/api/v1/siae/{id}/"} <= schema["paths"].keys()
    parametres = {p["name"] for p in schema["paths"]["/api/v1/siae/"]["get"]["parameters"]}
    assert {"type", "departement", "commune", "ensemblier", "regie_de_quartier", "q", "page"} <= parametres
    contacts = schema["components"]["schemas"]["Siae"]["properties"]["contacts"]
    assert contacts.get("nullable") is True or {"type": "null"} in contacts.get("oneOf", [])


def test_schema_yaml_par_defaut(client):
    reponse = client.get("/api/v1/schema/")
    assert reponse.status_code == 200
    assert reponse.content.startswith(b"openapi: 3.")


def test_documentation(client):
    reponse = client.get("/api/v1/docs/")
    assert reponse.status_code == 200
    assert b"swagger" in reponse.content.lower()
    # The start-up script comes from its own address (Content-Security-Policy: no inline script).
    assert b'src="/api/v1/docs/?script="' in reponse.content
    script = client.get("/api/v1/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript") and b"/api/v1/schema/" in script.content
