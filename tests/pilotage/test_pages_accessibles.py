"""The pages every visitor reaches from the footer (accessibility declaration, legal notice, personal data), the
skip links of every page, and the consumption tables without a projection column equal to the ETP réalisés."""

from decimal import Decimal

import pytest

from indicateurs.queries_consommation import Consommation, ConsommationSiae

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "titre"),
    [
        ("/accessibilite/", "Déclaration d'accessibilité"),
        ("/mentions-legales/", "Mentions légales"),
        ("/donnees-personnelles/", "Données personnelles"),
    ],
)
def test_les_pages_du_pied_de_page_sans_connexion(client, url, titre):
    reponse = client.get(url)
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert f"<h1>{titre}</h1>" in page
    # Each one is linked from the footer of every page, this one included.
    for lien in ('href="/accessibilite/">Accessibilité : non conforme</a>', 'href="/mentions-legales/"'):
        assert lien in page
    assert 'href="/donnees-personnelles/"' in page


def test_la_declaration_donne_l_etat_de_conformite_et_l_audit(client):
    page = client.get("/accessibilite/").content.decode()
    assert "est <strong>non conforme</strong>" in page
    assert "axe-core" in page and "11 éléments en défaut graves" in page
    assert 'id="resultats-axe"' in page


def test_les_liens_d_evitement_sont_remplis(client, client_de, agent_55):
    page = client_de(agent_55).get("/").content.decode()
    for lien in (
        'href="#content">Aller au contenu</a>',
        'href="#navigation">Menu</a>',
        'href="#footer">Pied de page</a>',
    ):
        assert lien in page
    assert 'id="navigation"' in page and 'id="content"' in page and 'id="footer"' in page
    # Without a menu (the login page), no link to it.
    anonyme = client.get("/comptes/connexion/").content.decode()
    assert 'href="#content">Aller au contenu</a>' in anonyme and 'href="#navigation"' not in anonyme


def test_la_consommation_montre_l_ecart_projete_sans_colonne_de_projection(client_de, agent_55):
    page = client_de(agent_55).get("/consommation/", {"annee": 2024}).content.decode()
    assert "Projection fin d'année" not in page
    assert "Écart projeté fin d'année" in page
    # The wide table scrolls in a named region the keyboard reaches.
    assert 'tabindex="0" role="region" aria-label="Consommation par structure, 2024"' in page


def test_l_ecart_projete_se_compare_a_l_annee_conventionnee():
    """January-June at 4 ETP réalisés for 4 conventionnés (100 %), but 6 ETP conventionnés from July: projected to
    48 ETP-mois for 60, the year ends 1 ETP short."""
    reference = Consommation("A", Decimal(24), Decimal(24), 6)
    structure = ConsommationSiae(
        siae_id=1,
        siret="1",
        nom="A",
        type="ACI",
        reference=reference,
        annee=Consommation("A", Decimal(60), Decimal(24), 12),
        a_date=reference,
        mois_ecoules=6,
    )
    assert structure.reference.etp_realises == structure.projection_etp == 4
    assert structure.ecart_projection_etp == -1
