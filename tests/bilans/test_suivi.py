"""The generation returns at once to the page that follows it (with a worker, and in development where the task runs
in a thread of its own), which works without JavaScript; the sections left empty are said before generating; the
page opens on the latest year with data."""

import datetime as dt
import threading

import pytest
from django.core.files.base import ContentFile

from bilans import regles, services
from bilans.models import BilanCdiae, FicheDialogue, SectionsEditoriales, StatutBilan
from tests.factories import AnnexeFinanciereFactory, DeclarationFactory

CONTENU = b"%PDF-1.7 bilan de test"


def fils_des_taches():
    return [f for f in threading.enumerate() if f.name.startswith("tache-")]


@pytest.mark.django_db(transaction=True)
def test_en_developpement_le_bouton_rend_la_main_tout_de_suite(client_de, agent_55, settings, monkeypatch):
    """The generation (24 s in `make run`) blocked the request: now the request returns while it is still under
    way, the page shows its progress, then the download link."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.TACHES_EN_ARRIERE_PLAN = True
    feu_vert, en_route = threading.Event(), threading.Event()

    def generer_lentement(bilan):
        services._avancer(bilan.pk, 40, "Sorties dynamiques")
        # The test reads only once the task's writes of its start are done: SQLite's in-memory test database locks
        # a table being written instead of waiting for it.
        en_route.set()
        assert feu_vert.wait(10)
        bilan.fichier.save("bilan.pdf", ContentFile(CONTENU), save=False)
        BilanCdiae.objects.filter(pk=bilan.pk).update(
            fichier=bilan.fichier.name, statut=StatutBilan.PRET, progression=100, pages=3, taille=len(CONTENU)
        )
        return BilanCdiae.objects.get(pk=bilan.pk)

    monkeypatch.setattr(services, "generer_bilan", generer_lentement)
    client = client_de(agent_55)
    reponse = client.post("/bilans/generer/", {"departement": "55", "annee": "2024"})
    assert en_route.wait(10)
    bilan = BilanCdiae.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == f"/bilans/{bilan.pk}/"
    try:
        # The generation has not ended (it waits for the green light) and the page already answers.
        page = client.get(reponse["Location"]).content.decode()
        assert "Le bilan est en préparation" in page and '<progress id="avancement-barre"' in page
        assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
        assert "Rafraîchir maintenant" in page and f"/bilans/{bilan.pk}/telecharger/" not in page
    finally:
        feu_vert.set()
        for fil in fils_des_taches():
            fil.join(10)
    page = client.get(reponse["Location"]).content.decode()
    assert "Le bilan est prêt" in page and f'href="/bilans/{bilan.pk}/telecharger/"' in page
    assert 'http-equiv="refresh"' not in page
    assert client.get(f"/bilans/{bilan.pk}/telecharger/").status_code == 200


@pytest.mark.django_db
def test_sans_l_arriere_plan_la_tache_tourne_dans_la_requete(
    client_de, agent_55, settings, monkeypatch, django_capture_on_commit_callbacks
):
    # The tests keep the eager, synchronous run: the generation has run when the request returns, in its thread.
    settings.TACHES_EN_ARRIERE_PLAN = False
    fils = []
    monkeypatch.setattr(services, "generer_bilan", lambda bilan: fils.append(threading.current_thread()) or bilan)
    with django_capture_on_commit_callbacks(execute=True):
        client_de(agent_55).post("/bilans/generer/", {"departement": "55", "annee": "2024"})
    assert fils == [threading.current_thread()] and fils_des_taches() == []


@pytest.mark.django_db
class TestLaPageDeSuivi:
    def test_un_echec_se_relance(self, client_de, agent_55):
        bilan = BilanCdiae.objects.create(departement="55", annee=2024, statut=StatutBilan.ECHEC, erreur="Panne.")
        page = client_de(agent_55).get(f"/bilans/{bilan.pk}/").content.decode()
        assert "La préparation a échoué" in page and "Panne." in page
        assert 'action="/bilans/generer/"' in page and "Relancer la préparation" in page

    def test_le_cdiae_suit_sans_relancer_et_hors_perimetre_rien(self, client_de, membre_cdiae_55, agent_57):
        bilan = BilanCdiae.objects.create(departement="55", annee=2024, statut=StatutBilan.ECHEC, erreur="Panne.")
        page = client_de(membre_cdiae_55).get(f"/bilans/{bilan.pk}/").content.decode()
        assert "La préparation a échoué" in page and "Relancer la préparation" not in page
        assert client_de(agent_57).get(f"/bilans/{bilan.pk}/").status_code == 404
        assert client_de(agent_57).get("/bilans/999999/").status_code == 404

    def test_la_fiche_de_dialogue_passe_par_la_meme_page(
        self, client_de, personnel_a, siae_a, django_capture_on_commit_callbacks
    ):
        AnnexeFinanciereFactory(siae=siae_a, annee=2024)
        client = client_de(personnel_a)
        with django_capture_on_commit_callbacks(execute=False):
            reponse = client.post(f"/bilans/dialogue/{siae_a.pk}/?annee=2024")
        fiche = FicheDialogue.objects.get()
        assert reponse["Location"] == f"/bilans/dialogue/fiche/{fiche.pk}/"
        page = client.get(reponse["Location"]).content.decode()
        assert (
            "La fiche est en préparation" in page and f'data-url="/bilans/dialogue/fiche/{fiche.pk}/statut/"' in page
        )
        assert "bilans/avancement.js" in page


class TestSectionsVides:
    def test_toutes_quand_rien_n_est_enregistre(self):
        assert regles.sections_vides(None) == [libelle for _, libelle in regles.SECTIONS_REDIGEES]

    def test_le_blanc_compte_pour_vide(self):
        sections = SectionsEditoriales(faits_marquants="Un fait", forces="  \n", plan_d_actions="Axe 1\n- action")
        assert regles.sections_vides(sections) == ["Forces", "Faiblesses", "Opportunités", "Menaces"]

    @pytest.mark.django_db
    def test_la_page_les_nomme_avant_de_generer(self, client_de, agent_55, membre_cdiae_55):
        SectionsEditoriales.objects.create(departement="55", annee=2024, forces="Des équipes", plan_d_actions="")
        page = client_de(agent_55).get("/bilans/", {"annee": 2024}).content.decode()
        assert "5 sections rédigées sont vides" in page
        assert "Faits marquants, Faiblesses, Opportunités, Menaces, Plan d&#x27;actions" in page
        assert 'href="#sections"' in page
        # The button asks first, naming them again.
        assert 'aria-controls="confirmer-generation"' in page and 'id="confirmer-generation"' in page
        # The CDIAE does not write them: nothing to offer.
        assert "sont vides" not in client_de(membre_cdiae_55).get("/bilans/", {"annee": 2024}).content.decode()

    @pytest.mark.django_db
    def test_rien_a_dire_quand_tout_est_redige(self, client_de, agent_55):
        SectionsEditoriales.objects.create(
            departement="55", annee=2024, **{champ: "Un point" for champ, _ in regles.SECTIONS_REDIGEES}
        )
        page = client_de(agent_55).get("/bilans/", {"annee": 2024}).content.decode()
        assert "sections-vides" not in page and "confirmer-generation" not in page
        assert '<button class="fr-btn fr-icon-file-pdf-line fr-btn--icon-left" type="submit">Générer' in page


class TestAnneeParDefaut:
    def test_la_plus_recente_qui_n_est_pas_a_venir(self):
        assert regles.annee_par_defaut([2026, 2025, None, 2027], dt.date(2026, 12, 4)) == 2026

    def test_sans_donnees_l_annee_qui_vient_de_finir(self):
        assert regles.annee_par_defaut([None, None], dt.date(2026, 12, 4)) == 2025

    @pytest.mark.django_db
    def test_le_titre_du_cdiae_suit_les_donnees(self, client_de, membre_cdiae_55, siae_a):
        """The heading said "Bilan 2025" above a 2026 bilan: the page opens on the latest year with data."""
        annee = dt.date.today().year
        DeclarationFactory(annexe=AnnexeFinanciereFactory(siae=siae_a, annee=annee))
        BilanCdiae.objects.create(departement="55", annee=annee, statut=StatutBilan.ECHEC)
        page = client_de(membre_cdiae_55).get("/bilans/").content.decode()
        assert f"<h2>Bilan {annee}</h2>" in page
        # Another year asked for is shown as asked.
        autre = client_de(membre_cdiae_55).get("/bilans/", {"annee": annee - 2}).content.decode()
        assert f"<h2>Bilan {annee - 2}</h2>" in autre
