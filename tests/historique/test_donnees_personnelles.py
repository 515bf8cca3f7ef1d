"""The trail keeps what an identity was before each change: the purge of personal data erases it there too (the one
change its versions accept), and leaves the versions, their dates and authors."""

import datetime as dt

import pytest

from base.historique import auteur_des_changements
from parcours.models import MotifSortie, PassIae, Salarie
from parcours.regles_rgpd import NOM_ANONYMISE
from parcours.services_rgpd import purger_donnees_personnelles
from tests.factories import ParcoursFactory

pytestmark = pytest.mark.django_db


def test_la_purge_efface_l_identite_dans_les_versions(agent_55):
    parcours = ParcoursFactory(
        date_embauche=dt.date(2023, 1, 2),
        date_sortie=dt.date(2024, 6, 30),
        motif_sortie=MotifSortie.objects.get(code="CDI"),
        salarie__nom="Martin",
        salarie__prenom="Léa",
        salarie__date_naissance=dt.date(1990, 6, 1),
        pass_iae__date_debut=dt.date(2023, 1, 2),
    )
    salarie = parcours.salarie
    with auteur_des_changements(agent_55):
        salarie.nom = "Martin-Durand"
        salarie.save()
    numero = parcours.pass_iae.numero
    assert Salarie.historique.filter(id=salarie.pk, nom="Martin").exists()

    purger_donnees_personnelles(origine="test", aujourd_hui=dt.date(2027, 1, 15))

    versions = list(Salarie.historique.filter(id=salarie.pk).order_by("history_id"))
    assert len(versions) == 2 and versions[1].history_user == agent_55
    assert {(v.nom, v.prenom, v.date_naissance) for v in versions} == {(NOM_ANONYMISE, "", None)}
    assert not PassIae.historique.filter(numero=numero).exists()
