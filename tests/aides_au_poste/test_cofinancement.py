"""The Département's co-financing of bRSA in ACI (spec §5): the target per month from the dated RSA table, the bRSA
actually employed, the pages and the RSA table agents maintain. Expected values are computed here from the rule."""

import datetime as dt
from decimal import Decimal

import pytest

from aides_au_poste.models import MontantRsa
from aides_au_poste.queries_cofinancement import cofinancement_des_annexes, total
from aides_au_poste.regles_cofinancement import LigneRsa, cible_brsa, cout_mensuel_brsa, rsa_du_mois
from tests.factories import (
    AnnexeFinanciereFactory,
    DeclarationFactory,
    LigneDeclarationFactory,
    ParcoursFactory,
    SiaeFactory,
)

# The rows of the shipped table in force in 2025 (financement/data/montants_rsa.csv).
RSA_2024 = Decimal("635.71")
RSA_2025 = Decimal("646.52")


def proche(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) < Decimal("1e-20")


def cible(montant, mois, rsa):
    return Decimal(montant) / mois / (Decimal("0.88") * rsa)


class TestRegles:
    def test_la_cible_du_mois(self):
        # 24 000 € over 12 months: 2 000 € a month, each bRSA costs 88 % of 646,52 € = 568,9376 €.
        assert cout_mensuel_brsa(RSA_2025) == Decimal("568.9376")
        assert cible_brsa(Decimal("24000"), 12, RSA_2025) == Decimal(2000) / Decimal("568.9376")
        assert round(cible_brsa(Decimal("24000"), 12, RSA_2025), 4) == Decimal("3.5153")

    def test_sans_montant_ni_rsa_pas_de_cible(self):
        assert cible_brsa(Decimal(0), 12, RSA_2025) == 0
        assert cible_brsa(Decimal(1000), 12, Decimal(0)) == 0

    def test_le_montant_en_vigueur_le_premier_du_mois(self):
        lignes = [LigneRsa(dt.date(2025, 4, 1), RSA_2025), LigneRsa(dt.date(2024, 4, 15), RSA_2024)]
        assert rsa_du_mois(lignes, dt.date(2025, 3, 1)).montant == RSA_2024
        assert rsa_du_mois(lignes, dt.date(2025, 4, 1)).montant == RSA_2025
        # A row dated the 15th applies from the next month.
        assert rsa_du_mois(lignes, dt.date(2024, 4, 1)) is None
        assert rsa_du_mois(lignes, dt.date(2024, 5, 1)).montant == RSA_2024


def declarer(annexe, mois, brsa: int, autres: int = 0, brsa_sans_heures: int = 0, retenue=True, version=1):
    declaration = DeclarationFactory(annexe=annexe, mois=mois, retenue=retenue, version=version)
    for i in range(brsa + autres + brsa_sans_heures):
        parcours = ParcoursFactory(
            siae=annexe.siae, brsa=i < brsa or i >= brsa + autres, date_embauche=dt.date(2025, 1, 1)
        )
        heures = Decimal(0) if i >= brsa + autres else Decimal("120")
        LigneDeclarationFactory(declaration=declaration, parcours=parcours, heures_travaillees=heures)
    return declaration


@pytest.fixture
def cofinancee(siae_a):
    annexe = AnnexeFinanciereFactory(
        siae=siae_a, annee=2025, etp_conventionnes=Decimal("10"), montant_cofinance_cd=Decimal("24000")
    )
    declarer(annexe, dt.date(2025, 1, 1), brsa=3, autres=1, brsa_sans_heures=1)
    # An earlier version of January, replaced: its lines do not count.
    declarer(annexe, dt.date(2025, 1, 1), brsa=9, retenue=False, version=2)
    declarer(annexe, dt.date(2025, 2, 1), brsa=5)
    declarer(annexe, dt.date(2025, 3, 1), brsa=0, autres=2)
    return annexe


def test_cible_et_brsa_employes_mois_par_mois(cofinancee):
    from conventions.models import AnnexeFinanciere

    (c,) = cofinancement_des_annexes(AnnexeFinanciere.objects.all())
    assert c.nombre_de_mois == 12 and c.montant == Decimal("24000")
    assert [m.brsa for m in c.mois[:4]] == [3, 5, 0, None]
    cibles = [cible(24000, 12, RSA_2024)] * 3 + [cible(24000, 12, RSA_2025)] * 9
    assert [m.cible for m in c.mois] == cibles
    assert [m.atteint for m in c.mois[:4]] == [False, True, False, None]
    assert c.mois_sous_la_cible == 2
    assert c.brsa_moyen == Decimal(8) / 3
    # Means of Decimals: equal to the 20th decimal (the 28-digit context rounds the last one).
    assert proche(c.cible_moyenne_declaree, cible(24000, 12, RSA_2024))
    assert proche(c.cible_moyenne, sum(cibles) / 12)
    assert proche(c.taux_d_atteinte, (Decimal(8) / 3) / cible(24000, 12, RSA_2024))
    t = total([c])
    assert t.montant == Decimal("24000") and t.annexes == 1 and t.taux_d_atteinte == c.taux_d_atteinte


def test_une_annexe_non_cofinancee_n_y_est_pas(siae_b):
    from conventions.models import AnnexeFinanciere

    AnnexeFinanciereFactory(siae=siae_b, annee=2025)
    assert cofinancement_des_annexes(AnnexeFinanciere.objects.all()) == []


def test_la_page_du_departement(client_de, agent_55, cofinancee, siae_57):
    AnnexeFinanciereFactory(siae=siae_57, annee=2025, montant_cofinance_cd=Decimal("99000"))
    reponse = client_de(agent_55).get("/aides-au-poste/cofinancement/", {"annee": 2025})
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "24\u202f000,00\xa0€" in contenu
    assert "99\u202f000" not in contenu  # the Moselle's annexe
    assert [c.annexe_id for c in reponse.context["cofinancements"]] == [cofinancee.pk]
    detail = client_de(agent_55).get(f"/aides-au-poste/cofinancement/{cofinancee.pk}/")
    assert detail.status_code == 200
    assert "sous la cible" in detail.content.decode() and "Décret n° 2025-293" in detail.content.decode()


def test_le_cdiae_voit_les_chiffres_agreges_et_une_autre_structure_repond_404(
    client_de, membre_cdiae_55, personnel_b, cofinancee
):
    assert client_de(membre_cdiae_55).get(f"/aides-au-poste/cofinancement/{cofinancee.pk}/").status_code == 200
    assert client_de(personnel_b).get(f"/aides-au-poste/cofinancement/{cofinancee.pk}/").status_code == 404
    reponse = client_de(personnel_b).get("/aides-au-poste/cofinancement/", {"annee": 2025})
    assert reponse.context["cofinancements"] == []


def test_le_nombre_de_requetes_ne_croit_pas(client_de, agent_55, cofinancee, django_assert_max_num_queries):
    client = client_de(agent_55)
    client.get("/aides-au-poste/cofinancement/", {"annee": 2025})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as une:
        client.get("/aides-au-poste/cofinancement/", {"annee": 2025})
    for _ in range(3):
        annexe = AnnexeFinanciereFactory(siae=SiaeFactory(aci=True), annee=2025, montant_cofinance_cd=Decimal("12000"))
        declarer(annexe, dt.date(2025, 1, 1), brsa=2)
    with django_assert_max_num_queries(len(une)):
        reponse = client.get("/aides-au-poste/cofinancement/", {"annee": 2025})
    assert len(reponse.context["cofinancements"]) == 4


class TestTableRsa:
    def test_un_agent_ajoute_une_revalorisation(self, client_de, agent_55):
        reponse = client_de(agent_55).post(
            "/aides-au-poste/rsa/",
            {"date_effet": "2026-04-01", "montant_forfaitaire": "655,00", "source": "Décret du 30 mars 2026"},
        )
        assert reponse.status_code == 302
        ligne = MontantRsa.objects.get(date_effet=dt.date(2026, 4, 1))
        assert ligne.montant_forfaitaire == Decimal("655.00") and ligne.auteur == agent_55
        assert ligne.pris_en_charge == Decimal("576.4000")

    def test_une_date_deja_presente_est_refusee(self, client_de, agent_55):
        reponse = client_de(agent_55).post(
            "/aides-au-poste/rsa/", {"date_effet": "2025-04-01", "montant_forfaitaire": "700", "source": "erreur"}
        )
        assert reponse.status_code == 200
        assert "Le montant au 01/04/2025 est déjà dans la table." in reponse.content.decode()
        assert MontantRsa.objects.get(date_effet=dt.date(2025, 4, 1)).montant_forfaitaire == RSA_2025

    def test_la_source_est_obligatoire(self, client_de, agent_55):
        reponse = client_de(agent_55).post(
            "/aides-au-poste/rsa/", {"date_effet": "2026-04-01", "montant_forfaitaire": "655"}
        )
        assert reponse.status_code == 200
        assert not MontantRsa.objects.filter(date_effet=dt.date(2026, 4, 1)).exists()

    def test_reservee_aux_agents(self, client_de, membre_cdiae_55, personnel_a):
        for utilisateur in (membre_cdiae_55, personnel_a):
            assert client_de(utilisateur).get("/aides-au-poste/rsa/").status_code == 404
