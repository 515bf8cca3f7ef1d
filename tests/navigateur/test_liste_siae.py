"""An agent of the DDETS logs in, filters the list of structures and opens one, in Debian's chromium.

Skipped when chromium is not installed, except under CI=true where it must run.
"""

import pytest

from comptes.models import Membre, Organisation, TypeOrganisation, Utilisateur
from siae.models import Siae
from siae.regles import luhn_valide

MOT_DE_PASSE = "un-mot-de-passe-de-test"


def _siret(rang: int) -> str:
    base = f"8880000{rang:06d}"
    return next(base + str(cle) for cle in range(10) if luhn_valide(base + str(cle)))


@pytest.mark.navigateur
@pytest.mark.lent
@pytest.mark.django_db(transaction=True)
def test_un_agent_filtre_la_liste_et_ouvre_une_siae(live_server, navigateur):
    ddets = Organisation.objects.create(type=TypeOrganisation.DDETS, departement="55", nom="DDETS de la Meuse")
    agent = Utilisateur.objects.create_user("agent@ddets55.test", MOT_DE_PASSE, first_name="Claire", last_name="Agent")
    Membre.objects.create(utilisateur=agent, organisation=ddets)
    Siae.objects.create(siret=_siret(1), nom="Chantier des Jardins", type="ACI", departement="55", commune="Verdun")
    Siae.objects.create(siret=_siret(2), nom="Intérim solidaire", type="ETTI", departement="55", commune="Verdun")
    Siae.objects.create(siret=_siret(3), nom="Structure de Moselle", type="ACI", departement="57", commune="Metz")

    page = navigateur.new_page()
    page.goto(f"{live_server.url}/siae/")
    assert "/comptes/connexion/" in page.url

    page.fill("input[name=username]", "agent@ddets55.test")
    page.fill("input[name=password]", MOT_DE_PASSE)
    page.click("button:has-text('Se connecter')")
    page.wait_for_url(f"{live_server.url}/siae/")
    assert page.locator("#nombre-resultats").inner_text().strip() == "2 structures"
    assert page.locator("text=Structure de Moselle").count() == 0

    page.select_option("select[name=type]", "ACI")
    page.click("button:has-text('Filtrer')")
    page.wait_for_url("**type=ACI**")
    assert page.locator("#nombre-resultats").inner_text().strip() == "1 structure"
    assert page.locator("table >> text=Intérim solidaire").count() == 0

    page.click("a:has-text('Chantier des Jardins')")
    page.wait_for_selector("h1:has-text('Chantier des Jardins')")
    assert _siret(1) in page.content()
    assert page.locator("a:has-text('Modifier')").count() == 1
