"""A proof of 200 Mo announced is refused on its announced size, before the server reads a byte of its body."""

import pytest
from django.test import Client

from controle.models import Justificatif, Phase

from .outils import avancer, pdf

pytestmark = pytest.mark.django_db

DEUX_CENTS_MO = 200 * 1024 * 1024


@pytest.fixture
def embauche(campagne_55, controle_a):
    avancer(campagne_55, Phase.CONTROLE)
    return controle_a.embauches.first()


def test_un_corps_annonce_trop_grand_n_est_pas_lu(client_de, personnel_a, embauche):
    adresse = f"/controle/embauches/{embauche.pk}/justificatifs/"
    # The body sent is a small valid proof; the headers announce 200 Mo. Reading past what was sent would fail the
    # test client's payload ("Cannot read more than the available bytes"): the view must not read at all.
    client = client_de(personnel_a)
    reponse = client.post(adresse, {f"justificatif-{embauche.pk}-fichier": pdf()}, CONTENT_LENGTH=str(DEUX_CENTS_MO))
    assert reponse.status_code == 302 and reponse.url.endswith(f"#embauche-{embauche.pk}")
    assert not Justificatif.objects.exists()
    page = client.get(reponse.url.split("#")[0]).content.decode()
    assert "Le justificatif n'a pas été déposé : Le fichier dépasse 5 Mo" in page


def test_la_limite_est_celle_des_reglages(client_de, personnel_a, embauche, settings):
    adresse = f"/controle/embauches/{embauche.pk}/justificatifs/"
    settings.JUSTIFICATIF_TAILLE_MAX_REQUETE = 100
    reponse = client_de(personnel_a).post(adresse, {f"justificatif-{embauche.pk}-fichier": pdf()})
    assert reponse.status_code == 302 and not Justificatif.objects.exists()
    settings.JUSTIFICATIF_TAILLE_MAX_REQUETE = 10 * 1024 * 1024
    reponse = client_de(personnel_a).post(adresse, {f"justificatif-{embauche.pk}-fichier": pdf()})
    assert reponse.status_code == 302 and Justificatif.objects.count() == 1


def test_le_jeton_csrf_reste_exige(personnel_a, embauche):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personnel_a)
    reponse = client.post(
        f"/controle/embauches/{embauche.pk}/justificatifs/", {f"justificatif-{embauche.pk}-fichier": pdf()}
    )
    assert reponse.status_code == 403 and not Justificatif.objects.exists()


def test_hors_perimetre_404_meme_annonce_trop_grande(client_de, personnel_b, agent_55, embauche):
    for utilisateur in (personnel_b, agent_55):
        reponse = client_de(utilisateur).post(
            f"/controle/embauches/{embauche.pk}/justificatifs/", {}, CONTENT_LENGTH=str(DEUX_CENTS_MO)
        )
        assert reponse.status_code == 404
