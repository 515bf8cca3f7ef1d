"""A transmitted declaration is never edited in place: the grid opens the next version, with its author, date and
reason, and the previous one stays exactly as it was (retained until the new one is transmitted)."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

import pytest
from django.utils import timezone

from declarations.models import DeclarationMensuelle, EtatDeclaration
from declarations.services import renvoyer_declaration
from tests.declarations.test_vues import donnees_grille
from tests.factories import AnnexeFinanciereFactory, ParcoursFactory

pytestmark = pytest.mark.django_db

NOVEMBRE = dt.date(2026, 11, 1)
# The day November 2026 was transmitted from the grid, 10:00 in Paris.
TRANSMISSION = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def novembre_2026(siae_a, personnel_a, client_de):
    """As SIAE staff: November 2026 transmitted from the grid on 21/11/2026, Paul Bernard 100,50 h and Léa Martin
    151,67 h with her exit on 20/11/2026 (embauche en CDI)."""
    annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2026)
    paul = ParcoursFactory(
        siae=siae_a,
        date_embauche=dt.date(2026, 1, 5),
        salarie__prenom="Paul",
        salarie__nom="Bernard",
        pass_iae__date_debut=dt.date(2026, 1, 5),
    )
    lea = ParcoursFactory(
        siae=siae_a,
        date_embauche=dt.date(2026, 3, 2),
        salarie__prenom="Léa",
        salarie__nom="Martin",
        pass_iae__date_debut=dt.date(2026, 3, 2),
    )
    client = client_de(personnel_a)
    url = f"/declarations/saisie/{annexe.pk}/2026/11/"
    with mock.patch("django.utils.timezone.now", return_value=TRANSMISSION):
        # The grid's rows are in name order: Bernard, then Martin.
        reponse = client.post(url, donnees_grille([(paul, "100,50", "", ""), (lea, "151,67", "2026-11-20", "CDI")]))
    assert reponse.status_code == 302
    return SimpleNamespace(
        annexe=annexe,
        paul=paul,
        lea=lea,
        client=client,
        url=url,
        declaration=DeclarationMensuelle.objects.get(annexe=annexe, mois=NOVEMBRE),
    )


def etat_de(declaration: DeclarationMensuelle) -> tuple:
    """All a version holds, its lines included, but `retenue` (which moves to the version that replaces it)."""
    declaration.refresh_from_db()
    lignes = sorted(
        declaration.lignes.values_list("parcours_id", "heures_travaillees", "date_sortie", "motif_sortie__code")
    )
    return (
        declaration.version,
        declaration.etat,
        declaration.date_transmission,
        declaration.transmise_par_id,
        declaration.date_creation,
        declaration.date_modification,
        declaration.creee_par_id,
        declaration.motif_version,
        lignes,
    )


def test_la_transmission_de_novembre(novembre_2026, personnel_a):
    v1 = novembre_2026.declaration
    assert (v1.version, v1.etat, v1.retenue) == (1, EtatDeclaration.TRANSMISE, True)
    assert timezone.localdate(v1.date_transmission) == dt.date(2026, 11, 21)
    assert (v1.transmise_par, v1.creee_par, v1.motif_version) == (personnel_a, personnel_a, "")
    novembre_2026.lea.refresh_from_db()
    assert (novembre_2026.lea.date_sortie, novembre_2026.lea.motif_sortie.code) == (dt.date(2026, 11, 20), "CDI")


def test_corriger_la_grille_transmise_ouvre_une_version_2(novembre_2026, personnel_a):
    """The sequence of the report: one line of the transmitted, retained declaration from 100,50 h to 1 h."""
    v1 = novembre_2026.declaration
    avant = etat_de(v1)
    page = novembre_2026.client.get(novembre_2026.url).content.decode()
    assert "Version 1 transmise le 21/11/2026" in page and "Motif de la modification" in page
    lignes = [(novembre_2026.paul, "1", "", ""), (novembre_2026.lea, "151,67", "2026-11-20", "CDI")]

    reponse = novembre_2026.client.post(
        novembre_2026.url, donnees_grille(lignes, motif_version="Heures de Paul Bernard mal saisies")
    )

    v2 = DeclarationMensuelle.objects.get(annexe=novembre_2026.annexe, mois=NOVEMBRE, version=2)
    assert reponse.status_code == 302 and reponse.url == f"/declarations/{v2.pk}/"
    # Version 1 exactly as it was; it is simply no longer the retained one.
    assert etat_de(v1) == avant and not v1.retenue
    assert (v2.etat, v2.retenue, v2.creee_par, v2.transmise_par) == (
        EtatDeclaration.TRANSMISE,
        True,
        personnel_a,
        personnel_a,
    )
    assert v2.motif_version == "Heures de Paul Bernard mal saisies"
    assert v2.date_transmission > v1.date_transmission and v2.date_creation > v1.date_creation
    assert dict(v2.lignes.values_list("parcours_id", "heures_travaillees")) == {
        novembre_2026.paul.pk: Decimal("1.00"),
        novembre_2026.lea.pk: Decimal("151.67"),
    }
    assert v2.lignes.get(parcours=novembre_2026.lea).date_sortie == dt.date(2026, 11, 20)

    # The declaration's page tells the versions apart: who opened each, when, and why.
    detail = novembre_2026.client.get(f"/declarations/{v2.pk}/").content.decode()
    assert "Version 2 créée le" in detail and "motif : Heures de Paul Bernard mal saisies" in detail
    assert "transmise le 21/11/2026" in detail


def test_sans_motif_rien_n_est_ecrit(novembre_2026):
    avant = etat_de(novembre_2026.declaration)
    lignes = [(novembre_2026.paul, "1", "", ""), (novembre_2026.lea, "151,67", "2026-11-20", "CDI")]
    reponse = novembre_2026.client.post(novembre_2026.url, donnees_grille(lignes))
    assert reponse.status_code == 200
    assert reponse.context["formulaire_version"].errors["motif_version"]
    assert DeclarationMensuelle.objects.count() == 1
    assert etat_de(novembre_2026.declaration) == avant and novembre_2026.declaration.retenue


def test_sans_changement_rien_n_est_ecrit(novembre_2026):
    avant = etat_de(novembre_2026.declaration)
    lignes = [(novembre_2026.paul, "100,5", "", ""), (novembre_2026.lea, "151,67", "2026-11-20", "CDI")]
    reponse = novembre_2026.client.post(novembre_2026.url, donnees_grille(lignes, motif_version="Vérification"))
    assert reponse.status_code == 302
    assert DeclarationMensuelle.objects.count() == 1
    assert etat_de(novembre_2026.declaration) == avant


def test_un_brouillon_laisse_la_version_transmise_retenue(novembre_2026, personnel_a):
    v1 = novembre_2026.declaration
    lignes = [(novembre_2026.paul, "90", "", ""), (novembre_2026.lea, "151,67", "2026-11-20", "CDI")]
    novembre_2026.client.post(
        novembre_2026.url, donnees_grille(lignes, action="brouillon", motif_version="Heures à reprendre")
    )
    v2 = DeclarationMensuelle.objects.get(version=2)
    v1.refresh_from_db()
    assert (v1.retenue, v2.etat, v2.retenue, v2.creee_par) == (True, EtatDeclaration.BROUILLON, False, personnel_a)
    # The draft is then completed in place and transmitted: it becomes the retained version, no version 3.
    lignes[0] = (novembre_2026.paul, "95", "", "")
    novembre_2026.client.post(novembre_2026.url, donnees_grille(lignes))
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.retenue, v2.etat, v2.retenue) == (False, EtatDeclaration.TRANSMISE, True)
    assert v2.lignes.get(parcours=novembre_2026.paul).heures_travaillees == Decimal("95")
    assert DeclarationMensuelle.objects.count() == 2


def test_une_declaration_renvoyee_se_corrige_par_une_version(novembre_2026, personnel_a):
    v1 = renvoyer_declaration(novembre_2026.declaration, "Heures de Paul Bernard à vérifier")
    grille = novembre_2026.client.get(novembre_2026.url)
    demande = "Correction demandée par la DDETS : Heures de Paul Bernard à vérifier"
    assert grille.context["formulaire_version"].initial["motif_version"] == demande
    lignes = [(novembre_2026.paul, "100,5", "", ""), (novembre_2026.lea, "151,67", "2026-11-20", "CDI")]
    # Sent again unchanged, it is still a new version: the one sent back keeps its state and the DDETS's reason.
    novembre_2026.client.post(novembre_2026.url, donnees_grille(lignes, motif_version=demande))
    v1.refresh_from_db()
    v2 = DeclarationMensuelle.objects.get(version=2)
    assert (v1.etat, v1.retenue, v1.motif_retour) == (
        EtatDeclaration.A_CORRIGER,
        False,
        "Heures de Paul Bernard à vérifier",
    )
    assert (v2.etat, v2.retenue, v2.motif_version) == (EtatDeclaration.TRANSMISE, True, demande)
