"""The DPO exports everything held on a salarié from the admin, as JSON (right of access, parcours/admin.py and
parcours/exports_rgpd.py); nobody else reaches it."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from controle import services as services_controle
from controle.models import Decision
from parcours.models import ActionInsertion, MotifSuspension, Salarie, Suspension, TypeActionInsertion
from tests.controle.outils import avancer, pdf
from tests.factories import (
    AnnexeFinanciereFactory,
    DeclarationFactory,
    LigneDeclarationFactory,
    ParcoursFactory,
    UtilisateurFactory,
)

pytestmark = pytest.mark.django_db

D = dt.date
LISTE = "/admin/parcours/salarie/"


def exporter(client, *salaries):
    return client.post(
        LISTE, {"action": "exporter_donnees", "_selected_action": [str(s.pk) for s in salaries]}, follow=False
    )


@pytest.fixture
def martin(siae_a):
    parcours = ParcoursFactory(
        siae=siae_a,
        salarie__nom="MARTIN",
        salarie__prenom="Léa",
        salarie__date_naissance=D(1990, 6, 1),
        pass_iae__numero="999992400001",
        pass_iae__date_debut=D(2024, 1, 2),
        date_embauche=D(2024, 1, 2),
        brsa=True,
    )
    Suspension.objects.create(
        pass_iae=parcours.pass_iae,
        siae=siae_a,
        motif=MotifSuspension.objects.get(code="CONTRAT_ROMPU"),
        date_debut=D(2024, 3, 1),
        date_fin=D(2024, 3, 31),
    )
    ActionInsertion.objects.create(
        parcours=parcours,
        type=TypeActionInsertion.FORMATION,
        libelle="CACES R489",
        date_debut=D(2024, 2, 5),
        heures=Decimal("35"),
    )
    annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2024)
    LigneDeclarationFactory(
        declaration=DeclarationFactory(annexe=annexe, mois=D(2024, 1, 1)),
        parcours=parcours,
        heures_travaillees=Decimal("121.5"),
    )
    return parcours.salarie


def test_le_dpo_exporte_tout(client_de, admin, martin):
    reponse = exporter(client_de(admin), martin)
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/json; charset=utf-8"
    assert reponse["Content-Disposition"].startswith('attachment; filename="donnees-personnelles-')
    document = json.loads(reponse.content)
    [salarie] = document["salaries"]
    assert (salarie["nom"], salarie["prenom"], salarie["date_de_naissance"], salarie["genre"]) == (
        "MARTIN",
        "Léa",
        "01/06/1990",
        "Femme",
    )
    [pass_iae] = salarie["pass_iae"]
    assert (pass_iae["numero"], pass_iae["debut"]) == ("999992400001", "02/01/2024")
    assert pass_iae["suspensions"][0]["debut"] == "01/03/2024"
    [parcours] = salarie["parcours"]
    assert parcours["structure"]["nom"] == "Jardins de Verdun"
    assert parcours["date_d_embauche"] == "02/01/2024"
    assert parcours["situation_a_l_embauche"]["beneficiaire_du_rsa"] == "oui"
    assert parcours["contrats"][0]["type"] == "CDD d'insertion"
    assert parcours["contrats"][0]["heures_par_semaine"] == "26,00"
    assert parcours["actions_d_insertion"][0]["intitule"] == "CACES R489"
    [ligne] = parcours["lignes_de_declaration"]
    assert (ligne["mois"], ligne["heures_travaillees"], ligne["retenue"]) == ("01/2024", "121,50", "oui")
    assert parcours["controles_a_posteriori"] == []
    # Who exported whose data, and when.
    entree = LogEntry.objects.get()
    assert (entree.user, entree.object_id, entree.object_repr, entree.change_message) == (
        admin,
        str(martin.pk),
        f"Salarié n° {martin.pk}",
        "Export des données personnelles (RGPD)",
    )


def test_les_controles_de_l_embauche(client_de, admin, siae_a, agent_55):
    for mois in (1, 2):
        ParcoursFactory(siae=siae_a, auto_prescription=True, date_embauche=D(2024, mois, 1))
    campagne = avancer(
        services_controle.creer_campagne(annee=2024, departement="55", auteur=agent_55, graine=3),
        "CONTROLE",
        agent_55,
    )
    embauche = campagne.controles.get().embauches.first()
    services_controle.deposer_justificatif(embauche, pdf("attestation-rsa.pdf"), agent_55)
    services_controle.decider_embauche(embauche, Decision.ACCEPTEE, agent_55)
    document = json.loads(exporter(client_de(admin), embauche.parcours.salarie).content)
    [controle] = document["salaries"][0]["parcours"][0]["controles_a_posteriori"]
    assert controle["decision"] == "Acceptée"
    assert controle["justificatifs"][0]["fichier"] == "attestation-rsa.pdf"


def test_un_salarie_anonymise_s_exporte_tel_qu_il_reste(client_de, admin, martin):
    Salarie.objects.filter(pk=martin.pk).update(
        nom="Anonymisé", prenom="", date_naissance=None, date_anonymisation=dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    )
    salarie = json.loads(exporter(client_de(admin), martin).content)["salaries"][0]
    assert (salarie["date_de_naissance"], salarie["donnees_effacees_le"]) == (None, "01/01/2027 à 01:00")


def test_requetes_en_nombre_constant(client_de, admin, siae_a, martin):
    client = client_de(admin)
    with CaptureQueriesContext(connection) as un:
        exporter(client, martin)
    autres = [ParcoursFactory(siae=siae_a).salarie for _ in range(4)]
    with CaptureQueriesContext(connection) as cinq:
        exporter(client, martin, *autres)
    assert len(cinq.captured_queries) == len(un.captured_queries)


def test_reserve_au_dpo(client_de, agent_55, martin):
    equipe = UtilisateurFactory(email="equipe@pilot-iae.test", is_staff=True)
    assert client_de(equipe).get(LISTE).status_code == 403
    assert exporter(client_de(equipe), martin).status_code == 403
    # Nor a DDETS agent, who sees the salariés of the département in the application.
    assert client_de(agent_55).get(LISTE).status_code == 302
    dpo = UtilisateurFactory(email="dpo@pilot-iae.test", is_staff=True)
    dpo.user_permissions.add(Permission.objects.get(codename="exporter_donnees_personnelles"))
    assert exporter(client_de(dpo), martin).status_code == 200


def test_lecture_seule(client_de, admin, martin):
    client = client_de(admin)
    assert client.get(f"{LISTE}add/").status_code == 403
    reponse = client.post(f"{LISTE}{martin.pk}/change/", {"nom": "DURAND"})
    assert reponse.status_code == 403
    assert Salarie.objects.get(pk=martin.pk).nom == "MARTIN"
