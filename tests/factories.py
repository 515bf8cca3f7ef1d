"""Factories for the test suite.

SiaeFactory(ei=True)                        a structure of a given kind (traits aci, ai, ei, etti, eiti, regie)
UtilisateurFactory(agent_ddets="55")        member of the DDETS of 55
UtilisateurFactory(personnel_siae=siae)     member of that SIAE's organisation
UtilisateurFactory(membre_cdiae="55")       member of the CDIAE of 55
UtilisateurFactory(admin=True)              superuser
AnnexeFinanciereFactory(siae=s, annee=2024)  a full-year annexe, created by `creer_annexe` (ETP month by month)
ParcoursFactory(siae=s)                     a hire, with its salarié, PASS IAE and contract
DeclarationFactory(annexe=a, mois=...)      a transmitted, retained declaration; LigneDeclarationFactory its lines
"""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from comptes.models import Membre, Organisation, TypeOrganisation, Utilisateur
from conventions.models import AnnexeFinanciere, EtatAnnexe
from conventions.regles import HEURES_ANNUELLES_PAR_DEFAUT
from conventions.services import creer_annexe
from declarations.models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration
from parcours.models import Contrat, Genre, Parcours, PassIae, Salarie, TypeContrat
from parcours.regles import fin_pass_iae
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


def numero_annexe(type_: str, departement: str, annee: int, ordre: int) -> str:
    """ACI055240001A0M0: kind, département on 3 characters, millésime, order, initial version."""
    code = f"0{departement}" if departement in ("2A", "2B") else departement.zfill(3)
    return f"{type_}{code}{annee % 100:02d}{ordre:04d}A0M0"


class AnnexeFinanciereFactory(DjangoModelFactory):
    """A validated annexe over a whole year, created as the application does (`creer_annexe`: its convention,
    its initial version and its ETP month by month)."""

    class Meta:
        model = AnnexeFinanciere

    class Params:
        annee = 2024

    siae = factory.SubFactory(SiaeFactory)
    numero = factory.LazyAttributeSequence(lambda o, n: numero_annexe(o.type, o.siae.departement, o.annee, n + 1))
    type = factory.LazyAttribute(lambda o: o.siae.type)
    date_debut = factory.LazyAttribute(lambda o: dt.date(o.annee, 1, 1))
    date_fin = factory.LazyAttribute(lambda o: dt.date(o.annee, 12, 31))
    etat = EtatAnnexe.VALIDE
    etp_conventionnes = Decimal("2.00")
    heures_annuelles_par_etp = factory.LazyAttribute(lambda o: HEURES_ANNUELLES_PAR_DEFAUT[o.type])

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return creer_annexe(**kwargs)


class SalarieFactory(DjangoModelFactory):
    class Meta:
        model = Salarie

    nom = factory.Sequence(lambda n: f"Nom{n:04d}")
    prenom = factory.Sequence(lambda n: f"Prénom{n:04d}")
    date_naissance = dt.date(1985, 3, 14)
    genre = Genre.FEMME


class PassIaeFactory(DjangoModelFactory):
    class Meta:
        model = PassIae

    numero = factory.Sequence(lambda n: f"99999{n:07d}")
    salarie = factory.SubFactory(SalarieFactory)
    date_debut = dt.date(2023, 10, 1)
    date_fin_officielle = None
    # The end in force: the official end when given, else computed from the start.
    date_fin = factory.LazyAttribute(lambda o: o.date_fin_officielle or fin_pass_iae(o.date_debut))


CONTRAT_PAR_TYPE = {
    "ACI": TypeContrat.CDDI,
    "EI": TypeContrat.CDDI,
    "AI": TypeContrat.CDDU,
    "ETTI": TypeContrat.MISSION,
    "EITI": TypeContrat.INDEPENDANT,
}


class ParcoursFactory(DjangoModelFactory):
    """A hire in a structure, with its salarié, PASS IAE and a contract from the hire on (`contrat=False`: none)."""

    class Meta:
        model = Parcours
        skip_postgeneration_save = True

    salarie = factory.SubFactory(SalarieFactory)
    siae = factory.SubFactory(SiaeFactory)
    pass_iae = factory.SubFactory(PassIaeFactory, salarie=factory.SelfAttribute("..salarie"))
    date_embauche = dt.date(2024, 1, 1)

    @factory.post_generation
    def contrat(parcours, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        Contrat.objects.create(
            parcours=parcours,
            type=CONTRAT_PAR_TYPE[parcours.siae.type],
            date_debut=parcours.date_embauche,
            heures_hebdo=Decimal("26.00"),
        )


class DeclarationFactory(DjangoModelFactory):
    class Meta:
        model = DeclarationMensuelle

    annexe = factory.SubFactory(AnnexeFinanciereFactory)
    mois = factory.LazyAttribute(lambda o: o.annexe.date_debut)
    version = 1
    etat = EtatDeclaration.TRANSMISE
    retenue = True
    date_transmission = factory.LazyAttribute(
        lambda o: timezone.make_aware(dt.datetime(o.mois.year + o.mois.month // 12, o.mois.month % 12 + 1, 10))
    )


class LigneDeclarationFactory(DjangoModelFactory):
    """A line of a declaration, for a new parcours in the declaring structure unless one is given."""

    class Meta:
        model = LigneDeclaration

    declaration = factory.SubFactory(DeclarationFactory)
    parcours = factory.SubFactory(ParcoursFactory, siae=factory.SelfAttribute("..declaration.annexe.siae"))
    heures_travaillees = Decimal("100.00")
