"""An anonymised salarié (docs/rgpd.md): their page says their data were erased and offers nothing to write; the
forms of the parcours answer 404."""

import datetime as dt

import pytest
from django.urls import reverse

from parcours.models import Salarie
from parcours.services_rgpd import purger_donnees_personnelles
from tests.factories import ParcoursFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymise(siae_a):
    parcours = ParcoursFactory(
        siae=siae_a,
        salarie__nom="MARTIN",
        date_embauche=dt.date(2022, 1, 3),
        date_sortie=dt.date(2022, 12, 30),
        pass_iae__date_debut=dt.date(2022, 1, 3),
    )
    purger_donnees_personnelles(origine="test", aujourd_hui=dt.date(2027, 1, 15))
    assert Salarie.objects.get(pk=parcours.salarie_id).date_anonymisation
    return parcours


def test_la_fiche_dit_que_les_donnees_sont_effacees(client_de, agent_55, anonymise):
    reponse = client_de(agent_55).get(reverse("pilotage:salarie", args=[anonymise.salarie_id]))
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Données personnelles effacées le" in contenu
    assert "MARTIN" not in contenu and "né le" not in contenu
    assert reverse("parcours:modification", args=[anonymise.pk]) not in contenu
    assert reverse("parcours:sortie", args=[anonymise.pk]) not in contenu


@pytest.mark.parametrize("vue", ["modification", "suspension", "prolongation", "contrat", "sortie", "action"])
def test_plus_rien_ne_s_ecrit(client_de, agent_55, anonymise, vue):
    client = client_de(agent_55)
    assert client.get(reverse(f"parcours:{vue}", args=[anonymise.pk])).status_code == 404
    assert client.post(reverse(f"parcours:{vue}", args=[anonymise.pk]), {}).status_code == 404
