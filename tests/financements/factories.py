"""Factories of the financing lines, projects and FDI calls.

LigneFinancementFactory(siae=s)                 a Département line for a structure (traits fse, etat, commune)
LigneFinancementFactory(projet=p, siae=None)    a line for a project
ProjetFactory(departement="57")                 a draft project without periods
projet_seed_004(...)                            the shared accompaniment posts of seed 004, through the services
AppelAProjetsFactory()                          an FDI call with the regulatory caps
"""

import datetime as dt
from decimal import Decimal as D

import factory
from factory.django import DjangoModelFactory

from financements import services
from financements.choix import Dispositif, Financeur, Rubrique
from financements.models import AppelAProjets, LigneFinancement, Projet
from financements.services import SaisieLigneBudget, SaisiePeriode
from tests.factories import SiaeFactory


class ProjetFactory(DjangoModelFactory):
    class Meta:
        model = Projet

    nom = factory.Sequence(lambda n: f"Projet {n:03d}")
    porteur = "Groupement fictif"
    departement = "55"


class LigneFinancementFactory(DjangoModelFactory):
    class Meta:
        model = LigneFinancement

    financeur = Financeur.DEPARTEMENT
    dispositif = Dispositif.AUTRE
    siae = factory.SubFactory(SiaeFactory)
    projet = None
    annee = 2025
    libelle = factory.Sequence(lambda n: f"Ligne {n:03d}")
    montant_engage = D("10000")
    montant_verse = D("0")
    part_variable_max = D("0")

    class Params:
        fse = factory.Trait(financeur=Financeur.FSE, dispositif=Dispositif.FSE)
        etat = factory.Trait(financeur=Financeur.ETAT, dispositif=Dispositif.CONVENTION_PAUVRETE)
        commune = factory.Trait(financeur=Financeur.COMMUNE_EPCI)


class AppelAProjetsFactory(DjangoModelFactory):
    class Meta:
        model = AppelAProjets

    nom = factory.Sequence(lambda n: f"FDI {n:03d}")
    annee = 2025
    departement = "55"
    date_limite = dt.date(2025, 4, 30)


# Seed 004 over two periods: (rubrique, label, amounts, remark).
BUDGET_SEED_004 = [
    (Rubrique.PERSONNEL, "Salaire chargé ASP secteur Commercy", ("23600", "36000"), "2 950 € / mois"),
    (Rubrique.PERSONNEL, "Salaire chargé ASP renfort et coordination", ("26000", "39600"), ""),
    (Rubrique.FONCTIONNEMENT, "Matériel Commercy", ("1200", "0"), ""),
    (Rubrique.FONCTIONNEMENT, "Matériel renfort", ("1200", "0"), ""),
    (Rubrique.FONCTIONNEMENT, "Déplacements Commercy", ("1300", "2000"), ""),
    (Rubrique.FONCTIONNEMENT, "Déplacements renfort", ("2000", "3000"), ""),
    (Rubrique.FSE, "Fonds européens FSE+", ("27265", "51911"), "Répartition à définir par le Département"),
    (Rubrique.ETAT, "Convention pauvreté, part État", ("11833", "11833"), ""),
    (Rubrique.ETAT, "FDI État", ("4000", "4000"), ""),
    (Rubrique.DEPARTEMENT, "Convention pauvreté, part Département", ("11833", "11833"), ""),
    (Rubrique.SIAE, "SIAE secteur Commercy", ("8572", "12857"), ""),
    (Rubrique.SIAE, "SIAE renfort", ("2857", "4286"), ""),
]


def lignes_seed_004(**remplacements) -> list[SaisieLigneBudget]:
    """The seed's rows; `remplacements`: label → other amounts."""
    return [
        SaisieLigneBudget(r, libelle, tuple(D(m) for m in remplacements.get(libelle, montants)), remarque)
        for r, libelle, montants, remarque in BUDGET_SEED_004
    ]


def projet_seed_004(departement="55", siae_porteuse=None, nom="ASP mutualisés") -> Projet:
    projet = Projet(nom=nom, porteur="GESAM fictif", departement=departement, siae_porteuse=siae_porteuse)
    services.enregistrer_projet(
        projet,
        [
            SaisiePeriode("05 à 12/2025", dt.date(2025, 5, 1), dt.date(2025, 12, 31)),
            SaisiePeriode("01 à 12/2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        ],
    )
    services.enregistrer_budget(projet, lignes_seed_004())
    return projet
