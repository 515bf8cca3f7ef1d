"""The redeployment simulator's page: DDETS agents of the département only, the moves read from the query string,
refused with a message naming the line and the field, the proposal exported, a fixed number of queries.

2024 is over: its reference period is the whole year and the projection is the réalisé itself."""

import datetime as dt
from decimal import Decimal

import pytest

from aides_au_poste.models import BaremeAideAuPoste
from aides_au_poste.regles import arrondi_euro
from tests.base.formules import PIEGE, verifier_csv, verifier_xlsx
from tests.base.lecture_exports import FORMAT_MOIS, FORMAT_MONTANT, FORMAT_TAUX, feuilles_xlsx, lignes_csv, rangs_xlsx
from tests.factories import AnnexeFinanciereFactory, LigneDeclarationFactory, SiaeFactory

pytestmark = pytest.mark.django_db

URL = "/pilotage/redeploiement/"
D = Decimal


def declarer(annexe, heures: str, mois: list[int]) -> None:
    """One line of `heures` in each of the months."""
    for m in mois:
        LigneDeclarationFactory(
            declaration__annexe=annexe, declaration__mois=dt.date(2024, m, 1), heures_travaillees=D(heures)
        )


@pytest.fixture
def annexes(siae_a, siae_b, siae_57):
    # A (ACI, 5 ETP = 60 ETP-mois): 10 months of 182 h = 1 820 h × 12 / 1 820 = 12 ETP-mois réalisés: 20 %.
    a = AnnexeFinanciereFactory(siae=siae_a, annee=2024, etp_conventionnes=D(5))
    declarer(a, "182", list(range(1, 11)))
    # B (ETTI, 1 ETP = 12 ETP-mois): 12 months of 160,70 h = 1 928,4 h × 12 / 1 607 = 14,4 ETP-mois: 120 %.
    b = AnnexeFinanciereFactory(siae=siae_b, annee=2024, etp_conventionnes=D(1))
    declarer(b, "160.70", list(range(1, 13)))
    moselle = AnnexeFinanciereFactory(siae=siae_57, annee=2024, etp_conventionnes=D(3))
    return {"a": a, "b": b, "57": moselle}


def mouvement(n: int, source, destination, etp: str, mois: str) -> dict:
    return {
        f"l{n}-source": source.pk,
        f"l{n}-destination": destination.pk,
        f"l{n}-etp": etp,
        f"l{n}-mois": mois,
    }


def simulation(*mouvements, **autres) -> dict:
    parametres = {"annee": 2024, "simulation": "1"}
    for m in mouvements:
        parametres.update(m)
    return {**parametres, **autres}


@pytest.mark.parametrize(
    "role,attendu",
    [("agent_55", 200), ("agent_57", 200), ("admin", 200), ("personnel_a", 404), ("membre_cdiae_55", 404)],
)
def test_reserve_aux_agents(request, client_de, annexes, role, attendu):
    assert client_de(request.getfixturevalue(role)).get(URL, {"annee": 2024}).status_code == attendu


def test_anonyme_renvoye_a_la_connexion(client_de):
    assert client_de(None).get(URL).status_code == 302


def test_les_annexes_du_departement_et_leur_projection(client_de, agent_55, annexes):
    reponse = client_de(agent_55).get(URL, {"annee": 2024})
    simulation_ = reponse.context["simulation"]
    # Sorted by projected rate: A (12 / 60 = 20 %) then B (14,4 / 12 = 120 %); nothing of the Moselle.
    assert [s.numero for s in simulation_.annexes] == [annexes["a"].numero, annexes["b"].numero]
    a, b = simulation_.annexes
    assert (a.taux_projete_avant, a.statut_avant) == (D("0.2"), "sous-consommation")
    assert (b.taux_projete_avant, b.statut_avant) == (D("1.2"), "sur-consommation")
    page = reponse.content.decode()
    assert "Recyclerie de Metz" not in page
    assert "20,0\u00a0%" in page and "120,0\u00a0%" in page
    # 1 annexe below: 60 − 12 = 48 ETP-mois, 4 ETP unused; 1 above: 14,4 − 12 = 2,4 ETP-mois, 0,20 ETP.
    assert reponse.context["marge"] == D(4) and reponse.context["besoin"] == D("0.2")
    assert not simulation_.simulee


def test_un_mouvement_a_travers_la_revalorisation_de_novembre(client_de, agent_55, annexes):
    # The published barème rows the amounts below are computed from.
    bareme = {
        (ligne.type, ligne.date_effet): ligne.montant_socle_annuel_par_etp
        for ligne in BaremeAideAuPoste.objects.filter(date_effet__year=2024)
    }
    assert bareme[("ACI", dt.date(2024, 1, 1))] == D(23458) and bareme[("ACI", dt.date(2024, 11, 1))] == D(23921)
    assert bareme[("ETTI", dt.date(2024, 1, 1))] == D(4688) and bareme[("ETTI", dt.date(2024, 11, 1))] == D(4781)
    reponse = client_de(agent_55).get(
        URL, simulation(mouvement(1, annexes["a"], annexes["b"], "1", "2024-07"), departement="55")
    )
    simulation_ = reponse.context["simulation"]
    assert reponse.context["erreurs"] == []
    structures = {s.libelle: s for s in simulation_.structures}
    a, b = structures["Jardins de Verdun"], structures["Intérim du Barrois"]
    # A: 5 × 6 + 4 × 6 = 54 ETP-mois; 12 / 54 = 22,2 %.
    assert (a.conv_avant, a.conv_apres) == (D(60), D(54))
    assert f"{a.taux_projete_apres * 100:.1f}" == "22.2"
    # B: 1 × 6 + 2 × 6 = 18; 14,4 / 18 = 80 %: from sur- to sous-consommation.
    assert (b.conv_avant, b.conv_apres) == (D(12), D(18))
    assert b.taux_projete_apres == D("0.8")
    assert (b.statut_avant, b.statut_apres) == ("sur-consommation", "sous-consommation")
    # Socle, July–October at the January rate, November–December at the revalued one:
    # A: −(4 × 23 458 + 2 × 23 921) / 12 = −141 674 / 12 = −11 806,1666…
    # B: +(4 × 4 688 + 2 × 4 781) / 12 = 28 314 / 12 = +2 359,50
    assert arrondi_euro(a.delta_socle) == D("-11806.17")
    assert arrondi_euro(b.delta_socle) == D("2359.50")
    assert arrondi_euro(simulation_.total.delta_socle) == D("-9446.67")
    assert simulation_.total.conv_avant == simulation_.total.conv_apres == D(72)
    page = reponse.content.decode()
    assert "-11\u202f806,17\u00a0€" in page
    assert "+2\u202f359,50\u00a0€" in page
    assert "-9\u202f446,67\u00a0€" in page  # the département: −11 806,17 + 2 359,50


def test_annexe_d_un_autre_departement_refusee(client_de, agent_55, annexes):
    reponse = client_de(agent_55).get(URL, simulation(mouvement(1, annexes["57"], annexes["a"], "1", "2024-07")))
    assert reponse.status_code == 200
    message = "Ligne 1, « annexe qui cède » : cette annexe n'est pas une annexe active du département 55 en 2024"
    assert [str(e) for e in reponse.context["erreurs"]] == [message]
    assert not reponse.context["simulation"].simulee
    page = reponse.content.decode()
    assert "La proposition ne tient pas" in page
    assert "Recyclerie de Metz" not in page and annexes["57"].numero not in page


def test_un_agent_ne_choisit_pas_un_autre_departement(client_de, agent_55, annexes):
    reponse = client_de(agent_55).get(URL, {"annee": 2024, "departement": "57"})
    assert reponse.context["departement"] == "55"
    assert [s.libelle for s in reponse.context["simulation"].annexes] == ["Jardins de Verdun", "Intérim du Barrois"]


def test_messages_des_champs(client_de, agent_55, annexes):
    parametres = simulation(
        mouvement(1, annexes["a"], annexes["a"], "1", "2024-07"),
        {"l2-source": annexes["a"].pk, "l2-etp": "beaucoup", "l2-mois": "2024-07"},
        mouvement(3, annexes["b"], annexes["a"], "1,5", "2024-03"),
        lignes="3",
    )
    reponse = client_de(agent_55).get(URL, parametres)
    # Every line's messages at once, in the order of the lines: B has only 1 ETP.
    depasse = (
        f"Ligne 3, « ETP déplacés » : l'annexe {annexes['b'].numero} n'a que 1,00 ETP conventionnés en mars 2024 : "
        "impossible d'en retirer 1,50"
    )
    meme_annexe = (
        "Ligne 1, « annexe qui reçoit » : c'est aussi l'annexe qui cède : choisissez deux annexes différentes"
    )
    assert [str(e) for e in reponse.context["erreurs"]] == [
        meme_annexe,
        "Ligne 2, « annexe qui reçoit » : choisissez l'annexe qui les reçoit",
        "Ligne 2, « ETP déplacés » : saisissez un nombre",
        depasse,
    ]
    assert not reponse.context["simulation"].simulee
    corrige = {**parametres, "l2-destination": annexes["b"].pk, "l2-etp": "1", "l2-mois": "2024-08"}
    assert [str(e) for e in client_de(agent_55).get(URL, corrige).context["erreurs"]] == [meme_annexe, depasse]
    page = client_de(agent_55).get(URL, corrige).content.decode()
    # Also under the field itself.
    assert "C&#x27;est aussi l&#x27;annexe qui cède : choisissez deux annexes différentes." in page


def test_les_lignes_vides_sont_ignorees_et_on_en_ajoute(client_de, agent_55, annexes):
    reponse = client_de(agent_55).get(URL, simulation({"l1-mois": "2024-12", "l2-mois": "2024-12"}, lignes=["2", "3"]))
    assert reponse.context["erreurs"] == []
    assert len(reponse.context["formulaires"]) == 3
    assert reponse.context["sans_mouvement"]
    assert "Aucun mouvement saisi" in reponse.content.decode()


def test_exporter_la_proposition_en_csv(client_de, agent_55, annexes):
    reponse = client_de(agent_55).get(
        URL, simulation(mouvement(1, annexes["a"], annexes["b"], "1", "2024-07"), export="csv")
    )
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert reponse["Content-Disposition"] == 'attachment; filename="redeploiement-55-2024.csv"'
    lignes = lignes_csv(reponse.content)
    assert [ligne["Section"] for ligne in lignes] == ["Mouvements", "Structures", "Structures", "Structures"]
    mouvement_ = lignes[0]
    assert mouvement_["Annexe qui cède"] == annexes["a"].numero
    assert mouvement_["Annexe qui reçoit"] == annexes["b"].numero
    assert (mouvement_["ETP"], mouvement_["À partir de"]) == ("1,00", "juillet 2024")
    assert (mouvement_["ETP-mois retirés"], mouvement_["ETP-mois ajoutés"]) == ("6,00", "6,00")
    assert (mouvement_["Socle cédé (€)"], mouvement_["Socle reçu (€)"], mouvement_["Effet sur le socle (€)"]) == (
        "11806,17",
        "2359,50",
        "-9446,67",
    )
    # Sorted by projected rate: A (20 %) then B (120 %), then the département.
    a, b, total = lignes[1:]
    assert (a["Structure"], a["ETP conventionnés avant"], a["ETP conventionnés après"]) == (
        "Jardins de Verdun",
        "5,00",
        "4,50",
    )
    assert (a["Taux projeté avant (%)"], a["Taux projeté après (%)"], a["Effet sur le socle (€)"]) == (
        "20,0",
        "22,2",
        "-11806,17",
    )
    assert (b["Taux projeté avant (%)"], b["Taux projeté après (%)"]) == ("120,0", "80,0")
    assert (b["Statut avant"], b["Statut après"]) == ("Sur-consommation", "Sous-consommation")
    # The département: 72 ETP-mois = 6 ETP before and after; projection (12 + 14,4) / 72 = 36,7 %.
    assert total["Structure"] == "TOTAL département 55"
    assert (total["ETP conventionnés avant"], total["ETP conventionnés après"]) == ("6,00", "6,00")
    assert (total["Taux projeté avant (%)"], total["Taux projeté après (%)"]) == ("36,7", "36,7")
    assert total["Effet sur le socle (€)"] == "-9446,67"


def test_exporter_la_proposition_en_xlsx(client_de, agent_55, annexes):
    reponse = client_de(agent_55).get(
        URL, simulation(mouvement(1, annexes["a"], annexes["b"], "1", "2024-07"), export="xlsx")
    )
    assert reponse["Content-Disposition"] == 'attachment; filename="redeploiement-55-2024.xlsx"'
    feuilles = feuilles_xlsx(reponse.content)
    assert list(feuilles) == ["Mouvements", "Structures"]
    assert feuilles["Mouvements"]["A1"].value == "Mouvements — Année : 2024 ; Département : 55 – Meuse"
    (valeurs,) = rangs_xlsx(feuilles["Mouvements"])
    # Numbers stay numbers in the workbook, formatted.
    assert valeurs["Effet sur le socle"].value == pytest.approx(-9446.67)
    assert valeurs["Effet sur le socle"].number_format == FORMAT_MONTANT
    assert valeurs["ETP"].value == 1
    assert valeurs["À partir de"].number_format == FORMAT_MOIS
    structures = rangs_xlsx(feuilles["Structures"])
    assert [r["Structure"].value for r in structures] == [
        "Jardins de Verdun",
        "Intérim du Barrois",
        "TOTAL département 55",
    ]
    assert structures[0]["Taux projeté avant"].value == pytest.approx(0.2)
    assert structures[0]["Taux projeté avant"].number_format == FORMAT_TAUX


def test_pas_d_export_d_une_proposition_fautive(client_de, agent_55, annexes):
    reponse = client_de(agent_55).get(
        URL, simulation(mouvement(1, annexes["a"], annexes["b"], "9", "2024-07"), export="csv")
    )
    assert reponse["Content-Type"].startswith("text/html")
    assert "impossible d&#x27;en retirer 9,00" in reponse.content.decode()
    vide = client_de(agent_55).get(URL, simulation(export="xlsx"))
    assert "Rien à exporter" in vide.content.decode()


def test_administrateur_choisit_le_departement(client_de, admin, annexes):
    reponse = client_de(admin).get(URL, {"annee": 2024})
    # The first département with annexes in the year, the others in the selector.
    assert (reponse.context["departement"], reponse.context["departements"]) == ("55", ["55", "57"])
    reponse = client_de(admin).get(URL, {"annee": 2024, "departement": "57"})
    assert [s.libelle for s in reponse.context["simulation"].annexes] == ["Recyclerie de Metz"]
    vide = client_de(admin).get(URL, {"annee": 2019})
    assert "Aucun département n'a d'annexe financière active en 2019." in vide.content.decode()


def creer(nombre: int) -> None:
    for _ in range(nombre):
        annexe = AnnexeFinanciereFactory(siae=SiaeFactory(), annee=2024)
        declarer(annexe, "100", [3, 4])


def test_nombre_de_requetes_constant(client_de, agent_55, annexes, django_assert_max_num_queries):
    client = client_de(agent_55)
    parametres = simulation(mouvement(1, annexes["a"], annexes["b"], "1", "2024-07"))
    client.get(URL, parametres)
    creer(2)
    with django_assert_max_num_queries(9):
        assert client.get(URL, parametres).status_code == 200
    creer(15)
    with django_assert_max_num_queries(9):
        reponse = client.get(URL, parametres)
    assert len(reponse.context["simulation"].annexes) == 19


def test_un_nom_de_structure_piege_sort_en_texte(client_de, agent_55, annexes, siae_a):
    siae_a.nom = PIEGE
    siae_a.save()
    proposition = mouvement(1, annexes["a"], annexes["b"], "1", "2024-07")
    verifier_csv(client_de(agent_55).get(URL, simulation(proposition, export="csv")).content)
    verifier_xlsx(client_de(agent_55).get(URL, simulation(proposition, export="xlsx")).content)
