"""The bilans' rules, on plain values."""

from decimal import Decimal

import pytest

from bilans import regles

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("code", "titre"),
    [
        ("55", "Préfet de la Meuse"),
        ("59", "Préfet du Nord"),
        ("01", "Préfet de l'Ain"),
        ("88", "Préfet des Vosges"),
        ("90", "Préfet du Territoire de Belfort"),
        ("75", "Préfet de Paris"),
        ("974", "Préfet de La Réunion"),
        ("2A", "Préfet de la Corse-du-Sud"),
    ],
)
def test_le_prefet_du_departement(code, titre):
    assert regles.prefet_de(code) == titre


def test_nom_du_fichier():
    assert regles.nom_du_fichier("55", 2025) == "bilan-cdiae-55-2025.pdf"


def test_un_point_par_ligne_sans_les_puces_ni_les_lignes_vides():
    texte = "- Difficultés de recrutement\n\n•  Personnes éloignées de l'emploi  \n→ Réseau des ASP\nSans puce\n   \n"
    assert regles.puces(texte) == [
        "Difficultés de recrutement",
        "Personnes éloignées de l'emploi",
        "Réseau des ASP",
        "Sans puce",
    ]
    assert regles.puces("") == []
    assert regles.puces(None) == []


def test_le_plan_d_actions_en_axes_et_actions():
    texte = """- une action sans axe
Renforcer le lien avec les entreprises
- Recrutement d'un ASP
o Étude d'une EITI
→ Favoriser l'accès des bRSA
- Seuil de 40 %
"""
    axes = regles.plan_d_actions(texte)
    assert [(axe.titre, axe.actions) for axe in axes] == [
        ("", ["une action sans axe"]),
        ("Renforcer le lien avec les entreprises", ["Recrutement d'un ASP", "Étude d'une EITI"]),
        ("Favoriser l'accès des bRSA", ["Seuil de 40 %"]),
    ]


def test_montants_abreges():
    assert regles.montant_abrege(Decimal("8800000")) == "8,8\u00a0M€"
    assert regles.montant_abrege(Decimal("11331794.08")) == "11,3\u00a0M€"
    assert regles.montant_abrege(Decimal("1250000")) == "1,3\u00a0M€"  # half-up
    assert regles.montant_abrege(Decimal("398598.81")) == f"398{NNBSP}599\u00a0€"
    assert regles.montant_abrege(None) == "–"


def test_pourcentages():
    assert regles.texte_pourcent("99.7") == "99,7\u00a0%"
    assert regles.texte_pourcent(Decimal(40)) == "40,0\u00a0%"
    assert regles.texte_pourcent(None) == "–"
    assert regles.pourcentage("55.5") == Decimal("0.555")
    assert regles.en_pourcent(Decimal("0.45")) == Decimal("45.00")
