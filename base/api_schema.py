"""The OpenAPI schema of /api/v1/ (drf-spectacular), with the error answers every operation documents.

A module of its own: drf-spectacular's schema class imports DRF's generic views, which load the filter backends the
settings name (`base.api_recherche`); a module both imported and imported by them would be a cycle."""

from drf_spectacular.openapi import AutoSchema


def _erreur(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
ERREURS_DOCUMENTEES = {
    "400": _erreur(
        "Paramètres ou données invalides : pour chaque champ en cause (ou `non_field_errors`), ses messages.",
        {"type": "object", "additionalProperties": {}},
    ),
    "403": _erreur("Non connecté, rôle qui ne permet pas cette action, ou jeton CSRF absent d'une écriture.", _DETAIL),
    "404": _erreur(
        "Introuvable : hors de votre périmètre, inexistant, ou page de résultats au-delà de la dernière.", _DETAIL
    ),
}


class SchemaPilotIae(AutoSchema):
    """drf-spectacular's schema, with the errors each operation may answer: 403 and 404 for all (the scope answers
    404 for what it hides; a page of results past the last one too), 400 for those that read query parameters or a
    body. What is written there is what a client must expect, and what the API test suite holds the API to."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        reponses = operation["responses"]
        lit_des_donnees = "requestBody" in operation or any(
            parametre.get("in") == "query" for parametre in operation.get("parameters", [])
        )
        for code, reponse in ERREURS_DOCUMENTEES.items():
            if code != "400" or lit_des_donnees:
                reponses.setdefault(code, reponse)
        return operation
