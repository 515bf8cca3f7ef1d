"""The fluxIAE on the upload page: an agent of a DDETS (their département only) or an administrator drops the ASP's
archive; a task analyses it, the page shows what would change view by view, and nothing is written before the
confirmation, which loads it in a task too."""

import datetime as dt
import re
import threading
import time
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from benchmarks.fluxiae import generer_flux
from conventions.models import AnnexeFinanciere
from imports.models import Import, StatutImport
from imports.services import analyser_archive, preparer_archive
from siae.models import Siae

pytestmark = pytest.mark.django_db

NOUVEAU = reverse("imports:nouveau")


def petit_flux(dossier: Path, departements: list[str], **options):
    """A small flux: one structure per département, the first quarter of 2026."""
    return generer_flux(
        dossier, departements, structures_par_departement=1, annees=(2026,), mois_fin=dt.date(2026, 3, 1), **options
    )


@pytest.fixture(scope="module")
def archive_55(tmp_path_factory) -> Path:
    return petit_flux(tmp_path_factory.mktemp("flux55"), ["55"], archive=True).archive


@pytest.fixture(scope="module")
def archive_55_57(tmp_path_factory) -> Path:
    return petit_flux(tmp_path_factory.mktemp("flux55_57"), ["55", "57"], archive=True).archive


@pytest.fixture(scope="module")
def archive_corrompue(tmp_path_factory) -> tuple[Path, str]:
    """The flux of 55 whose third line of the monthly states (its first data row) carries a 31st of February."""
    resume = petit_flux(tmp_path_factory.mktemp("corrompu"), ["55"], compression=None)
    emi = resume.fichiers["EtatMensuelIndiv"]
    lignes = emi.read_text(encoding="utf-8").split("\n")
    colonne = lignes[1].split("|").index("emi_date_validation")
    champs = lignes[2].split("|")
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", champs[colonne])
    champs[colonne] = "31/02/2026"
    lignes[2] = "|".join(champs)
    emi.write_text("\n".join(lignes), encoding="utf-8")
    archive = resume.dossier / "fluxIAE_ITOU_02112026.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zip_:
        for chemin in resume.fichiers.values():
            zip_.write(chemin, chemin.name)
    return archive, emi.name


def deposer(client, archive: Path, **donnees):
    fichier = SimpleUploadedFile(archive.name, archive.read_bytes(), content_type="application/zip")
    return client.post(NOUVEAU, {"type": "fluxiae", "fichier": fichier, **donnees})


def comptes() -> tuple[int, int]:
    return Siae.objects.count(), AnnexeFinanciere.objects.count()


class TestLaPageDeDepot:
    def test_l_agent_se_voit_proposer_le_fluxiae(self, agent_55, client_de):
        page = client_de(agent_55).get(NOUVEAU).content.decode()
        assert '<option value="fluxiae">fluxIAE de l&#x27;ASP (archive hebdomadaire)</option>' in page
        assert "Le <strong>fluxIAE de l'ASP</strong> se dépose tel que livré chaque semaine" in page
        # The formats of the tables of rows are still listed, the archive's not (it has the ASP's own layout).
        assert "Colonnes – Structures (SIAE)" in page
        assert "Colonnes – fluxIAE" not in page
        # One département: nothing to choose, it is theirs.
        assert 'name="departement"' not in page
        assert ".tar.gz" in page

    def test_un_administrateur_peut_choisir_un_departement(self, admin, client_de):
        page = client_de(admin).get(NOUVEAU).content.decode()
        assert '<option value="" selected>Tous les départements de l&#x27;archive</option>' in page
        assert '<option value="55">55 – Meuse</option>' in page

    def test_la_page_des_structures_garde_ses_formats(self, personnel_a, client_de):
        page = client_de(personnel_a).get(NOUVEAU).content.decode()
        assert "Colonnes – Parcours et PASS IAE" in page
        assert "Colonnes – Déclarations mensuelles" in page
        assert 'value="fluxiae"' not in page
        assert "fluxIAE" not in page
        assert 'name="departement"' not in page

    def test_le_personnel_d_une_siae_ne_peut_pas_deposer_un_fluxiae(self, personnel_a, client_de, archive_55):
        reponse = deposer(client_de(personnel_a), archive_55)
        assert reponse.status_code == 200
        assert "Sélectionnez un choix valide" in reponse.content.decode()
        assert not Import.objects.exists()

    def test_un_membre_du_cdiae_n_a_pas_la_page(self, membre_cdiae_55, client_de, archive_55):
        client = client_de(membre_cdiae_55)
        assert client.get(NOUVEAU).status_code == 404
        assert deposer(client, archive_55).status_code == 404
        assert not Import.objects.exists()

    def test_une_archive_trop_grosse_est_refusee_avant_lecture(self, agent_55, client_de, archive_55, settings):
        settings.FLUXIAE_TAILLE_MAX_ARCHIVE = 10
        reponse = deposer(client_de(agent_55), archive_55)
        assert reponse.status_code == 200
        assert "L&#x27;archive dépasse 10 octets, la taille acceptée." in reponse.content.decode()
        assert not Import.objects.exists()

    def test_une_archive_au_mauvais_nom(self, agent_55, client_de, tmp_path):
        faux = tmp_path / "flux.pdf"
        faux.write_bytes(b"%PDF")
        reponse = deposer(client_de(agent_55), faux)
        assert "L&#x27;archive du fluxIAE doit être un fichier .zip, .tar.gz ou .gz." in reponse.content.decode()
        assert not Import.objects.exists()

    def test_un_tableau_garde_ses_20_mo_et_ses_extensions(self, agent_55, client_de, tmp_path):
        fichier = SimpleUploadedFile("flux.zip", b"PK\x03\x04", content_type="application/zip")
        reponse = client_de(agent_55).post(NOUVEAU, {"type": "siae", "fichier": fichier})
        assert "Le fichier doit être un CSV ou un XLSX." in reponse.content.decode()
        assert not Import.objects.exists()


class TestAnalyseApercuConfirmation:
    def test_apercu_par_vue_puis_chargement(self, agent_55, client_de, archive_55, django_capture_on_commit_callbacks):
        client = client_de(agent_55)
        with django_capture_on_commit_callbacks(execute=True) as rappels:
            reponse = deposer(client, archive_55)
        # The analysis is a task queued after the commit, never the request's work.
        assert len(rappels) == 1
        journal = Import.objects.get()
        assert reponse.status_code == 302
        assert reponse["Location"] == reverse("imports:detail", args=[journal.pk])
        assert journal.statut == StatutImport.ANALYSE
        assert journal.departements_demandes == ["55"] and journal.departement == "55"
        assert comptes() == (0, 0)

        page = client.get(reponse["Location"]).content.decode()
        assert "Aperçu : rien n'est encore enregistré" in page
        assert "Département chargé : 55 – Meuse." in page
        assert "Ce que l'import changera, vue par vue" in page
        tableau = page[page.index('id="par-vue"') : page.index("</table>", page.index('id="par-vue"'))]
        libelles = re.findall(r'<th scope="row">([^<]+)<br>', tableau)
        assert libelles == [
            "Structures (SIAE)",
            "Annexes financières",
            "Salariés et PASS IAE",
            "Parcours (contrats)",
            "Déclarations mensuelles (annexe et mois)",
            "Motifs de sortie",
        ]
        assert "FDI : hors des ETP et des aides au poste : 1" in tableau
        assert "fluxIAE_RefDepartement_" in page and "Fichiers de l'archive non lus" in page
        assert "Confirmer l'import" in page
        # Only the archive's table: neither the tiles nor the line-by-line table of a file of rows.
        assert "fr-tile" not in page

        reponse = client.post(reverse("imports:detail", args=[journal.pk]))
        assert reponse.status_code == 302
        journal.refresh_from_db()
        assert journal.statut == StatutImport.TERMINE
        siae, annexes = comptes()
        assert siae == journal.comptes_par_vue["Structure"]["crees"] == 1
        assert annexes == journal.comptes_par_vue["AnnexeFinanciere"]["crees"] == 1
        page = client.get(reponse["Location"]).content.decode()
        assert "Import enregistré" in page
        assert "Ce qui a été enregistré, vue par vue" in page
        assert "lignes lues" not in page
        assert "Confirmer l'import" not in page

    def test_l_agent_ne_charge_que_son_departement(
        self, agent_55, client_de, archive_55_57, django_capture_on_commit_callbacks
    ):
        client = client_de(agent_55)
        with django_capture_on_commit_callbacks(execute=True):
            deposer(client, archive_55_57, departement="57")  # not a choice of theirs: ignored
        journal = Import.objects.get()
        assert journal.statut == StatutImport.ANALYSE
        client.post(reverse("imports:detail", args=[journal.pk]))
        journal.refresh_from_db()
        assert journal.statut == StatutImport.TERMINE
        assert set(Siae.objects.values_list("departement", flat=True)) == {"55"}
        assert not AnnexeFinanciere.objects.filter(siae__departement="57").exists()

    def test_un_administrateur_choisit_un_departement(
        self, admin, client_de, archive_55_57, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            deposer(client_de(admin), archive_55_57, departement="57")
        journal = Import.objects.get()
        assert journal.departements_demandes == ["57"]
        assert journal.statut == StatutImport.ANALYSE
        assert journal.comptes_par_vue["Structure"]["crees"] == 1

    def test_un_administrateur_charge_toute_l_archive(
        self, admin, client_de, archive_55_57, django_capture_on_commit_callbacks
    ):
        client = client_de(admin)
        with django_capture_on_commit_callbacks(execute=True):
            deposer(client, archive_55_57)
        journal = Import.objects.get()
        assert journal.departements_demandes == [] and journal.departement == ""
        client.post(reverse("imports:detail", args=[journal.pk]))
        assert set(Siae.objects.values_list("departement", flat=True)) == {"55", "57"}
        page = client.get(reverse("imports:detail", args=[journal.pk])).content.decode()
        assert "Départements chargés : tous les départements de l&#x27;archive." in page

    def test_une_archive_corrompue_est_refusee_entiere(
        self, agent_55, client_de, archive_corrompue, django_capture_on_commit_callbacks
    ):
        archive, nom_emi = archive_corrompue
        client = client_de(agent_55)
        with django_capture_on_commit_callbacks(execute=True):
            deposer(client, archive)
        journal = Import.objects.get()
        assert journal.statut == StatutImport.REFUSE
        assert comptes() == (0, 0)
        page = client.get(reverse("imports:detail", args=[journal.pk])).content.decode()
        assert "Archive refusée : rien n'a été enregistré" in page
        erreur = re.search(r'<ul id="erreurs"><li>([^<]+)</li>', page).group(1)
        assert erreur.startswith(f"fichier {nom_emi}, ligne 3, colonne emi_date_validation : ")
        assert "Confirmer l'import" not in page
        assert client.post(reverse("imports:detail", args=[journal.pk])).status_code == 404

    def test_le_journal_montre_les_archives(
        self, agent_55, agent_57, client_de, archive_55, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            deposer(client_de(agent_55), archive_55)
        page = client_de(agent_55).get(reverse("imports:liste")).content.decode()
        assert archive_55.name in page
        assert "fluxIAE de l&#x27;ASP (archive hebdomadaire)" in page
        assert "Analysé, en attente de confirmation" in page
        assert archive_55.name not in client_de(agent_57).get(reverse("imports:liste")).content.decode()


@pytest.fixture
def en_analyse(agent_55, archive_55):
    return Import.objects.create(
        type="fluxiae",
        nom_fichier=archive_55.name,
        auteur=agent_55,
        departement="55",
        departements_demandes=["55"],
        statut=StatutImport.EN_ANALYSE,
        lignes_traitees=2,
        lignes_total=7,
        progression=28,
    )


class TestLaConfirmationAttendUnTravailleur:
    def test_la_page_attend_que_l_enregistrement_commence(self, en_analyse, agent_55, client_de):
        Import.objects.filter(pk=en_analyse.pk).update(statut=StatutImport.ANALYSE, lignes_traitees=6)
        client = client_de(agent_55)
        url = reverse("imports:detail", args=[en_analyse.pk])
        # A worker takes the task a moment later: until then the page follows it, without the confirm button.
        with mock.patch("imports.views.executer_import_task.delay") as delay:
            reponse = client.post(url)
        delay.assert_called_once_with(en_analyse.pk)
        assert reponse["Location"] == f"{url}?confirme=1"
        page = client.get(reponse["Location"]).content.decode()
        assert "Enregistrement demandé" in page
        assert "en attente de son lancement" in page
        assert 'data-statut="ANALYSE"' in page
        assert "Confirmer l'import" not in page
        etat = client.get(reverse("imports:avancement", args=[en_analyse.pk])).json()
        assert (etat["etape"], etat["mesurable"]) == ("Enregistrement demandé : en attente de son lancement…", False)
        # Coming back later, before the worker took it: the preview, which may be confirmed again (the task's claim
        # keeps it from being written twice).
        assert "Confirmer l'import" in client.get(url).content.decode()


class TestLAvancementDeLAnalyse:
    def test_la_page_suit_l_analyse(self, en_analyse, agent_55, client_de):
        page = client_de(agent_55).get(reverse("imports:detail", args=[en_analyse.pk])).content.decode()
        assert "Analyse en cours" in page
        assert "rien n'est enregistré avant votre confirmation" in page
        assert "Étape 3 sur 7" in page
        assert "2 étapes sur 7 terminées (28\xa0%)" in page
        assert 'max="100" value="28"' in page
        assert 'data-statut="EN_ANALYSE"' in page
        assert "Confirmer l'import" not in page
        assert "Échec technique" not in page

    def test_le_point_d_avancement(self, en_analyse, agent_55, client_de):
        reponse = client_de(agent_55).get(reverse("imports:avancement", args=[en_analyse.pk]))
        assert reponse.json() == {
            "statut": "EN_ANALYSE",
            "statut_libelle": "Analyse en cours",
            "archive": True,
            "etape": "Étape 3 sur 7",
            "mesurable": True,
            "progression": 28,
            "lignes_traitees": 2,
            "lignes_total": 7,
            "texte": "2 étapes sur 7 terminées (28\xa0%)",
        }

    def test_avant_la_premiere_etape(self, en_analyse, agent_55, client_de):
        Import.objects.filter(pk=en_analyse.pk).update(lignes_traitees=0, lignes_total=0, progression=0)
        etat = client_de(agent_55).get(reverse("imports:avancement", args=[en_analyse.pk])).json()
        assert (etat["etape"], etat["mesurable"]) == ("Ouverture de l'archive", False)

    def test_hors_perimetre_404(self, en_analyse, agent_57, membre_cdiae_55, personnel_a, client_de):
        for url in (
            reverse("imports:detail", args=[en_analyse.pk]),
            reverse("imports:avancement", args=[en_analyse.pk]),
        ):
            for intrus in (agent_57, membre_cdiae_55, personnel_a):
                assert client_de(intrus).get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite takes one writer at a time: steps seen at the end")
def test_les_etapes_se_voient_pendant_l_analyse(agent_55, archive_55):
    """The loading is one transaction; its steps are written beside it, so that the page polling them sees them."""
    journal = preparer_archive("fluxiae", archive_55.name, File(archive_55.open("rb")), agent_55, ["55"])
    vues, fini = set(), threading.Event()

    def regarder():
        # Another connection, as the page's request: what it reads of the import while the task runs.
        try:
            while not fini.is_set():
                vues.add(tuple(Import.objects.filter(pk=journal.pk).values_list("lignes_traitees", "lignes_total")[0]))
                time.sleep(0.005)
        finally:
            connection.close()

    regard = threading.Thread(target=regarder)
    regard.start()
    try:
        journal = analyser_archive(journal)
    finally:
        fini.set()
        regard.join()
    assert journal.statut == StatutImport.ANALYSE
    # Some of the eight steps were seen while they ran (each takes milliseconds here: not necessarily all).
    assert {(rang, 8) for rang in range(8)} & vues
