"""An agent of the DDETS writes the sections of the bilan, generates it from the bilans page or in one click from
the tableau de bord, and downloads it, in Debian's chromium. Skipped when chromium is not installed, except under
CI=true where it must run."""

import pytest

from comptes.models import Membre, Organisation, TypeOrganisation, Utilisateur
from tests.bilans.outils import lit_le_pdf, texte_du_pdf
from tests.factories import AnnexeFinanciereFactory, SiaeFactory

MOT_DE_PASSE = "un-mot-de-passe-de-test"


@pytest.fixture
def page_de_l_agent(live_server, navigateur, tmp_path, settings):
    """An agent of the Meuse's DDETS, signed in; one ACI with a 2024 annexe."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ddets = Organisation.objects.create(type=TypeOrganisation.DDETS, departement="55", nom="DDETS de la Meuse")
    agent = Utilisateur.objects.create_user("agent@ddets55.test", MOT_DE_PASSE, first_name="Claire", last_name="Agent")
    Membre.objects.create(utilisateur=agent, organisation=ddets)
    AnnexeFinanciereFactory(siae=SiaeFactory(nom="Chantier des Jardins", aci=True), annee=2024)

    page = navigateur.new_page()
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.fill("input[name=username]", "agent@ddets55.test")
    page.fill("input[name=password]", MOT_DE_PASSE)
    page.click("button:has-text('Se connecter')")
    page.wait_for_url(f"{live_server.url}/")
    return page


@pytest.mark.navigateur
@pytest.mark.lent
@lit_le_pdf
@pytest.mark.django_db(transaction=True)
def test_l_agent_genere_et_telecharge_le_bilan(live_server, page_de_l_agent, tmp_path, settings):
    # As in `make run`: no worker, the generation runs in a thread of its own and the page follows it.
    settings.TACHES_EN_ARRIERE_PLAN = True
    page = page_de_l_agent

    page.click("#navigation >> button:has-text('Indicateurs')")
    page.click("#navigation >> text=Bilans et dialogue de gestion")
    page.select_option("select[name=annee]", "2024")
    page.click("button:has-text('Afficher')")
    page.wait_for_url("**annee=2024**")

    page.fill("textarea[name=forces]", "Équipes d'encadrants professionnalisées")
    page.click("button:has-text('Enregistrer les sections')")
    page.wait_for_selector("text=Les sections du bilan 2024 sont enregistrées")

    # Five sections are still empty: the page says so, and the button asks before generating.
    page.wait_for_selector("#sections-vides >> text=Faits marquants")
    page.click("button[data-confirmation]:has-text('Générer le bilan 2024')")
    modale = page.locator("dialog#confirmer-generation")
    modale.locator("text=Plan d'actions").wait_for()
    modale.locator("button[type=submit]").click()
    # The button returns at once to the page that follows the generation, then offers the download.
    page.wait_for_url("**/bilans/*/")
    page.wait_for_selector("#telecharger", timeout=60_000)
    page.screenshot(path=str(tmp_path / "bilans.png"), full_page=True)

    with page.expect_download() as attente:
        page.click("#telecharger")
    telechargement = attente.value
    assert telechargement.suggested_filename == "bilan-cdiae-55-2024.pdf"
    chemin = tmp_path / telechargement.suggested_filename
    telechargement.save_as(chemin)
    texte = texte_du_pdf(chemin.read_bytes())
    assert "Meuse (55)" in texte
    assert "Chantier des Jardins" in texte
    assert "Équipes d'encadrants professionnalisées" in texte


@pytest.mark.navigateur
@pytest.mark.lent
@lit_le_pdf
@pytest.mark.django_db(transaction=True)
def test_un_clic_depuis_le_tableau_de_bord(live_server, page_de_l_agent, tmp_path):
    page = page_de_l_agent

    page.goto(f"{live_server.url}/pilotage/?annee=2024")
    page.click("button:has-text('Générer le bilan 2024 du CDIAE')")
    page.wait_for_url("**/bilans/*/")
    page.wait_for_selector("#telecharger", timeout=60_000)
    with page.expect_download() as attente:
        page.click("#telecharger")
    chemin = tmp_path / attente.value.suggested_filename
    attente.value.save_as(chemin)
    assert chemin.name == "bilan-cdiae-55-2024.pdf"
    texte = texte_du_pdf(chemin.read_bytes())
    assert "Meuse (55)" in texte and "Chantier des Jardins" in texte
