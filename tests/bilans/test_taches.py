"""Asking for a bilan, its task (inline in the tests), its progression and statuses."""

import datetime as dt

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from bilans import contenu, services
from bilans.models import BilanCdiae, StatutBilan
from bilans.tasks import generer_bilan_task

from .outils import lit_le_pdf, texte_du_pdf

pytestmark = pytest.mark.django_db


@lit_le_pdf
def test_le_bilan_demande_est_genere_etape_par_etape_et_range(
    agent_55, monkeypatch, django_capture_on_commit_callbacks
):
    etapes = []
    original = services._avancer

    def noter(bilan_id, progression, etape):
        etapes.append((progression, etape, BilanCdiae.objects.get(pk=bilan_id).statut))
        original(bilan_id, progression, etape)

    monkeypatch.setattr(services, "_avancer", noter)
    with django_capture_on_commit_callbacks(execute=True) as rappels:
        bilan = services.demander_bilan("55", 2024, agent_55)
        assert bilan.statut == StatutBilan.EN_ATTENTE and bilan.progression == 0
    assert len(rappels) == 1  # the task is sent once the row is committed

    # Each step reported in order while the bilan is in progress, the layout last.
    assert [(p, e) for p, e, _ in etapes] == sorted(contenu.ETAPES.values())
    assert {statut for _, _, statut in etapes} == {StatutBilan.EN_COURS}
    bilan.refresh_from_db()
    assert (bilan.statut, bilan.progression, bilan.etape, bilan.erreur) == (StatutBilan.PRET, 100, "Bilan prêt", "")
    assert bilan.auteur == agent_55
    assert bilan.date_debut <= bilan.date_fin
    assert bilan.fichier.name.startswith("bilans/55/2024/") and bilan.fichier.name.endswith(".pdf")
    with bilan.fichier.open("rb") as fichier:
        octets = fichier.read()
    assert bilan.taille == len(octets)
    texte = texte_du_pdf(octets)
    assert texte.count("\f") == bilan.pages  # pdftotext ends each page with a form feed
    assert "Meuse (55)" in texte and "Bilan 2024 de l'insertion par" in texte


def test_un_echec_est_note_en_francais_sans_fichier(agent_55, monkeypatch, django_capture_on_commit_callbacks):
    def panne(*args, **kwargs):
        raise RuntimeError("base indisponible")

    monkeypatch.setattr(contenu, "assembler_bilan", panne)
    with django_capture_on_commit_callbacks(execute=True):
        bilan = services.demander_bilan("55", 2024, agent_55)
    bilan.refresh_from_db()
    assert bilan.statut == StatutBilan.ECHEC
    assert bilan.erreur == services.ECHEC_GENERATION
    assert "base indisponible" not in bilan.erreur  # the trace is for the logs
    assert bilan.fichier.name == "" and bilan.progression < 100 and bilan.date_fin is not None


def test_une_seule_generation_a_la_fois(agent_55):
    en_cours = BilanCdiae.objects.create(departement="55", annee=2024, statut=StatutBilan.EN_COURS)
    with pytest.raises(ValidationError, match="déjà en cours de génération"):
        services.demander_bilan("55", 2024, agent_55)
    # Another year, another département: free.
    autre = services.demander_bilan("55", 2023, agent_55)
    assert autre.pk != en_cours.pk
    # The database refuses a twin too.
    with pytest.raises(IntegrityError), transaction.atomic():
        BilanCdiae.objects.create(departement="55", annee=2024, statut=StatutBilan.EN_ATTENTE)


def test_une_generation_abandonnee_n_empeche_pas_d_en_demander_une(agent_55):
    perdu = BilanCdiae.objects.create(departement="55", annee=2024, statut=StatutBilan.EN_COURS)
    BilanCdiae.objects.filter(pk=perdu.pk).update(date_demande=timezone.now() - dt.timedelta(hours=1))
    nouveau = services.demander_bilan("55", 2024, agent_55)
    perdu.refresh_from_db()
    assert (perdu.statut, perdu.erreur) == (StatutBilan.ECHEC, services.ECHEC_INTERROMPU)
    assert nouveau.statut == StatutBilan.EN_ATTENTE


def test_deja_en_cours_dure_le_bail_de_la_generation(agent_55, settings):
    """A generation started longer ago than its task's hard time limit is over (stopped, or its worker lost):
    "déjà en cours" ends with it, not half an hour or an hour later."""
    attente, generation = services.baux_de_la_generation()
    assert generation == dt.timedelta(seconds=generer_bilan_task.time_limit) == dt.timedelta(minutes=10)
    assert attente == dt.timedelta(seconds=settings.CELERY_BAIL) == dt.timedelta(minutes=30)
    maintenant = timezone.now()
    en_cours = BilanCdiae.objects.create(departement="55", annee=2024, statut=StatutBilan.EN_COURS, progression=25)
    BilanCdiae.objects.filter(pk=en_cours.pk).update(date_debut=maintenant - generation + dt.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="déjà en cours de génération"):
        services.demander_bilan("55", 2024, agent_55)

    BilanCdiae.objects.filter(pk=en_cours.pk).update(date_debut=maintenant - generation - dt.timedelta(seconds=1))
    nouveau = services.demander_bilan("55", 2024, agent_55)
    en_cours.refresh_from_db()
    assert (en_cours.statut, en_cours.erreur) == (StatutBilan.ECHEC, services.ECHEC_INTERROMPU)
    assert nouveau.statut == StatutBilan.EN_ATTENTE


def test_un_bilan_en_attente_dure_le_bail_de_la_file(agent_55):
    attente, _ = services.baux_de_la_generation()
    en_attente = BilanCdiae.objects.create(departement="55", annee=2024, statut=StatutBilan.EN_ATTENTE)
    BilanCdiae.objects.filter(pk=en_attente.pk).update(date_demande=timezone.now() - attente + dt.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="déjà en cours de génération"):
        services.demander_bilan("55", 2024, agent_55)
    BilanCdiae.objects.filter(pk=en_attente.pk).update(date_demande=timezone.now() - attente - dt.timedelta(seconds=1))
    services.demander_bilan("55", 2024, agent_55)
    en_attente.refresh_from_db()
    assert en_attente.statut == StatutBilan.ECHEC


def test_une_generation_trop_longue_s_arrete_et_le_dit(agent_55, monkeypatch, django_capture_on_commit_callbacks):
    """Past its soft time limit the task is told (SoftTimeLimitExceeded) and records the failure in French."""

    def trop_long(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(contenu, "assembler_bilan", trop_long)
    with django_capture_on_commit_callbacks(execute=True):
        bilan = services.demander_bilan("55", 2024, agent_55)
    bilan.refresh_from_db()
    assert (bilan.statut, bilan.erreur) == (StatutBilan.ECHEC, services.ECHEC_GENERATION)


def test_un_bilan_pret_n_est_pas_refait(agent_55):
    bilan = BilanCdiae(departement="55", annee=2024, statut=StatutBilan.PRET, progression=100)
    bilan.fichier.save("b.pdf", ContentFile(b"%PDF-1.7 premier"), save=True)
    assert generer_bilan_task.delay(bilan.pk).get() == {"statut": StatutBilan.PRET}
    bilan.refresh_from_db()
    with bilan.fichier.open("rb") as fichier:
        assert fichier.read() == b"%PDF-1.7 premier"


@pytest.mark.parametrize(
    ("departement", "annee", "message"), [("99", 2024, "Département inconnu"), ("55", 1999, "Année hors des limites")]
)
def test_demande_invalide(agent_55, departement, annee, message):
    with pytest.raises(ValidationError, match=message):
        services.demander_bilan(departement, annee, agent_55)
    assert not BilanCdiae.objects.exists()


def test_un_bilan_pret_a_son_fichier():
    with pytest.raises(IntegrityError), transaction.atomic():
        BilanCdiae.objects.create(departement="55", annee=2024, statut=StatutBilan.PRET, progression=100)
