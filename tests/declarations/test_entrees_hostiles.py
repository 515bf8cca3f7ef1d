"""Declarations under hostile or unlucky input: an annexe number probed from another département, hours beyond any
field, a month of 20 digits, two first transmissions of a month at once."""

import datetime as dt
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection

from declarations import services
from declarations.models import DeclarationMensuelle
from imports.services import analyser_fichier
from tests.declarations.test_vues import donnees_grille
from tests.factories import AnnexeFinanciereFactory, ParcoursFactory

pytestmark = pytest.mark.django_db

ENTETE = "siret;numero_annexe;mois;numero_pass;heures_travaillees"


@pytest.fixture
def mars(siae_a):
    """March 2024: an annexe of the structure A and one salarié in parcours."""
    annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2024)
    parcours = ParcoursFactory(siae=siae_a, date_embauche=dt.date(2024, 1, 8))
    return annexe, parcours


def messages(*lignes, utilisateur=None) -> list[str]:
    contenu = "\n".join([ENTETE, *lignes]) + "\n"
    return [str(e) for e in analyser_fichier("declarations", "d.csv", contenu.encode(), utilisateur).erreurs]


def test_une_annexe_d_ailleurs_se_dit_comme_une_annexe_inconnue(siae_a, siae_57, personnel_a, mars):
    ailleurs = AnnexeFinanciereFactory(siae=siae_57, annee=2024)
    pass_ = mars[1].pass_iae.numero
    inconnue = "ACI055249999A0M0"
    lignes = [
        f"{siae_a.siret};{inconnue};2024-03;{pass_};100",  # no such annexe
        f"{siae_57.siret};{ailleurs.numero};2024-03;{pass_};100",  # another département's, with its SIRET
        f"{siae_a.siret};{ailleurs.numero};2024-03;{pass_};100",  # another département's, with the wrong SIRET
    ]
    assert messages(*lignes, utilisateur=personnel_a) == [
        f"ligne 2, colonne numero_annexe : aucune annexe n° {inconnue} parmi celles de vos structures",
        f"ligne 3, colonne numero_annexe : aucune annexe n° {ailleurs.numero} parmi celles de vos structures",
        f"ligne 4, colonne numero_annexe : aucune annexe n° {ailleurs.numero} parmi celles de vos structures",
    ]
    # The operators' command line, which may import anywhere, keeps the precise messages.
    assert messages(lignes[2])[0] == "ligne 2, colonne siret : cette annexe n'est pas celle de ce SIRET"


@pytest.mark.parametrize(
    ("heures", "message"),
    [
        ("1e999999", "« 1e999999 » est trop grand : 4 chiffres au plus avant la virgule"),
        ("1" * 30, f"« {'1' * 30} » est trop grand : 4 chiffres au plus avant la virgule"),
        ("151,675", "« 151,675 » a trop de décimales : 2 décimales au plus"),
    ],
)
def test_des_heures_qui_ne_tiennent_pas_dans_la_ligne(siae_a, personnel_a, mars, heures, message):
    annexe, parcours = mars
    ligne = f"{siae_a.siret};{annexe.numero};2024-03;{parcours.pass_iae.numero};{heures}"
    assert messages(ligne, utilisateur=personnel_a) == [f"ligne 2, colonne heures_travaillees : {message}"]


def test_un_mois_de_vingt_chiffres_est_introuvable(client_de, personnel_a, mars):
    annexe, _ = mars
    client = client_de(personnel_a)
    assert client.get(f"/declarations/saisie/{annexe.pk}/2026/99999999999999999999/").status_code == 404
    assert client.get(f"/declarations/saisie/{annexe.pk}/99999999999999999999/3/").status_code == 404


def test_une_ecriture_concurrente_du_mois_repond_409(client_de, personnel_a, mars):
    annexe, parcours = mars
    client = client_de(personnel_a)
    url = f"/declarations/saisie/{annexe.pk}/2024/3/"
    assert client.post(url, donnees_grille([(parcours, "100", "", "")])).status_code == 302
    # Another request created the month's version 1 between this one's look and its write (as without a lock).
    with mock.patch.object(services, "_derniere_version_verrouillee", return_value=None):
        reponse = client.post(url, donnees_grille([(parcours, "120", "", "")], motif_version="Heures corrigées"))
    assert reponse.status_code == 409
    page = reponse.content.decode()
    assert (
        "La déclaration de mars 2024 a été enregistrée au même moment par une autre page ou une autre personne" in page
    )
    assert 'class="fr-btn"' in page and f'href="{url}"' in page
    assert DeclarationMensuelle.objects.get(annexe=annexe).lignes.get().heures_travaillees == Decimal("100")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="les verrous de lignes sont ceux de PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_six_premieres_transmissions_simultanees(siae_a, personnel_a, mars):
    annexe, parcours = mars
    depart, echecs = threading.Barrier(6), []

    def transmettre():
        try:
            depart.wait()
            saisie = services.LigneSaisie(parcours=parcours, heures=Decimal("100"))
            services.enregistrer_lignes(
                annexe, dt.date(2024, 3, 1), [saisie], auteur=personnel_a, transmettre=True, remplacer=True
            )
        except Exception as erreur:  # noqa: BLE001 - what the test looks for
            echecs.append(erreur)
        finally:
            connection.close()

    fils = [threading.Thread(target=transmettre) for _ in range(6)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    assert echecs == []
    # One transmitted version; the five others found it and had nothing to change.
    assert list(DeclarationMensuelle.objects.filter(annexe=annexe).values_list("version", "etat", "retenue")) == [
        (1, "TRANSMISE", True)
    ]
