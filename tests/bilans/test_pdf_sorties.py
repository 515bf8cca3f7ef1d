"""The bilan and the dialogue de gestion sheet of the small 2024 département of tests/conventions (one examined
exit: Bob's CDI in December, after a year in the ACI): sorties, publics, the bRSA objective and the editorial
sections, read in the PDF's text and checked against the export and against values computed here."""

from decimal import Decimal

import pytest

from base.formats import etp_fr
from bilans.contenu import assembler_bilan, assembler_dialogue
from bilans.models import SectionsEditoriales
from bilans.pdf import pdf_du_bilan, pdf_du_dialogue
from indicateurs.models import ObjectifBrsa
from indicateurs.sections import indicateurs
from indicateurs.services import rafraichir_tout
from siae.models import Siae
from tests.conventions.test_departement import A, departement, heures  # noqa: F401

from .outils import lit_le_pdf, texte_du_pdf
from .test_pdf_aides import CHAMPS_PUBLICS, montant, pourcent

pytestmark = pytest.mark.django_db

ANNEE = 2024
CHAMPS_SORTIES = ("examinees", "retraits", "emploi_durable", "emploi_transition", "sorties_positives", "autres")


@pytest.fixture(autouse=True)
def indicateurs_rafraichis(departement):  # noqa: F811
    """The monthly indicators the consumption curve reads, as the imports' commits and the night refresh them in
    production (a test's transaction never commits)."""
    rafraichir_tout()


@lit_le_pdf
def test_sorties_publics_objectifs_et_sections(departement):  # noqa: F811
    SectionsEditoriales.objects.create(
        departement="55",
        annee=ANNEE,
        faits_marquants="Ouverture d'un chantier\n\n- Un ASP mutualisé",
        forces="Équipes professionnalisées",
        menaces="Difficultés de recrutement",
        plan_d_actions="Favoriser l'accès des bRSA\n- Seuil de 45 % dans les recrutements",
        objectif_sorties_dynamiques=Decimal(50),
    )
    ObjectifBrsa.objects.create(departement="55", annee=ANNEE, seuil=Decimal(45))
    exporte = indicateurs(ANNEE, "55")
    texte = texte_du_pdf(pdf_du_bilan(assembler_bilan("55", ANNEE)).contenu)

    # Sorties of the year by kind, as exported: Bob's CDI, the one examined exit, a dynamic one in durable
    # employment (100 %).
    for ligne in exporte["sorties"]:
        valeurs = " ".join(str(ligne[c]) for c in CHAMPS_SORTIES)
        taux = f"{pourcent(ligne['taux_sorties_dynamiques'])} {pourcent(ligne['taux_emploi_durable'])}"
        assert f"{ligne['type']} {valeurs} {taux}" in texte
    assert "ACI 1 0 1 0 0 0 100,0 % 100,0 %" in texte
    # Over three years: 2022 and 2023 have no examined exit, so only 2024 is shown.
    assert "ACI 1 100,0 %" in texte
    assert "2023" not in texte.split("Sorties dynamiques")[2].split("Détail")[0]

    # Publics (as exported, and by hand: Ana F bRSA infra CAP DELD, Bob 57 ans QPV RQTH, Dan bRSA ZRR, Cléo F 23).
    total = exporte["publics"][-1]
    assert total["salaries"] == 4 and total["femmes"] == "50.0" and total["zrr"] == "25.0"
    assert "TOTAL 4 " + " ".join(pourcent(total[c]) for c in CHAMPS_PUBLICS) in texte
    # The 2024 hires: Ana (bRSA) and Bob in the ACI, Dan (bRSA) in the AI, Cléo in the EI: 2 of 4, against 45 %.
    assert "ACI 2 1 50,0 % 45,0 % +5,0 pts" in texte
    assert "AI 1 1 100,0 % 45,0 % +55,0 pts" in texte
    assert "EI 1 0 0,0 % 45,0 % −45,0 pts" in texte
    assert "TOTAL 4 2 50,0 % 45,0 % +5,0 pts" in texte

    # The objectives of the action plan against the realised rates, and the sections as typed, one point a line.
    assert "Part de bénéficiaires du RSA dans les embauches 45,0 % 50,0 % +5,0 pts oui" in texte
    assert "Taux de sorties dynamiques 50,0 % 100,0 % +50,0 pts oui" in texte
    for point in ("Ouverture d'un chantier", "Un ASP mutualisé", "Équipes professionnalisées", "Favoriser"):
        assert point in texte
    assert "Seuil de 45 % dans les recrutements" in texte

    # The annex: Chantier A as exported, with its 2 hires, 1 bRSA, against its annexe's 40 %.
    ligne_a = next(s for s in exporte["siae"] if s["siret"] == A)
    assert (
        f"{etp_fr(ligne_a['etp_conventionnes'])} {etp_fr(ligne_a['etp_realises'])} "
        f"{pourcent(ligne_a['taux_consommation'])} 100,0 % 2 50,0 % (40,0 %) {montant(ligne_a['socle_conventionne'])}"
    ) in texte


@lit_le_pdf
def test_la_fiche_de_dialogue_de_gestion(departement):  # noqa: F811
    chantier = Siae.objects.get(siret=A)
    texte = texte_du_pdf(pdf_du_dialogue(assembler_dialogue(chantier, ANNEE)).contenu)
    assert "Dialogue de gestion 2024" in texte
    assert "Chantier A" in texte and A in texte
    # Objectives of its annexe (60 % dynamic, 25 % durable, 40 % bRSA) against 1 exit in a CDI and 1 bRSA of 2.
    assert "Sorties dynamiques 60,0 % 100,0 % +40,0 pts" in texte
    assert "dont emploi durable 25,0 % 100,0 % +75,0 pts" in texte
    assert "Part de bénéficiaires du RSA dans les embauches 40,0 % 50,0 % +10,0 pts" in texte
    assert "2024 1 0 1 0 0 0 100,0 % 100,0 %" in texte
    # July: 3 ETP after the avenant; Ana 110,50 + 7/4 h and Bob 151,67 + 7/4 h, × 12 / 1 820 h.
    heures_juillet = heures(A, "999992400001", 7) + heures(A, "999992400002", 7)
    etp_juillet = heures_juillet * 12 / Decimal(1820)
    assert heures_juillet == Decimal("265.67")
    assert f"juillet 2024 3,00 265,67 {etp_fr(etp_juillet)} {pourcent(etp_juillet / 3 * 100)}" in texte
    assert "janvier 2024 2,00" in texte
