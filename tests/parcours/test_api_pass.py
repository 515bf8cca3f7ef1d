"""/api/v1/suspensions/ and /api/v1/prolongations/: nominative, read-only, scoped by `visible_to`."""

import datetime as dt

import pytest

from parcours.models import MotifProlongation, MotifSuspension, Prolongation, Suspension
from tests.factories import ParcoursFactory

pytestmark = pytest.mark.django_db

D = dt.date


def lire(client, url, **parametres):
    reponse = client.get(url, parametres)
    assert reponse.status_code == 200, reponse.content
    return reponse.json()


def ids(client, url, **parametres) -> list[int]:
    return sorted(o["id"] for o in lire(client, url, **parametres)["results"])


@pytest.fixture
def donnees(siae_a, siae_b, siae_57):
    """A suspension and two prolongations (one granted, one requested) in A; a suspension in B and in Moselle."""
    martin = ParcoursFactory(siae=siae_a, pass_iae__numero="999992400001", date_embauche=D(2024, 1, 1))
    durand = ParcoursFactory(siae=siae_b, pass_iae__numero="999992400002", date_embauche=D(2024, 1, 1))
    klein = ParcoursFactory(siae=siae_57, date_embauche=D(2024, 1, 1))
    rompu = MotifSuspension.objects.get(code="CONTRAT_ROMPU")
    rqth = MotifProlongation.objects.get(code="RQTH")

    def suspension(parcours, debut, fin):
        return Suspension.objects.create(
            pass_iae=parcours.pass_iae, siae=parcours.siae, motif=rompu, date_debut=debut, date_fin=fin
        )

    def prolongation(parcours, debut, fin, statut, **kwargs):
        return Prolongation.objects.create(
            pass_iae=parcours.pass_iae,
            siae=parcours.siae,
            motif=rqth,
            date_debut=debut,
            date_fin=fin,
            statut=statut,
            date_demande=D(2025, 6, 1),
            decideur="PRESCRIPTEUR",
            **kwargs,
        )

    return {
        "s_a": suspension(martin, D(2024, 3, 1), D(2024, 3, 10)),
        "s_b": suspension(durand, D(2024, 4, 1), D(2024, 4, 30)),
        "s_57": suspension(klein, D(2024, 5, 1), D(2024, 5, 31)),
        "p_accordee": prolongation(
            martin,
            D(2025, 10, 11),
            D(2026, 10, 10),
            "ACCORDEE",
            date_decision=D(2025, 6, 10),
            prescripteur_organisation="Cap emploi Meuse",
            prescripteur_personne="Anne Durand",
        ),
        "p_demandee": prolongation(martin, D(2026, 10, 11), D(2027, 4, 10), "DEMANDEE"),
    }


@pytest.mark.parametrize(
    ("role", "suspensions", "prolongations"),
    [
        ("agent_55", ["s_a", "s_b"], ["p_accordee", "p_demandee"]),
        ("personnel_a", ["s_a"], ["p_accordee", "p_demandee"]),
        ("personnel_b", ["s_b"], []),
        ("agent_57", ["s_57"], []),
        ("membre_cdiae_55", [], []),
        ("admin", ["s_a", "s_b", "s_57"], ["p_accordee", "p_demandee"]),
    ],
)
def test_chacun_voit_son_perimetre_nominatif(request, client_de, donnees, role, suspensions, prolongations):
    client = client_de(request.getfixturevalue(role))
    assert ids(client, "/api/v1/suspensions/") == sorted(donnees[n].pk for n in suspensions)
    assert ids(client, "/api/v1/prolongations/") == sorted(donnees[n].pk for n in prolongations)


@pytest.mark.parametrize("role", ["personnel_b", "agent_57", "membre_cdiae_55"])
def test_hors_perimetre_404(request, client_de, donnees, role):
    client = client_de(request.getfixturevalue(role))
    assert client.get(f"/api/v1/suspensions/{donnees['s_a'].pk}/").status_code == 404
    assert client.get(f"/api/v1/prolongations/{donnees['p_accordee'].pk}/").status_code == 404


def test_anonyme_403(client_de, donnees):
    assert client_de().get("/api/v1/suspensions/").status_code == 403
    assert client_de().get("/api/v1/prolongations/").status_code == 403


def test_lecture_seule(client_de, agent_55, donnees):
    client = client_de(agent_55)
    assert client.post("/api/v1/suspensions/", {}).status_code == 405
    assert client.delete(f"/api/v1/prolongations/{donnees['p_accordee'].pk}/").status_code == 405


def test_le_detail(client_de, personnel_a, donnees, siae_a):
    client = client_de(personnel_a)
    suspension = lire(client, f"/api/v1/suspensions/{donnees['s_a'].pk}/")
    assert suspension["pass_iae"]["numero"] == "999992400001"
    assert suspension["siae"] == {"id": siae_a.pk, "siret": siae_a.siret, "nom": siae_a.nom}
    assert suspension["motif"] == {"code": "CONTRAT_ROMPU", "libelle": "Contrat de travail rompu"}
    assert (suspension["date_debut"], suspension["date_fin"], suspension["duree_jours"]) == (
        "2024-03-01",
        "2024-03-10",
        10,
    )
    prolongation = lire(client, f"/api/v1/prolongations/{donnees['p_accordee'].pk}/")
    assert {
        k: prolongation[k] for k in ("statut", "decideur", "prescripteur_organisation", "prescripteur_personne")
    } == {
        "statut": "ACCORDEE",
        "decideur": "PRESCRIPTEUR",
        "prescripteur_organisation": "Cap emploi Meuse",
        "prescripteur_personne": "Anne Durand",
    }
    assert (prolongation["date_debut"], prolongation["date_decision"], prolongation["motif"]["code"]) == (
        "2025-10-11",
        "2025-06-10",
        "RQTH",
    )


def test_filtres(client_de, agent_55, donnees, siae_a, siae_b, siae_57):
    client = client_de(agent_55)
    assert ids(client, "/api/v1/suspensions/", **{"pass": "9999 9240 0002"}) == [donnees["s_b"].pk]
    assert ids(client, "/api/v1/suspensions/", siae=siae_a.pk) == [donnees["s_a"].pk]
    assert ids(client, "/api/v1/prolongations/", statut="DEMANDEE") == [donnees["p_demandee"].pk]
    assert ids(client, "/api/v1/prolongations/", **{"pass": "999992400001", "statut": "ACCORDEE"}) == [
        donnees["p_accordee"].pk
    ]
    assert ids(client, "/api/v1/prolongations/", search="99999240000") == sorted(
        [donnees["p_accordee"].pk, donnees["p_demandee"].pk]
    )
    # Out of scope: nothing, rather than a 400 that would tell it exists.
    assert ids(client, "/api/v1/suspensions/", siae=siae_57.pk) == []
    assert ids(client, "/api/v1/prolongations/", siae=siae_b.pk) == []
    assert client.get("/api/v1/suspensions/", {"siae": "abc"}).status_code == 400
    assert client.get("/api/v1/prolongations/", {"statut": "PERDUE"}).status_code == 400


def test_dans_le_schema(client_de, agent_55):
    schema = client_de(agent_55).get("/api/v1/schema/").content.decode()
    assert "/api/v1/suspensions/" in schema and "/api/v1/prolongations/" in schema
    assert "name: pass" in schema
