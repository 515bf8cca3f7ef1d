"""Who may see what in the contrôle a posteriori (spec §10): every role × every page, action and endpoint.

The Meuse's campaign (55) has drawn the Jardins de Verdun (SIAE A); the Moselle's (57) a structure of Metz. Both
are in the contrôle phase. SIAE B, in the Meuse, is not drawn. Out of scope, or reserved to another role: 404.
"""

import pytest

from controle import services
from controle.models import Decision, Justificatif, Phase, Sanction

from .outils import avancer, pdf

pytestmark = pytest.mark.django_db

ROLES = ("anonyme", "agent_55", "agent_57", "personnel_a", "personnel_b", "membre_cdiae_55", "admin")
CONNEXION = "connexion"

MATRICE = {
    "/controle/": (CONNEXION, 302, 302, 302, 302, 404, 302),
    "/controle/campagnes/": (CONNEXION, 200, 200, 404, 404, 404, 200),
    "/controle/campagnes/nouvelle/": (CONNEXION, 200, 200, 404, 404, 404, 200),
    "/controle/campagnes/{campagne_55}/": (CONNEXION, 200, 404, 404, 404, 404, 200),
    "/controle/campagnes/{campagne_57}/": (CONNEXION, 404, 200, 404, 404, 404, 200),
    "/controle/mes-controles/": (CONNEXION, 404, 404, 200, 200, 404, 404),
    "/controle/structures/{controle_a}/": (CONNEXION, 200, 404, 200, 404, 404, 200),
    "/controle/structures/{controle_57}/": (CONNEXION, 404, 200, 404, 404, 404, 200),
    "/controle/justificatifs/{justificatif_a}/": (CONNEXION, 200, 404, 200, 404, 404, 200),
    "/api/v1/controles/": (403, 200, 200, 200, 200, 200, 200),
    "/api/v1/controles/{campagne_55}/": (403, 200, 404, 200, 404, 404, 200),
    "/api/v1/controles/{campagne_57}/": (403, 404, 200, 404, 404, 404, 200),
}


@pytest.fixture
def objets(campagne_55, controle_a, campagne_57, personnel_a):
    campagne_55 = avancer(campagne_55, Phase.CONTROLE)
    justificatif = services.deposer_justificatif(controle_a.embauches.first(), pdf(), personnel_a)
    return {
        "campagne_55": campagne_55.pk,
        "campagne_57": campagne_57.pk,
        "controle_a": controle_a.pk,
        "controle_57": campagne_57.controles.get().pk,
        "justificatif_a": justificatif.pk,
    }


@pytest.mark.parametrize("url", MATRICE)
@pytest.mark.parametrize("rang, role", list(enumerate(ROLES)))
def test_matrice(client_de, request, objets, url, rang, role):
    utilisateur = None if role == "anonyme" else request.getfixturevalue(role)
    reponse = client_de(utilisateur).get(url.format(**objets))
    attendu = MATRICE[url][rang]
    if attendu == CONNEXION:
        assert reponse.status_code == 302 and reponse.url.startswith("/comptes/connexion/")
    else:
        assert reponse.status_code == attendu, f"{role} {url}"


class TestPendantLEchantillonnage:
    """A structure sees nothing of a campaign before the sample is out."""

    def test_rien_pour_la_structure(self, client_de, campagne_55, controle_a, personnel_a, agent_55):
        client = client_de(personnel_a)
        assert client.get(f"/controle/structures/{controle_a.pk}/").status_code == 404
        assert client.get(f"/api/v1/controles/{campagne_55.pk}/").status_code == 404
        assert client.get("/api/v1/controles/").json()["count"] == 0
        assert client_de(agent_55).get(f"/controle/structures/{controle_a.pk}/").status_code == 200


class TestActions:
    """Every write answers 404 to whoever may not do it, and changes nothing."""

    @pytest.fixture
    def embauche(self, campagne_55, controle_a):
        avancer(campagne_55, Phase.CONTROLE)
        return controle_a.embauches.first()

    @pytest.mark.parametrize("role", ["agent_57", "personnel_a", "personnel_b", "membre_cdiae_55"])
    def test_decision(self, client_de, request, embauche, role):
        reponse = client_de(request.getfixturevalue(role)).post(
            f"/controle/embauches/{embauche.pk}/decision/", {f"decision-{embauche.pk}-decision": "ACCEPTEE"}
        )
        assert reponse.status_code == 404
        embauche.refresh_from_db()
        assert embauche.decision == Decision.A_EXAMINER

    @pytest.mark.parametrize("role", ["agent_55", "agent_57", "personnel_b", "membre_cdiae_55", "admin"])
    def test_depot(self, client_de, request, embauche, role):
        """Only the structure's own staff send its proofs: not even the DDETS."""
        reponse = client_de(request.getfixturevalue(role)).post(
            f"/controle/embauches/{embauche.pk}/justificatifs/", {f"justificatif-{embauche.pk}-fichier": pdf()}
        )
        assert reponse.status_code == 404
        assert not Justificatif.objects.exists()

    @pytest.mark.parametrize("role", ["agent_57", "personnel_a", "membre_cdiae_55"])
    def test_phase_et_resultat(self, client_de, request, campagne_55, controle_a, embauche, role):
        client = client_de(request.getfixturevalue(role))
        assert client.post(f"/controle/campagnes/{campagne_55.pk}/phase-suivante/").status_code == 404
        reponse = client.post(
            f"/controle/structures/{controle_a.pk}/resultat/", {"resultat-resultat": "CONTRADICTOIRE"}
        )
        assert reponse.status_code == 404
        campagne_55.refresh_from_db()
        controle_a.refresh_from_db()
        assert (campagne_55.phase, controle_a.resultat) == (Phase.CONTROLE, "EN_COURS")

    @pytest.mark.parametrize("role", ["agent_57", "personnel_a", "membre_cdiae_55"])
    def test_sanctions(self, client_de, request, campagne_55, controle_a, agent_55, role):
        avancer(campagne_55, Phase.CONTRADICTOIRE)
        for embauche in controle_a.embauches.all():
            services.decider_embauche(embauche, Decision.REFUSEE, agent_55, "Incomplet")
        services.fixer_resultat(controle_a, "REFUSE", agent_55)
        avancer(campagne_55, Phase.SANCTIONS)
        sanction = services.ajouter_sanction(controle_a, "FORMATION", agent_55)
        client = client_de(request.getfixturevalue(role))
        reponse = client.post(f"/controle/structures/{controle_a.pk}/sanctions/", {"sanction-type": "AUCUNE"})
        assert reponse.status_code == 404
        assert client.post(f"/controle/sanctions/{sanction.pk}/retrait/").status_code == 404
        assert list(Sanction.objects.all()) == [sanction]

    def test_creation_dans_un_autre_departement(self, client_de, agent_57):
        page = client_de(agent_57).get("/controle/campagnes/nouvelle/").content.decode()
        assert '<option value="57"' in page and '<option value="55"' not in page
