"""Factories for the test suite.

SiaeFactory(ei=True)                        a structure of a given kind (traits aci, ai, ei, etti, eiti, regie)
UtilisateurFactory(agent_ddets="55")        member of the DDETS of 55
UtilisateurFactory(personnel_siae=siae)     member of that SIAE's organisation
UtilisateurFactory(membre_cdiae="55")       member of the CDIAE of 55
UtilisateurFactory(admin=True)              superuser
"""

import factory
from factory.django import DjangoModelFactory

from comptes.models import Membre, Organisation, TypeOrganisation, Utilisateur
from siae.models import ContactSiae, Ensemblier, Siae, TypeSiae
from siae.regles import luhn_valide

MOT_DE_PASSE = "mot-de-passe-de-test-2024"


def cle_luhn(debut: str) -> str:
    """The digit that makes `debut` + digit pass the Luhn check."""
    return next(str(cle) for cle in range(10) if luhn_valide(debut + str(cle)))


def siret_valide(rang: int, prefixe: str = "9") -> str:
    """A Luhn-valid SIRET, distinct for each rank (never La Poste's SIREN)."""
    debut = f"{prefixe}{rang:0{13 - len(prefixe)}d}"
    return debut + cle_luhn(debut)


class EnsemblierFactory(DjangoModelFactory):
    class Meta:
        model = Ensemblier
        django_get_or_create = ["nom"]

    nom = factory.Sequence(lambda n: f"Ensemblier {n}")


class SiaeFactory(DjangoModelFactory):
    class Meta:
        model = Siae

    siret = factory.Sequence(siret_valide)
    nom = factory.Sequence(lambda n: f"Structure {n:04d}")
    type = TypeSiae.ACI
    departement = "55"
    code_postal = "55100"
    commune = "Verdun"

    class Params:
        aci = factory.Trait(type=TypeSiae.ACI)
        ai = factory.Trait(type=TypeSiae.AI)
        ei = factory.Trait(type=TypeSiae.EI)
        etti = factory.Trait(type=TypeSiae.ETTI)
        eiti = factory.Trait(type=TypeSiae.EITI)
        regie = factory.Trait(regie_de_quartier=True)
        moselle = factory.Trait(departement="57", code_postal="57000", commune="Metz")


class ContactSiaeFactory(DjangoModelFactory):
    class Meta:
        model = ContactSiae

    siae = factory.SubFactory(SiaeFactory)
    nom = factory.Sequence(lambda n: f"Contact {n}")
    fonction = "Direction"
    email = factory.Sequence(lambda n: f"contact{n}@siae.test")


class OrganisationFactory(DjangoModelFactory):
    """A DDETS (default) or CDIAE of a département, or the organisation of one SIAE (trait `de_siae`)."""

    class Meta:
        model = Organisation
        django_get_or_create = ["type", "departement", "siae"]

    type = TypeOrganisation.DDETS
    departement = "55"
    siae = None
    nom = factory.LazyAttribute(lambda o: o.siae.nom if o.siae else f"{o.type} {o.departement}")

    class Params:
        cdiae = factory.Trait(type=TypeOrganisation.CDIAE)
        de_siae = factory.Trait(type=TypeOrganisation.SIAE, departement="", siae=factory.SubFactory(SiaeFactory))


def _adherer(organisation_kwargs):
    def adherer(utilisateur, create, extracted, **kwargs):
        if not create or not extracted:
            return
        organisation = OrganisationFactory(**organisation_kwargs(extracted))
        Membre.objects.create(utilisateur=utilisateur, organisation=organisation)
        utilisateur.__dict__.pop("_perimetre", None)

    return adherer


class UtilisateurFactory(DjangoModelFactory):
    class Meta:
        model = Utilisateur
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utilisateur{n}@pilot-iae.test")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = "Test"
    password = factory.django.Password(MOT_DE_PASSE)

    agent_ddets = factory.PostGeneration(_adherer(lambda dep: {"type": TypeOrganisation.DDETS, "departement": dep}))
    membre_cdiae = factory.PostGeneration(_adherer(lambda dep: {"type": TypeOrganisation.CDIAE, "departement": dep}))
    personnel_siae = factory.PostGeneration(
        _adherer(lambda siae: {"type": TypeOrganisation.SIAE, "departement": "", "siae": siae})
    )

    class Params:
        admin = factory.Trait(is_staff=True, is_superuser=True)
