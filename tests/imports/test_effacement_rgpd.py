"""An import whose file and details were erased past their retention period (imports/services_rgpd.py): its page
says so, keeps its counts, and a preview left unconfirmed can no longer be confirmed."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from imports.models import Import, StatutImport
from imports.services_rgpd import effacer_fichiers_d_import

pytestmark = pytest.mark.django_db


def journal_efface(statut, auteur):
    journal = Import(
        type="parcours",
        nom_fichier="embauches.csv",
        statut=statut,
        auteur=auteur,
        departement="55",
        nb_crees=3,
        apercu=[{"ligne": 2, "action": "creation", "libelle": "DUPONT Jean", "details": ""}],
        erreurs=["Ligne 2, colonne numero_pass : « 999991234567 » inconnu"],
    )
    journal.fichier.save("embauches.csv", ContentFile(b"nom\nDUPONT\n"), save=False)
    journal.save()
    Import.objects.filter(pk=journal.pk).update(date=timezone.make_aware(dt.datetime(2024, 1, 10)))
    assert effacer_fichiers_d_import(dt.date(2024, 7, 1), timezone.now()) == 1
    return journal


@pytest.mark.parametrize("statut", [StatutImport.TERMINE, StatutImport.REFUSE])
def test_la_page_dit_que_le_fichier_est_efface(client_de, agent_55, statut):
    journal = journal_efface(statut, agent_55)
    contenu = client_de(agent_55).get(reverse("imports:detail", args=[journal.pk])).content.decode()
    assert 'id="donnees-effacees"' in contenu
    assert "DUPONT" not in contenu and "999991234567" not in contenu and "0 erreur" not in contenu
    assert "embauches.csv" in contenu


def test_un_apercu_efface_ne_se_confirme_plus(client_de, agent_55):
    journal = journal_efface(StatutImport.ANALYSE, agent_55)
    client = client_de(agent_55)
    contenu = client.get(reverse("imports:detail", args=[journal.pk])).content.decode()
    assert "Confirmer l'import" not in contenu and "Échec technique" not in contenu
    assert client.post(reverse("imports:detail", args=[journal.pk])).status_code == 404
    assert Import.objects.get(pk=journal.pk).statut == StatutImport.ANALYSE
