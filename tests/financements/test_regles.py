"""Budgets and FDI caps computed by hand, without the database (seed 004: the shared accompaniment posts)."""

from decimal import Decimal as D

from financements import regles
from financements.choix import Rubrique, Sens
from financements.regles import MontantBudget, Periode, PlafondsFdi

P1, P2 = Periode(1, "05 à 12/2022"), Periode(2, "01 à 12/2023")

# Seed 004, line by line: personnel 23 600 + 26 000, fonctionnement 1 200 + 1 200 + 1 300 + 2 000 (2022);
# 36 000 + 39 600 and 0 + 0 + 2 000 + 3 000 (2023). Produits: FSE 27 265 / 51 911; État (pauvreté 11 833 and FDI
# 4 000); Département (pauvreté 11 833); SIAE 8 572 + 2 857 / 12 857 + 4 286.
SEED_004 = [
    *(MontantBudget(1, Sens.CHARGE, Rubrique.PERSONNEL, D(m)) for m in ("23600", "26000")),
    *(MontantBudget(2, Sens.CHARGE, Rubrique.PERSONNEL, D(m)) for m in ("36000", "39600")),
    *(MontantBudget(1, Sens.CHARGE, Rubrique.FONCTIONNEMENT, D(m)) for m in ("1200", "1200", "1300", "2000")),
    *(MontantBudget(2, Sens.CHARGE, Rubrique.FONCTIONNEMENT, D(m)) for m in ("0", "0", "2000", "3000")),
    MontantBudget(1, Sens.PRODUIT, Rubrique.FSE, D("27265")),
    MontantBudget(2, Sens.PRODUIT, Rubrique.FSE, D("51911")),
    *(MontantBudget(p, Sens.PRODUIT, Rubrique.ETAT, D(m)) for p in (1, 2) for m in ("11833", "4000")),
    *(MontantBudget(p, Sens.PRODUIT, Rubrique.DEPARTEMENT, D("11833")) for p in (1, 2)),
    *(MontantBudget(1, Sens.PRODUIT, Rubrique.SIAE, D(m)) for m in ("8572", "2857")),
    *(MontantBudget(2, Sens.PRODUIT, Rubrique.SIAE, D(m)) for m in ("12857", "4286")),
]


def test_budget_du_seed_004():
    b1, b2 = regles.bilan_budget([P1, P2], SEED_004, D("0.20"))
    assert (b1.montant(Rubrique.PERSONNEL), b1.montant(Rubrique.FONCTIONNEMENT)) == (D("49600"), D("5700"))
    assert (b2.montant(Rubrique.PERSONNEL), b2.montant(Rubrique.FONCTIONNEMENT)) == (D("75600"), D("5000"))
    # 20 % × (49 600 + 5 700) = 11 060 ; 20 % × (75 600 + 5 000) = 16 120.
    assert (b1.frais_indirects, b2.frais_indirects) == (D("11060.00"), D("16120.00"))
    assert (b1.total_charges, b2.total_charges) == (D("66360"), D("96720"))
    # 27 265 + 15 833 + 11 833 + 11 429 = 66 360 ; 51 911 + 15 833 + 11 833 + 17 143 = 96 720.
    assert (b1.total_produits, b2.total_produits) == (D("66360"), D("96720"))
    assert (b1.resultat, b2.resultat) == (0, 0)
    assert b1.equilibre and b2.equilibre
    assert regles.erreurs_equilibre([b1, b2]) == []


def test_le_seed_tel_qu_ecrit_manque_un_euro():
    # The seed's SIAE sub-lines of 2022 are 8 571 + 2 857 = 11 428, its total 11 429.
    montants = [m for m in SEED_004 if not (m.periode == 1 and m.montant == D("8572"))]
    montants.append(MontantBudget(1, Sens.PRODUIT, Rubrique.SIAE, D("8571")))
    b1, b2 = regles.bilan_budget([P1, P2], montants, D("0.20"))
    assert b1.resultat == D("-1") and b2.equilibre
    assert regles.erreurs_equilibre([b1, b2]) == [
        "Période « 05 à 12/2022 » : les charges (66\u202f360,00\u00a0€) dépassent les produits "
        "(66\u202f359,00\u00a0€) de 1,00\u00a0€."
    ]


def test_produits_au_dessus_des_charges_et_periodes_vides():
    montants = [
        MontantBudget(1, Sens.CHARGE, Rubrique.PERSONNEL, D("1000")),
        MontantBudget(1, Sens.PRODUIT, Rubrique.ETAT, D("1300")),
    ]
    bilans = regles.bilan_budget([P1, P2], montants, D("0.20"))
    # Charges 1 000 + 200 = 1 200, produits 1 300: 100 € too much; the second period has nothing.
    assert bilans[0].resultat == D("100")
    assert regles.erreurs_equilibre(bilans) == [
        "Période « 05 à 12/2022 » : les produits (1\u202f300,00\u00a0€) dépassent les charges (1\u202f200,00\u00a0€) "
        "de 100,00\u00a0€.",
        "Période « 01 à 12/2023 » : aucune charge n'est inscrite.",
    ]
    assert regles.erreurs_equilibre([]) == ["Le budget n'a aucune période."]


def test_frais_indirects_arrondis_au_centime():
    # 12,5 % × 100,03 = 12,50375 → 12,50 ; 20 % × 0,03 = 0,006 → 0,01 (half-up).
    assert regles.frais_indirects(D("0.125"), D("100"), D("0.03")) == D("12.50")
    assert regles.frais_indirects(D("0.20"), D("0"), D("0.03")) == D("0.01")
    assert regles.frais_indirects(D("0"), D("5000"), D("100")) == 0


def test_plafonds_fdi_aux_bornes():
    # Exactly 70 % of 100 000, exactly 30 % of 50 000: within; 90 000 € exactly: within.
    assert regles.violations_fdi(D("100000"), D("70000"), D("50000"), D("15000")) == []
    assert regles.violations_fdi(D("120000"), D("84000"), D("20000"), D("6000")) == []


def test_plafonds_fdi_depasses_d_un_centime():
    violations = regles.violations_fdi(D("100000"), D("70000.01"), D("50000"), D("15000.01"))
    assert [v.champ for v in violations] == ["aide_investissement", "aide_conseil"]
    assert violations[0].message == (
        "L'aide à l'investissement (70\u202f000,01\u00a0€) dépasse 70,0\u00a0% du coût éligible "
        "(100\u202f000,00\u00a0€) : au plus 70\u202f000,00\u00a0€."
    )
    assert violations[1].message == (
        "L'aide au conseil (15\u202f000,01\u00a0€) dépasse 30,0\u00a0% du coût éligible (50\u202f000,00\u00a0€) : "
        "au plus 15\u202f000,00\u00a0€."
    )


def test_plafond_par_projet():
    # 84 000 (70 % of 120 000) + 6 000,01 (under 30 % of 30 000) = 90 000,01 > 90 000.
    violations = regles.violations_fdi(D("120000"), D("84000"), D("30000"), D("6000.01"))
    assert violations == [
        regles.Violation(
            "aide_investissement",
            "Le total des aides (90\u202f000,01\u00a0€) dépasse le plafond de 90\u202f000,00\u00a0€ par projet.",
        )
    ]


def test_plafonds_d_un_appel_plus_bas():
    appel = PlafondsFdi(D("0.50"), D("0.20"), D("40000"))
    violations = regles.violations_fdi(D("60000"), D("36000"), D("10000"), D("3000"), appel)
    # 36 000 > 50 % × 60 000 = 30 000 ; 3 000 > 20 % × 10 000 = 2 000 ; 39 000 ≤ 40 000.
    assert [(v.champ, v.message.split(" : ")[-1]) for v in violations] == [
        ("aide_investissement", "au plus 30\u202f000,00\u00a0€."),
        ("aide_conseil", "au plus 2\u202f000,00\u00a0€."),
    ]


def test_aide_maximale_arrondie_vers_le_bas():
    # 70 % × 12 345,67 = 8 641,969 → 8 641,96 (8 641,97 would exceed).
    assert regles.aide_maximale(D("0.70"), D("12345.67")) == D("8641.96")
    assert regles.violations_fdi(D("12345.67"), D("8641.96"), D(0), D(0)) == []
    assert [v.champ for v in regles.violations_fdi(D("12345.67"), D("8641.97"), D(0), D(0))] == ["aide_investissement"]


def test_montants_negatifs():
    violations = regles.violations_fdi(D("-1"), D(0), D(0), D("-5"))
    assert [v.champ for v in violations] == ["cout_eligible_investissement", "aide_conseil"]


def test_plafonds_d_un_appel_jamais_au_dessus_de_la_reglementation():
    assert regles.violations_plafonds_appel(regles.PLAFONDS_REGLEMENTAIRES) == []
    violations = regles.violations_plafonds_appel(PlafondsFdi(D("0.7001"), D("0"), D("90000.01")))
    assert [v.champ for v in violations] == ["taux_max_investissement", "taux_max_conseil", "plafond_par_projet"]
    assert violations[2].message == (
        "Le plafond par projet doit être supérieur à 0 et au plus de 90\u202f000,00\u00a0€ (maximum réglementaire du "
        "FDI)."
    )


def test_montants_d_une_ligne():
    assert regles.erreurs_montants_ligne(D("1000"), D("1000"), D("1000")) == {}
    assert regles.erreurs_montants_ligne(D("1000"), D("1000.01"), D("-1")) == {
        "montant_verse": "Le montant versé (1\u202f000,01\u00a0€) dépasse le montant engagé (1\u202f000,00\u00a0€).",
        "part_variable_max": "Un montant ne peut pas être négatif.",
    }


def test_le_plafond_de_90000_vaut_pour_le_projet_tous_appels_confondus():
    # 60 000 already accorded elsewhere: 90 000 − 60 000 = 30 000 left; 30 000 exactly is within.
    assert regles.violations_cumul_fdi(D("21000"), D("9000"), D("60000")) == []
    # 21 000 + 9 000,01 = 30 000,01 > 30 000: refused on the larger aid, the remaining amount named.
    assert regles.violations_cumul_fdi(D("21000"), D("9000.01"), D("60000")) == [
        regles.Violation(
            "aide_investissement",
            "Total des aides FDI du projet : 60\u202f000,00\u00a0€ déjà accordés par d'autres appels à projets et "
            "30\u202f000,01\u00a0€ ici dépasseraient le plafond de 90\u202f000,00\u00a0€ par projet ; il reste au "
            "plus 30\u202f000,00\u00a0€ à accorder à ce projet.",
        )
    ]
    # The larger aid carries the message; once the cap is reached, nothing is left.
    (violation,) = regles.violations_cumul_fdi(D("0"), D("0.01"), D("90000"))
    assert violation.champ == "aide_conseil"
    assert violation.message.endswith("il reste au plus 0,00\u00a0€ à accorder à ce projet.")
    # Nothing accorded elsewhere: the candidature's own cap (violations_fdi) is the whole rule.
    assert regles.violations_cumul_fdi(D("90000"), D("0"), D("0")) == []


def test_la_siae_porteuse_est_du_departement_du_projet():
    assert regles.erreur_siae_porteuse("55", "55") is None
    assert regles.erreur_siae_porteuse(None, "55") is None  # no carrying structure
    assert regles.erreur_siae_porteuse("57", "55") == (
        "SIAE porteuse : la structure est du département 57, le projet du département 55 ; choisissez une SIAE du "
        "département du projet."
    )
