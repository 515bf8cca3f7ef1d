"""/api/v1/salaries/ and /api/v1/parcours/: nominative data, never for CDIAE members."""

import datetime as dt
from decimal import Decimal

import pytest

from parcours.models import Contrat, MotifSortie, TypeContrat
from tests.factories import ParcoursFactory, SalarieFactory

pytestmark = pytest.mark.django_db


def lire(client, url, **parametres):
    reponse = client.get(url, parametres)
    assert reponse.status_code == 200, reponse.content
    return reponse.json()


def noms(client, **parametres) -> list[str]:
    return sorted(s["nom"] for s in lire(client, "/api/v1/salaries/", **parametres)["results"])


def parcours_de(client, **parametres) -> list[str]:
    resultats = lire(client, "/api/v1/parcours/", **parametres)["results"]
    return sorted(f"{p['salarie']['nom']}@{p['siae']['nom']}" for p in resultats)


@pytest.fixture
def personnes(siae_a, siae_b, siae_57):
    """In A: Martin (in parcours since February 2024) and Petit (out at the end of June 2024). In B: Durand. Roux
    worked in A in 2023 and is in B since 2024. Klein is in Moselle."""
    martin = ParcoursFactory(
        siae=siae_a,
        salarie__nom="Martin",
        salarie__prenom="Léa",
        salarie__date_naissance=dt.date(1990, 5, 17),
        pass_iae__numero="999992400001",
        pass_iae__date_debut=dt.date(2024, 2, 1),
        date_embauche=dt.date(2024, 2, 1),
        brsa=True,
        qpv=True,
        niveau_formation="INFRA_CAP",
        duree_chomage="DELD",
    )
    petit = ParcoursFactory(
        siae=siae_a,
        salarie__nom="Petit",
        date_embauche=dt.date(2024, 1, 1),
        date_sortie=dt.date(2024, 6, 30),
        motif_sortie=MotifSortie.objects.get(code="CDI"),
    )
    roux = SalarieFactory(nom="Roux")
    roux_a = ParcoursFactory(
        siae=siae_a, salarie=roux, date_embauche=dt.date(2023, 3, 1), date_sortie=dt.date(2023, 11, 30)
    )
    roux_b = ParcoursFactory(siae=siae_b, salarie=roux, pass_iae=roux_a.pass_iae, date_embauche=dt.date(2024, 1, 1))
    return {
        "martin": martin,
        "petit": petit,
        "durand": ParcoursFactory(siae=siae_b, salarie__nom="Durand", date_embauche=dt.date(2024, 9, 1)),
        "roux_a": roux_a,
        "roux_b": roux_b,
        "klein": ParcoursFactory(siae=siae_57, salarie__nom="Klein"),
    }


class TestSalaries:
    def test_representation(self, client_de, personnel_a, personnes):
        martin = personnes["martin"]
        assert lire(client_de(personnel_a), f"/api/v1/salaries/{martin.salarie.pk}/") == {
            "id": martin.salarie.pk,
            "nom": "Martin",
            "prenom": "Léa",
            "date_naissance": "1990-05-17",
            "genre": "F",
            "pass_iae": [
                {
                    "numero": "999992400001",
                    "date_debut": "2024-02-01",
                    "date_fin": "2026-01-31",
                    "date_fin_officielle": None,
                }
            ],
        }

    @pytest.mark.parametrize(
        ("role", "attendus"),
        [
            ("agent_55", ["Durand", "Martin", "Petit", "Roux"]),
            ("agent_57", ["Klein"]),
            ("personnel_a", ["Martin", "Petit", "Roux"]),
            ("personnel_b", ["Durand", "Roux"]),
            ("membre_cdiae_55", []),
            ("admin", ["Durand", "Klein", "Martin", "Petit", "Roux"]),
        ],
    )
    def test_perimetre(self, client_de, personnes, request, role, attendus):
        client = client_de(request.getfixturevalue(role))
        assert noms(client) == attendus
        for parcours in personnes.values():
            statut = client.get(f"/api/v1/salaries/{parcours.salarie.pk}/").status_code
            assert statut == (200 if parcours.salarie.nom in attendus else 404), (role, parcours.salarie.nom)

    def test_une_personne_en_parcours_dans_deux_structures_n_apparait_qu_une_fois(
        self, client_de, agent_55, admin, personnes
    ):
        for utilisateur in (agent_55, admin):
            resultats = lire(client_de(utilisateur), "/api/v1/salaries/", search="Roux")
            assert [s["nom"] for s in resultats["results"]] == ["Roux"]
            assert resultats["count"] == 1

    def test_filtrer_par_une_autre_structure_ne_revele_rien(self, client_de, personnel_a, agent_55, personnes, siae_b):
        """Roux is in B too: staff of A filtering on B must not learn it."""
        assert noms(client_de(personnel_a), siae=siae_b.pk) == []
        assert noms(client_de(agent_55), siae=siae_b.pk) == ["Durand", "Roux"]

    @pytest.mark.parametrize(
        ("parametres", "attendus"),
        [
            ({"annee": 2023}, ["Roux"]),
            ({"annee": 2024}, ["Durand", "Martin", "Petit", "Roux"]),
            ({"actif_en": "2024-07"}, ["Martin", "Roux"]),
            ({"actif_en": "2024-06"}, ["Martin", "Petit", "Roux"]),
            ({"sortie": "true"}, ["Petit", "Roux"]),
            ({"sortie": "false"}, ["Durand", "Martin", "Roux"]),
            # The conditions hold on one parcours: Roux's exit was in A, in 2023.
            ({"sortie": "true", "annee": 2024}, ["Petit"]),
            ({"search": "999992400001"}, ["Martin"]),
        ],
    )
    def test_filtres(self, client_de, agent_55, personnes, parametres, attendus):
        assert noms(client_de(agent_55), **parametres) == attendus

    def test_filtre_siae_et_mois(self, client_de, agent_55, personnes, siae_a):
        assert noms(client_de(agent_55), siae=siae_a.pk, actif_en="2024-03") == ["Martin", "Petit"]

    @pytest.mark.parametrize("mois", ["2024-13", "juin", "2024-6", "06/2024"])
    def test_mois_invalide(self, client_de, agent_55, mois):
        reponse = client_de(agent_55).get("/api/v1/salaries/", {"actif_en": mois})
        assert reponse.status_code == 400
        assert reponse.json() == {"actif_en": ["Mois invalide : attendu AAAA-MM (par exemple 2022-06)."]}

    def test_lecture_seule(self, client_de, agent_55, personnes):
        client = client_de(agent_55)
        adresse = f"/api/v1/salaries/{personnes['martin'].salarie.pk}/"
        assert client.post("/api/v1/salaries/", {}, content_type="application/json").status_code == 405
        assert client.patch(adresse, {"nom": "X"}, content_type="application/json").status_code == 405
        assert client.delete(adresse).status_code == 405

    def test_nombre_de_requetes_constant(self, client_de, agent_55, siae_a, django_assert_max_num_queries):
        client = client_de(agent_55)
        ParcoursFactory.create_batch(3, siae=siae_a)
        client.get("/api/v1/salaries/")  # the session, once
        with django_assert_max_num_queries(6):
            assert lire(client, "/api/v1/salaries/")["count"] == 3
        ParcoursFactory.create_batch(17, siae=siae_a)
        with django_assert_max_num_queries(6):
            assert lire(client, "/api/v1/salaries/")["count"] == 20


class TestParcours:
    def test_representation(self, client_de, agent_55, personnes, siae_a):
        petit = personnes["petit"]
        Contrat.objects.create(
            parcours=petit, type=TypeContrat.CDDI, date_debut=dt.date(2024, 5, 1), heures_hebdo=Decimal("30")
        )
        reponse = lire(client_de(agent_55), f"/api/v1/parcours/{petit.pk}/")
        assert reponse == {
            "id": petit.pk,
            "salarie": {"id": petit.salarie.pk, "nom": "Petit", "prenom": petit.salarie.prenom},
            "siae": {"id": siae_a.pk, "siret": siae_a.siret, "nom": "Jardins de Verdun"},
            "pass_iae": {
                "numero": petit.pass_iae.numero,
                "date_debut": "2023-10-01",
                "date_fin": "2025-09-30",
                "date_fin_officielle": None,
            },
            "date_embauche": "2024-01-01",
            "date_sortie": "2024-06-30",
            "motif_sortie": {"code": "CDI", "libelle": "Embauche en CDI (hors SIAE)", "categorie": "EMPLOI_DURABLE"},
            "brsa": False,
            "qpv": False,
            "zrr": False,
            "rqth": False,
            "niveau_formation": "",
            "duree_chomage": "",
            "contrats": [
                {"type": "CDDI", "date_debut": "2024-01-01", "date_fin": None, "heures_hebdo": "26.00"},
                {"type": "CDDI", "date_debut": "2024-05-01", "date_fin": None, "heures_hebdo": "30.00"},
            ],
        }
        martin = lire(client_de(agent_55), f"/api/v1/parcours/{personnes['martin'].pk}/")
        assert martin["motif_sortie"] is None
        assert (martin["brsa"], martin["qpv"], martin["niveau_formation"], martin["duree_chomage"]) == (
            True,
            True,
            "INFRA_CAP",
            "DELD",
        )

    def test_rien_qui_ressemble_a_un_nir(self, client_de, agent_55, personnes):
        def cles(valeur):
            if isinstance(valeur, dict):
                return set(valeur) | {c for v in valeur.values() for c in cles(v)}
            if isinstance(valeur, list):
                return {c for v in valeur for c in cles(v)}
            return set()

        client = client_de(agent_55)
        toutes = cles(lire(client, "/api/v1/parcours/")) | cles(lire(client, "/api/v1/salaries/"))
        assert not {c for c in toutes if "nir" in c or "secu" in c or "insee" in c}

    @pytest.mark.parametrize(
        ("role", "attendus"),
        [
            ("agent_55", ["martin", "petit", "durand", "roux_a", "roux_b"]),
            ("agent_57", ["klein"]),
            ("personnel_a", ["martin", "petit", "roux_a"]),
            ("personnel_b", ["durand", "roux_b"]),
            ("membre_cdiae_55", []),
            ("admin", ["martin", "petit", "durand", "roux_a", "roux_b", "klein"]),
        ],
    )
    def test_perimetre(self, client_de, personnes, request, role, attendus):
        client = client_de(request.getfixturevalue(role))
        ids = {p["id"] for p in lire(client, "/api/v1/parcours/")["results"]}
        assert ids == {personnes[cle].pk for cle in attendus}
        for cle, parcours in personnes.items():
            statut = client.get(f"/api/v1/parcours/{parcours.pk}/").status_code
            assert statut == (200 if cle in attendus else 404), (role, cle)

    @pytest.mark.parametrize(
        ("parametres", "attendus"),
        [
            ({"annee": 2023}, ["Roux@Jardins de Verdun"]),
            ({"actif_en": "2024-08"}, ["Martin@Jardins de Verdun", "Roux@Intérim du Barrois"]),
            ({"sortie": "true"}, ["Petit@Jardins de Verdun", "Roux@Jardins de Verdun"]),
            (
                {"sortie": "false", "annee": 2024},
                ["Durand@Intérim du Barrois", "Martin@Jardins de Verdun", "Roux@Intérim du Barrois"],
            ),
            ({"categorie_sortie": "EMPLOI_DURABLE"}, ["Petit@Jardins de Verdun"]),
        ],
    )
    def test_filtres(self, client_de, agent_55, personnes, parametres, attendus):
        assert parcours_de(client_de(agent_55), **parametres) == attendus

    def test_filtres_par_identifiant(self, client_de, agent_55, personnel_b, personnes, siae_b):
        roux = personnes["roux_b"].salarie
        assert parcours_de(client_de(agent_55), salarie=roux.pk) == [
            "Roux@Intérim du Barrois",
            "Roux@Jardins de Verdun",
        ]
        assert parcours_de(client_de(personnel_b), salarie=roux.pk) == ["Roux@Intérim du Barrois"]
        assert parcours_de(client_de(agent_55), siae=siae_b.pk) == [
            "Durand@Intérim du Barrois",
            "Roux@Intérim du Barrois",
        ]

    def test_lecture_seule(self, client_de, agent_55, personnes):
        client = client_de(agent_55)
        adresse = f"/api/v1/parcours/{personnes['martin'].pk}/"
        assert client.post("/api/v1/parcours/", {}, content_type="application/json").status_code == 405
        assert client.put(adresse, {}, content_type="application/json").status_code == 405

    def test_nombre_de_requetes_constant(self, client_de, agent_55, siae_a, django_assert_max_num_queries):
        client = client_de(agent_55)
        motif = MotifSortie.objects.get(code="CDI")

        def creer(nombre):
            for parcours in ParcoursFactory.create_batch(nombre, siae=siae_a, date_sortie=dt.date(2024, 9, 30)):
                parcours.motif_sortie = motif
                parcours.save()
                Contrat.objects.create(parcours=parcours, type="CDDI", date_debut=dt.date(2024, 6, 1))

        creer(3)
        client.get("/api/v1/parcours/")  # the session, once
        with django_assert_max_num_queries(6):
            assert lire(client, "/api/v1/parcours/")["count"] == 3
        creer(17)
        with django_assert_max_num_queries(6):
            assert lire(client, "/api/v1/parcours/")["count"] == 20


def test_schema(client_de, personnel_a):
    reponse = client_de(personnel_a).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert reponse.status_code == 200
    chemins = reponse.json()["paths"]
    assert {"/api/v1/salaries/", "/api/v1/salaries/{id}/", "/api/v1/parcours/", "/api/v1/parcours/{id}/"} <= set(
        chemins
    )
    parametres = {p["name"]: p["schema"] for p in chemins["/api/v1/parcours/"]["get"]["parameters"]}
    assert {"siae", "annee", "actif_en", "sortie", "salarie"} <= parametres.keys()
    assert parametres["actif_en"]["pattern"] == r"^\d{4}-\d{2}$"
