"""The calendar every app counts in: the plausible years, the years a selector offers, the months' names."""

import datetime as dt

import pytest

from base.calendrier import (
    ANNEE_MAX,
    ANNEE_MIN,
    annee_plausible,
    annees_proposees,
    choix_des_annees,
    de_mois,
    lire_annee,
    nom_du_mois,
)


@pytest.mark.parametrize(
    ("annee", "plausible"), [(1999, False), (2000, True), (2025, True), (2100, True), (2101, False)]
)
def test_annee_plausible(annee, plausible):
    assert annee_plausible(annee) is plausible
    assert (ANNEE_MIN, ANNEE_MAX) == (2000, 2100)


@pytest.mark.parametrize(
    ("valeur", "attendue"),
    [("2025", 2025), (2024, 2024), ("", 2030), (None, 2030), ("deux", 2030), ("1999", 2030), ("2101", 2030)],
)
def test_lire_annee(valeur, attendue):
    assert lire_annee(valeur, 2030) == attendue


def test_les_annees_proposees_de_l_an_prochain_a_cinq_ans_en_arriere():
    aujourd_hui = dt.date(2026, 3, 15)
    assert annees_proposees(aujourd_hui=aujourd_hui) == [2027, 2026, 2025, 2024, 2023, 2022, 2021]
    assert annees_proposees(avant=3, apres=0, aujourd_hui=aujourd_hui) == [2026, 2025, 2024, 2023]


def test_choix_des_annees_pour_un_champ():
    annee = dt.date.today().year
    assert choix_des_annees()[0] == (annee + 1, str(annee + 1))
    assert [a for a, _ in choix_des_annees()] == annees_proposees()


@pytest.mark.parametrize(
    ("mois", "nom", "de"),
    [
        (1, "janvier 2026", "de janvier 2026"),
        (4, "avril 2026", "d'avril 2026"),
        (12, "décembre 2026", "de décembre 2026"),
    ],
)
def test_nom_du_mois(mois, nom, de):
    assert nom_du_mois(dt.date(2026, mois, 1)) == nom
    assert de_mois(dt.date(2026, mois, 1)) == de
