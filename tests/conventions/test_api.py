"""/api/v1/annexes/ and /api/v1/consommation/: what each role sees, the filters, the figures, the queries."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from conventions.models import EtatAnnexe
from conventions.services import ajouter_avenant
from indicateurs.services import rafraichir_tout
from tests.factories import (
    AnnexeFinanciereFactory,
    DeclarationFactory,
    LigneDeclarationFactory,
    ParcoursFactory,
    UtilisateurFactory,
)

pytestmark = pytest.mark.django_db


def lire(client, url, **parametres):
    reponse = client.get(url, parametres)
    assert reponse.status_code == 200, reponse.content
    return reponse.json()


def numeros(client, **parametres) -> list[str]:
    return sorted(a["numero"] for a in lire(client, "/api/v1/annexes/", **parametres)["results"])


@pytest.fixture
def annexes(siae_a, siae_b, siae_57):
    return {
        "a": AnnexeFinanciereFactory(siae=siae_a, numero="ACI055240001A0M0", montant_cofinance_cd=Decimal("12000")),
        "b": AnnexeFinanciereFactory(siae=siae_b, numero="ETTI055240002A0M0", etp_conventionnes=Decimal("0.50")),
        "a_2023": AnnexeFinanciereFactory(siae=siae_a, numero="ACI055230003A0M0", annee=2023),
        "brouillon": AnnexeFinanciereFactory(siae=siae_a, numero="ACI055240004A0M0", etat=EtatAnnexe.BROUILLON),
        "metz": AnnexeFinanciereFactory(siae=siae_57, numero="ACI057240001A0M0"),
    }


class TestAnnexes:
    def test_representation(self, client_de, agent_55, annexes):
        annexe = annexes["a"]
        annexe.taux_modulation = Decimal("0.0525")
        annexe.objectif_sorties_dynamiques = Decimal("60")
        annexe.objectif_part_brsa = Decimal("33.35")
        annexe.save()
        ajouter_avenant(annexe, mois_effet=dt.date(2024, 7, 1), etp_conventionnes=Decimal("3.50"), motif="Hausse")
        reponse = lire(client_de(agent_55), f"/api/v1/annexes/{annexe.pk}/")
        mensuels = reponse.pop("etp_mensuels")
        avenants = reponse.pop("avenants")
        assert reponse == {
            "id": annexe.pk,
            "numero": "ACI055240001A1M0",
            "prefixe": "ACI055240001",
            "siae": {"id": annexe.siae.pk, "siret": annexe.siae.siret, "nom": "Jardins de Verdun"},
            "type": "ACI",
            "date_debut": "2024-01-01",
            "date_fin": "2024-12-31",
            "etat": "VALIDE",
            "etp_conventionnes": "3.50",
            "heures_annuelles_par_etp": "1820.00",
            "taux_modulation": "5.3",
            "montant_cofinance_cd": "12000.00",
            "objectif_sorties_dynamiques": "60.0",
            "objectif_emploi_durable": None,
            "objectif_emploi_transition": None,
            "objectif_sorties_positives": None,
            "objectif_part_brsa": "33.4",
        }
        assert [(a["numero"], a["mois_effet"], a["etp_conventionnes"]) for a in avenants] == [
            ("ACI055240001A0M0", "2024-01", "2.00"),
            ("ACI055240001A1M0", "2024-07", "3.50"),
        ]
        assert all(a["date_creation"] for a in avenants)
        assert len(mensuels) == 12
        assert mensuels[0] == {"mois": "2024-01", "etp_conventionnes": "2.00"}
        assert mensuels[5] == {"mois": "2024-06", "etp_conventionnes": "2.00"}
        assert mensuels[6] == {"mois": "2024-07", "etp_conventionnes": "3.50"}

    def test_la_liste_n_a_pas_le_detail_mensuel(self, client_de, agent_55, annexes):
        resultats = lire(client_de(agent_55), "/api/v1/annexes/")["results"]
        assert "etp_mensuels" not in resultats[0]
        assert resultats[0]["avenants"]

    @pytest.mark.parametrize(
        ("role", "attendus"),
        [
            ("agent_55", ["a", "a_2023", "b", "brouillon"]),
            ("agent_57", ["metz"]),
            ("personnel_a", ["a", "a_2023", "brouillon"]),
            ("personnel_b", ["b"]),
            ("membre_cdiae_55", ["a", "a_2023", "b", "brouillon"]),
            ("admin", ["a", "a_2023", "b", "brouillon", "metz"]),
        ],
    )
    def test_perimetre(self, client_de, annexes, request, role, attendus):
        client = client_de(request.getfixturevalue(role))
        assert numeros(client) == sorted(annexes[cle].numero for cle in attendus)
        for cle, annexe in annexes.items():
            statut = client.get(f"/api/v1/annexes/{annexe.pk}/").status_code
            assert statut == (200 if cle in attendus else 404), (role, cle)

    def test_sans_organisation_ni_connexion(self, client_de, annexes):
        assert lire(client_de(UtilisateurFactory()), "/api/v1/annexes/")["count"] == 0
        assert client_de().get("/api/v1/annexes/").status_code == 403

    @pytest.mark.parametrize(
        ("parametres", "attendus"),
        [
            ({"type": "ETTI"}, ["b"]),
            ({"etat": "BROUILLON"}, ["brouillon"]),
            ({"annee": 2023}, ["a_2023"]),
            ({"annee": 2024, "type": "ACI"}, ["a", "brouillon"]),
            ({"departement": "55", "etat": "VALIDE", "annee": 2024}, ["a", "b"]),
            ({"departement": "57"}, []),  # outside the agent's scope: filtered out, not shown
            ({"search": "ETTI0552"}, ["b"]),
        ],
    )
    def test_filtres(self, client_de, agent_55, annexes, parametres, attendus):
        assert numeros(client_de(agent_55), **parametres) == sorted(annexes[cle].numero for cle in attendus)

    def test_filtre_siae(self, client_de, agent_55, personnel_a, annexes, siae_b, siae_57):
        assert numeros(client_de(agent_55), siae=siae_b.pk) == [annexes["b"].numero]
        assert numeros(client_de(agent_55), siae=siae_57.pk) == []
        assert numeros(client_de(personnel_a), siae=siae_b.pk) == []

    def test_annee_chevauchante(self, client_de, agent_55, siae_a):
        a_cheval = AnnexeFinanciereFactory(
            siae=siae_a, numero="ACI055240009A0M0", date_debut=dt.date(2024, 7, 1), date_fin=dt.date(2025, 6, 30)
        )
        client = client_de(agent_55)
        assert numeros(client, annee=2024) == numeros(client, annee=2025) == [a_cheval.numero]
        assert numeros(client, annee=2026) == []

    @pytest.mark.parametrize(
        "parametres", [{"annee": "deux-mille"}, {"annee": 1850}, {"type": "LICORNE"}, {"siae": "x"}]
    )
    def test_filtre_invalide(self, client_de, agent_55, parametres):
        reponse = client_de(agent_55).get("/api/v1/annexes/", parametres)
        assert reponse.status_code == 400
        assert set(reponse.json()) == set(parametres)

    def test_lecture_seule(self, client_de, agent_55, admin, annexes):
        annexe = annexes["a"]
        for utilisateur in (agent_55, admin):
            client = client_de(utilisateur)
            assert client.post("/api/v1/annexes/", {}, content_type="application/json").status_code == 405
            adresse = f"/api/v1/annexes/{annexe.pk}/"
            assert client.patch(adresse, {"etat": "ANNULE"}, content_type="application/json").status_code == 405
            assert client.delete(adresse).status_code == 405
        annexe.refresh_from_db()
        assert annexe.etat == EtatAnnexe.VALIDE

    def test_nombre_de_requetes_constant(self, client_de, agent_55, django_assert_max_num_queries):
        client = client_de(agent_55)

        def creer(nombre):
            for _ in range(nombre):
                annexe = AnnexeFinanciereFactory()
                ajouter_avenant(annexe, mois_effet=dt.date(2024, 3, 1), etp_conventionnes=Decimal("3"))

        creer(3)
        client.get("/api/v1/annexes/")  # the session, once
        with django_assert_max_num_queries(6):
            assert lire(client, "/api/v1/annexes/")["count"] == 3
        creer(17)
        with django_assert_max_num_queries(6):
            assert lire(client, "/api/v1/annexes/")["count"] == 20


# Consumption, on a small département built by hand (spec §4). 2024 is over: its figures are over the whole year.

HEURES_ACI = Decimal("1820")
HEURES_ETTI = Decimal("1607")


def deux_decimales(valeur: Decimal) -> str:
    return str(valeur.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def pourcentage(ratio: Decimal) -> str:
    return str((ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@pytest.fixture
def departement(annexes, siae_a, siae_b):
    """ACI A: 2 ETP, two salariés at 150 h a month from January to June (a first version of March, replaced, had
    more). ETTI B: 0.5 ETP, one salarié at 130 h a month from January to June. Draft and Moselle annexes have
    hours that must not count."""
    salaries_a = ParcoursFactory.create_batch(2, siae=siae_a)
    salarie_b = ParcoursFactory(siae=siae_b)
    for mois in range(1, 7):
        premier = dt.date(2024, mois, 1)
        if mois == 3:
            remplacee = DeclarationFactory(annexe=annexes["a"], mois=premier, etat="VALIDEE", retenue=False)
            for parcours in salaries_a:
                LigneDeclarationFactory(declaration=remplacee, parcours=parcours, heures_travaillees=200)
        declaration_a = DeclarationFactory(annexe=annexes["a"], mois=premier, version=2 if mois == 3 else 1)
        for parcours in salaries_a:
            LigneDeclarationFactory(declaration=declaration_a, parcours=parcours, heures_travaillees=150)
        declaration_b = DeclarationFactory(annexe=annexes["b"], mois=premier)
        LigneDeclarationFactory(declaration=declaration_b, parcours=salarie_b, heures_travaillees=130)
    for autre in ("brouillon", "metz"):
        LigneDeclarationFactory(declaration=DeclarationFactory(annexe=annexes[autre], mois=dt.date(2024, 2, 1)))
    rafraichir_tout()  # what the writes of production ask for when they commit
    return annexes


def attendu_consommation():
    """The figures, from the rules: ETP of a month = hours × 12 / annual hours; over the year, sums of ETP-mois
    divided by 12; the rate is réalisé / conventionné; the projection réalisé(jan..jun) × 12 / 6, in ETP."""
    reel_aci = 6 * (2 * Decimal(150)) * 12 / HEURES_ACI  # ETP-mois
    reel_etti = 6 * Decimal(130) * 12 / HEURES_ETTI
    conv_aci, conv_etti = Decimal(2) * 12, Decimal("0.5") * 12
    return {
        "aci": (reel_aci, conv_aci),
        "etti": (reel_etti, conv_etti),
        "par_type": [
            {
                "type": "ACI",
                "etp_conventionnes": "2.00",
                "etp_realises": deux_decimales(reel_aci / 12),
                "taux_consommation": pourcentage(reel_aci / conv_aci),
            },
            {
                "type": "ETTI",
                "etp_conventionnes": "0.50",
                "etp_realises": deux_decimales(reel_etti / 12),
                "taux_consommation": pourcentage(reel_etti / conv_etti),
            },
            {
                "type": "TOTAL",
                "etp_conventionnes": "2.50",
                "etp_realises": deux_decimales((reel_aci + reel_etti) / 12),
                "taux_consommation": pourcentage((reel_aci + reel_etti) / (conv_aci + conv_etti)),
            },
        ],
    }


class TestConsommation:
    def test_chiffres_du_departement(self, client_de, agent_55, departement, siae_a, siae_b):
        reponse = lire(client_de(agent_55), "/api/v1/consommation/", annee=2024, departement="55")
        attendu = attendu_consommation()
        assert reponse["annee"] == 2024
        assert reponse["departement"] == "55"
        assert reponse["par_type"] == attendu["par_type"]
        # Worked out by hand: 1800 h × 12 / 1820 = 11.868 ETP-mois, 0.99 ETP over the year, 49.5 %.
        assert [ligne["etp_realises"] for ligne in reponse["par_type"]] == ["0.99", "0.49", "1.47"]
        assert [ligne["taux_consommation"] for ligne in reponse["par_type"]] == ["49.5", "97.1", "59.0"]
        reel_aci, conv_aci = attendu["aci"]
        reel_etti, _ = attendu["etti"]
        assert reponse["siae"] == [
            {
                "id": siae_a.pk,
                "siret": siae_a.siret,
                "nom": "Jardins de Verdun",
                "type": "ACI",
                "etp_conventionnes": "2.00",
                "etp_realises": deux_decimales(reel_aci / 12),
                "taux_consommation": pourcentage(reel_aci / conv_aci),
                "statut_consommation": "sous-consommation",
                "taux_sorties_dynamiques": None,
                # A past year: the "projection" is the year's réalisé itself, over its twelve months.
                "projection": {
                    "mois_ecoules": 12,
                    "etp_realises": deux_decimales(reel_aci / 12),
                    "ecart": deux_decimales(reel_aci / 12 - 2),
                },
            },
            {
                "id": siae_b.pk,
                "siret": siae_b.siret,
                "nom": "Intérim du Barrois",
                "type": "ETTI",
                "etp_conventionnes": "0.50",
                "etp_realises": deux_decimales(reel_etti / 12),
                "taux_consommation": "97.1",
                "statut_consommation": "conforme",
                "taux_sorties_dynamiques": None,
                "projection": {
                    "mois_ecoules": 12,
                    "etp_realises": deux_decimales(reel_etti / 12),
                    "ecart": deux_decimales(reel_etti / 12 - Decimal("0.5")),
                },
            },
        ]
        assert reponse["siae"][0]["projection"] == {"mois_ecoules": 12, "etp_realises": "0.99", "ecart": "-1.01"}

    def test_memes_chiffres_que_l_export(self, client_de, agent_55, departement):
        from indicateurs.sections import indicateurs

        reponse = lire(client_de(agent_55), "/api/v1/consommation/", annee=2024, departement="55")
        export = indicateurs(2024, "55")
        assert reponse["par_type"] == export["consommation"]
        # The export's structure rows also carry their aides au poste (/api/v1/aides-au-poste/ has them).
        assert [{k: v for k, v in s.items() if k not in ("id", "projection")} for s in reponse["siae"]] == [
            {k: v for k, v in s.items() if k not in ("socle_conventionne", "modulation", "du")} for s in export["siae"]
        ]

    def test_membre_du_cdiae(self, client_de, membre_cdiae_55, departement):
        reponse = lire(client_de(membre_cdiae_55), "/api/v1/consommation/", annee=2024, departement="55")
        assert reponse["par_type"] == attendu_consommation()["par_type"]
        assert len(reponse["siae"]) == 2

    def test_personnel_ne_voit_que_sa_structure(self, client_de, personnel_a, departement, siae_a):
        reponse = lire(client_de(personnel_a), "/api/v1/consommation/", annee=2024, departement="55")
        aci = attendu_consommation()["par_type"][0]
        assert reponse["par_type"] == [aci, {**aci, "type": "TOTAL"}]
        assert [s["siret"] for s in reponse["siae"]] == [siae_a.siret]
        # Without a département: the same, their structure.
        assert lire(client_de(personnel_a), "/api/v1/consommation/", annee=2024)["siae"] == reponse["siae"]
        # Another département than their structure's.
        assert (
            client_de(personnel_a).get("/api/v1/consommation/", {"annee": 2024, "departement": "57"}).status_code
            == 404
        )

    @pytest.mark.parametrize(("role", "departement_demande"), [("agent_57", "55"), ("membre_cdiae_55", "57")])
    def test_departement_hors_perimetre(self, client_de, departement, request, role, departement_demande):
        client = client_de(request.getfixturevalue(role))
        reponse = client.get("/api/v1/consommation/", {"annee": 2024, "departement": departement_demande})
        assert reponse.status_code == 404
        assert reponse.json() == {"detail": "Ce département n'est pas dans votre périmètre."}

    def test_sans_departement_tout_le_perimetre(self, client_de, agent_57, admin, departement):
        moselle = lire(client_de(agent_57), "/api/v1/consommation/", annee=2024)
        assert moselle["departement"] is None
        assert [s["nom"] for s in moselle["siae"]] == ["Recyclerie de Metz"]
        tout = lire(client_de(admin), "/api/v1/consommation/", annee=2024)
        assert len(tout["siae"]) == 3
        assert tout["par_type"][-1]["etp_conventionnes"] == "4.50"

    def test_annee_sans_rien(self, client_de, agent_55, departement):
        reponse = lire(client_de(agent_55), "/api/v1/consommation/", annee=2030, departement="55")
        assert reponse["par_type"] == [
            {"type": "TOTAL", "etp_conventionnes": "0.00", "etp_realises": "0.00", "taux_consommation": None}
        ]
        assert reponse["siae"] == []

    def test_sans_declaration_pas_de_projection(self, client_de, agent_55, annexes):
        reponse = lire(client_de(agent_55), "/api/v1/consommation/", annee=2024, departement="55")
        assert {s["projection"] is None for s in reponse["siae"]} == {True}
        assert {s["etp_realises"] for s in reponse["siae"]} == {"0.00"}

    @pytest.mark.parametrize(
        ("parametres", "erreur"),
        [
            ({}, {"annee": ["Indiquez l'année (par exemple annee=2025)."]}),
            ({"departement": "55"}, {"annee": ["Indiquez l'année (par exemple annee=2025)."]}),
            ({"annee": "2O24"}, {"annee": ["L'année doit être un nombre entier (par exemple annee=2025)."]}),
            ({"annee": "1999"}, {"annee": ["L'année doit être comprise entre 2000 et 2100."]}),
            ({"annee": "2024", "departement": "99"}, {"departement": ["« 99 » n'est pas un code de département."]}),
        ],
    )
    def test_parametres_invalides(self, client_de, agent_55, parametres, erreur):
        reponse = client_de(agent_55).get("/api/v1/consommation/", parametres)
        assert reponse.status_code == 400
        assert reponse.json() == erreur

    def test_anonyme(self, client_de):
        assert client_de().get("/api/v1/consommation/", {"annee": 2024}).status_code == 403

    def test_nombre_de_requetes_constant(self, client_de, agent_55, django_assert_max_num_queries):
        client = client_de(agent_55)

        def creer(nombre):
            for _ in range(nombre):
                ligne = LigneDeclarationFactory(declaration__mois=dt.date(2024, 3, 1))
                LigneDeclarationFactory(declaration=ligne.declaration)

        creer(3)
        client.get("/api/v1/consommation/", {"annee": 2024})  # the session, once
        with django_assert_max_num_queries(15):
            assert len(lire(client, "/api/v1/consommation/", annee=2024, departement="55")["siae"]) == 3
        creer(17)
        with django_assert_max_num_queries(15):
            assert len(lire(client, "/api/v1/consommation/", annee=2024, departement="55")["siae"]) == 20


def test_schema(client_de, agent_55):
    reponse = client_de(agent_55).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert reponse.status_code == 200
    schema = reponse.json()
    assert {"/api/v1/annexes/", "/api/v1/annexes/{id}/", "/api/v1/consommation/"} <= schema["paths"].keys()
    parametres = {p["name"]: p for p in schema["paths"]["/api/v1/consommation/"]["get"]["parameters"]}
    assert parametres["annee"]["required"] is True
    assert "departement" in parametres
    reponse_200 = schema["paths"]["/api/v1/consommation/"]["get"]["responses"]["200"]
    assert reponse_200["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Consommation"}
    filtres = {p["name"] for p in schema["paths"]["/api/v1/annexes/"]["get"]["parameters"]}
    assert {"type", "etat", "annee", "siae", "departement"} <= filtres
    assert "etp_mensuels" in schema["components"]["schemas"]["AnnexeFinanciereDetail"]["properties"]
