"""A structure types a month's grid in Debian's chromium: the error summary takes the focus, the totals follow what
is typed, and on a phone's width the grid stays within the page.

Skipped when chromium is not installed, except under CI=true where it must run.
"""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import AnnexeFinanciereFactory, ParcoursFactory, UtilisateurFactory

MOT_DE_PASSE = "un-mot-de-passe-de-test"


@pytest.mark.navigateur
@pytest.mark.lent
@pytest.mark.django_db(transaction=True)
def test_la_grille_au_clavier_et_sur_un_telephone(live_server, navigateur, siae_a):
    annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2024, etp_conventionnes=Decimal("2.00"))
    for _ in range(3):
        ParcoursFactory(siae=siae_a, date_embauche=dt.date(2024, 1, 8))
    personnel = UtilisateurFactory(email="grille@siae-a.test", personnel_siae=siae_a)
    personnel.set_password(MOT_DE_PASSE)
    personnel.save()
    url = f"{live_server.url}/declarations/saisie/{annexe.pk}/2024/3/"

    for largeur in (1440, 390):
        contexte = navigateur.new_context(viewport={"width": largeur, "height": 900})
        page = contexte.new_page()
        page.goto(url)
        page.fill("input[name=username]", "grille@siae-a.test")
        page.fill("input[name=password]", MOT_DE_PASSE)
        page.click("button:has-text('Se connecter')")
        page.wait_for_url(url)

        # The page never overflows sideways; the hours fields are within the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= largeur
        boite = page.locator("#id_lignes-0-heures").bounding_box()
        assert boite["x"] >= 0 and boite["x"] + boite["width"] <= largeur

        # Totals follow what is typed: hours × 12 / annual hours of a post.
        page.fill("#id_lignes-0-heures", "100")
        page.fill("#id_lignes-1-heures", "51,67")
        assert page.locator("[data-total=heures]").inner_text() == "151,67"
        etp = Decimal("151.67") * 12 / Decimal(annexe.heures_annuelles_par_etp)
        assert page.locator("[data-total=etp]").inner_text() == f"{etp:.2f}".replace(".", ",")
        assert page.locator("[data-total=vides]").inner_text() == "1"

        page.fill("#id_lignes-0-heures", "400")
        page.fill("#id_lignes-1-heures", "-5")
        page.fill("#id_lignes-2-heures", "abc")
        page.click("button[value=brouillon]")
        page.wait_for_selector("#resume-erreurs")
        assert page.title().startswith("Erreur – ")
        assert page.evaluate("document.activeElement.id") == "resume-erreurs"
        assert page.locator("#resume-erreurs a").count() == 3
        page.click("#resume-erreurs a >> nth=2")
        assert page.evaluate("document.activeElement.id") == "id_lignes-2-heures"
        assert page.evaluate("document.documentElement.scrollWidth") <= largeur
        contexte.close()
