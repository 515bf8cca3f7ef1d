"""The demo département's 2025 table, as an agent sees it in the browser, is the Meuse CDIAE bilan's.

On the session's demo (tests/conftest.py): committed, so the live server reads it; this test runs after the other
tests of the demo, as its flush at the end removes it."""

import pytest

from demo.services import MOT_DE_PASSE_PAR_DEFAUT

# The seed's table (shared/seeds, Meuse CDIAE bilan), as the page writes it.
TABLEAU_DU_BILAN = [
    ["ACI", "426,99", "425,85", "99,7 %"],
    ["AI", "54,00", "54,07", "100,1 %"],
    ["ETTI", "20,00", "18,12", "90,6 %"],
    ["EI", "32,00", "32,83", "102,6 %"],
    ["TOTAL", "532,99", "530,87", "99,6 %"],
]


def texte_des_cellules(ligne) -> list[str]:
    return [c.replace("\u00a0", " ").replace("\u202f", " ").strip() for c in ligne.locator("th, td").all_inner_texts()]


@pytest.mark.navigateur
@pytest.mark.lent
@pytest.mark.django_db(transaction=True)
def test_le_tableau_de_la_demo_est_celui_du_bilan(demo, live_server, navigateur, tmp_path):
    page = navigateur.new_page()
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.fill("input[name=username]", "agent.ddets@pilot-iae.test")
    page.fill("input[name=password]", MOT_DE_PASSE_PAR_DEFAUT)
    page.click("button:has-text('Se connecter')")
    page.wait_for_url(f"{live_server.url}/")

    page.click("#navigation >> button:has-text('Indicateurs')")
    page.click("#navigation >> text=Consommation des ETP")
    page.select_option("select[name=annee]", "2025")
    page.click("button:has-text('Afficher')")
    page.wait_for_url("**annee=2025**")
    lignes = page.locator("#consommation-par-type tbody tr")
    tableau = [texte_des_cellules(lignes.nth(i)) for i in range(lignes.count())]
    assert tableau == TABLEAU_DU_BILAN
    page.screenshot(path=str(tmp_path / "consommation-2025.png"), full_page=True)
    assert page.locator("#consommation-par-siae tbody tr").count() == 28
