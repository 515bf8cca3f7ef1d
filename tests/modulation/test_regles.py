"""The scale of the modulation proposal (modulation/regles.py), without the database: every expected figure is
computed here by hand from the rule written in the module's docstring (0 → 0, target → 50, ceiling → 100)."""

from decimal import Decimal as D

import pytest

from indicateurs.regles_sorties import CompteSorties, EmbauchesPubliques
from modulation import regles
from modulation.regles import BilanEnveloppe, Effort, note, taux_propose


@pytest.mark.parametrize(
    "valeur,cible,plafond,attendu",
    [
        (None, D("0.4"), D(1), None),
        (D(0), D("0.4"), D(1), D(0)),
        (D("0.2"), D("0.4"), D(1), D(25)),  # half the target: 25 points
        (D("0.4"), D("0.4"), D(1), D(50)),  # the target: 50
        (D("0.7"), D("0.4"), D(1), D(75)),  # half the way from the target to 100 %: 50 + 25
        (D(1), D("0.4"), D(1), D(100)),
        (D(30), D(20), D(40), D(75)),  # hours per ETP: the ceiling is twice the target
        (D(55), D(20), D(40), D(100)),  # beyond the ceiling: 100
        (D(0), D(0), D(1), D(50)),  # a target of 0 is met by anything
        (D("0.5"), D(0), D(1), D(75)),
        (D(1), D(1), D(1), D(100)),  # a target of 100 % met
    ],
)
def test_note(valeur, cible, plafond, attendu):
    assert note(valeur, cible, plafond) == attendu


@pytest.mark.parametrize(
    "globale,attendu",
    [
        (None, None),
        (D(0), D(0)),  # lower bound: 0 %
        (D(100), D("0.10")),  # upper bound: 10 %
        (D("47.4"), D("0.045")),  # 4.74 % → 4.5 %
        (D("47.5"), D("0.05")),  # 4.75 % → 5 % (half-up)
        (D("2.4"), D(0)),  # 0.24 % → 0 %
        (D("2.5"), D("0.005")),  # 0.25 % → 0.5 %
        (D("97.6"), D("0.10")),
    ],
)
def test_taux_propose_au_demi_point_entre_0_et_10(globale, attendu):
    assert taux_propose(globale) == attendu


def test_moyenne_ponderee_sans_les_notes_absentes():
    assert regles.moyenne_ponderee([(D(40), 2), (None, 5), (D(70), 1)]) == D(50)  # (80 + 70) / 3
    assert regles.moyenne_ponderee([(None, 1), (None, 2)]) is None


def test_une_proposition_calculee_a_la_main():
    embauches = EmbauchesPubliques(
        embauches=10, brsa=4, deld_detld=4, rqth=1, qpv=0, infra_cap=7, cinquante_ans_et_plus=0
    )
    effort = Effort(salaries=20, salaries_avec_action=15, heures_formation=D(300), etp_realises=D(10))
    sorties = CompteSorties(examinees=12, retraits=2, emploi_durable=3, emploi_transition=2, sorties_positives=1)
    proposition = regles.proposition(2024, embauches, effort, sorties, {"part_brsa": D(40)})

    # Publics: bRSA 40 % = its target (50, weight 2), DELD/DETLD 40 % (50, ×2), RQTH 10 % (50), QPV 0 % (0),
    # infra CAP 70 % against 40 % (50 + 50 × 30/60 = 75), 50 and over 0 % (0): (100 + 100 + 50 + 0 + 75 + 0) / 8.
    publics = D(325) / 8
    assert proposition.critere("publics").note == publics
    # Effort: 15/20 = 75 % against 50 % (50 + 50 × 25/50 = 75); 300 h / 10 ETP = 30 h against 20 h (75).
    assert proposition.critere("effort").note == D(75)
    # Results: 6 dynamic exits / (12 − 2) = 60 % against the 60 % floor (50, weight 2); 3/10 = 30 % emploi durable
    # against the 25 % floor (50 + 50 × 5/75), weight 1.
    resultats = (50 * 2 + (50 + D(50) * 5 / 75)) / 3
    assert proposition.critere("resultats").note == resultats
    assert all(i.cible_par_defaut for i in proposition.critere("resultats").indicateurs)
    globale = (publics + 75 + resultats) / 3
    assert proposition.note == globale
    assert D("55.5") < globale < D("55.6")
    assert proposition.taux == D("0.055")  # 5.56 % → 5.5 %


def test_les_objectifs_de_l_annexe_remplacent_les_cibles_par_defaut():
    sorties = CompteSorties(examinees=10, emploi_durable=2, emploi_transition=1)  # 30 % dynamiques, 20 % durable
    critere = regles.critere_resultats(sorties, objectif_sorties_dynamiques=D(30), objectif_emploi_durable=D(40))
    dynamiques, durable = critere.indicateurs
    assert (dynamiques.cible, dynamiques.note, dynamiques.cible_par_defaut) == (D("0.3"), D(50), False)
    assert (durable.cible, durable.note) == (D("0.4"), D(25))
    assert critere.note == D(125) / 3  # (50 × 2 + 25) / 3
    brsa = regles.critere_publics(EmbauchesPubliques(embauches=4, brsa=1), objectif_part_brsa=D(50)).indicateurs[0]
    assert (brsa.cible, brsa.note, brsa.cible_par_defaut) == (D("0.5"), D(25), False)  # 25 % of a 50 % objective
    defaut = regles.critere_publics(EmbauchesPubliques(embauches=4, brsa=1)).indicateurs[0]
    assert (defaut.cible, defaut.note, defaut.cible_par_defaut) == (D("0.4"), D("31.25"), True)  # 50 × 25/40


def test_sans_embauche_le_profil_est_ecarte():
    proposition = regles.proposition(
        2024,
        EmbauchesPubliques(),
        Effort(salaries=4, salaries_avec_action=4, heures_formation=D(80), etp_realises=D(2)),  # 100 %, 40 h/ETP
        CompteSorties(examinees=2, emploi_durable=2),  # 100 % and 100 %
    )
    assert proposition.critere("publics").note is None
    assert proposition.note == D(100)
    assert proposition.taux == D("0.10")


def test_sans_aucune_donnee_pas_de_proposition():
    proposition = regles.proposition(2024, EmbauchesPubliques(), Effort(), CompteSorties(examinees=3, retraits=3))
    assert [c.note for c in proposition.criteres] == [None, None, None]
    assert proposition.taux is None


def test_des_donnees_toutes_nulles_proposent_0():
    proposition = regles.proposition(
        2024,
        EmbauchesPubliques(embauches=5),
        Effort(salaries=5, etp_realises=D(3)),
        CompteSorties(examinees=4),
    )
    assert proposition.note == D(0)
    assert proposition.taux == D(0)


def test_un_indicateur_sans_donnee_laisse_les_autres_compter():
    # Salariés but no ETP réalisés: only the share of salariés with an action counts (2/4 = 50 % → 50).
    critere = regles.critere_effort(Effort(salaries=4, salaries_avec_action=2, heures_formation=D(10)))
    assert critere.indicateurs[1].valeur is None
    assert critere.note == D(50)


def test_annee_de_reference():
    import datetime as dt

    assert regles.annee_de_reference(dt.date(2026, 1, 1)) == 2025


def test_bilan_de_l_enveloppe():
    reste = BilanEnveloppe(D("1000.00"), D("400.00"))
    assert (reste.reste, reste.depassement, reste.montant_du_depassement, reste.taux_consomme) == (
        D("600.00"), False, D(0), D("0.4"),
    )  # fmt: skip
    depasse = BilanEnveloppe(D("1000.00"), D("1250.50"))
    assert (depasse.reste, depasse.depassement, depasse.montant_du_depassement) == (D("-250.50"), True, D("250.50"))
    sans = BilanEnveloppe(None, D("10"))
    assert (sans.reste, sans.depassement, sans.taux_consomme) == (None, False, None)


@pytest.mark.parametrize(
    "points,nombre_d_erreurs",
    [(D(0), 0), (D(10), 0), (D("4.5"), 0), (D("10.5"), 1), (D("-1"), 1), (D("4.25"), 1), (None, 1)],
)
def test_erreurs_du_taux_decide(points, nombre_d_erreurs):
    assert len(regles.erreurs_taux(points)) == nombre_d_erreurs
