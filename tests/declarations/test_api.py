"""/api/v1/declarations/: the list is not nominative (CDIAE members see it), the detail's lines are (404 for them)."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from rest_framework.pagination import PageNumberPagination

from parcours.models import MotifSortie
from tests.factories import (
    AnnexeFinanciereFactory,
    DeclarationFactory,
    LigneDeclarationFactory,
    ParcoursFactory,
)

pytestmark = pytest.mark.django_db

CHAMPS_DE_LA_LISTE = {
    "id", "annexe", "siae", "mois", "version", "etat", "retenue", "date_transmission", "echeance",
    "nombre_lignes", "heures_travaillees", "etp_realises", "source",
}  # fmt: skip


def lire(client, url, **parametres):
    reponse = client.get(url, parametres)
    assert reponse.status_code == 200, reponse.content
    return reponse.json()


def ids(client, **parametres) -> set[int]:
    return {d["id"] for d in lire(client, "/api/v1/declarations/", **parametres)["results"]}


@pytest.fixture
def declarations(siae_a, siae_b, siae_57):
    """A: January (two lines, one exit), February (a validated version 1 replaced by a version 2), March (a draft).
    B: January. Moselle: January."""
    annexe_a = AnnexeFinanciereFactory(siae=siae_a, numero="ACI055240001A0M0")
    martin = ParcoursFactory(
        siae=siae_a, salarie__nom="Martin", salarie__prenom="Léa", pass_iae__numero="999992400001"
    )
    petit = ParcoursFactory(siae=siae_a, salarie__nom="Petit", salarie__prenom="Jules")
    janvier = DeclarationFactory(annexe=annexe_a, mois=dt.date(2024, 1, 1))
    LigneDeclarationFactory(declaration=janvier, parcours=martin, heures_travaillees=Decimal("120"))
    LigneDeclarationFactory(
        declaration=janvier,
        parcours=petit,
        heures_travaillees=Decimal("80.50"),
        date_sortie=dt.date(2024, 1, 31),
        motif_sortie=MotifSortie.objects.get(code="CDI"),
    )
    fevrier_v1 = DeclarationFactory(annexe=annexe_a, mois=dt.date(2024, 2, 1), etat="VALIDEE", retenue=False)
    LigneDeclarationFactory(declaration=fevrier_v1, parcours=martin, heures_travaillees=Decimal("15"))
    fevrier_v2 = DeclarationFactory(annexe=annexe_a, mois=dt.date(2024, 2, 1), version=2)
    LigneDeclarationFactory(declaration=fevrier_v2, parcours=martin, heures_travaillees=Decimal("150"))
    mars = DeclarationFactory(
        annexe=annexe_a, mois=dt.date(2024, 3, 1), etat="BROUILLON", retenue=False, date_transmission=None
    )
    b_janvier = DeclarationFactory(annexe__siae=siae_b, mois=dt.date(2024, 1, 1))
    LigneDeclarationFactory(declaration=b_janvier, heures_travaillees=Decimal("60"))
    metz = DeclarationFactory(annexe__siae=siae_57, mois=dt.date(2024, 1, 1))
    LigneDeclarationFactory(declaration=metz)
    return {
        "janvier": janvier,
        "fevrier_v1": fevrier_v1,
        "fevrier_v2": fevrier_v2,
        "mars": mars,
        "b_janvier": b_janvier,
        "metz": metz,
    }


def test_liste_sans_donnee_nominative(client_de, membre_cdiae_55, declarations, siae_a):
    janvier = declarations["janvier"]
    resultats = lire(client_de(membre_cdiae_55), "/api/v1/declarations/", mois="2024-01")["results"]
    ligne = next(d for d in resultats if d["id"] == janvier.pk)
    assert set(ligne) == CHAMPS_DE_LA_LISTE
    transmission = ligne.pop("date_transmission")
    assert transmission.startswith("2024-02-10T00:00:00")
    assert ligne == {
        "id": janvier.pk,
        "annexe": {"id": janvier.annexe.pk, "numero": "ACI055240001A0M0"},
        "siae": {"id": siae_a.pk, "siret": siae_a.siret, "nom": "Jardins de Verdun"},
        "mois": "2024-01",
        "version": 1,
        "etat": "TRANSMISE",
        "retenue": True,
        "echeance": "2024-02-15",
        "nombre_lignes": 2,
        "heures_travaillees": "200.50",
        "etp_realises": "1.32",  # 200.5 h × 12 / 1820
        "source": "PILOTIAE",
    }


def test_detail_avec_les_lignes(client_de, personnel_a, declarations):
    janvier = declarations["janvier"]
    reponse = lire(client_de(personnel_a), f"/api/v1/declarations/{janvier.pk}/")
    assert set(reponse) == CHAMPS_DE_LA_LISTE | {"motif_retour", "lignes"}
    assert reponse["motif_retour"] == ""
    martin, petit = (ligne.parcours for ligne in janvier.lignes.order_by("parcours__salarie__nom"))
    assert [{k: v for k, v in ligne.items() if k != "id"} for ligne in reponse["lignes"]] == [
        {
            "parcours": martin.pk,
            "salarie": {"id": martin.salarie.pk, "nom": "Martin", "prenom": "Léa"},
            "numero_pass": "999992400001",
            "heures_travaillees": "120.00",
            "date_sortie": None,
            "motif_sortie": None,
        },
        {
            "parcours": petit.pk,
            "salarie": {"id": petit.salarie.pk, "nom": "Petit", "prenom": "Jules"},
            "numero_pass": petit.pass_iae.numero,
            "heures_travaillees": "80.50",
            "date_sortie": "2024-01-31",
            "motif_sortie": {"code": "CDI", "libelle": "Embauche en CDI (hors SIAE)", "categorie": "EMPLOI_DURABLE"},
        },
    ]


TOUTES_55 = ["janvier", "fevrier_v1", "fevrier_v2", "mars", "b_janvier"]


@pytest.mark.parametrize(
    ("role", "liste", "details"),
    [
        ("agent_55", TOUTES_55, TOUTES_55),
        ("agent_57", ["metz"], ["metz"]),
        (
            "personnel_a",
            ["janvier", "fevrier_v1", "fevrier_v2", "mars"],
            ["janvier", "fevrier_v1", "fevrier_v2", "mars"],
        ),
        ("personnel_b", ["b_janvier"], ["b_janvier"]),
        ("membre_cdiae_55", TOUTES_55, []),  # the list, never the lines
        ("admin", [*TOUTES_55, "metz"], [*TOUTES_55, "metz"]),
    ],
)
def test_perimetre(client_de, declarations, request, role, liste, details):
    client = client_de(request.getfixturevalue(role))
    assert ids(client) == {declarations[cle].pk for cle in liste}
    for cle, declaration in declarations.items():
        statut = client.get(f"/api/v1/declarations/{declaration.pk}/").status_code
        assert statut == (200 if cle in details else 404), (role, cle)


@pytest.mark.parametrize(
    ("parametres", "attendus"),
    [
        ({"mois": "2024-02"}, ["fevrier_v1", "fevrier_v2"]),
        ({"mois": "2024-02", "retenue": "true"}, ["fevrier_v2"]),
        ({"etat": "BROUILLON"}, ["mars"]),
        ({"etat": "TRANSMISE", "mois": "2024-01"}, ["janvier", "b_janvier"]),
        ({"annee": 2024}, TOUTES_55),
        ({"annee": 2023}, []),
        ({"search": "ACI055240001"}, ["janvier", "fevrier_v1", "fevrier_v2", "mars"]),
    ],
)
def test_filtres(client_de, agent_55, declarations, parametres, attendus):
    assert ids(client_de(agent_55), **parametres) == {declarations[cle].pk for cle in attendus}


def test_filtres_par_identifiant(client_de, agent_55, personnel_a, declarations, siae_b, siae_57):
    b_janvier = declarations["b_janvier"]
    assert ids(client_de(agent_55), siae=siae_b.pk) == {b_janvier.pk}
    assert ids(client_de(agent_55), annexe=b_janvier.annexe.pk) == {b_janvier.pk}
    assert ids(client_de(agent_55), siae=siae_57.pk) == set()
    assert ids(client_de(personnel_a), annexe=b_janvier.annexe.pk) == set()


def test_ordre(client_de, personnel_a, declarations):
    resultats = lire(client_de(personnel_a), "/api/v1/declarations/")["results"]
    assert [(d["mois"], d["version"]) for d in resultats] == [
        ("2024-03", 1),
        ("2024-02", 2),
        ("2024-02", 1),
        ("2024-01", 1),
    ]


def test_declaration_vide(client_de, personnel_a, declarations):
    mars = lire(client_de(personnel_a), f"/api/v1/declarations/{declarations['mars'].pk}/")
    assert (mars["nombre_lignes"], mars["heures_travaillees"], mars["etp_realises"], mars["lignes"]) == (
        0,
        "0.00",
        "0.00",
        [],
    )
    assert mars["date_transmission"] is None


@pytest.mark.parametrize("parametres", [{"mois": "2024-1"}, {"annee": "x"}, {"etat": "PERDUE"}])
def test_filtre_invalide(client_de, agent_55, parametres):
    reponse = client_de(agent_55).get("/api/v1/declarations/", parametres)
    assert reponse.status_code == 400
    assert set(reponse.json()) == set(parametres)


def test_lecture_seule(client_de, agent_55, personnel_a, declarations):
    """No way to change a declaration, or its lines, through the API: the pages and the imports open versions."""
    janvier = declarations["janvier"]
    lignes = list(janvier.lignes.values_list("pk", "heures_travaillees", "date_sortie"))
    for utilisateur in (agent_55, personnel_a):
        client = client_de(utilisateur)
        assert client.post("/api/v1/declarations/", {}, content_type="application/json").status_code == 405
        adresse = f"/api/v1/declarations/{janvier.pk}/"
        assert client.patch(adresse, {"etat": "VALIDEE"}, content_type="application/json").status_code == 405
        nouvelles = {"lignes": [{"id": pk, "heures_travaillees": "1.00"} for pk, _, _ in lignes]}
        assert client.put(adresse, nouvelles, content_type="application/json").status_code == 405
        assert client.delete(adresse).status_code == 405
    janvier.refresh_from_db()
    assert (janvier.etat, janvier.version, janvier.retenue) == ("TRANSMISE", 1, True)
    assert list(janvier.lignes.values_list("pk", "heures_travaillees", "date_sortie")) == lignes


def test_anonyme(client_de, declarations):
    assert client_de().get("/api/v1/declarations/").status_code == 403
    assert client_de().get(f"/api/v1/declarations/{declarations['janvier'].pk}/").status_code == 403


def creer_declarations(nombre: int, siae) -> list:
    resultat = []
    for _ in range(nombre):
        declaration = DeclarationFactory(annexe=AnnexeFinanciereFactory(siae=siae))
        LigneDeclarationFactory.create_batch(2, declaration=declaration)
        resultat.append(declaration)
    return resultat


def test_nombre_de_requetes_de_la_liste(client_de, agent_55, siae_a, django_assert_max_num_queries):
    client = client_de(agent_55)
    creer_declarations(3, siae_a)
    client.get("/api/v1/declarations/")  # the session, once
    # The session, the count, the page, the lines of the page's declarations (counted after the cut).
    with django_assert_max_num_queries(6):
        assert lire(client, "/api/v1/declarations/")["count"] == 3
    creer_declarations(17, siae_a)
    with django_assert_max_num_queries(6):
        assert lire(client, "/api/v1/declarations/")["count"] == 20


def test_nombre_de_requetes_du_detail(client_de, agent_55, siae_a, django_assert_max_num_queries):
    client = client_de(agent_55)
    (declaration,) = creer_declarations(1, siae_a)
    client.get("/api/v1/declarations/")  # the session, once
    with django_assert_max_num_queries(5):
        assert len(lire(client, f"/api/v1/declarations/{declaration.pk}/")["lignes"]) == 2
    LigneDeclarationFactory.create_batch(18, declaration=declaration)
    with django_assert_max_num_queries(5):
        assert len(lire(client, f"/api/v1/declarations/{declaration.pk}/")["lignes"]) == 20


def test_schema(client_de, membre_cdiae_55):
    reponse = client_de(membre_cdiae_55).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert reponse.status_code == 200
    schema = reponse.json()
    assert {"/api/v1/declarations/", "/api/v1/declarations/{id}/"} <= schema["paths"].keys()
    parametres = {p["name"] for p in schema["paths"]["/api/v1/declarations/"]["get"]["parameters"]}
    assert {"annexe", "mois", "etat", "siae", "annee", "retenue"} <= parametres
    assert "lignes" not in schema["components"]["schemas"]["Declaration"]["properties"]
    assert "lignes" in schema["components"]["schemas"]["DeclarationDetail"]["properties"]


def test_les_lignes_ne_sont_comptees_que_pour_la_page(client_de, agent_55, siae_a, django_assert_max_num_queries):
    """The count of the list and the cut of the page read no line; the lines are counted and summed for the
    page's declarations only, whatever the page."""
    client = client_de(agent_55)
    declarations = creer_declarations(12, siae_a)
    LigneDeclarationFactory(declaration=declarations[0], heures_travaillees=Decimal("35.50"))
    client.get("/api/v1/declarations/")  # the session, once
    with mock.patch.object(PageNumberPagination, "page_size", 5):
        for page in (1, 3):
            with django_assert_max_num_queries(6) as requetes:
                reponse = lire(client, "/api/v1/declarations/", page=page)
            sur_les_lignes = [q["sql"] for q in requetes.captured_queries if "lignedeclaration" in q["sql"].lower()]
            assert len(sur_les_lignes) == 1
            assert "LIMIT" not in sur_les_lignes[0] and "COUNT(" in sur_les_lignes[0].upper()
            assert reponse["count"] == 12
        toutes = [d for page in (1, 2, 3) for d in lire(client, "/api/v1/declarations/", page=page)["results"]]
    par_id = {d["id"]: d for d in toutes}
    assert len(par_id) == 12
    assert par_id[declarations[0].pk]["nombre_lignes"] == 3
    attendu = sum((ligne.heures_travaillees for ligne in declarations[0].lignes.all()), Decimal(0))
    assert Decimal(par_id[declarations[0].pk]["heures_travaillees"]) == attendu
    assert {d["nombre_lignes"] for i, d in par_id.items() if i != declarations[0].pk} == {2}
