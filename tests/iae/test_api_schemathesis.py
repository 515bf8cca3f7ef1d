"""The whole of /api/v1/ under schemathesis, for each role, on the demo département: every operation of the OpenAPI
schema gets requests built from it, valid and invalid, and each answer must be documented there (status code,
content type, body), never a 5xx.

A fixed seed and a small budget of examples per operation keep the run short and the same from one run to the
next; calls go through the WSGI application in the test's transaction (the writes are rolled back)."""

import secrets

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from comptes.models import Utilisateur
from iae.wsgi import application
from tests.factories import UtilisateurFactory

GRAINE = 20261123
EXEMPLES_PAR_OPERATION = 8
CONFIGURATION = SchemathesisConfig.from_dict(
    {
        "seed": GRAINE,
        # No failure kept from one run to replay at the next: each run is the same.
        "cache": {"enabled": False},
        "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
        "generation": {
            "mode": "all",
            "max-examples": EXEMPLES_PAR_OPERATION,
            "deterministic": True,
            "database": "none",
            # The session is the test's own (a cookie); the schema's cookie scheme is not a parameter to vary.
            "with-security-parameters": False,
        },
        "phases": {
            "examples": {"enabled": True},
            "fuzzing": {"enabled": True},
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
    }
)
# What the API must hold to: no server error, and nothing the schema does not say.
VERIFICATIONS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# The demo's accounts, and an agent of a département the demo does not cover.
ROLES = {
    "agent_ddets": "agent.ddets@pilot-iae.test",
    "personnel_siae": "siae@pilot-iae.test",
    "membre_cdiae": "cdiae@pilot-iae.test",
    "administrateur": "admin@pilot-iae.test",
    "agent_autre_departement": None,
}


def _schema_de_l_api() -> dict:
    return SchemaGenerator(patterns=None).get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(_schema_de_l_api(), config=CONFIGURATION)


def _session_de(utilisateur) -> dict:
    """What a browser logged in as this user sends: its session cookie, and a CSRF token (cookie and header) for
    the writes."""
    client = Client()
    client.force_login(utilisateur)
    jeton = secrets.token_hex(16)
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": jeton},
        "headers": {"X-CSRFToken": jeton},
    }


@pytest.fixture
def application_dans_la_transaction():
    """The WSGI application as the test client calls it: the end of a request must not close the database
    connection, whose transaction holds the test's data (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def utilisateur_du_role(demo, request):
    email = ROLES[request.param]
    if email is None:
        return UtilisateurFactory(email="agent57@ddets.test", agent_ddets="57")
    return Utilisateur.objects.get(email=email)


@pytest.mark.lent
@pytest.mark.django_db
@pytest.mark.parametrize("utilisateur_du_role", list(ROLES), indirect=True)
@schema.parametrize()
# One user per test, the same for all its examples: what the fixture gives is meant to last.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_l_api_repond_ce_que_dit_son_schema(case, utilisateur_du_role, application_dans_la_transaction):
    reponse = case.call_and_validate(
        app=application_dans_la_transaction, checks=VERIFICATIONS, **_session_de(utilisateur_du_role)
    )
    # The requests are the user's: never the answer to someone not logged in.
    assert reponse.status_code != 403 or "authentification" not in reponse.text
