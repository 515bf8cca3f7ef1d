"""The bilans pages: who generates, who downloads, who edits the sections; the status polled; the dialogue sheet.
Out of scope is 404."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from bilans.models import BilanCdiae, FicheDialogue, SectionsEditoriales, StatutBilan
from indicateurs.models import ObjectifBrsa
from tests.factories import AnnexeFinanciereFactory, UtilisateurFactory

from .outils import lit_le_pdf, texte_du_pdf

pytestmark = pytest.mark.django_db

CONTENU = b"%PDF-1.7 bilan de test"


def bilan_pret(departement="55", annee=2024, auteur=None):
    bilan = BilanCdiae(
        departement=departement, annee=annee, statut=StatutBilan.PRET, progression=100, auteur=auteur, pages=1
    )
    bilan.fichier.save("b.pdf", ContentFile(CONTENU), save=True)
    return bilan


@lit_le_pdf
def test_l_agent_genere_puis_telecharge_le_bilan(client_de, agent_55, siae_a, django_capture_on_commit_callbacks):
    AnnexeFinanciereFactory(siae=siae_a, annee=2024)
    client = client_de(agent_55)
    page = client.get("/bilans/", {"annee": 2024})
    assert page.status_code == 200
    assert "Générer le bilan 2024" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post("/bilans/generer/", {"departement": "55", "annee": "2024"})
    bilan = BilanCdiae.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == f"/bilans/{bilan.pk}/"
    assert (bilan.statut, bilan.auteur) == (StatutBilan.PRET, agent_55)
    page = client.get(reponse["Location"]).content.decode()
    assert "Le bilan est prêt" in page
    assert f"/bilans/{bilan.pk}/telecharger/" in page

    telechargement = client.get(f"/bilans/{bilan.pk}/telecharger/")
    assert telechargement.status_code == 200
    assert telechargement["Content-Type"] == "application/pdf"
    assert telechargement["Content-Disposition"] == 'attachment; filename="bilan-cdiae-55-2024.pdf"'
    texte = texte_du_pdf(b"".join(telechargement.streaming_content))
    assert "Meuse (55)" in texte and siae_a.nom in texte


def test_le_statut_suivi_par_la_page(client_de, agent_55):
    en_cours = BilanCdiae.objects.create(
        departement="55", annee=2024, statut=StatutBilan.EN_COURS, progression=35, etape="Publics et objectif bRSA"
    )
    page = client_de(agent_55).get("/bilans/", {"annee": 2024}).content.decode()
    assert f'data-suivi="/bilans/{en_cours.pk}/statut/"' in page
    assert '<progress id="progression-' in page and 'value="35"' in page
    assert "disabled" in page  # no second generation while this one runs

    donnees = client_de(agent_55).get(f"/bilans/{en_cours.pk}/statut/").json()
    assert donnees == {
        "statut": "EN_COURS",
        "libelle": "En cours",
        "progression": 35,
        "etape": "Publics et objectif bRSA",
        "erreur": "",
        "pages": 0,
        "url": None,
    }
    pret = bilan_pret(annee=2023)
    assert client_de(agent_55).get(f"/bilans/{pret.pk}/statut/").json()["url"] == f"/bilans/{pret.pk}/telecharger/"


def test_le_membre_du_cdiae_telecharge_mais_ne_genere_ni_ne_redige(client_de, membre_cdiae_55):
    bilan = bilan_pret()
    client = client_de(membre_cdiae_55)
    page = client.get("/bilans/", {"annee": 2024}).content.decode()
    assert f"/bilans/{bilan.pk}/telecharger/" in page
    assert "Générer le bilan" not in page and "Enregistrer les sections" not in page
    reponse = client.get(f"/bilans/{bilan.pk}/telecharger/")
    assert reponse.status_code == 200 and b"".join(reponse.streaming_content) == CONTENU
    assert client.post("/bilans/generer/", {"departement": "55", "annee": "2024"}).status_code == 404
    assert client.post("/bilans/", {"departement": "55", "annee": "2024", "seuil_brsa": "40"}).status_code == 404
    assert not SectionsEditoriales.objects.exists()


@pytest.mark.parametrize("qui", ["agent_57", "personnel_a"])
def test_hors_du_perimetre_tout_est_introuvable(client_de, qui, request):
    bilan = bilan_pret()
    client = client_de(request.getfixturevalue(qui))
    assert client.get(f"/bilans/{bilan.pk}/telecharger/").status_code == 404
    assert client.get(f"/bilans/{bilan.pk}/statut/").status_code == 404
    assert client.post("/bilans/generer/", {"departement": "55", "annee": "2024"}).status_code == 404
    assert client.post("/bilans/", {"departement": "55", "annee": "2024", "seuil_brsa": "40"}).status_code == 404
    assert BilanCdiae.objects.count() == 1


def test_le_personnel_d_une_siae_ne_voit_que_la_fiche_de_dialogue(client_de, personnel_a, siae_a, siae_b):
    bilan_pret()
    page = client_de(personnel_a).get("/bilans/").content.decode()
    assert "Bilans du CDIAE" not in page and "telecharger" not in page
    assert f'<option value="{siae_a.pk}">' in page and f'value="{siae_b.pk}"' not in page


def test_anonyme_renvoye_a_la_connexion(client_de):
    bilan = bilan_pret()
    reponse = client_de(None).get(f"/bilans/{bilan.pk}/telecharger/")
    assert reponse.status_code == 302 and reponse["Location"].startswith("/comptes/connexion/")


def test_les_sections_redigees_par_l_agent(client_de, agent_55):
    donnees = {
        "departement": "55",
        "annee": "2024",
        "faits_marquants": "Un ASP mutualisé de plus",
        "forces": "Équipes professionnalisées\nPartenariats",
        "faiblesses": "",
        "opportunites": "",
        "menaces": "",
        "plan_d_actions": "Favoriser l'accès des bRSA\n- Seuil de 40 %",
        "seuil_brsa": "45",
        "objectif_sorties_dynamiques": "",
    }
    reponse = client_de(agent_55).post("/bilans/", donnees)
    assert reponse.status_code == 302 and reponse["Location"] == "/bilans/?annee=2024&departement=55#sections"
    sections = SectionsEditoriales.objects.get(departement="55", annee=2024)
    assert (sections.forces, sections.objectif_sorties_dynamiques, sections.auteur) == (
        "Équipes professionnalisées\r\nPartenariats".replace("\r\n", "\n"),
        None,
        agent_55,
    )
    # The bRSA objective typed with them is the département's own, the one the cockpit reads too.
    assert ObjectifBrsa.objects.get(departement="55", annee=2024).seuil == 45
    # A second save changes the same row.
    client_de(agent_55).post("/bilans/", {**donnees, "objectif_sorties_dynamiques": "50", "seuil_brsa": "42.5"})
    assert SectionsEditoriales.objects.get().objectif_sorties_dynamiques == 50
    assert ObjectifBrsa.objects.get().seuil == Decimal("42.5")

    erreur = client_de(agent_55).post("/bilans/", {**donnees, "seuil_brsa": "150", "forces": "Autre"})
    assert erreur.status_code == 200
    contenu = erreur.content.decode()
    assert "Un pourcentage va de 0 à 100." in contenu and "bénéficiaires du RSA dans les embauches (%)" in contenu
    assert SectionsEditoriales.objects.get().forces == "Équipes professionnalisées\nPartenariats"
    assert ObjectifBrsa.objects.get().seuil == Decimal("42.5")


@lit_le_pdf
def test_la_fiche_de_dialogue(
    client_de, personnel_a, agent_57, membre_cdiae_55, siae_a, siae_b, django_capture_on_commit_callbacks
):
    """Asked from its page, prepared by the task (inline here), downloaded from the same page."""
    AnnexeFinanciereFactory(siae=siae_a, annee=2024)
    client = client_de(personnel_a)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(f"/bilans/dialogue/{siae_a.pk}/?annee=2024")
    fiche = FicheDialogue.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == f"/bilans/dialogue/fiche/{fiche.pk}/"
    page = client.get(f"/bilans/dialogue/{siae_a.pk}/", {"annee": 2024}).content.decode()
    assert f"/bilans/dialogue/fiche/{fiche.pk}/telecharger/" in page
    reponse = client.get(f"/bilans/dialogue/fiche/{fiche.pk}/telecharger/")
    assert reponse["Content-Disposition"] == f'attachment; filename="dialogue-de-gestion-{siae_a.siret}-2024.pdf"'
    texte = texte_du_pdf(b"".join(reponse.streaming_content))
    assert "Dialogue de gestion 2024" in texte and siae_a.nom in texte
    assert client_de(membre_cdiae_55).get(f"/bilans/dialogue/{siae_a.pk}/", {"annee": 2024}).status_code == 200
    assert client_de(personnel_a).get(f"/bilans/dialogue/{siae_b.pk}/").status_code == 404
    assert client_de(agent_57).get(f"/bilans/dialogue/{siae_a.pk}/").status_code == 404
    assert client_de(agent_57).get(f"/bilans/dialogue/fiche/{fiche.pk}/telecharger/").status_code == 404
    choix = client_de(personnel_a).get("/bilans/dialogue/", {"siae": siae_a.pk, "annee": 2024})
    assert choix.status_code == 302 and choix["Location"] == f"/bilans/dialogue/{siae_a.pk}/?annee=2024"
    assert client_de(personnel_a).get("/bilans/dialogue/", {"siae": siae_b.pk}).status_code == 404


def test_la_page_ne_fait_pas_plus_de_requetes_avec_plus_de_bilans(client_de, agent_55, django_assert_max_num_queries):
    auteurs = [UtilisateurFactory(agent_ddets="55") for _ in range(3)]
    for rang in range(12):
        bilan_pret(annee=2010 + rang, auteur=auteurs[rang % 3])
    client = client_de(agent_55)
    with django_assert_max_num_queries(10):
        reponse = client.get("/bilans/", {"annee": 2024})
    assert reponse.content.decode().count("/telecharger/") == 12


@pytest.mark.parametrize("valeur", ["abc", "", "1.5", "-1", "0", "99999999999999999999", "999999"])
def test_le_choix_d_une_structure_inconnue_est_introuvable(client_de, agent_55, siae_a, valeur):
    reponse = client_de(agent_55).get("/bilans/dialogue/", {"siae": valeur, "annee": 2024})
    assert reponse.status_code == 404
    sans_parametre = client_de(agent_55).get("/bilans/dialogue/")
    assert sans_parametre.status_code == 404


def test_les_objectifs_s_affichent_comme_on_les_tape(client_de, agent_55):
    from bilans.models import SectionsEditoriales

    SectionsEditoriales.objects.create(departement="55", annee=2025, objectif_sorties_dynamiques="37.5")
    page = client_de(agent_55).get("/bilans/", {"annee": 2025}).content.decode()
    assert 'name="seuil_brsa" value="40"' in page  # none set: the default
    ObjectifBrsa.objects.create(departement="55", annee=2025, seuil="37.50")
    page = client_de(agent_55).get("/bilans/", {"annee": 2025}).content.decode()
    assert 'name="seuil_brsa" value="37.5"' in page
    assert 'name="objectif_sorties_dynamiques" value="37.5"' in page
    assert "E+1" not in page
