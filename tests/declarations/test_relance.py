"""The reminder of the 16th: one e-mail per structure whose previous month's declaration is missing."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from declarations.models import DeclarationMensuelle, EtatDeclaration
from declarations.tasks import relancer_declarations_manquantes_task
from tests.factories import AnnexeFinanciereFactory, SiaeFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db


def test_relance_les_seules_structures_en_defaut(siae_a, siae_b, personnel_a):
    siae_a.email = "contact@jardins.test"
    siae_a.save()
    a = AnnexeFinanciereFactory(siae=siae_a, annee=2024)
    b = AnnexeFinanciereFactory(siae=siae_b, annee=2024)
    # A structure with no annexe in June is not expected to declare.
    AnnexeFinanciereFactory(siae=SiaeFactory(), annee=2023)
    DeclarationMensuelle.objects.create(
        annexe=b,
        mois=dt.date(2024, 6, 1),
        etat=EtatDeclaration.TRANSMISE,
        retenue=True,
        date_transmission=timezone.make_aware(dt.datetime(2024, 7, 12)),
    )
    # A draft is not a transmission: A is reminded.
    DeclarationMensuelle.objects.create(annexe=a, mois=dt.date(2024, 6, 1))

    assert relancer_declarations_manquantes_task("2024-07-16") == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {"contact@jardins.test", personnel_a.email}
    assert "Déclaration de juin 2024 manquante" in message.subject and siae_a.nom in message.subject
    assert "15/07/2024" in message.body


def test_rien_avant_l_echeance(siae_a):
    AnnexeFinanciereFactory(siae=siae_a, annee=2024)
    assert relancer_declarations_manquantes_task("2024-07-15") == 0
    assert mail.outbox == []


def test_les_comptes_inactifs_ne_recoivent_rien(siae_a):
    UtilisateurFactory(email="parti@siae-a.test", personnel_siae=siae_a, is_active=False)
    AnnexeFinanciereFactory(siae=siae_a, annee=2024)
    assert relancer_declarations_manquantes_task("2024-07-16") == 0


def test_toutes_les_annexes_manquantes_dans_un_seul_message(siae_a, personnel_a):
    premiere = AnnexeFinanciereFactory(siae=siae_a, annee=2024)
    seconde = AnnexeFinanciereFactory(siae=siae_a, annee=2024, type="ACI")
    assert relancer_declarations_manquantes_task("2024-07-16") == 1
    corps = mail.outbox[0].body
    assert premiere.numero in corps and seconde.numero in corps
