"""What belongs to a département and to no structure (a bilan's sections, a modulation envelope): scoped by
`comptes.perimetre.perimetre_departement_queryset`, read by the DDETS (and the CDIAE unless `nominatif`) of the
département, written by its DDETS; SIAE staff see none of it."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from bilans.models import BilanCdiae, SectionsEditoriales
from comptes.perimetre import DepartementQuerySet, perimetre_departement_queryset
from modulation.models import EnveloppeModulation

pytestmark = pytest.mark.django_db


def test_la_fabrique_donne_une_classe_par_chemin():
    classe = perimetre_departement_queryset("appel__departement", nominatif=True)
    assert issubclass(classe, DepartementQuerySet)
    assert (classe.chemin_departement, classe.nominatif) == ("appel__departement", True)
    assert classe.__name__ == "DepartementQuerySet_appel_departement_nominatif"
    assert perimetre_departement_queryset().chemin_departement == "departement"
    assert perimetre_departement_queryset().nominatif is False


@pytest.fixture
def sections():
    for d in ("55", "57"):
        BilanCdiae.objects.create(departement=d, annee=2024)
        SectionsEditoriales.objects.create(departement=d, annee=2024)


@pytest.fixture
def enveloppes():
    return {
        d: EnveloppeModulation.objects.create(departement=d, annee=2025, montant=Decimal("1000")) for d in ("55", "57")
    }


def departements(queryset) -> set[str]:
    return set(queryset.values_list("departement", flat=True))


@pytest.mark.parametrize(
    "role,lus,geres",
    [
        ("agent_55", {"55"}, {"55"}),
        ("agent_57", {"57"}, {"57"}),
        ("membre_cdiae_55", {"55"}, set()),
        ("personnel_a", set(), set()),
        ("admin", {"55", "57"}, {"55", "57"}),
    ],
)
def test_les_documents_d_un_departement_se_lisent_aussi_par_le_cdiae(request, sections, role, lus, geres):
    user = request.getfixturevalue(role)
    assert departements(SectionsEditoriales.objects.visible_to(user)) == lus
    assert departements(SectionsEditoriales.objects.gerees_par(user)) == geres
    assert departements(BilanCdiae.objects.visible_to(user)) == lus
    assert departements(BilanCdiae.objects.gerees_par(user)) == geres


@pytest.mark.parametrize(
    "role,lus",
    [
        ("agent_55", {"55"}),
        ("agent_57", {"57"}),
        ("membre_cdiae_55", set()),
        ("personnel_a", set()),
        ("admin", {"55", "57"}),
    ],
)
def test_l_enveloppe_reste_a_la_ddets(request, enveloppes, role, lus):
    user = request.getfixturevalue(role)
    assert departements(EnveloppeModulation.objects.visible_to(user)) == lus
    assert departements(EnveloppeModulation.objects.gerees_par(user)) == lus


def test_un_anonyme_ne_voit_rien(sections, enveloppes):
    anonyme = AnonymousUser()
    assert not SectionsEditoriales.objects.visible_to(anonyme).exists()
    assert not SectionsEditoriales.objects.gerees_par(anonyme).exists()
    assert not EnveloppeModulation.objects.visible_to(anonyme).exists()
