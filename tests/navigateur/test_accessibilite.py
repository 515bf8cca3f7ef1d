"""RGAA: axe-core, injected into the pages every role opens, finds no serious or critical violation.

axe-core is an npm package, not vendored: `AXE_CORE_JS` names its `axe.min.js` (`.ci/run` sets it), else it is
looked for where `make test` installs it (`var/axe/`) and in the project's `node_modules`. Missing, the test fails
and says how to get it: an accessibility check that did not run is not a check that passed.

Each page is checked at 1440 px, and the pages whose tables scroll also at 390 px (a phone)."""

import json
import os
from pathlib import Path

import pytest

from demo.services import MOT_DE_PASSE_PAR_DEFAUT

RACINE = Path(__file__).resolve().parents[2]
CANDIDATS = [
    os.environ.get("AXE_CORE_JS", ""),
    str(RACINE / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js"),
    str(RACINE / "node_modules" / "axe-core" / "axe.min.js"),
]
AXE = next((Path(c) for c in CANDIDATS if c and Path(c).is_file()), None)
GRAVES = {"serious", "critical"}

# For each role, the pages it opens the most: the homes, the cockpit, the indicators' tables, the lists (with their
# pagination), the forms, the public pages of the footer.
PAGES = {
    "agent.ddets@pilot-iae.test": [
        "/", "/pilotage/", "/pilotage/redeploiement/", "/consommation/?annee=2025", "/publics/?annee=2025",
        "/sorties/?annee=2025", "/siae/", "/salaries/", "/declarations/", "/imports/", "/imports/nouveau/",
        "/bilans/", "/modulation/", "/aides-au-poste/", "/controle/", "/financements/", "/comptes/mot-de-passe/",
        "/accessibilite/", "/mentions-legales/", "/donnees-personnelles/",
    ],
    "siae@pilot-iae.test": ["/", "/declarations/", "/salaries/", "/imports/nouveau/"],
    "cdiae@pilot-iae.test": [
        "/", "/consommation/?annee=2025", "/publics/?annee=2025", "/sorties/?annee=2025", "/bilans/",
    ],
    "admin@pilot-iae.test": ["/", "/pilotage/", "/siae/", "/salaries/"],
}  # fmt: skip
# A phone: the wide tables scroll in their region.
TELEPHONE = ["/pilotage/", "/publics/?annee=2025", "/sorties/?annee=2025", "/consommation/?annee=2025"]

ANALYSE = """async () => {
  const resultats = await axe.run(document, {resultTypes: ["violations"]});
  return resultats.violations.map((v) => ({
    id: v.id, impact: v.impact, noeuds: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
  }));
}"""


@pytest.fixture
def axe():
    if AXE is None:
        pytest.fail("axe-core est introuvable : make test l'installe (npm), ou AXE_CORE_JS=…/axe.min.js")
    return AXE


def connecter(page, url, email):
    page.goto(f"{url}/comptes/connexion/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", MOT_DE_PASSE_PAR_DEFAUT)
    page.click("button:has-text('Se connecter')")
    page.wait_for_url(f"{url}/")


def violations_graves(page, axe, url, chemin) -> list[str]:
    reponse = page.goto(f"{url}{chemin}", wait_until="networkidle")
    assert reponse.status == 200, chemin
    page.add_script_tag(path=str(axe))
    return [
        f"{chemin} {v['id']} ({v['impact']}) : {json.dumps(v['noeuds'], ensure_ascii=False)}"
        for v in page.evaluate(ANALYSE)
        if v["impact"] in GRAVES
    ]


@pytest.mark.navigateur
@pytest.mark.lent
@pytest.mark.django_db(transaction=True)
def test_aucune_violation_grave_pour_aucun_role(axe, demo, live_server, navigateur):
    assert sum(len(chemins) for chemins in PAGES.values()) >= 15
    trouvees = []
    for email, chemins in PAGES.items():
        for largeur in (1440, 390):
            # axe is injected by the test, not by the page: the page's Content-Security-Policy is bypassed for it.
            contexte = navigateur.new_context(viewport={"width": largeur, "height": 900}, bypass_csp=True)
            page = contexte.new_page()
            connecter(page, live_server.url, email)
            for chemin in chemins if largeur == 1440 else [c for c in chemins if c in TELEPHONE]:
                trouvees += [
                    f"{email} {largeur} px {v}" for v in violations_graves(page, axe, live_server.url, chemin)
                ]
            contexte.close()
    assert trouvees == []


@pytest.mark.navigateur
@pytest.mark.lent
@pytest.mark.django_db(transaction=True)
def test_les_liens_d_evitement_menent_au_contenu_au_menu_et_au_pied_de_page(demo, live_server, navigateur):
    contexte = navigateur.new_context(viewport={"width": 1440, "height": 900})
    page = contexte.new_page()
    connecter(page, live_server.url, "agent.ddets@pilot-iae.test")
    page.goto(f"{live_server.url}/publics/?annee=2025")
    liens = page.locator(".fr-skiplinks a")
    assert liens.all_inner_texts() == ["Aller au contenu", "Menu", "Pied de page"]
    for cible in [lien.get_attribute("href") for lien in liens.all()]:
        assert page.locator(cible).count() == 1, cible
    # The wide table scrolls inside a region the keyboard reaches, its first column stuck to the left.
    region = page.locator("#publics-par-siae").locator("xpath=ancestor::div[contains(@class,'fr-table__container')]")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    premiere = page.locator("#publics-par-siae tbody tr:first-child td:first-child")
    assert premiere.evaluate("e => getComputedStyle(e).position") == "sticky"
    contexte.close()
