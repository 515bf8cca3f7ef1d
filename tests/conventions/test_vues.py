"""Annexes and consumption pages."""

import datetime as dt
from decimal import Decimal

import pytest

from conventions.models import AnnexeFinanciere, EtatAnnexe
from declarations.models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration
from indicateurs.services import rafraichir_tout
from tests.factories import AnnexeFinanciereFactory, ParcoursFactory, SiaeFactory

pytestmark = pytest.mark.django_db


def declarer(annexe, heures_par_mois: dict[int, Decimal]):
    parcours = ParcoursFactory(siae=annexe.siae, date_embauche=annexe.date_debut)
    for mois, heures in heures_par_mois.items():
        declaration = DeclarationMensuelle.objects.create(
            annexe=annexe, mois=dt.date(annexe.date_debut.year, mois, 1), etat=EtatDeclaration.VALIDEE, retenue=True
        )
        LigneDeclaration.objects.create(declaration=declaration, parcours=parcours, heures_travaillees=heures)


class TestCreation:
    def donnees(self, siae, **autres):
        return {
            "siae": siae.pk,
            "numero": "ACI055240001A0M0",
            "date_debut": "2024-01-01",
            "date_fin": "2024-12-31",
            "etat": "VALIDE",
            "etp_conventionnes": "12,5",
            "heures_annuelles_par_etp": "",
            "taux_modulation_pourcent": "5",
            "montant_cofinance_cd": "10000",
            **autres,
        }

    def test_cree_l_annexe_ses_etp_mensuels_et_les_heures_du_type(self, client_de, agent_55, siae_a):
        reponse = client_de(agent_55).post("/annexes/nouvelle/", self.donnees(siae_a))
        annexe = AnnexeFinanciere.objects.get()
        assert reponse.url == f"/annexes/{annexe.pk}/"
        assert annexe.heures_annuelles_par_etp == Decimal("1820")
        assert annexe.taux_modulation == Decimal("0.05")
        assert annexe.etp_mensuels.count() == 12
        assert annexe.convention.siae == siae_a

    @pytest.mark.parametrize(
        ("changement", "champ", "message"),
        [
            ({"numero": "ACI05524001A0M0"}, "numero", "format"),
            ({"numero": "EI055240001A0M0"}, "numero", "ACI055"),
            ({"date_fin": "2024-12-30"}, "date_fin", "dernier jour d'un mois"),
            ({"taux_modulation_pourcent": "12"}, "taux_modulation_pourcent", "10"),
        ],
    )
    def test_refus_en_francais(self, client_de, agent_55, siae_a, changement, champ, message):
        reponse = client_de(agent_55).post("/annexes/nouvelle/", self.donnees(siae_a, **changement))
        assert reponse.status_code == 200
        assert message in " ".join(reponse.context["form"].errors[champ])
        assert not AnnexeFinanciere.objects.exists()

    def test_pas_pour_une_structure_d_un_autre_departement(self, client_de, agent_57, siae_a):
        reponse = client_de(agent_57).post("/annexes/nouvelle/", self.donnees(siae_a))
        assert "siae" in reponse.context["form"].errors
        assert not AnnexeFinanciere.objects.exists()


class TestAvenantEtEtat:
    def test_avenant_a_partir_d_un_mois(self, client_de, agent_55, siae_a):
        annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2024, etp_conventionnes=Decimal("10"))
        client_de(agent_55).post(
            f"/annexes/{annexe.pk}/avenant/",
            {"mois_effet": "2024-09", "etp_conventionnes": "12", "motif": "Extension"},
        )
        annexe.refresh_from_db()
        etp = list(annexe.etp_mensuels.order_by("mois").values_list("etp_conventionnes", flat=True))
        assert etp == [Decimal(10)] * 8 + [Decimal(12)] * 4
        assert annexe.numero.endswith("A1M0") and annexe.etp_conventionnes == Decimal(12)
        page = client_de(agent_55).get(f"/annexes/{annexe.pk}/").content.decode()
        assert "Extension" in page and annexe.numero in page

    def test_transitions_d_etat(self, client_de, agent_55, siae_a):
        annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2024)
        client = client_de(agent_55)
        client.post(f"/annexes/{annexe.pk}/etat/", {"etat": "CLOTURE", "confirme": "1"})
        annexe.refresh_from_db()
        assert annexe.etat == EtatAnnexe.CLOTURE
        client.post(f"/annexes/{annexe.pk}/etat/", {"etat": "BROUILLON", "confirme": "1"})  # not allowed from CLOTURE
        annexe.refresh_from_db()
        assert annexe.etat == EtatAnnexe.CLOTURE

    def test_la_structure_lit_son_annexe_sans_la_modifier(self, client_de, personnel_a, siae_a):
        annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2024)
        client = client_de(personnel_a)
        assert client.get(f"/annexes/{annexe.pk}/").status_code == 200
        assert client.get(f"/annexes/{annexe.pk}/avenant/").status_code == 404
        assert client.post(f"/annexes/{annexe.pk}/etat/", {"etat": "CLOTURE"}).status_code == 404


class TestConsommation:
    @pytest.fixture
    def departement(self, siae_a, siae_b):
        a = AnnexeFinanciereFactory(siae=siae_a, annee=2024, etp_conventionnes=Decimal("1.00"))
        b = AnnexeFinanciereFactory(siae=siae_b, annee=2024, etp_conventionnes=Decimal("2.00"))
        declarer(a, {m: Decimal("151.67") for m in range(1, 13)})
        declarer(b, {m: Decimal("200") for m in range(1, 13)})
        rafraichir_tout()  # what the writes of production ask for when they commit
        return a, b

    def test_tableau_par_type_et_total(self, client_de, agent_55, departement):
        reponse = client_de(agent_55).get("/consommation/", {"annee": 2024})
        lignes = {ligne.cle: ligne for ligne in reponse.context["par_type"]}
        aci = Decimal("151.67") * 12 / Decimal(1820)
        etti = Decimal(200) * 12 / Decimal(1607)
        assert lignes["ACI"].etp_realises == pytest.approx(aci, abs=Decimal("1e-9"))
        assert lignes["ETTI"].etp_realises == pytest.approx(etti, abs=Decimal("1e-9"))
        assert lignes["TOTAL"].etp_conventionnes == 3
        page = reponse.content.decode()
        assert "100,0\u00a0%" in page  # ACI: 151.67 h a month is one ETP at a tenth of a percent

    def test_tri_par_taux(self, client_de, agent_55, departement):
        reponse = client_de(agent_55).get("/consommation/", {"annee": 2024, "tri": "-taux"})
        taux = [s.reference.taux for s in reponse.context["structures"]]
        assert taux == sorted(taux, reverse=True)

    def test_la_structure_ne_voit_que_ses_chiffres(self, client_de, personnel_a, departement):
        reponse = client_de(personnel_a).get("/consommation/", {"annee": 2024})
        assert [s.nom for s in reponse.context["structures"]] == ["Jardins de Verdun"]

    def test_mois_par_mois_d_une_structure(self, client_de, agent_55, departement, siae_a):
        reponse = client_de(agent_55).get(f"/consommation/siae/{siae_a.pk}/", {"annee": 2024})
        assert len(reponse.context["lignes"]) == 12
        assert all(ligne.heures == Decimal("151.67") for ligne in reponse.context["lignes"])

    def test_autre_departement_404(self, client_de, agent_57, departement, siae_a):
        assert client_de(agent_57).get(f"/consommation/siae/{siae_a.pk}/").status_code == 404

    def test_requetes_constantes(self, client_de, agent_55, departement, django_assert_max_num_queries):
        client = client_de(agent_55)
        for url in ("/consommation/?annee=2024", "/annexes/?annee=2024"):
            client.get(url)
            with django_assert_max_num_queries(14):
                client.get(url)
        for _ in range(12):
            declarer(AnnexeFinanciereFactory(siae=SiaeFactory(departement="55"), annee=2024), {1: Decimal(10)})
        rafraichir_tout()
        for url in ("/consommation/?annee=2024", "/annexes/?annee=2024"):
            with django_assert_max_num_queries(14):
                reponse = client.get(url)
            assert reponse.status_code == 200
        assert len(client.get("/consommation/?annee=2024").context["structures"]) == 14


def test_l_administrateur_voit_chaque_departement(client_de, admin, siae_a, siae_57):
    for siae in (siae_a, siae_57):
        declarer(AnnexeFinanciereFactory(siae=siae, annee=2024, etp_conventionnes=Decimal("1.00")), {1: Decimal(100)})
    rafraichir_tout()
    reponse = client_de(admin).get("/consommation/", {"annee": 2024})
    lignes = {code: ligne for code, _, ligne in reponse.context["par_departement"]}
    assert set(lignes) == {"55", "57"}
    assert lignes["55"].conv_etp_mois == 12
    assert lignes["55"].real_etp_mois == pytest.approx(Decimal(100) * 12 / Decimal(1820), abs=Decimal("1e-9"))
    # An agent sees their département only, without this table.
    assert (
        client_de(admin).get("/consommation/", {"annee": 2024, "departement": "57"}).context["par_departement"] == []
    )
