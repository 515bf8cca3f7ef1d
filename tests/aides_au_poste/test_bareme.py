"""The barème shipped with the project (aides_au_poste/data/bareme_aide_au_poste.csv) and its reload by migration
0006: the rows of 2018, 2020 and 1 January 2021 it lacked, the administrators' rows kept; and what the missing
rows changed, the revaluation of 1 October 2021 measured from the 2019 amounts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps

from aides_au_poste.models import BaremeAideAuPoste
from aides_au_poste.referentiel import lignes_du_bareme, recharger_bareme
from aides_au_poste.regles import arrondi_euro
from aides_au_poste.services import ajouter_ligne_bareme
from base.historique import auteur_des_changements
from bilans.queries import revalorisations
from conventions.models import AnnexeFinanciere
from tests.factories import AnnexeFinanciereFactory, SiaeFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db

D = dt.date
# The rows migration 0006 brings: absent from the barème first shipped.
AJOUTEES = {D(2018, 1, 1), D(2020, 1, 1), D(2021, 1, 1)}


def montant(type_, date_effet) -> Decimal:
    return BaremeAideAuPoste.objects.get(type=type_, date_effet=date_effet).montant_socle_annuel_par_etp


def test_le_bareme_a_les_montants_de_2018_a_2021():
    assert montant("ACI", D(2018, 1, 1)) == Decimal(19897)
    assert montant("ACI", D(2020, 1, 1)) == Decimal(20441)
    assert montant("ACI", D(2021, 1, 1)) == Decimal(20642)
    assert montant("EITI", D(2019, 1, 1)) == Decimal(5548)
    assert BaremeAideAuPoste.objects.count() == len(lignes_du_bareme())


def test_le_rechargement_garde_ce_que_les_administrateurs_ont_ecrit():
    """The base as the first barème left it (none of the new rows), where an administrator had meanwhile entered
    the ACI row of 1 January 2021 with another source and corrected the EI row of 2019; the project, for its part,
    corrects the source of a row nobody touched (here: the ETTI row of 2019, put back to an older text)."""
    admin = UtilisateurFactory(is_superuser=True, is_staff=True)
    BaremeAideAuPoste.objects.filter(date_effet__in=AJOUTEES).delete()
    BaremeAideAuPoste.objects.filter(type="EITI", date_effet=D(2019, 1, 1)).delete()
    saisie = ajouter_ligne_bareme(
        type="ACI", date_effet=D(2021, 1, 1), montant=Decimal(20650), source="saisie d'après le JO", auteur=admin
    )
    corrigee = BaremeAideAuPoste.objects.get(type="EI", date_effet=D(2019, 1, 1))
    corrigee.montant_socle_annuel_par_etp = Decimal(10521)
    with auteur_des_changements(admin):  # as the administration does: the version names its author
        corrigee.save()
    BaremeAideAuPoste.objects.filter(type="ETTI", date_effet=D(2019, 1, 1)).update(source="ancienne source")

    recharger_bareme(apps)

    saisie.refresh_from_db()
    assert (saisie.montant_socle_annuel_par_etp, saisie.source) == (Decimal(20650), "saisie d'après le JO")
    assert montant("EI", D(2019, 1, 1)) == Decimal(10521)
    assert BaremeAideAuPoste.objects.get(type="ETTI", date_effet=D(2019, 1, 1)).source == "arrêté du 27 février 2019"
    assert montant("EI", D(2021, 1, 1)) == Decimal(10751)
    assert montant("EITI", D(2019, 1, 1)) == Decimal(5548)
    assert BaremeAideAuPoste.objects.count() == len(lignes_du_bareme())
    # Nothing moves a second time.
    recharger_bareme(apps)
    assert BaremeAideAuPoste.objects.count() == len(lignes_du_bareme())
    assert saisie.historique.count() == 1


# The ETP conventionnés of the seed's département (the Meuse bilan, shared/seeds/000_*), by kind.
ETP_DE_LA_MEUSE = {"ACI": "426.99", "AI": "54", "ETTI": "20", "EI": "32"}


def impact_du_1er_octobre_2021() -> Decimal:
    """The retroactive impact of the revaluation of 1 October 2021 on the year's annexes, as the bilan computes it
    (bilans.queries.revalorisations), seen from June 2022: October to December 2021."""
    annexes = AnnexeFinanciere.objects.filter(date_debut__year=2021, siae__departement="55")
    lignes = revalorisations(annexes, 2021, D(2022, 6, 1)).lignes
    return arrondi_euro(sum(r.retroactif for r in lignes if r.date_effet == D(2021, 10, 1)))


@pytest.fixture
def meuse_2021():
    for type_, etp in ETP_DE_LA_MEUSE.items():
        AnnexeFinanciereFactory(siae=SiaeFactory(type=type_), annee=2021, etp_conventionnes=Decimal(etp))


def test_la_revalorisation_d_octobre_2021_part_des_montants_de_2021(meuse_2021):
    """With the amounts of 1 January 2021, October 2021 raises the ACI socle by 454 € a year per ETP (not the
    897 € measured from 2019): about 51 k€ for the département, where the seed's bilan says 50 795,78 €."""
    # Spec §5 by hand from the table: three months of (new − previous amount) × ETP / 12 per kind.
    attendu = sum(
        (montant(t, D(2021, 10, 1)) - montant(t, D(2021, 1, 1))) * Decimal(etp) * 3 / 12
        for t, etp in ETP_DE_LA_MEUSE.items()
    )
    assert impact_du_1er_octobre_2021() == arrondi_euro(attendu) == Decimal("51257.87")


def test_sans_les_lignes_de_2020_et_2021_la_revalorisation_doublait(meuse_2021):
    BaremeAideAuPoste.objects.filter(date_effet__in=AJOUTEES - {D(2018, 1, 1)}).delete()
    assert impact_du_1er_octobre_2021() == Decimal("100145.01")
