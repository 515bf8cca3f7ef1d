"""The dialogue de gestion sheet in a task, as the bilan: asked from its page, followed, downloaded; one at a time
per structure and year; out of scope, 404. The layout itself is replaced here by a stand-in PDF (rendering takes
seconds: tests/bilans/test_pdf_sans_requete.py and test_vues.py render the real one)."""

import pytest

from bilans import pdf, services_dialogue
from bilans.models import FicheDialogue, StatutBilan
from bilans.pdf import Pdf
from tests.factories import AnnexeFinanciereFactory

pytestmark = pytest.mark.django_db

FAUX_PDF = b"%PDF-1.7 fiche"


@pytest.fixture
def rendu(monkeypatch):
    rendus = []

    def rendre(valeurs, recuperateur=None):
        rendus.append(valeurs)
        return Pdf(FAUX_PDF, 3)

    monkeypatch.setattr(pdf, "pdf_du_dialogue", rendre)
    return rendus


def page(client, siae, annee=2024):
    return client.get(f"/bilans/dialogue/{siae.pk}/", {"annee": annee})


def test_demandee_preparee_puis_telechargee(client_de, personnel_a, siae_a, rendu, django_capture_on_commit_callbacks):
    AnnexeFinanciereFactory(siae=siae_a, annee=2024)
    client = client_de(personnel_a)
    vide = page(client, siae_a).content.decode()
    assert "Aucune fiche 2024 n'a encore été préparée" in vide and "Préparer la fiche 2024" in vide

    with django_capture_on_commit_callbacks(execute=False) as rappels:
        client.post(f"/bilans/dialogue/{siae_a.pk}/?annee=2024")
    fiche = FicheDialogue.objects.get()
    # Asked, not yet prepared: the request itself renders nothing; the page follows the task.
    assert (fiche.statut, fiche.auteur, rendu) == (StatutBilan.EN_ATTENTE, personnel_a, [])
    suivi = page(client, siae_a).content.decode()
    assert f'data-suivi="/bilans/dialogue/fiche/{fiche.pk}/statut/"' in suivi and "disabled" in suivi
    etat = client.get(f"/bilans/dialogue/fiche/{fiche.pk}/statut/").json()
    assert (etat["statut"], etat["url"]) == ("EN_ATTENTE", None)

    rappels[0]()  # the task, sent once the row is committed
    fiche.refresh_from_db()
    assert (fiche.statut, fiche.progression, fiche.pages, fiche.taille) == (StatutBilan.PRET, 100, 3, len(FAUX_PDF))
    assert [valeurs.siae for valeurs in rendu] == [siae_a]
    etat = client.get(f"/bilans/dialogue/fiche/{fiche.pk}/statut/").json()
    assert (etat["statut"], etat["url"]) == ("PRET", f"/bilans/dialogue/fiche/{fiche.pk}/telecharger/")
    telechargement = client.get(etat["url"])
    assert b"".join(telechargement.streaming_content) == FAUX_PDF
    assert telechargement["Content-Disposition"] == (
        f'attachment; filename="dialogue-de-gestion-{siae_a.siret}-2024.pdf"'
    )


def test_une_seule_a_la_fois_et_la_derniere_remplace_les_anciennes(
    agent_55, siae_a, rendu, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        premiere = services_dialogue.demander_fiche(siae_a, 2024, agent_55)
        # A second click while the first is under way follows the first.
        assert services_dialogue.demander_fiche(siae_a, 2024, agent_55) == premiere
    services_dialogue.generer_fiche(premiere)
    premiere.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        seconde = services_dialogue.demander_fiche(siae_a, 2024, agent_55)
    seconde.refresh_from_db()
    assert seconde != premiere and seconde.statut == StatutBilan.PRET
    # The older sheet and its file are gone.
    assert list(FicheDialogue.objects.all()) == [seconde]
    assert not premiere.fichier.storage.exists(premiere.fichier.name)


def test_un_echec_est_dit_en_francais(client_de, agent_55, siae_a, monkeypatch, django_capture_on_commit_callbacks):
    def panne(*args, **kwargs):
        raise RuntimeError("base indisponible")

    monkeypatch.setattr(services_dialogue.contenu, "assembler_dialogue", panne)
    with django_capture_on_commit_callbacks(execute=True):
        client_de(agent_55).post(f"/bilans/dialogue/{siae_a.pk}/?annee=2024")
    fiche = FicheDialogue.objects.get()
    assert (fiche.statut, fiche.erreur) == (StatutBilan.ECHEC, services_dialogue.ECHEC_FICHE)
    assert "La préparation de la fiche a échoué" in page(client_de(agent_55), siae_a).content.decode()


def test_hors_perimetre_404(client_de, personnel_b, agent_57, membre_cdiae_55, siae_a, rendu):
    fiche = FicheDialogue.objects.create(siae=siae_a, annee=2024)
    services_dialogue.generer_fiche(fiche)
    for intrus in (personnel_b, agent_57):
        client = client_de(intrus)
        assert page(client, siae_a).status_code == 404
        assert client.post(f"/bilans/dialogue/{siae_a.pk}/?annee=2024").status_code == 404
        assert client.get(f"/bilans/dialogue/fiche/{fiche.pk}/statut/").status_code == 404
        assert client.get(f"/bilans/dialogue/fiche/{fiche.pk}/telecharger/").status_code == 404
    assert FicheDialogue.objects.count() == 1
    # The CDIAE of the département reads it (aggregated figures).
    assert client_de(membre_cdiae_55).get(f"/bilans/dialogue/fiche/{fiche.pk}/telecharger/").status_code == 200
