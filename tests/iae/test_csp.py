"""The Content-Security-Policy of the pages (django-csp): sent on every page, inline scripts only with the page's
nonce, no inline style sheet (the charts' SVG has none)."""

import re
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def _politique(reponse) -> dict[str, list[str]]:
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in reponse["Content-Security-Policy"].split(";")
        if directive.strip()
    }


def test_la_page_de_connexion_a_sa_politique(client):
    politique = _politique(client.get("/comptes/connexion/"))
    assert politique["default-src"] == ["'self'"]
    assert politique["script-src"] == ["'self'"]  # no inline script on this page: no nonce either
    assert politique["object-src"] == ["'none'"] and politique["frame-ancestors"] == ["'none'"]
    assert politique["style-src-attr"] == ["'unsafe-inline'"]
    assert "'unsafe-inline'" not in politique["style-src"] + politique["script-src"]


def test_un_script_de_la_page_porte_le_nonce_de_la_politique(client, agent_55):
    client.force_login(agent_55)
    reponse = client.get("/imports/nouveau/")
    (nonce,) = [s.removeprefix("'nonce-").removesuffix("'") for s in _politique(reponse)["script-src"][1:]]
    scripts = re.findall(r"<script([^>]*)>", reponse.content.decode())
    en_ligne = [attributs for attributs in scripts if "src=" not in attributs]
    assert en_ligne and all(f'nonce="{nonce}"' in attributs for attributs in en_ligne)


def test_les_graphiques_n_ont_pas_de_feuille_de_style_en_ligne():
    from base.graphiques import barres

    svg = barres(["ACI", "EI"], {"ETP": [Decimal("1.5"), Decimal("2")]}, titre="Essai")
    assert "<style" not in svg
    assert 'stroke-linejoin="round" stroke-linecap="butt"' in svg
