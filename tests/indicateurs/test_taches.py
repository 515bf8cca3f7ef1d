"""The Celery side: retries on database errors, the nightly fan-out, the beat schedule, the operators' command."""

import datetime as dt
import importlib
import io
from decimal import Decimal
from unittest import mock

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import OperationalError

from iae.celery import app as celery_app
from indicateurs.models import IndicateurMensuel
from indicateurs.services import Rafraichissement
from indicateurs.tasks import rafraichir_indicateurs_task, rafraichir_nuit_task
from tests.factories import AnnexeFinanciereFactory, DeclarationFactory, LigneDeclarationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def annexes(siae_a, siae_57):
    meuse = AnnexeFinanciereFactory(siae=siae_a, annee=2024)
    LigneDeclarationFactory(
        declaration=DeclarationFactory(annexe=meuse, mois=dt.date(2024, 2, 1)), heures_travaillees=Decimal("91.00")
    )
    moselle = AnnexeFinanciereFactory(siae=siae_57, annee=2025)
    return meuse, moselle


@pytest.fixture
def sans_propagation():
    """As a worker does: a retry is handed back to Celery (here re-applied at once) instead of raised."""
    precedent = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = precedent


class TestReessais:
    def test_une_erreur_passagere_est_reessayee(self, annexes, sans_propagation):
        meuse, _ = annexes
        with mock.patch(
            "indicateurs.tasks.rafraichir",
            side_effect=[OperationalError("could not obtain lock"), Rafraichissement(1, 12, 0)],
        ) as calcul:
            resultat = rafraichir_indicateurs_task.apply(args=([meuse.pk], ["2024-02-01"]))
        assert resultat.get() == {"annexes": 1, "lignes": 12, "supprimees": 0, "faits": 0}
        assert calcul.call_count == 2
        # The months arrive as ISO dates (JSON) and are handed on as dates.
        assert calcul.call_args == mock.call([meuse.pk], [dt.date(2024, 2, 1)])

    def test_abandon_apres_le_dernier_essai(self, annexes, sans_propagation):
        meuse, _ = annexes
        with mock.patch("indicateurs.tasks.rafraichir", side_effect=OperationalError("server closed")) as calcul:
            resultat = rafraichir_indicateurs_task.apply(args=([meuse.pk], None))
        assert resultat.state == "FAILURE" and isinstance(resultat.result, OperationalError)
        assert calcul.call_count == rafraichir_indicateurs_task.max_retries + 1 == 6

    def test_une_erreur_de_programmation_n_est_pas_reessayee(self, annexes, sans_propagation):
        meuse, _ = annexes
        with mock.patch("indicateurs.tasks.rafraichir", side_effect=ValueError("bogue")) as calcul:
            resultat = rafraichir_indicateurs_task.apply(args=([meuse.pk], None))
        assert resultat.state == "FAILURE" and isinstance(resultat.result, ValueError)
        assert calcul.call_count == 1

    def test_reessais_espaces(self):
        options = rafraichir_indicateurs_task
        assert (options.acks_late, options.retry_backoff, options.retry_backoff_max) == (True, 30, 900)
        assert OperationalError in options.autoretry_for

    def test_la_tache_ecrit_les_lignes(self, annexes):
        meuse, _ = annexes
        assert rafraichir_indicateurs_task.delay([meuse.pk], ["2024-02-01"]).get() == {
            "annexes": 1,
            "lignes": 1,
            "supprimees": 0,
            # The parcours' facts (its hours) and its presence in 2024.
            "faits": 2,
        }
        fevrier = IndicateurMensuel.objects.get()
        # 91 h × 12 / 1 820 h
        assert (fevrier.mois, fevrier.etp_realises) == (dt.date(2024, 2, 1), Decimal("0.6"))


class TestNuit:
    def test_une_tache_par_departement(self, annexes):
        with mock.patch("indicateurs.tasks.rafraichir_departement_task.delay") as envoi:
            assert rafraichir_nuit_task.delay().get() == ["55", "57"]
        assert envoi.call_args_list == [mock.call("55"), mock.call("57")]

    def test_la_nuit_recalcule_tout(self, annexes):
        rafraichir_nuit_task.delay()
        # 12 months of each annexe (conventionné), whatever was declared.
        assert IndicateurMensuel.objects.filter(departement="55").count() == 12
        assert IndicateurMensuel.objects.filter(departement="57", mois__year=2025).count() == 12


class TestCalendrier:
    def test_cinq_taches_planifiees(self):
        planning = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
        assert planning == {
            "declarations.tasks.relancer_declarations_manquantes_task": crontab(
                minute="0", hour="8", day_of_month="16"
            ),
            "indicateurs.tasks.rafraichir_nuit_task": crontab(minute="30", hour="2"),
            "indicateurs.tasks.envoyer_synthese_mensuelle_task": crontab(minute="30", hour="7", day_of_month="17"),
            # docs/rgpd.md: once a month, after the night's refresh.
            "parcours.tasks.purger_donnees_personnelles_task": crontab(minute="30", hour="3", day_of_month="1"),
            # docs/rgpd.md: the connection logs past their six months, every night.
            "comptes.tasks.purger_journal_des_connexions_task": crontab(minute="15", hour="4"),
        }

    def test_les_taches_planifiees_existent(self):
        for entree in settings.CELERY_BEAT_SCHEDULE.values():
            importlib.import_module(entree["task"].rsplit(".", 1)[0])
            assert entree["task"] in celery_app.tasks

    def test_la_synthese_suit_la_relance_et_la_nuit(self):
        # The summary of the 17th reads the figures refreshed that night, after the reminder of the 16th.
        planning = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
        synthese = planning["indicateurs.tasks.envoyer_synthese_mensuelle_task"]
        nuit = planning["indicateurs.tasks.rafraichir_nuit_task"]
        assert synthese.day_of_month == {17} and min(synthese.hour) > max(nuit.hour)


class TestCommande:
    def lancer(self, *arguments) -> str:
        sortie = io.StringIO()
        call_command("recalculer_indicateurs", *arguments, stdout=sortie)
        return sortie.getvalue()

    def test_tout_recalculer_deux_fois(self, annexes):
        sortie = self.lancer()
        assert "55 : 1 annexe(s), 12 ligne(s) écrite(s), 0 supprimée(s)" in sortie
        assert "57 : 1 annexe(s), 12 ligne(s) écrite(s), 0 supprimée(s)" in sortie
        assert sortie.strip().endswith(
            "Indicateurs recalculés (tous les mois) : 2 département(s), 2 annexe(s), 24 ligne(s) écrite(s), "
            "0 supprimée(s)."
        )
        premiere = list(IndicateurMensuel.objects.values_list("pk", "annexe", "mois", "etp_realises"))
        self.lancer()
        assert list(IndicateurMensuel.objects.values_list("pk", "annexe", "mois", "etp_realises")) == premiere

    def test_un_departement_une_annee(self, annexes):
        sortie = self.lancer("--departement", "057", "--annee", "2025")
        assert "57 : 1 annexe(s), 12 ligne(s) écrite(s), 0 supprimée(s)" in sortie
        assert "(année 2025) : 1 département(s)" in sortie
        assert set(IndicateurMensuel.objects.values_list("departement", flat=True)) == {"57"}

    def test_departement_inconnu(self):
        with pytest.raises(CommandError, match="« 99x » n'est pas un code de département"):
            self.lancer("--departement", "99x")

    def test_annee_impossible(self):
        with pytest.raises(CommandError, match="--annee : 24 n'est pas une année plausible"):
            self.lancer("--annee", "24")
