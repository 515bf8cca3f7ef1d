"""Totals per financeur and dispositif computed by hand: recorded lines of the year and the scope, and the amounts
computed from the annexes (the État's aide au poste and modulation, the Département's co-financing)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from aides_au_poste.models import BaremeAideAuPoste, Versement
from conventions.models import AnnexeFinanciere
from financements import queries
from financements.choix import Dispositif, Financeur
from financements.models import LigneFinancement, Projet
from tests.factories import AnnexeFinanciereFactory
from tests.financements.factories import LigneFinancementFactory, ProjetFactory, projet_seed_004

pytestmark = pytest.mark.django_db

ANNEE = 2030


@pytest.fixture
def departement_55(siae_a, siae_57):
    """An ACI annexe of 2 ETP over 2030 at 30 000 € per ETP, 5 % of modulation, 12 000 € co-financed by the
    Département, its payments; recorded lines of 55 and one of 57; lines of another year."""
    BaremeAideAuPoste.objects.create(
        type="ACI", date_effet=dt.date(ANNEE, 1, 1), montant_socle_annuel_par_etp=D("30000"), source="arrêté fictif"
    )
    annexe = AnnexeFinanciereFactory(
        siae=siae_a, annee=ANNEE, taux_modulation=D("0.05"), montant_cofinance_cd=D("12000")
    )
    for nature, montant in (("AVANCE", "5000"), ("REGULARISATION", "1000"), ("MODULATION", "1500")):
        Versement.objects.create(annexe=annexe, date=dt.date(ANNEE, 6, 30), montant=D(montant), nature=nature)
    projet = ProjetFactory()
    LigneFinancementFactory(
        siae=None, projet=projet, annee=ANNEE, financeur=Financeur.ETAT, dispositif=Dispositif.FDI,
        montant_engage=D("4000"), montant_verse=D("4000"),
    )  # fmt: skip
    LigneFinancementFactory(
        siae=siae_a, annee=ANNEE, montant_engage=D("20000"), montant_verse=D("15000"), part_variable_max=D("8000")
    )
    LigneFinancementFactory(
        fse=True, siae=None, projet=projet, annee=ANNEE, montant_engage=D("27265"), montant_verse=D("13632.50")
    )
    LigneFinancementFactory(commune=True, siae=siae_57, annee=ANNEE, montant_engage=D("9999"))
    LigneFinancementFactory(siae=siae_a, annee=ANNEE - 1, montant_engage=D("777"))
    return annexe


def test_totaux_par_financeur(departement_55):
    lignes = LigneFinancement.objects.filter(departement="55")
    annexes = AnnexeFinanciere.objects.filter(siae__departement="55")
    totaux = {t.financeur: t for t in queries.totaux_par_financeur(lignes, ANNEE, annexes=annexes)}
    assert list(totaux) == ["ETAT", "DEPARTEMENT", "FSE", "TOTAL"]
    # État: socle 2 × 30 000 = 60 000 (paid 5 000 + 1 000), modulation 5 % = 3 000 (paid 1 500, all variable),
    # FDI line 4 000 paid.
    etat = totaux["ETAT"]
    assert (etat.engage, etat.verse, etat.part_variable_max, etat.lignes, etat.annexes) == (
        D("67000"), D("11500"), D("3000"), 1, 1,
    )  # fmt: skip
    assert etat.reste_a_verser == D("55500")
    # Département: 12 000 co-financed (payments not recorded) + the line 20 000 (15 000 paid, 8 000 variable).
    dep = totaux["DEPARTEMENT"]
    assert (dep.engage, dep.verse, dep.part_variable_max) == (D("32000"), D("15000"), D("8000"))
    assert (totaux["FSE"].engage, totaux["FSE"].verse) == (D("27265"), D("13632.50"))
    total = totaux["TOTAL"]
    assert (total.engage, total.verse, total.part_variable_max, total.lignes) == (
        D("126265"), D("40132.50"), D("11000"), 3,
    )  # fmt: skip


def test_sans_annexes_les_lignes_saisies_seulement(departement_55):
    totaux = queries.totaux_par_financeur(LigneFinancement.objects.all(), ANNEE)
    assert [(t.financeur, t.engage) for t in totaux] == [
        ("ETAT", D("4000")),
        ("DEPARTEMENT", D("20000")),
        ("FSE", D("27265")),
        ("COMMUNE_EPCI", D("9999")),
        ("TOTAL", D("61264")),
    ]


def test_totaux_par_dispositif(departement_55):
    annexes = AnnexeFinanciere.objects.filter(siae__departement="55")
    lignes = queries.totaux_par_dispositif(LigneFinancement.objects.filter(departement="55"), ANNEE, annexes)
    assert [(t.financeur, t.dispositif, t.calcule, t.engage, t.verse_suivi) for t in lignes] == [
        ("ETAT", "AIDE_AU_POSTE", True, D("60000"), True),
        ("ETAT", "MODULATION", True, D("3000"), True),
        ("ETAT", "FDI", False, D("4000"), True),
        ("DEPARTEMENT", "COFINANCEMENT", True, D("12000"), False),
        ("DEPARTEMENT", "AUTRE", False, D("20000"), True),
        ("FSE", "FSE", False, D("27265"), True),
    ]
    assert lignes[0].source == "calculé depuis les annexes"


def test_une_annee_sans_rien():
    assert [(t.financeur, t.engage) for t in queries.totaux_par_financeur(LigneFinancement.objects.all(), 2031)] == [
        ("TOTAL", 0)
    ]


def test_nombre_de_requetes_fixe(departement_55, django_assert_num_queries, siae_a):
    for _ in range(5):
        LigneFinancementFactory(siae=siae_a, annee=ANNEE)
    annexes = AnnexeFinanciere.objects.filter(siae__departement="55")
    # One for the lines; four for the aides au poste (barème, annexes, ETP conventionnés, ETP réalisés); one for the
    # payments by nature; one for the co-financing.
    with django_assert_num_queries(7):
        queries.totaux_par_financeur(LigneFinancement.objects.all(), ANNEE, annexes=annexes)


def test_tableau_du_budget():
    projet = projet_seed_004()
    tableau = queries.tableau_budget(projet)
    assert [p.libelle for p in tableau.periodes] == ["05 à 12/2025", "01 à 12/2026"]
    assert [(r.rubrique, r.montants) for r in tableau.charges] == [
        ("PERSONNEL", [D("49600"), D("75600")]),
        ("FONCTIONNEMENT", [D("5700"), D("5000")]),
    ]
    assert [(r.rubrique, r.montants) for r in tableau.produits] == [
        ("FSE", [D("27265"), D("51911")]),
        ("ETAT", [D("15833"), D("15833")]),
        ("DEPARTEMENT", [D("11833"), D("11833")]),
        ("SIAE", [D("11429"), D("17143")]),
    ]
    personnel = tableau.charges[0].lignes[0]
    assert (personnel.libelle, personnel.montants, personnel.remarque) == (
        "Salaire chargé ASP secteur Commercy", [D("23600"), D("36000")], "2 950 € / mois",
    )  # fmt: skip
    assert [b.frais_indirects for b in tableau.bilans] == [D("11060"), D("16120")]
    assert tableau.equilibre


def test_bilans_de_plusieurs_projets_en_trois_requetes(django_assert_num_queries):
    a, b = projet_seed_004(nom="A"), projet_seed_004(nom="B")
    ProjetFactory()
    with django_assert_num_queries(3):
        bilans = queries.bilans_des_projets(Projet.objects.all())
    assert [x.total_charges for x in bilans[a.pk]] == [D("66360"), D("96720")]
    assert [x.resultat for x in bilans[b.pk]] == [0, 0]
    assert len(bilans) == 3
