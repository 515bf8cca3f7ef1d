"""The preview of an import speaks French numbers: « 1 234,50 € », « 2,50 ETP », never « 1234.50 »."""

from decimal import Decimal

import pytest

from base.formats import etp_fr, montant_fr
from imports.services import analyser_fichier
from tests.factories import AnnexeFinanciereFactory

pytestmark = pytest.mark.django_db


def test_un_versement_en_euros_a_la_francaise(agent_55, siae_a):
    annexe = AnnexeFinanciereFactory(siae=siae_a)
    contenu = f"numero_annexe;date;montant;nature\n{annexe.numero};2024-03-05;1234.5;AVANCE\n".encode()
    analyse = analyser_fichier("versements", "versements.csv", contenu, agent_55)
    assert analyse.erreurs == []
    assert analyse.changements[0].details == montant_fr(Decimal("1234.50"))
    assert "1234.50" not in analyse.changements[0].details


def test_un_avenant_en_etp_a_la_francaise(agent_55, siae_a):
    annexe = AnnexeFinanciereFactory(siae=siae_a)
    avenant = annexe.numero.replace("A0M0", "A1M0")
    contenu = (
        "numero;siret;type;date_debut;date_fin;etp_conventionnes;etat\n"
        f"{avenant};{siae_a.siret};ACI;2024-06-01;2024-12-31;2.5;VALIDE\n"
    ).encode()
    analyse = analyser_fichier("annexes", "annexes.csv", contenu, agent_55)
    assert analyse.erreurs == []
    assert analyse.changements[0].details == f"{etp_fr(Decimal('2.5'))} ETP à partir de 06/2024"
    assert etp_fr(Decimal("2.5")) == "2,50"
