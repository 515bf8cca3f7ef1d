"""The OpenAPI schema says what the API answers: nullable fields, the object of /modulation/, the errors of each
operation; and what it does not describe answers as documented (400 or 404 in JSON, never a 500)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

OPERATIONS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_candidature_fdi_peut_etre_nulle(schema):
    champ = schema["components"]["schemas"]["LigneFinancement"]["properties"]["candidature_fdi"]
    assert champ["type"] == "integer" and champ["nullable"] is True


def test_la_modulation_est_un_objet(schema):
    reponse = schema["paths"]["/api/v1/modulation/"]["get"]["responses"]["200"]
    assert reponse["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Modulation"}


def test_chaque_operation_documente_ses_erreurs(schema):
    for chemin, operations in schema["paths"].items():
        for methode, operation in operations.items():
            if methode not in OPERATIONS:
                continue
            codes = set(operation["responses"])
            assert {"403", "404"} <= codes, (methode, chemin)
            lit = "requestBody" in operation or any(p["in"] == "query" for p in operation.get("parameters", []))
            assert ("400" in codes) == lit, (methode, chemin)


def test_un_identifiant_trop_grand_est_refuse_en_400(client_de, agent_55):
    reponse = client_de(agent_55).get("/api/v1/parcours/", {"siae": "99999999999999999999"})
    assert reponse.status_code == 400 and "siae" in reponse.json()


def test_une_recherche_avec_un_caractere_nul_est_refusee_en_400(client_de, agent_55):
    reponse = client_de(agent_55).get("/api/v1/salaries/", {"search": "Fictif\x00"})
    assert reponse.status_code == 400
    assert reponse.json() == {"search": ["La recherche contient un caractère nul."]}


@pytest.mark.parametrize("chemin", ["/api/v1/bareme/1.5/", "/api/v1/inconnu/", "/api/v1/siae/abc/def/"])
def test_une_adresse_inconnue_de_l_api_repond_404_en_json(client_de, agent_55, chemin):
    reponse = client_de(agent_55).get(chemin)
    assert reponse.status_code == 404 and reponse["Content-Type"] == "application/json"
    assert reponse.json() == {"detail": "Introuvable."}
