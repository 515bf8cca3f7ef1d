"""Who sees and who writes what (404 out of scope), the forms' messages, the exports, a bounded number of
queries whatever the number of lines and projects."""

import datetime as dt
from decimal import Decimal as D

import pytest

from financements.choix import DecisionFdi, EtatProjet, Financeur
from financements.models import CandidatureFdi, LigneBudgetaire, LigneFinancement, Projet
from tests.base.formules import PIEGE, verifier_csv, verifier_xlsx
from tests.base.lecture_exports import FORMAT_MONTANT, feuilles_xlsx, lignes_csv, rangs_xlsx
from tests.factories import SiaeFactory
from tests.financements.factories import AppelAProjetsFactory, LigneFinancementFactory, ProjetFactory, projet_seed_004

pytestmark = pytest.mark.django_db

ROLES = ("agent_55", "agent_57", "personnel_a", "personnel_b", "membre_cdiae_55", "admin")


@pytest.fixture
def donnees(siae_a, siae_57):
    """In 55: the seed 004 project carried by siae_a, a Département line for siae_a, an FSE+ line for the project,
    an FDI call with a candidature. In 57: a project and a line."""
    projet = projet_seed_004(siae_porteuse=siae_a)
    ligne = LigneFinancementFactory(
        siae=siae_a, annee=2025, libelle="Soutien bRSA", montant_engage=D("20000"), montant_verse=D("5000")
    )
    LigneFinancementFactory(fse=True, siae=None, projet=projet, annee=2025, libelle="ASP – FSE+")
    appel = AppelAProjetsFactory()
    candidature = CandidatureFdi.objects.create(
        appel=appel, projet=projet, cout_eligible_investissement=D("10000"), aide_investissement=D("7000")
    )
    projet_57 = ProjetFactory(departement="57", nom="Projet mosellan")
    ligne_57 = LigneFinancementFactory(siae=siae_57, annee=2025, libelle="Ligne mosellane")
    return {
        "projet": projet,
        "ligne": ligne,
        "appel": appel,
        "candidature": candidature,
        "projet_57": projet_57,
        "ligne_57": ligne_57,
    }


@pytest.mark.parametrize(
    "url,attendus",
    [
        ("/financements/?annee=2025", (200, 200, 200, 200, 200, 200)),
        ("/financements/departement/2025/", (200, 200, 200, 200, 200, 200)),
        ("/financements/inconnu/2025/", (404, 404, 404, 404, 404, 404)),
        ("/financements/projets/", (200, 200, 200, 200, 200, 200)),
        ("/financements/projets/{projet}/", (200, 404, 200, 404, 200, 200)),
        ("/financements/projets/{projet_57}/", (404, 200, 404, 404, 404, 200)),
        ("/financements/projets/nouveau/", (200, 200, 404, 404, 404, 200)),
        ("/financements/projets/{projet}/modifier/", (200, 404, 404, 404, 404, 200)),
        ("/financements/projets/{projet}/budget/", (200, 404, 404, 404, 404, 200)),
        ("/financements/lignes/nouvelle/", (200, 200, 404, 404, 404, 200)),
        ("/financements/lignes/{ligne}/modifier/", (200, 404, 404, 404, 404, 200)),
        ("/financements/fdi/", (200, 200, 200, 200, 200, 200)),
        ("/financements/fdi/{appel}/", (200, 404, 200, 404, 200, 200)),
        ("/financements/fdi/nouveau/", (200, 200, 404, 404, 404, 200)),
        ("/financements/fdi/{appel}/candidatures/nouvelle/", (200, 404, 404, 404, 404, 200)),
        ("/financements/fdi/candidatures/{candidature}/", (200, 404, 404, 404, 404, 200)),
    ],
)
def test_qui_voit_quoi(request, client_de, donnees, url, attendus):
    url = url.format(**{cle: objet.pk for cle, objet in donnees.items()})
    assert client_de(None).get(url).status_code == 302
    for role, attendu in zip(ROLES, attendus, strict=True):
        assert client_de(request.getfixturevalue(role)).get(url).status_code == attendu, role


def test_la_page_des_financements_suit_le_perimetre(client_de, donnees, agent_57, personnel_a, membre_cdiae_55):
    reponse = client_de(membre_cdiae_55).get("/financements/", {"annee": 2025})
    totaux = {t.financeur: t for t, _ in reponse.context["par_financeur"]}
    # Département: the line of 20 000; FSE+: the factory's 10 000 for the project.
    assert (totaux["DEPARTEMENT"].engage, totaux["FSE"].engage, totaux["TOTAL"].engage) == (
        D("20000"), D("10000"), D("30000"),
    )  # fmt: skip
    assert "Nouvelle ligne de financement" not in reponse.content.decode()
    # The 57 agent sees 57's line only; siae_a's staff their structure's line and their project's.
    reponse = client_de(agent_57).get("/financements/", {"annee": 2025})
    assert reponse.context["par_financeur"][-1][0].engage == D("10000")
    reponse = client_de(personnel_a).get("/financements/", {"annee": 2025})
    assert reponse.context["par_financeur"][-1][0].engage == D("30000")


def test_le_membre_du_cdiae_lit_mais_n_ecrit_pas(client_de, donnees, membre_cdiae_55):
    client = client_de(membre_cdiae_55)
    page = client.get(f"/financements/projets/{donnees['projet'].pk}/").content.decode()
    assert "Saisir le budget" not in page and "Déposer le projet" not in page
    assert client.post(f"/financements/projets/{donnees['projet'].pk}/etat/", {"etat": "DEPOSE"}).status_code == 404
    assert client.post(f"/financements/lignes/{donnees['ligne'].pk}/supprimer/").status_code == 404
    assert Projet.objects.get(pk=donnees["projet"].pk).etat == EtatProjet.BROUILLON


def test_la_page_du_projet_montre_le_budget_du_seed(client_de, donnees, agent_55):
    reponse = client_de(agent_55).get(f"/financements/projets/{donnees['projet'].pk}/")
    page = reponse.content.decode()
    for attendu in (
        "66\u202f360,00\u00a0€",
        "96\u202f720,00\u00a0€",
        "11\u202f060,00\u00a0€",
        "16\u202f120,00\u00a0€",
    ):
        assert attendu in page
    assert [b.resultat for b in reponse.context["tableau"].bilans] == [0, 0]
    assert "Budget équilibré" in page and "Déposer le projet" in page


def test_deposer_un_budget_desequilibre_affiche_l_ecart(client_de, donnees, agent_55):
    projet = donnees["projet"]
    LigneBudgetaire.objects.filter(projet=projet, libelle="FDI État", periode__ordre=2).update(montant=D("3500"))
    client = client_de(agent_55)
    reponse = client.post(f"/financements/projets/{projet.pk}/etat/", {"etat": "DEPOSE"}, follow=True)
    page = reponse.content.decode()
    assert "Période « 01 à 12/2026 » : les charges (96\u202f720,00\u00a0€) dépassent les produits" in page
    assert "de 500,00\u00a0€" in page
    assert Projet.objects.get(pk=projet.pk).etat == EtatProjet.BROUILLON


def test_saisie_du_budget(client_de, agent_55):
    projet = ProjetFactory()
    client = client_de(agent_55)
    reponse = client.post(
        f"/financements/projets/{projet.pk}/modifier/",
        {
            "nom": projet.nom,
            "porteur": "Groupement",
            "departement": "55",
            "taux_frais_indirects_pourcent": "20",
            "periodes-TOTAL_FORMS": "1",
            "periodes-INITIAL_FORMS": "0",
            "periodes-0-libelle": "01 à 12/2025",
            "periodes-0-debut": "2025-01-01",
            "periodes-0-fin": "2025-12-31",
        },
    )
    assert reponse.status_code == 302
    periode = projet.periodes.get()
    champ = f"montant_{periode.pk}"
    lignes = [("PERSONNEL", "Encadrant", "40 000"), ("FONCTIONNEMENT", "Locaux", "10000"), ("FSE", "FSE+", "60000")]
    donnees = {"budget-TOTAL_FORMS": "4", "budget-INITIAL_FORMS": "0"}
    for i, (rubrique, libelle, montant) in enumerate(lignes):
        donnees.update(
            {f"budget-{i}-rubrique": rubrique, f"budget-{i}-libelle": libelle, f"budget-{i}-{champ}": montant}
        )
    assert client.post(f"/financements/projets/{projet.pk}/budget/", donnees).status_code == 302
    # 40 000 + 10 000 + 20 % = 60 000 = FSE+.
    assert sorted(LigneBudgetaire.objects.filter(projet=projet).values_list("libelle", "montant")) == [
        ("Encadrant", D("40000")), ("FSE+", D("60000")), ("Locaux", D("10000")),
    ]  # fmt: skip
    assert client.post(f"/financements/projets/{projet.pk}/etat/", {"etat": "DEPOSE"}).status_code == 302
    assert Projet.objects.get(pk=projet.pk).etat == EtatProjet.DEPOSE
    # Deposited: a budget out of balance is refused, and nothing changes. The page now shows the 3 rows.
    donnees["budget-INITIAL_FORMS"] = "3"
    donnees["budget-2-" + champ] = "59000"
    reponse = client.post(f"/financements/projets/{projet.pk}/budget/", donnees)
    assert reponse.status_code == 200
    assert "de 1\u202f000,00\u00a0€" in reponse.content.decode()
    assert LigneBudgetaire.objects.get(projet=projet, libelle="FSE+").montant == D("60000")
    # A row without label is named.
    donnees.update({"budget-3-rubrique": "SIAE", "budget-3-" + champ: "5"})
    reponse = client.post(f"/financements/projets/{projet.pk}/budget/", donnees)
    assert "Ligne 4, libellé : Indiquez le libellé de la ligne." in reponse.content.decode()


def test_creation_d_une_ligne_et_messages(client_de, agent_55, siae_a, siae_57):
    client = client_de(agent_55)
    base = {"financeur": "COMMUNE_EPCI", "dispositif": "AUTRE", "annee": "2025", "libelle": "Ville de Verdun"}
    reponse = client.post(
        "/financements/lignes/nouvelle/",
        {**base, "siae": siae_a.pk, "montant_engage": "8 000", "montant_verse": "9 000", "part_variable_max": "0"},
    )
    assert reponse.status_code == 200
    assert reponse.context["form"].errors["montant_verse"] == [
        "Le montant versé (9\u202f000,00\u00a0€) dépasse le montant engagé (8\u202f000,00\u00a0€)."
    ]
    # A structure of another département is not offered.
    reponse = client.post("/financements/lignes/nouvelle/", {**base, "siae": siae_57.pk, "montant_engage": "1"})
    assert "siae" in reponse.context["form"].errors
    reponse = client.post(
        "/financements/lignes/nouvelle/",
        {**base, "dispositif": "COFINANCEMENT", "financeur": "DEPARTEMENT", "siae": siae_a.pk, "montant_engage": "1"},
    )
    assert "calculé depuis les annexes" in reponse.context["form"].errors["dispositif"][0]
    reponse = client.post(
        "/financements/lignes/nouvelle/",
        {**base, "siae": siae_a.pk, "montant_engage": "8 000,50 €", "montant_verse": "4000", "part_variable_max": "0"},
    )
    assert reponse.status_code == 302
    ligne = LigneFinancement.objects.get()
    assert (ligne.montant_engage, ligne.departement, ligne.financeur) == (D("8000.50"), "55", Financeur.COMMUNE_EPCI)
    assert reponse["Location"] == "/financements/commune-epci/2025/?departement=55"


def test_candidature_au_dela_du_plafond(client_de, agent_55):
    appel, projet = AppelAProjetsFactory(), ProjetFactory()
    client = client_de(agent_55)
    donnees = {
        "projet": projet.pk,
        "cout_eligible_investissement": "100000",
        "aide_investissement": "70000,01",
        "cout_eligible_conseil": "0",
        "aide_conseil": "0",
        "decision": DecisionFdi.ACCORDEE,
    }
    reponse = client.post(f"/financements/fdi/{appel.pk}/candidatures/nouvelle/", donnees)
    assert reponse.context["form"].errors["aide_investissement"] == [
        "L'aide à l'investissement (70\u202f000,01\u00a0€) dépasse 70,0\u00a0% du coût éligible "
        "(100\u202f000,00\u00a0€) : au plus 70\u202f000,00\u00a0€."
    ]
    donnees["aide_investissement"] = "70000"
    assert client.post(f"/financements/fdi/{appel.pk}/candidatures/nouvelle/", donnees).status_code == 302
    ligne = LigneFinancement.objects.get()
    assert (ligne.financeur, ligne.montant_engage, ligne.projet_id) == (Financeur.ETAT, D("70000"), projet.pk)


def test_un_appel_ne_depasse_pas_les_plafonds_reglementaires(client_de, agent_55):
    reponse = client_de(agent_55).post(
        "/financements/fdi/nouveau/",
        {
            "nom": "FDI",
            "annee": "2025",
            "departement": "55",
            "date_limite": "2025-04-30",
            "taux_investissement_pourcent": "75",
            "taux_conseil_pourcent": "30",
            "plafond_par_projet": "95 000",
        },
    )
    erreurs = reponse.context["form"].errors
    assert set(erreurs) == {"taux_investissement_pourcent", "plafond_par_projet"}


def test_export_de_la_page_d_un_financeur(client_de, donnees, agent_55):
    client = client_de(agent_55)
    reponse = client.get("/financements/departement/2025/", {"export": "csv", "departement": "55"})
    assert reponse["Content-Disposition"] == 'attachment; filename="financements-departement-2025-55.csv"'
    lignes_csv(reponse.content)  # BOM, French headers
    lignes = reponse.content.decode("utf-8-sig").splitlines()
    assert lignes[0] == (
        "Année;Financeur;Dispositif;Libellé;Bénéficiaire;Source;Engagé (€);Versé (€);Reste à verser (€);"
        "Part variable max. (€)"
    )
    assert lignes[1] == (
        "2025;Département;Autre dispositif;Soutien bRSA;Jardins de Verdun;ligne saisie;20000,00;5000,00;15000,00;0,00"
    )
    assert lignes[-1] == "2025;Département;;TOTAL;;;20000,00;5000,00;15000,00;0,00"
    reponse = client.get("/financements/departement/2025/", {"export": "xlsx", "departement": "55"})
    (feuille,) = feuilles_xlsx(reponse.content).values()
    assert feuille["A1"].value == "Département 2025 — Année : 2025 ; Département : 55 – Meuse"
    rang = rangs_xlsx(feuille)[0]
    assert rang["Libellé"].value == "Soutien bRSA"
    assert (rang["Engagé"].value, rang["Engagé"].number_format) == (20000, FORMAT_MONTANT)


def creer(nombre: int) -> None:
    for i in range(nombre):
        siae = SiaeFactory()
        projet = projet_seed_004(siae_porteuse=siae, nom=f"Projet {i} {siae.pk}")
        LigneFinancementFactory(siae=siae, annee=2025)
        LigneFinancementFactory(fse=True, siae=None, projet=projet, annee=2025)
        CandidatureFdi.objects.create(
            appel=AppelAProjetsFactory(), projet=projet, cout_eligible_conseil=D("1000"), aide_conseil=D("300")
        )


@pytest.mark.parametrize(
    "url",
    [
        "/financements/?annee=2025",
        "/financements/departement/2025/",
        "/financements/fse/2025/",
        "/financements/projets/",
        "/financements/fdi/",
    ],
)
def test_nombre_de_requetes_constant(client_de, agent_55, django_assert_max_num_queries, url):
    client = client_de(agent_55)
    creer(2)
    client.get(url)  # the session, once
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    creer(8)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_nombre_de_requetes_d_un_projet(client_de, agent_55, django_assert_max_num_queries):
    projet = projet_seed_004()
    client = client_de(agent_55)
    client.get(f"/financements/projets/{projet.pk}/")
    with django_assert_max_num_queries(12):
        assert client.get(f"/financements/projets/{projet.pk}/").status_code == 200


def test_menu(client_de, agent_55):
    page = client_de(agent_55).get("/financements/", {"annee": dt.date.today().year}).content.decode()
    assert 'href="/financements/" aria-current="page">Financements</a>' in page


@pytest.mark.parametrize("modele", ["lignefinancement", "projet", "appelaprojets"])
def test_administration(client_de, admin, donnees, modele):
    client = client_de(admin)
    assert client.get(f"/admin/financeurs/{modele}/").status_code == 200
    assert client.get(f"/admin/financeurs/{modele}/add/").status_code == 200


def test_l_administration_refuse_une_ligne_deja_calculee(client_de, admin, siae_a):
    reponse = client_de(admin).post(
        "/admin/financeurs/lignefinancement/add/",
        {
            "financeur": "ETAT",
            "dispositif": "MODULATION",
            "annee": "2025",
            "libelle": "Modulation",
            "siae": siae_a.pk,
            "montant_engage": "100",
            "montant_verse": "0",
            "part_variable_max": "0",
        },
    )
    assert reponse.status_code == 200
    assert "calculées depuis les annexes financières" in str(reponse.context["adminform"].form.errors["dispositif"])
    assert not LigneFinancement.objects.exists()


def test_la_siae_porteuse_d_un_autre_departement_est_refusee_sous_son_champ(client_de, admin, siae_a):
    reponse = client_de(admin).post(
        "/financements/projets/nouveau/",
        {
            "nom": "Projet mosellan",
            "porteur": "Jardins de Verdun",
            "siae_porteuse": siae_a.pk,
            "departement": "57",
            "taux_frais_indirects_pourcent": "20",
            "periodes-TOTAL_FORMS": "1",
            "periodes-INITIAL_FORMS": "0",
            "periodes-0-libelle": "01 à 12/2025",
            "periodes-0-debut": "2025-01-01",
            "periodes-0-fin": "2025-12-31",
        },
    )
    assert reponse.status_code == 200
    assert reponse.context["form"].errors == {
        "siae_porteuse": [
            "SIAE porteuse : la structure est du département 55, le projet du département 57 ; choisissez une SIAE "
            "du département du projet."
        ]
    }
    assert not Projet.objects.exists()


def test_un_libelle_piege_sort_en_texte(client_de, donnees, agent_55):
    LigneFinancement.objects.filter(libelle="Soutien bRSA").update(libelle=PIEGE)
    client = client_de(agent_55)
    verifier_csv(client.get("/financements/departement/2025/", {"export": "csv", "departement": "55"}).content)
    verifier_xlsx(client.get("/financements/departement/2025/", {"export": "xlsx", "departement": "55"}).content)
