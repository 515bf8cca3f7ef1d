"""The month's grid as a structure types it: the error summary, the domain's messages, the warnings grouped, the
pre-filling, the totals and the summary before transmitting."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from base.calendrier import de_mois
from declarations.models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration
from declarations.regles import heures_d_apres_le_contrat
from parcours.models import Contrat, MotifSortie
from tests.declarations.test_vues import donnees_grille
from tests.factories import AnnexeFinanciereFactory, DeclarationFactory, ParcoursFactory

pytestmark = pytest.mark.django_db

URL = "/declarations/saisie/{annexe}/2024/3/"


@pytest.fixture
def annexe(siae_a):
    return AnnexeFinanciereFactory(siae=siae_a, annee=2024, etp_conventionnes=Decimal("2.00"))


@pytest.fixture
def trois(siae_a):
    """Three salariés in parcours in March 2024, by name; their contracts say 26 h a week (112,67 h a month)."""
    parcours = [ParcoursFactory(siae=siae_a, date_embauche=dt.date(2024, 1, 8)) for _ in range(3)]
    return sorted(parcours, key=lambda p: (p.salarie.nom, p.salarie.prenom))


def _titre(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()


def _ids(page: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page))


class TestErreurs:
    def test_resume_lie_aux_champs_et_titre_en_erreur(self, client_de, personnel_a, annexe, trois):
        donnees = donnees_grille([(trois[0], "400", "", ""), (trois[1], "-5", "", ""), (trois[2], "abc", "", "")])
        reponse = client_de(personnel_a).post(URL.format(annexe=annexe.pk), {**donnees, "action": "brouillon"})
        assert reponse.status_code == 200 and not DeclarationMensuelle.objects.exists()
        page = reponse.content.decode()
        assert _titre(page).startswith("Erreur – Déclaration de mars 2024")
        resume = page[page.index('id="resume-erreurs"') : page.index('id="grille"')]
        assert 'tabindex="-1"' in page[page.index('id="resume-erreurs"') - 80 : page.index('id="resume-erreurs"') + 80]
        for i in range(3):
            assert f'href="#id_lignes-{i}-heures"' in resume
        # The domain's messages, the ones the imported file says, not Django's generic ones.
        assert "400,00 h dépasse le maximum légal de 208 h dans un mois" in resume
        assert "les heures ne peuvent pas être négatives" in resume
        assert "« abc » n&#x27;est pas un nombre" in resume
        assert "Assurez-vous" not in page and "Saisissez un nombre" not in page

    def test_aria_describedby_designe_des_elements_existants(self, client_de, personnel_a, annexe, trois):
        donnees = donnees_grille([(trois[0], "400", "", ""), (trois[1], "-5", "", ""), (trois[2], "abc", "", "")])
        page = client_de(personnel_a).post(URL.format(annexe=annexe.pk), donnees).content.decode()
        references = [i for valeur in re.findall(r'aria-describedby="([^"]+)"', page) for i in valeur.split()]
        assert "id_lignes-0-heures_error" in references
        assert set(references) <= _ids(page)
        for i in range(3):
            assert f'id="id_lignes-{i}-heures"' in page and f'id="id_lignes-{i}-heures_error"' in page

    def test_un_refus_du_domaine_est_sur_son_champ(self, client_de, personnel_a, annexe, trois):
        donnees = donnees_grille(
            [(trois[0], "100", "2024-04-02", "CDI"), (trois[1], "", "", ""), (trois[2], "", "", "")]
        )
        page = client_de(personnel_a).post(URL.format(annexe=annexe.pk), donnees).content.decode()
        assert 'href="#id_lignes-0-date_sortie"' in page
        assert 'id="id_lignes-0-date_sortie_error"' in page
        assert "n&#x27;est pas dans le mois déclaré" in page
        assert not DeclarationMensuelle.objects.exists()


class TestAvertissements:
    def test_brouillon_confirme_d_abord_et_regroupe_les_avertissements(self, client_de, personnel_a, annexe, trois):
        client = client_de(personnel_a)
        donnees = donnees_grille([(trois[0], "150", "", ""), (trois[1], "160", "", ""), (trois[2], "100", "", "")])
        reponse = client.post(URL.format(annexe=annexe.pk), {**donnees, "action": "brouillon"}, follow=True)
        messages = [str(m) for m in reponse.context["messages"]]
        assert messages == ["Brouillon enregistré (version 1)."]
        page = reponse.content.decode()
        assert page.count('id="avertissements"') == 1
        notice = page[page.index('id="avertissements"') : page.index('id="grille"')]
        assert "2 salariés au-delà des heures de leur contrat" in notice and "<details>" in notice
        assert 'href="#id_lignes-0-heures"' in notice and 'href="#id_lignes-1-heures"' in notice
        # Each warning is also said on its row, and read with its field.
        assert 'id="id_lignes-0-heures_avertissement"' in page
        assert 'aria-describedby="id_lignes-0-heures_avertissement"' in page
        assert "id_lignes-2-heures_avertissement" not in page
        # The confirmation comes before the grouped notice.
        assert page.index("Brouillon enregistré") < page.index('id="avertissements"')

    def test_les_avertissements_ne_reviennent_pas_apres_la_transmission(self, client_de, personnel_a, annexe, trois):
        donnees = donnees_grille([(trois[0], "150", "", ""), (trois[1], "160", "", ""), (trois[2], "100", "", "")])
        reponse = client_de(personnel_a).post(URL.format(annexe=annexe.pk), donnees, follow=True)
        messages = [str(m) for m in reponse.context["messages"]]
        assert messages == ["Déclaration de mars 2024 transmise (version 1, 3 salariés)."]


class TestPreRemplissage:
    def test_reprend_le_mois_precedent_sinon_le_contrat(self, client_de, personnel_a, annexe, trois):
        fevrier = DeclarationFactory(annexe=annexe, mois=dt.date(2024, 2, 1))
        LigneDeclaration.objects.create(declaration=fevrier, parcours=trois[0], heures_travaillees=Decimal("98.50"))
        Contrat.objects.filter(parcours=trois[2]).delete()
        reponse = client_de(personnel_a).get(URL.format(annexe=annexe.pk) + "?reprendre=1")
        heures = [rangee.heures for rangee in reponse.context["rangees"]]
        # 26 h a week × 52 / 12 = 112,666… → 112,67; no contract, nothing to take from: left empty.
        assert heures == [Decimal("98.50"), Decimal("112.67"), None]
        assert reponse.context["pre_remplissage"] == {"precedent": 1, "contrat": 1}
        page = reponse.content.decode()
        assert 'value="98,50"' in page and 'value="112,67"' in page
        assert "rien n'est enregistré pour l'instant" in page
        assert not DeclarationMensuelle.objects.filter(mois=dt.date(2024, 3, 1)).exists()

    def test_ne_remplace_pas_les_heures_deja_saisies(self, client_de, personnel_a, annexe, trois):
        client = client_de(personnel_a)
        donnees = donnees_grille([(trois[0], "10", "", ""), (trois[1], "", "", ""), (trois[2], "", "", "")])
        client.post(URL.format(annexe=annexe.pk), {**donnees, "action": "brouillon"})
        reponse = client.get(URL.format(annexe=annexe.pk) + "?reprendre=1")
        assert [r.heures for r in reponse.context["rangees"]][0] == Decimal("10")

    def test_heures_du_contrat_au_centime_et_plafonnees(self):
        assert heures_d_apres_le_contrat(Decimal(35) * 52 / 12) == Decimal("151.67")
        assert heures_d_apres_le_contrat(Decimal(60) * 52 / 12) == Decimal(208)
        assert heures_d_apres_le_contrat(None) is None


class TestTotaux:
    def test_totaux_calcules_par_le_serveur(self, client_de, personnel_a, annexe, trois):
        client = client_de(personnel_a)
        donnees = donnees_grille([(trois[0], "100", "", ""), (trois[1], "51,67", "", ""), (trois[2], "", "", "")])
        client.post(URL.format(annexe=annexe.pk), {**donnees, "action": "brouillon"})
        reponse = client.get(URL.format(annexe=annexe.pk))
        totaux = reponse.context["totaux"]
        assert totaux.heures == Decimal("151.67")
        assert totaux.etp == Decimal("151.67") * 12 / annexe.heures_annuelles_par_etp
        page = reponse.content.decode()
        annexe.refresh_from_db()
        assert f'data-heures-par-etp="{annexe.heures_annuelles_par_etp}"' in page
        assert 'data-total="heures">151,67<' in page
        assert f'data-total="etp">{totaux.etp:.2f}<'.replace(".", ",") in page
        assert 'data-total="vides">1<' in page


class TestRecapitulatif:
    def test_recapitulatif_avant_transmission(self, client_de, personnel_a, annexe, trois):
        fevrier = DeclarationFactory(annexe=annexe, mois=dt.date(2024, 2, 1))
        LigneDeclaration.objects.create(declaration=fevrier, parcours=trois[0], heures_travaillees=Decimal("80"))
        client = client_de(personnel_a)
        donnees = donnees_grille(
            [(trois[0], "100", "", ""), (trois[1], "50", "2024-03-22", "CDD_MOINS_6M"), (trois[2], "", "", "")],
            action="recapitulatif",
        )
        reponse = client.post(URL.format(annexe=annexe.pk), donnees)
        assert reponse.status_code == 200
        assert not DeclarationMensuelle.objects.filter(mois=dt.date(2024, 3, 1)).exists()
        recap = reponse.context["recapitulatif"]
        assert recap["declares"] == 2
        assert recap["sans_heures"] == [f"{trois[2].salarie.nom.upper()} {trois[2].salarie.prenom}"]
        motif = MotifSortie.objects.get(code="CDD_MOINS_6M").libelle
        assert recap["sorties"] == [
            (f"{trois[1].salarie.nom.upper()} {trois[1].salarie.prenom}", dt.date(2024, 3, 22), motif)
        ]
        assert recap["precedent"].heures == Decimal("80") and recap["ecart_heures"] == Decimal("70")
        page = reponse.content.decode()
        assert _titre(page).startswith("Vérification – Déclaration de mars 2024")
        assert 'value="transmettre"' in page and 'value="revoir"' in page
        # The grid travels hidden: confirming posts the same values.
        assert 'type="hidden" name="lignes-1-heures" value="50"' in page

        confirme = client.post(URL.format(annexe=annexe.pk), {**donnees, "action": "transmettre"})
        assert confirme.status_code == 302
        declaration = DeclarationMensuelle.objects.get(mois=dt.date(2024, 3, 1))
        assert (declaration.etat, declaration.lignes.count()) == (EtatDeclaration.TRANSMISE, 2)

    def test_revenir_a_la_grille_n_ecrit_rien(self, client_de, personnel_a, annexe, trois):
        donnees = donnees_grille([(trois[0], "100", "", ""), (trois[1], "", "", ""), (trois[2], "", "", "")])
        reponse = client_de(personnel_a).post(URL.format(annexe=annexe.pk), {**donnees, "action": "revoir"})
        assert reponse.status_code == 200 and "recapitulatif" not in reponse.context
        assert 'value="100"' in reponse.content.decode()
        assert not DeclarationMensuelle.objects.exists()

    def test_une_grille_fausse_n_a_pas_de_recapitulatif(self, client_de, personnel_a, annexe, trois):
        donnees = donnees_grille(
            [(trois[0], "abc", "", ""), (trois[1], "", "", ""), (trois[2], "", "", "")], action="recapitulatif"
        )
        reponse = client_de(personnel_a).post(URL.format(annexe=annexe.pk), donnees)
        assert "recapitulatif" not in reponse.context and reponse.context["erreurs"]

    def test_une_version_transmise_demande_son_motif_avant_le_recapitulatif(
        self, client_de, personnel_a, annexe, trois
    ):
        client = client_de(personnel_a)
        lignes = [(trois[0], "100", "", ""), (trois[1], "", "", ""), (trois[2], "", "", "")]
        client.post(URL.format(annexe=annexe.pk), donnees_grille(lignes))
        lignes[0] = (trois[0], "120", "", "")
        reponse = client.post(URL.format(annexe=annexe.pk), donnees_grille(lignes, action="recapitulatif"))
        assert "recapitulatif" not in reponse.context
        assert 'href="#id_motif_version"' in reponse.content.decode()
        reponse = client.post(
            URL.format(annexe=annexe.pk), donnees_grille(lignes, action="recapitulatif", motif_version="Heures revues")
        )
        assert reponse.context["recapitulatif"] and "version 2" in reponse.content.decode()
        assert DeclarationMensuelle.objects.count() == 1  # nothing opened before confirming


@pytest.mark.parametrize(
    ("mois", "texte"),
    [(4, "d'avril 2026"), (8, "d'août 2026"), (10, "d'octobre 2026"), (11, "de novembre 2026")],
)
def test_le_mois_avec_son_elision(mois, texte):
    jour = dt.date(2026, mois, 1)
    assert de_mois(jour) == texte
    rendu = Template("{% load format_fr %}Déclaration {{ mois|de_mois }}").render(Context({"mois": jour}))
    assert rendu == f"Déclaration {texte}".replace("'", "&#x27;")


def test_requetes_constantes_avec_le_nombre_de_salaries(client_de, personnel_a, siae_a, annexe, trois):
    client = client_de(personnel_a)
    url = URL.format(annexe=annexe.pk) + "?reprendre=1"
    client.get(url)  # sessions and caches warmed
    with CaptureQueriesContext(connection) as avant:
        assert client.get(url).status_code == 200
    for _ in range(5):
        ParcoursFactory(siae=siae_a, date_embauche=dt.date(2024, 1, 8))
    with CaptureQueriesContext(connection) as apres:
        assert len(client.get(url).context["rangees"]) == 8
    assert len(apres.captured_queries) == len(avant.captured_queries)
