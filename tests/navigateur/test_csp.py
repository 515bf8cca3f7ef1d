"""The pages, as chromium renders them under their Content-Security-Policy: no violation for any role, and the
pages that run scripts (the charts' cockpit, the imports, the API's documentation) still work.

On the session's demo (tests/conftest.py), like the other browser tests."""

import pytest

from demo.services import MOT_DE_PASSE_PAR_DEFAUT

# For each role, the pages to open: the home page, the cockpit and its charts, the lists, a form with its script.
PAGES = {
    "agent.ddets@pilot-iae.test": [
        "/", "/pilotage/", "/consommation/?annee=2025", "/siae/", "/salaries/", "/imports/nouveau/",
        "/bilans/", "/modulation/", "/comptes/mot-de-passe/", "/api/v1/docs/",
    ],
    "siae@pilot-iae.test": ["/", "/declarations/", "/salaries/", "/imports/nouveau/"],
    "cdiae@pilot-iae.test": ["/", "/consommation/?annee=2025", "/bilans/"],
    "admin@pilot-iae.test": ["/", "/admin/", "/admin/parcours/salarie/"],
}  # fmt: skip
ECOUTE = """document.addEventListener("securitypolicyviolation", (e) => {
  (window.__violations = window.__violations || []).push(`${e.violatedDirective} ${e.blockedURI} ${e.lineNumber}`);
});"""


def noter(violations: list, message) -> None:
    if "Content Security Policy" in message.text:
        violations.append(message.text)


@pytest.mark.navigateur
@pytest.mark.lent
@pytest.mark.django_db(transaction=True)
def test_aucune_page_n_enfreint_sa_politique_de_securite(demo, live_server, navigateur):
    violations = []
    for email, chemins in PAGES.items():
        contexte = navigateur.new_context()
        page = contexte.new_page()
        page.add_init_script(ECOUTE)
        page.on("console", lambda message: noter(violations, message))
        page.goto(f"{live_server.url}/comptes/connexion/")
        page.fill("input[name=username]", email)
        page.fill("input[name=password]", MOT_DE_PASSE_PAR_DEFAUT)
        page.click("button:has-text('Se connecter')")
        page.wait_for_url(f"{live_server.url}/")
        for chemin in chemins:
            reponse = page.goto(f"{live_server.url}{chemin}", wait_until="networkidle")
            assert reponse.status == 200, chemin
            assert reponse.header_value("content-security-policy"), chemin
            violations.extend(f"{email} {chemin} : {v}" for v in page.evaluate("window.__violations || []"))
            if chemin == "/api/v1/docs/":
                # Swagger UI's start-up script ran: the operations are listed.
                page.wait_for_selector("#swagger-ui .opblock", timeout=30_000)
        contexte.close()
    assert violations == []
