"""The demo's financing lines and projects: the seed 004 budget reproduced, the FSE+ envelope of 4 ACI, FDI
candidatures within their caps. On the session's demo (tests/conftest.py); running it again:
tests/demo/test_demo.py."""

from decimal import Decimal as D

import pytest

from demo.financements import ASP_MUTUALISES, LIGNES_ASP, PROJETS_FSE
from financements import queries, regles
from financements.choix import DecisionFdi, Dispositif, EtatProjet, Financeur
from financements.models import CandidatureFdi, LigneFinancement, Projet

pytestmark = [pytest.mark.django_db, pytest.mark.lent, pytest.mark.usefixtures("demo")]


def test_le_projet_du_seed_004():
    projet = Projet.objects.get(nom=ASP_MUTUALISES)
    tableau = queries.tableau_budget(projet)
    assert [p.libelle for p in tableau.periodes] == ["05 à 12/2025", "01 à 12/2026"]
    assert [(b.frais_indirects, b.total_charges, b.total_produits, b.resultat) for b in tableau.bilans] == [
        (D("11060"), D("66360"), D("66360"), 0),
        (D("16120"), D("96720"), D("96720"), 0),
    ]
    assert projet.etat == EtatProjet.RETENU


def test_tous_les_projets_deposes_ou_retenus_sont_equilibres():
    bilans = queries.bilans_des_projets(Projet.objects.exclude(etat=EtatProjet.BROUILLON))
    assert len(bilans) == Projet.objects.count()
    assert all(not regles.erreurs_equilibre(b) for b in bilans.values())


def test_l_enveloppe_fse_des_4_aci():
    noms = [f"{nom} – FSE+" for _, nom, *_ in PROJETS_FSE]
    fse = LigneFinancement.objects.filter(financeur=Financeur.FSE, libelle__in=noms)
    assert {ligne.projet.siae_porteuse.type for ligne in fse} == {"ACI"}
    for annee in (2025, 2026):
        assert sum(ligne.montant_engage for ligne in fse if ligne.annee == annee) <= D("240000")
    assert sum(ligne.montant_engage for ligne in fse if ligne.annee == 2025) == D("240000")


def test_candidatures_fdi_dans_les_plafonds():
    candidatures = CandidatureFdi.objects.select_related("appel")
    assert candidatures.count() == 5
    for c in candidatures:
        montants = (c.cout_eligible_investissement, c.aide_investissement, c.cout_eligible_conseil, c.aide_conseil)
        assert regles.violations_fdi(*montants, c.appel.plafonds) == []
    accordees = candidatures.filter(decision=DecisionFdi.ACCORDEE)
    # Each accorded candidature is an État FDI line of its call's year, at the sum of its aids.
    assert sorted(
        LigneFinancement.objects.filter(candidature__isnull=False).values_list("annee", "montant_engage")
    ) == sorted((c.appel.annee, c.aide_totale) for c in accordees)
    # Plus the FDI lines of the shared accompaniment posts, one a year (2025, 2026).
    fdi_asp = sum(1 for ligne in LIGNES_ASP if ligne[1] == Dispositif.FDI)
    assert LigneFinancement.objects.filter(dispositif=Dispositif.FDI, financeur=Financeur.ETAT).count() == (
        accordees.count() + 2 * fdi_asp
    )
