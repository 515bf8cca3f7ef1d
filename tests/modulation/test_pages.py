"""Pages of the modulation: who sees what, the decision and the envelope through the forms, the export, and a
number of queries that does not grow with the structures."""

from decimal import Decimal as D

import pytest

from conventions.models import AnnexeFinanciere
from modulation.models import DecisionModulation, EnveloppeModulation
from modulation.services import decider_modulation
from tests.base.formules import PIEGE, verifier_csv, verifier_xlsx
from tests.base.lecture_exports import FORMAT_MONTANT, FORMAT_TAUX, feuilles_xlsx, lignes_csv, rangs_xlsx
from tests.modulation.donnees import creer

pytestmark = pytest.mark.django_db

ROLES = ("agent_55", "agent_57", "personnel_a", "personnel_b", "membre_cdiae_55", "admin")


@pytest.mark.parametrize(
    "url,attendus",
    [
        ("/modulation/?annee=2025", (200, 200, 404, 404, 404, 200)),
        ("/modulation/export/?annee=2025", (200, 200, 404, 404, 404, 200)),
        # The structure reads its own annexe's page (without the form); the CDIAE never.
        ("/modulation/annexe/{a}/", (200, 404, 200, 404, 404, 200)),
    ],
)
def test_qui_voit_quoi(request, client_de, departement, siae_b, url, attendus):
    url = url.format(a=departement.pk)
    assert client_de(None).get(url).status_code == 302
    for role, attendu in zip(ROLES, attendus, strict=True):
        assert client_de(request.getfixturevalue(role)).get(url).status_code == attendu, role


def test_la_page_du_departement(client_de, agent_55, agent_57, departement):
    decider_modulation(departement, D("0.045"), "Effort de formation.", agent_55)
    EnveloppeModulation.objects.create(departement="55", annee=2025, montant=D("10.00"))
    reponse = client_de(agent_55).get("/modulation/?annee=2025")
    contenu = reponse.content.decode()
    ligne = reponse.context["lignes"][0]
    assert (ligne.proposition.taux, ligne.decision.taux, ligne.taux_annexe) == (D("0.06"), D("0.045"), D("0.045"))
    assert "6,0\u00a0%" in contenu and "4,5\u00a0%" in contenu
    # 10 € of envelope: the annexe's modulation overruns it.
    bilan = reponse.context["bilan"]
    assert bilan.depassement
    assert bilan.montant_du_depassement == reponse.context["totaux"].modulation - D("10.00")
    assert "Enveloppe dépassée de" in contenu
    # Another département's agent sees an empty table of theirs.
    assert client_de(agent_57).get("/modulation/?annee=2025").context["lignes"] == []


def test_decider_sur_la_page_de_l_annexe(client_de, agent_55, departement):
    client = client_de(agent_55)
    page = client.get(f"/modulation/annexe/{departement.pk}/")
    assert page.context["formulaire"].initial["taux"] == D("6.0")  # the proposal, in %
    reponse = client.post(
        f"/modulation/annexe/{departement.pk}/", {"taux": "4,5", "commentaire": "Résultats en progrès."}
    )
    assert reponse.status_code == 302
    assert AnnexeFinanciere.objects.get(pk=departement.pk).taux_modulation == D("0.045")
    decision = DecisionModulation.objects.get()
    assert (decision.taux, decision.taux_propose, decision.auteur) == (D("0.045"), D("0.06"), agent_55)
    contenu = client.get(f"/modulation/annexe/{departement.pk}/").content.decode()
    assert "Résultats en progrès." in contenu and "en vigueur" in contenu


def test_une_decision_refusee_revient_sur_le_formulaire(client_de, agent_55, departement):
    reponse = client_de(agent_55).post(f"/modulation/annexe/{departement.pk}/", {"taux": "12", "commentaire": ""})
    assert reponse.status_code == 200
    erreurs = reponse.context["formulaire"].errors
    assert erreurs["taux"][0].startswith("Taux décidé (%) :")
    assert erreurs["commentaire"][0].startswith("Commentaire :")
    assert not DecisionModulation.objects.exists()


@pytest.mark.parametrize("role", ["agent_57", "personnel_a", "membre_cdiae_55"])
def test_les_autres_ne_decident_pas(request, client_de, departement, role):
    reponse = client_de(request.getfixturevalue(role)).post(
        f"/modulation/annexe/{departement.pk}/", {"taux": "5", "commentaire": "Tentative."}
    )
    assert reponse.status_code == 404
    assert not DecisionModulation.objects.exists()
    assert AnnexeFinanciere.objects.get(pk=departement.pk).taux_modulation == D("0.03")


def test_la_structure_lit_sans_formulaire(client_de, personnel_a, departement):
    reponse = client_de(personnel_a).get(f"/modulation/annexe/{departement.pk}/")
    assert reponse.context["formulaire"] is None and not reponse.context["peut_decider"]


def test_saisir_l_enveloppe(client_de, agent_55, agent_57, departement):
    reponse = client_de(agent_55).post(
        "/modulation/?annee=2025&departement=55", {"montant": "12500,50", "commentaire": "Notification"}
    )
    assert reponse.status_code == 302
    enveloppe = EnveloppeModulation.objects.get()
    assert (enveloppe.departement, enveloppe.annee, enveloppe.montant) == ("55", 2025, D("12500.50"))
    assert enveloppe.historique.count() == 1
    # An agent of 57 asking for 55 gets their own département: the 55 envelope is never touched.
    client_de(agent_57).post("/modulation/?annee=2025&departement=55", {"montant": "1"})
    enveloppe.refresh_from_db()
    assert enveloppe.montant == D("12500.50")
    assert EnveloppeModulation.objects.get(departement="57").montant == D("1.00")
    refus = client_de(agent_55).post("/modulation/?annee=2025", {"montant": "-3"})
    assert refus.status_code == 200
    assert refus.context["formulaire_enveloppe"].errors["montant"][0].startswith("Montant de l'enveloppe (€) :")


def test_export_csv_et_xlsx(client_de, agent_55, departement):
    decider_modulation(departement, D("0.045"), "Effort de formation.", agent_55)
    csv = client_de(agent_55).get("/modulation/export/?annee=2025&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    (valeurs,) = lignes_csv(csv.content)
    assert valeurs["Annexe"] == departement.numero
    taux = (valeurs["Taux proposé (%)"], valeurs["Taux décidé (%)"], valeurs["Taux de l'annexe (%)"])
    assert taux == ("6,0", "4,5", "4,5")
    assert valeurs["Salariés ayant bénéficié d'une action (formation, PMSMP, accompagnement) (%)"] == "50,0"
    assert valeurs["Bénéficiaires du RSA (%)"] == "33,3"
    assert valeurs["Note : Effort d'insertion"] == "75,0"
    xlsx = client_de(agent_55).get("/modulation/export/?annee=2025&format=xlsx")
    (feuille,) = feuilles_xlsx(xlsx.content).values()
    (rang,) = rangs_xlsx(feuille)
    assert (rang["Taux proposé"].value, rang["Taux proposé"].number_format) == (0.06, FORMAT_TAUX)
    assert rang["Date de la décision"].is_date and rang["Modulation"].number_format == FORMAT_MONTANT


@pytest.mark.parametrize("url", ["/modulation/?annee=2025", "/modulation/export/?annee=2025&format=xlsx"])
def test_nombre_de_requetes_constant(client_de, agent_55, django_assert_max_num_queries, url):
    client = client_de(agent_55)
    creer(2)
    client.get(url)  # the session, once
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    creer(8)
    with django_assert_max_num_queries(16):
        reponse = client.get(url)
    assert reponse.status_code == 200
    if "lignes" in (reponse.context or {}):
        assert len(reponse.context["lignes"]) == 10


def test_nombre_de_requetes_de_la_page_d_une_annexe(client_de, agent_55, departement, django_assert_max_num_queries):
    client = client_de(agent_55)
    decider_modulation(departement, D("0.045"), "Première.", agent_55)
    decider_modulation(departement, D("0.05"), "Seconde.", agent_55)
    client.get(f"/modulation/annexe/{departement.pk}/")
    with django_assert_max_num_queries(16):
        assert client.get(f"/modulation/annexe/{departement.pk}/").status_code == 200


def test_un_nom_de_structure_piege_sort_en_texte(client_de, agent_55, departement):
    departement.siae.nom = PIEGE
    departement.siae.save()
    verifier_csv(client_de(agent_55).get("/modulation/export/?annee=2025&format=csv").content)
    verifier_xlsx(client_de(agent_55).get("/modulation/export/?annee=2025&format=xlsx").content)
