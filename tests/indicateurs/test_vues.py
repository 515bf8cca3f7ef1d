"""Pages of the sorties dynamiques, the publics and the dialogue de gestion: per role, 404s, query counts."""

import datetime as dt
from decimal import Decimal

import pytest

from declarations.models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration
from indicateurs.services import rafraichir_tout
from parcours.models import MotifSortie
from tests.factories import AnnexeFinanciereFactory, ParcoursFactory, SiaeFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db

D = dt.date


def embaucher(annexe, date_embauche, sortie=None, motif=None, heures="100", mois=None, **situation):
    """A parcours in the annexe's structure, with hours declared for one month of the annexe."""
    parcours = ParcoursFactory(
        siae=annexe.siae,
        date_embauche=date_embauche,
        date_sortie=sortie,
        motif_sortie=MotifSortie.objects.get(code=motif) if motif else None,
        **situation,
    )
    declaration, _ = DeclarationMensuelle.objects.get_or_create(
        annexe=annexe,
        mois=mois or annexe.date_debut,
        defaults={"etat": EtatDeclaration.VALIDEE, "retenue": True},
    )
    LigneDeclaration.objects.create(declaration=declaration, parcours=parcours, heures_travaillees=Decimal(heures))
    return parcours


@pytest.fixture
def donnees(siae_a, siae_b, siae_57):
    """ACI A: in 2024, three examined exits out of three hires (a CDI, a training, unemployment: 2/3), one bRSA
    hire (33.3 % against its annexe's 35 %); in 2023 one CDI. ETTI B: one exit after 200 h (a short CDD), one
    after 100 h (not examined). Moselle: one CDI."""
    a = AnnexeFinanciereFactory(
        siae=siae_a,
        annee=2024,
        objectif_sorties_dynamiques=Decimal("60"),
        objectif_emploi_durable=Decimal("25"),
        objectif_part_brsa=Decimal("35"),
    )
    a_2023 = AnnexeFinanciereFactory(siae=siae_a, annee=2023)
    b = AnnexeFinanciereFactory(siae=siae_b, annee=2024)
    moselle = AnnexeFinanciereFactory(siae=siae_57, annee=2024)
    embaucher(a, D(2024, 1, 1), D(2024, 6, 30), "CDI", brsa=True)
    embaucher(a, D(2024, 1, 1), D(2024, 6, 30), "FORMATION_QUALIFIANTE")
    embaucher(a, D(2024, 1, 1), D(2024, 6, 30), "CHOMAGE")
    embaucher(a_2023, D(2023, 1, 1), D(2023, 12, 31), "CDI")
    embaucher(b, D(2024, 1, 1), D(2024, 3, 31), "CDD_MOINS_6M", heures="200")
    embaucher(b, D(2024, 1, 1), D(2024, 3, 31), "CDI", heures="100")
    embaucher(moselle, D(2024, 1, 1), D(2024, 12, 31), "CDI")
    rafraichir_tout()  # what the writes of production ask for when they commit
    return {"a": a, "b": b, "57": moselle}


def par_cle(lignes):
    return {ligne.cle: ligne for ligne in lignes}


class TestSorties:
    def test_agent_trois_annees_et_structures(self, client_de, agent_55, donnees):
        reponse = client_de(agent_55).get("/sorties/", {"annee": 2024})
        assert reponse.status_code == 200
        assert reponse.context["colonnes"] == [2024, 2023, 2022]
        lignes = par_cle(reponse.context["par_type"])
        assert list(lignes) == ["ACI", "ETTI", "TOTAL"]
        assert [c.taux_sorties_dynamiques for c in lignes["ACI"].comptes] == [Decimal(2) / 3, Decimal(1), None]
        assert lignes["ETTI"].courant.examinees == 1
        assert lignes["TOTAL"].courant.taux_sorties_dynamiques == Decimal("0.75")
        assert sorted(s.structure.nom for s in reponse.context["structures"]) == [
            "Intérim du Barrois",
            "Jardins de Verdun",
        ]
        page = reponse.content.decode()
        assert "66,7\u00a0%" in page and "75,0\u00a0%" in page and "100,0\u00a0%" in page
        assert f'href="/dialogue/{donnees["a"].pk}/"' in page
        assert reponse.context["par_departement"] is None

    def test_ei_etti_ensemble(self, client_de, agent_55, donnees):
        ei = AnnexeFinanciereFactory(siae=SiaeFactory(ei=True), annee=2024)
        embaucher(ei, D(2024, 1, 1), D(2024, 4, 1), "CHOMAGE")
        rafraichir_tout()
        reponse = client_de(agent_55).get("/sorties/", {"annee": 2024})
        ensemble = reponse.context["ei_etti"]
        assert (ensemble.courant.examinees, ensemble.courant.taux_sorties_dynamiques) == (2, Decimal("0.5"))
        assert "EI/ETTI ensemble" in reponse.content.decode()

    def test_objectif_de_l_annexe(self, client_de, agent_55, donnees):
        reponse = client_de(agent_55).get("/sorties/", {"annee": 2024, "tri": "nom"})
        barrois, jardins = reponse.context["structures"]
        assert (jardins.objectif, jardins.sous_l_objectif) == (Decimal("60"), False)  # 66.7 % ≥ 60 %
        assert (barrois.objectif, barrois.sous_l_objectif) == (None, False)

    def test_structure_avec_annexe_sans_sortie(self, client_de, agent_55, donnees):
        AnnexeFinanciereFactory(siae=SiaeFactory(nom="Sans sortie"), annee=2024)
        reponse = client_de(agent_55).get("/sorties/", {"annee": 2024})
        sans = next(s for s in reponse.context["structures"] if s.structure.nom == "Sans sortie")
        assert (sans.compte.examinees, sans.compte.taux_sorties_dynamiques) == (0, None)

    def test_personnel_de_la_structure(self, client_de, personnel_a, donnees):
        reponse = client_de(personnel_a).get("/sorties/", {"annee": 2024})
        assert list(par_cle(reponse.context["par_type"])) == ["ACI", "TOTAL"]
        assert [s.structure.nom for s in reponse.context["structures"]] == ["Jardins de Verdun"]

    def test_membre_du_cdiae_chiffres_agreges(self, client_de, membre_cdiae_55, donnees):
        reponse = client_de(membre_cdiae_55).get("/sorties/", {"annee": 2024})
        assert reponse.status_code == 200
        assert len(reponse.context["structures"]) == 2
        assert par_cle(reponse.context["par_type"])["TOTAL"].courant.examinees == 4

    def test_autre_departement(self, client_de, agent_57, donnees):
        reponse = client_de(agent_57).get("/sorties/", {"annee": 2024})
        assert [s.structure.nom for s in reponse.context["structures"]] == ["Recyclerie de Metz"]

    def test_administrateur_par_departement(self, client_de, admin, donnees):
        reponse = client_de(admin).get("/sorties/", {"annee": 2024})
        departements = par_cle(reponse.context["par_departement"])
        assert list(departements) == ["55", "57", "TOTAL"]
        assert departements["TOTAL"].courant.examinees == 5
        reponse = client_de(admin).get("/sorties/", {"annee": 2024, "departement": "57"})
        assert reponse.context["par_departement"] is None
        assert par_cle(reponse.context["par_type"])["TOTAL"].courant.examinees == 1

    def test_choix_du_departement(self, client_de, donnees):
        agent = UtilisateurFactory(agent_ddets="55", membre_cdiae="57")
        client = client_de(agent)
        assert client.get("/sorties/", {"annee": 2024}).context["departement"] == "55"
        reponse = client.get("/sorties/", {"annee": 2024, "departement": "57"})
        assert [s.structure.nom for s in reponse.context["structures"]] == ["Recyclerie de Metz"]
        assert '<select class="fr-select" id="departement"' in reponse.content.decode()
        assert client.get("/sorties/", {"annee": 2024, "departement": "13"}).context["departement"] == "55"

    @pytest.mark.parametrize("annee", ["deux-mille", "0", "-5", "99999"])
    def test_annee_invalide(self, client_de, agent_55, donnees, annee):
        for url in ("/sorties/", "/publics/"):
            reponse = client_de(agent_55).get(url, {"annee": annee})
            assert reponse.context["annee"] == dt.date.today().year

    def test_sans_organisation_ni_connexion(self, client_de, donnees):
        reponse = client_de(UtilisateurFactory()).get("/sorties/", {"annee": 2024})
        assert reponse.context["structures"] == []
        assert [ligne.cle for ligne in reponse.context["par_type"]] == ["TOTAL"]
        assert client_de().get("/sorties/").status_code == 302


class TestPublics:
    def test_agent(self, client_de, agent_55, donnees):
        reponse = client_de(agent_55).get("/publics/", {"annee": 2024})
        assert reponse.status_code == 200
        lignes = par_cle(reponse.context["par_type"])
        assert list(lignes) == ["ACI", "ETTI", "TOTAL"]
        assert lignes["ACI"].publics.salaries == 3 and lignes["TOTAL"].publics.salaries == 5
        assert lignes["ACI"].embauches.part == Decimal(1) / 3
        jardins = next(s for s in reponse.context["structures"] if s.structure.nom == "Jardins de Verdun")
        assert jardins.embauches.objectif == 35 and jardins.embauches.sous_l_objectif
        page = reponse.content.decode()
        assert "33,3\u00a0%" in page and "35,0&nbsp;%" in page and "Sous l'objectif" in page

    def test_personnel_et_cdiae(self, client_de, personnel_a, membre_cdiae_55, donnees):
        reponse = client_de(personnel_a).get("/publics/", {"annee": 2024})
        assert [s.structure.nom for s in reponse.context["structures"]] == ["Jardins de Verdun"]
        reponse = client_de(membre_cdiae_55).get("/publics/", {"annee": 2024})
        assert par_cle(reponse.context["par_type"])["TOTAL"].publics.salaries == 5

    def test_autre_departement(self, client_de, agent_57, donnees):
        reponse = client_de(agent_57).get("/publics/", {"annee": 2024})
        assert [s.structure.nom for s in reponse.context["structures"]] == ["Recyclerie de Metz"]


class TestDialogue:
    def test_objectifs_et_ecarts(self, client_de, agent_55, donnees):
        reponse = client_de(agent_55).get(f"/dialogue/{donnees['a'].pk}/")
        assert reponse.status_code == 200
        lignes = {ligne.libelle: ligne for ligne in reponse.context["lignes"]}
        dynamiques = lignes["Sorties dynamiques"]
        assert dynamiques.realise == Decimal(2) / 3
        assert dynamiques.ecart == Decimal(200) / 3 - 60
        assert lignes["dont emploi durable"].ecart == Decimal(100) / 3 - 25
        assert lignes["dont emploi de transition"].ecart is None  # no objective negotiated
        brsa = lignes["Part de bénéficiaires du RSA dans les embauches"]
        assert (brsa.objectif, brsa.objectif_par_defaut, brsa.sous_l_objectif) == (35, False, True)
        page = reponse.content.decode()
        assert "+6,7&nbsp;pts" in page and "-1,7&nbsp;pts" in page
        assert [a for a, _ in reponse.context["sorties"].par_annee] == [2024, 2023, 2022]

    def test_sans_objectif(self, client_de, agent_55, donnees):
        reponse = client_de(agent_55).get(f"/dialogue/{donnees['b'].pk}/")
        lignes = {ligne.libelle: ligne for ligne in reponse.context["lignes"]}
        assert lignes["Sorties dynamiques"].objectif is None and lignes["Sorties dynamiques"].realise == 1
        brsa = lignes["Part de bénéficiaires du RSA dans les embauches"]
        assert (brsa.objectif, brsa.objectif_par_defaut, brsa.realise) == (40, True, 0)
        page = reponse.content.decode()
        assert "non négocié (plancher historique" in page and "(par défaut)" in page

    @pytest.mark.parametrize(
        ("role", "annexe", "statut"),
        [
            ("agent_55", "a", 200),
            ("membre_cdiae_55", "a", 200),
            ("personnel_a", "a", 200),
            ("admin", "57", 200),
            ("agent_57", "a", 404),
            ("personnel_b", "a", 404),
            ("personnel_a", "b", 404),
            ("agent_55", "57", 404),
            ("membre_cdiae_55", "57", 404),
        ],
    )
    def test_perimetre(self, client_de, request, donnees, role, annexe, statut):
        client = client_de(request.getfixturevalue(role))
        assert client.get(f"/dialogue/{donnees[annexe].pk}/").status_code == statut

    def test_inconnue_et_anonyme(self, client_de, agent_55, donnees):
        assert client_de(agent_55).get("/dialogue/999999/").status_code == 404
        assert client_de().get(f"/dialogue/{donnees['a'].pk}/").status_code == 302


class TestNombreDeRequetes:
    @pytest.mark.parametrize("role", ["agent_55", "membre_cdiae_55", "admin"])
    def test_constant(self, client_de, request, donnees, django_assert_max_num_queries, role):
        """At most twelve queries: the publics page counts each of its three groupings in two (the salariés counted
        once, then those of several parcours)."""
        client = client_de(request.getfixturevalue(role))
        urls = ["/sorties/?annee=2024", "/publics/?annee=2024", f"/dialogue/{donnees['a'].pk}/"]
        for url in urls:
            client.get(url)  # the session, once
            with django_assert_max_num_queries(12):
                assert client.get(url).status_code == 200
        for rang in range(12):
            annexe = AnnexeFinanciereFactory(siae=SiaeFactory(ai=rang % 2 == 0), annee=2024)
            embaucher(annexe, D(2024, 1, 1), D(2024, 6, 30), "CDI", heures="160", brsa=True)
            embaucher(annexe, D(2024, 2, 1))
        rafraichir_tout()  # what the writes of production ask for when they commit
        for url in urls:
            with django_assert_max_num_queries(12):
                reponse = client.get(url)
            assert reponse.status_code == 200
        structures = 14 + (role == "admin")  # the Moselle one
        assert len(client.get(urls[0]).context["structures"]) == structures
        assert len(client.get(urls[1]).context["structures"]) == structures
