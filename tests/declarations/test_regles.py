"""The rules of the declarations on values, without the database."""

import datetime as dt
from decimal import Decimal

import pytest

from declarations.models import EtatDeclaration
from declarations.regles import (
    avertissement_remplacement,
    avertissement_sortie_supprimee,
    details_ligne,
    echeance_declaration,
    etp_realises,
    se_modifie_sur_place,
    sortie_du_mois,
    transmission_a_ecrire,
)

MARS = dt.date(2025, 3, 1)


def test_l_echeance_est_le_15_du_mois_suivant():
    assert echeance_declaration(MARS) == dt.date(2025, 4, 15)
    assert echeance_declaration(dt.date(2025, 12, 1)) == dt.date(2026, 1, 15)


def test_les_etp_d_un_mois():
    assert etp_realises(Decimal("151.67"), Decimal("1820.04")) == Decimal("151.67") * 12 / Decimal("1820.04")


@pytest.mark.parametrize(
    ("declaree", "enregistree", "montree"),
    [
        # Declared on the line: the line's.
        (
            (dt.date(2025, 3, 10), "FIN_CDDI"),
            (dt.date(2025, 3, 20), "EMBAUCHE_CDI"),
            (dt.date(2025, 3, 10), "FIN_CDDI"),
        ),
        # Recorded on the parcours this month (first and last day included): the parcours's.
        ((None, None), (dt.date(2025, 3, 1), "EMBAUCHE_CDI"), (dt.date(2025, 3, 1), "EMBAUCHE_CDI")),
        ((None, None), (dt.date(2025, 3, 31), "EMBAUCHE_CDI"), (dt.date(2025, 3, 31), "EMBAUCHE_CDI")),
        # Recorded another month, or nowhere: none.
        ((None, None), (dt.date(2025, 4, 1), "EMBAUCHE_CDI"), (None, None)),
        ((None, None), (dt.date(2025, 2, 28), "EMBAUCHE_CDI"), (None, None)),
        ((None, None), (None, None), (None, None)),
    ],
)
def test_la_sortie_que_montre_la_grille(declaree, enregistree, montree):
    assert sortie_du_mois(MARS, declaree, enregistree) == montree


def test_seul_un_brouillon_se_modifie_sur_place():
    assert se_modifie_sur_place(EtatDeclaration.BROUILLON)
    for etat in (EtatDeclaration.TRANSMISE, EtatDeclaration.VALIDEE, EtatDeclaration.A_CORRIGER):
        assert not se_modifie_sur_place(etat)


@pytest.mark.parametrize(
    ("etat", "retenue", "a_ecrire"),
    [
        (EtatDeclaration.BROUILLON, False, True),
        (EtatDeclaration.A_CORRIGER, True, True),  # the DDETS asked for a new version
        (EtatDeclaration.TRANSMISE, False, True),  # another version (the ASP's) took its place
        (EtatDeclaration.TRANSMISE, True, False),
        (EtatDeclaration.VALIDEE, True, False),
    ],
)
def test_transmettre_sans_changement(etat, retenue, a_ecrire):
    assert transmission_a_ecrire(etat, retenue) is a_ecrire


NOVEMBRE, SORTIE = dt.date(2026, 11, 1), dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("avant", "apres", "texte"),
    [
        (None, (Decimal("35"), None, ""), "35,00 h"),
        (None, (Decimal("35"), SORTIE, "Embauche en CDI"), "35,00 h ; sortie : 20/11/2026 – Embauche en CDI"),
        ((Decimal("151.67"), None, ""), (Decimal("100.5"), None, ""), "151,67 h → 100,50 h"),
        (
            (Decimal("1234.5"), SORTIE, "Embauche en CDI"),
            (Decimal("1234.5"), None, ""),
            "sortie : 20/11/2026 – Embauche en CDI → aucune",
        ),
        (
            (Decimal("151.67"), None, ""),
            (Decimal("100.5"), SORTIE, "Embauche en CDI"),
            "151,67 h → 100,50 h ; sortie : aucune → 20/11/2026 – Embauche en CDI",
        ),
    ],
)
def test_le_detail_d_une_ligne_en_francais(avant, apres, texte):
    assert details_ligne(avant, apres) == texte


def test_les_avertissements():
    assert avertissement_sortie_supprimee(3, SORTIE, "Léa Martin", NOVEMBRE) == (
        "Ligne 3 : la sortie du 20/11/2026 de Léa Martin serait supprimée "
        "(déclaration de novembre 2026, colonne date_sortie vide)."
    )
    assert avertissement_remplacement("ACI055260001A0M0", NOVEMBRE, dt.date(2026, 11, 21), False, 2) == (
        "Annexe ACI055260001A0M0 : la déclaration de novembre 2026, transmise le 21/11/2026, sera remplacée par "
        "une version 2."
    )
    assert avertissement_remplacement("ACI055260001A0M0", dt.date(2026, 10, 1), dt.date(2026, 11, 3), True, 3) == (
        "Annexe ACI055260001A0M0 : la déclaration d'octobre 2026, transmise le 03/11/2026 et validée, sera remplacée "
        "par une version 3."
    )
