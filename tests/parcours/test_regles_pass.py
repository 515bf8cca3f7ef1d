"""The rules of the PASS IAE's life and of contracts (parcours/regles_pass.py), without the database.

The motifs' limits are those the migrations load (the rules as data), read from parcours/referentiel.py."""

import datetime as dt
from decimal import Decimal

import pytest

from parcours.models import MotifProlongation, MotifSuspension
from parcours.referentiel import PROLONGATIONS, SUSPENSIONS
from parcours.regles_pass import (
    ContratEnCours,
    ContratPropose,
    LimitesProlongation,
    LimitesSuspension,
    Periode,
    erreurs_contrat,
    erreurs_decision,
    erreurs_demande,
    erreurs_prolongation,
    erreurs_suspension,
    fenetre_de_demande,
    fin_du_pass,
)

D = dt.date


def suspension(code: str) -> LimitesSuspension:
    code_, libelle, types = next(s for s in SUSPENSIONS if s[0] == code)
    return LimitesSuspension.du_motif(
        MotifSuspension(code=code_, libelle=libelle, duree_max_mois=36, types_siae=types)
    )


def prolongation(code: str) -> LimitesProlongation:
    ligne = next(p for p in PROLONGATIONS if p[0] == code)
    code_, libelle, decideur, limite, mois, cumul, mois_cumul, types = ligne
    return LimitesProlongation.du_motif(
        MotifProlongation(
            code=code_,
            libelle=libelle,
            decideur=decideur,
            limite_decision=limite,
            duree_max_decision_mois=mois,
            limite_cumul=cumul,
            duree_max_cumulee_mois=mois_cumul,
            types_siae=types,
        )
    )


def champs(erreurs) -> list[str]:
    return [e.champ for e in erreurs]


# The end of the PASS -----------------------------------------------------------------------------------------


def test_fin_du_pass_24_mois_moins_un_jour():
    assert fin_du_pass(D(2023, 10, 1)) == D(2025, 9, 30)


def test_une_suspension_repousse_la_fin_de_sa_duree_jours_compris():
    # 1 to 10 March: 10 days.
    assert fin_du_pass(D(2023, 10, 1), [Periode(D(2024, 3, 1), D(2024, 3, 10))]) == D(2025, 10, 10)


def test_une_prolongation_commence_le_lendemain_et_la_fin_devient_la_sienne():
    fin = fin_du_pass(D(2023, 10, 1))
    accordee = Periode(fin + dt.timedelta(days=1), D(2026, 9, 30))
    assert fin_du_pass(D(2023, 10, 1), prolongations=[accordee]) == D(2026, 9, 30)
    # A suspension recorded afterwards still pushes the end.
    assert fin_du_pass(D(2023, 10, 1), [Periode(D(2025, 11, 1), D(2025, 11, 5))], [accordee]) == D(2026, 10, 5)


# Suspensions -------------------------------------------------------------------------------------------------

AUJOURD_HUI = D(2025, 6, 15)


def verifier_suspension(periode, code="CONTRAT_ROMPU", type_siae="ACI", autres=(), aujourd_hui=AUJOURD_HUI):
    return erreurs_suspension(
        periode,
        suspension(code),
        type_siae=type_siae,
        debut_pass=D(2024, 1, 1),
        fin_pass=D(2025, 12, 31),
        autres=list(autres),
        aujourd_hui=aujourd_hui,
    )


def test_une_suspension_de_36_mois_au_plus():
    assert verifier_suspension(Periode(D(2025, 1, 1), D(2027, 12, 31))) == []
    erreurs = verifier_suspension(Periode(D(2025, 1, 1), D(2028, 1, 1)))
    assert champs(erreurs) == ["date_fin"]
    assert erreurs[0].message.startswith("Fin : ") and "36 mois" in erreurs[0].message
    assert "31/12/2027" in erreurs[0].message


def test_une_suspension_qui_commence_demain_est_refusee():
    assert verifier_suspension(Periode(AUJOURD_HUI, AUJOURD_HUI + dt.timedelta(days=30))) == []
    demain = AUJOURD_HUI + dt.timedelta(days=1)
    erreurs = verifier_suspension(Periode(demain, demain + dt.timedelta(days=30)))
    assert champs(erreurs) == ["date_debut"]
    assert erreurs[0].message.startswith("Début : ") and "futur" in erreurs[0].message


def test_pas_avant_le_debut_du_pass_ni_apres_sa_fin():
    assert champs(verifier_suspension(Periode(D(2023, 12, 31), D(2024, 1, 31)))) == ["date_debut"]
    fin = verifier_suspension(Periode(D(2026, 1, 1), D(2026, 1, 31)), aujourd_hui=D(2026, 2, 1))
    assert champs(fin) == ["date_debut"] and "a pris fin" in fin[0].texte


def test_les_suspensions_d_un_pass_ne_se_chevauchent_pas():
    existante = Periode(D(2025, 3, 1), D(2025, 3, 31))
    erreurs = verifier_suspension(Periode(D(2025, 3, 31), D(2025, 4, 15)), autres=[existante])
    assert champs(erreurs) == ["date_debut"] and "du 01/03/2025 au 31/03/2025" in erreurs[0].texte
    assert verifier_suspension(Periode(D(2025, 4, 1), D(2025, 4, 15)), autres=[existante]) == []


def test_le_motif_contrat_passerelle_en_ei_et_aci_seulement():
    periode = Periode(D(2025, 1, 1), D(2025, 3, 31))
    assert verifier_suspension(periode, code="CONTRAT_PASSERELLE", type_siae="EI") == []
    erreurs = verifier_suspension(periode, code="CONTRAT_PASSERELLE", type_siae="AI")
    assert champs(erreurs) == ["motif"] and "ACI, EI" in erreurs[0].texte


def test_une_fin_avant_le_debut():
    assert champs(verifier_suspension(Periode(D(2025, 3, 10), D(2025, 3, 1)))) == ["date_fin"]


# Prolongations: the request window ---------------------------------------------------------------------------


def test_fenetre_de_demande_de_12_mois_avant_a_6_mois_apres_la_fin():
    fin = D(2025, 9, 30)
    assert fenetre_de_demande(fin) == Periode(D(2024, 9, 30), D(2026, 3, 30))
    assert erreurs_demande(D(2024, 9, 30), fin_pass=fin, aujourd_hui=D(2026, 6, 1)) == []
    assert erreurs_demande(D(2026, 3, 30), fin_pass=fin, aujourd_hui=D(2026, 6, 1)) == []
    for hors in (D(2024, 9, 29), D(2026, 3, 31)):
        erreurs = erreurs_demande(hors, fin_pass=fin, aujourd_hui=D(2026, 6, 1))
        assert champs(erreurs) == ["date_demande"] and "du 30/09/2024 au 30/03/2026" in erreurs[0].texte


def test_fenetre_en_fin_de_mois():
    # 31 August − 12 months: 31 August; + 6 months: 28 February.
    assert fenetre_de_demande(D(2025, 8, 31)) == Periode(D(2024, 8, 31), D(2026, 2, 28))


def test_une_demande_n_est_pas_datee_dans_le_futur():
    assert champs(erreurs_demande(D(2025, 6, 2), fin_pass=D(2025, 9, 30), aujourd_hui=D(2025, 6, 1))) == [
        "date_demande"
    ]


# Prolongations: the limits -----------------------------------------------------------------------------------

FIN_PASS = D(2025, 12, 31)
DEBUT = FIN_PASS + dt.timedelta(days=1)  # 1 January 2026
NE_EN_1965 = D(1965, 1, 1)  # 61 years old in 2026


def verifier(
    code, fin, *, debut=DEBUT, type_siae="ACI", naissance=NE_EN_1965, contrat=None, formation=None, autres=()
):
    return erreurs_prolongation(
        Periode(debut, fin),
        prolongation(code),
        type_siae=type_siae,
        date_naissance=naissance,
        contrat=contrat,
        date_fin_formation=formation,
        autres=list(autres),
    )


def test_une_decision_de_12_mois_au_plus():
    assert verifier("RQTH", D(2026, 12, 31)) == []
    erreurs = verifier("RQTH", D(2027, 1, 1))
    assert champs(erreurs) == ["date_fin"] and "12 mois" in erreurs[0].texte


def test_cumul_exactement_a_la_limite_puis_un_jour_de_trop():
    # RQTH: 36 months in all. 12 + 12 + 11 months already, from 1 January 2023: one month left.
    deja = [
        Periode(D(2023, 1, 1), D(2023, 12, 31)),
        Periode(D(2024, 1, 1), D(2024, 12, 31)),
        Periode(D(2025, 1, 1), D(2025, 11, 30)),
    ]
    assert verifier("RQTH", D(2025, 12, 31), debut=D(2025, 12, 1), autres=deja) == []
    erreurs = verifier("RQTH", D(2026, 1, 1), debut=D(2025, 12, 1), autres=deja)
    assert champs(erreurs) == ["date_fin"]
    assert "36 mois" in erreurs[0].texte and "au plus tard le 31/12/2025" in erreurs[0].texte


# A PASS started on 1 January 2020 ends on 31 December 2021; 12 months of training prolongation follow.
FORMATION_2022 = Periode(D(2022, 1, 1), D(2022, 12, 31))


def test_une_prolongation_de_formation_compte_dans_les_36_mois_d_un_travailleur_handicape():
    """R.5132-1-8: the parcours of an RQTH holder is 24 + 36 = 60 months at most, training prolongation included.
    12 months of training then 36 of RQTH (three decisions of 12 months) would make 72: the third is refused."""
    rqth_2023, rqth_2024 = Periode(D(2023, 1, 1), D(2023, 12, 31)), Periode(D(2024, 1, 1), D(2024, 12, 31))
    assert verifier("RQTH", rqth_2023.fin, debut=rqth_2023.debut, autres=[FORMATION_2022]) == []
    assert verifier("RQTH", rqth_2024.fin, debut=rqth_2024.debut, autres=[FORMATION_2022, rqth_2023]) == []
    erreurs = verifier("RQTH", D(2025, 12, 31), debut=D(2025, 1, 1), autres=[FORMATION_2022, rqth_2023, rqth_2024])
    assert [e.message for e in erreurs] == [
        "Fin : avec ce motif, les prolongations du PASS IAE, tous motifs confondus, totalisent au plus 36 mois "
        "(1\u202f096 jours depuis le 01/01/2022) ; 1\u202f096 jours sont déjà accordés ou demandés, il en reste 0."
    ]


def test_apres_une_formation_il_reste_24_mois_de_rqth():
    # 36 months from 1 January 2022: 31 December 2024 at the latest, whatever the decisions' split.
    rqth_2023 = Periode(D(2023, 1, 1), D(2023, 6, 30))
    assert verifier("RQTH", D(2024, 6, 30), debut=D(2023, 7, 1), autres=[FORMATION_2022, rqth_2023]) == []
    deja = [FORMATION_2022, rqth_2023, Periode(D(2023, 7, 1), D(2024, 6, 30))]
    assert verifier("RQTH", D(2024, 12, 31), debut=D(2024, 7, 1), autres=deja) == []
    erreurs = verifier("RQTH", D(2025, 1, 1), debut=D(2024, 7, 1), autres=deja)
    assert champs(erreurs) == ["date_fin"] and "il en reste 184 : au plus tard le 31/12/2024." in erreurs[0].texte


def test_le_cumul_compte_toutes_les_prolongations_sous_le_plafond_du_motif():
    # Four years of prolongations of any motif fit in the 60 months of SENIOR_50; a fifth, then one day more,
    # does not.
    deja = [Periode(D(2022 + i, 1, 1), D(2022 + i, 12, 31)) for i in range(4)]
    assert verifier("SENIOR_50", D(2026, 12, 31), autres=deja) == []
    assert champs(verifier("SENIOR_50", D(2027, 1, 1), autres=deja)) == ["date_fin", "date_fin"]  # decision, total
    # The same four years are past the 36 months of RQTH and of DIFFICULTES_PARTICULIERES.
    assert champs(verifier("RQTH", D(2026, 12, 31), autres=deja)) == ["date_fin"]
    assert champs(verifier("DIFFICULTES_PARTICULIERES", D(2026, 12, 31), autres=deja)) == ["date_fin"]
    # A motif without a cap in months is bounded otherwise: the training's end, the CDI inclusion's end.
    assert verifier("FIN_FORMATION", D(2026, 12, 31), formation=D(2026, 12, 31), autres=deja) == []


def test_senior_50_a_partir_de_50_ans():
    erreurs = verifier("SENIOR_50", D(2026, 12, 31), naissance=D(1976, 1, 2))  # 49 on 1 January 2026
    assert champs(erreurs) == ["motif"] and "50 ans" in erreurs[0].texte
    assert verifier("SENIOR_50", D(2026, 12, 31), naissance=D(1976, 1, 1)) == []


def test_fin_de_formation_obligatoire_et_limite():
    assert champs(verifier("FIN_FORMATION", D(2026, 6, 30))) == ["date_fin_formation"]
    assert verifier("FIN_FORMATION", D(2026, 6, 30), formation=D(2026, 6, 30)) == []
    assert champs(verifier("FIN_FORMATION", D(2026, 7, 1), formation=D(2026, 6, 30))) == ["date_fin"]
    assert champs(verifier("FIN_FORMATION", D(2026, 6, 30), formation=D(2025, 12, 15))) == ["date_fin_formation"]


def test_cdi_inclusion_jusqu_a_la_fin_du_contrat_ou_sans_borne():
    sans_cdi = verifier("CDI_INCLUSION_57", D(2026, 12, 31))
    assert champs(sans_cdi) == ["motif"] and "CDI inclusion" in sans_cdi[0].texte
    cddi = ContratEnCours("CDDI", D(2024, 1, 1), D(2026, 12, 31))
    assert champs(verifier("CDI_INCLUSION_57", D(2026, 12, 31), contrat=cddi)) == ["motif"]
    borne = ContratEnCours("CDI_INCLUSION", D(2025, 1, 1), D(2027, 6, 30))
    assert verifier("CDI_INCLUSION_57", D(2027, 6, 30), contrat=borne) == []
    assert champs(verifier("CDI_INCLUSION_57", D(2027, 7, 1), contrat=borne)) == ["date_fin"]
    ouvert = ContratEnCours("CDI_INCLUSION", D(2025, 1, 1), None)
    assert verifier("CDI_INCLUSION_57", D(2035, 12, 31), contrat=ouvert) == []
    # 57 years old at least.
    assert champs(verifier("CDI_INCLUSION_57", D(2026, 12, 31), contrat=ouvert, naissance=D(1970, 1, 2))) == ["motif"]


def test_difficultes_particulieres_en_aci_et_ai_seulement():
    assert verifier("DIFFICULTES_PARTICULIERES", D(2026, 12, 31), type_siae="AI") == []
    erreurs = verifier("DIFFICULTES_PARTICULIERES", D(2026, 12, 31), type_siae="EI")
    assert champs(erreurs) == ["motif"] and "ACI, AI" in erreurs[0].texte


def test_les_prolongations_ne_se_chevauchent_pas():
    en_cours = Periode(DEBUT, D(2026, 6, 30))
    erreurs = verifier("RQTH", D(2026, 12, 31), autres=[en_cours])
    assert champs(erreurs) == ["date_fin"] and "chevauche" in erreurs[0].texte


# Prolongations: the decision ---------------------------------------------------------------------------------


def decider(
    statut="ACCORDEE", decideur="PRESCRIPTEUR", organisation="France Travail Verdun", personne="A. Durand", refus=""
):
    return erreurs_decision(
        statut,
        decideur=decideur,
        prescripteur_organisation=organisation,
        prescripteur_personne=personne,
        motif_refus=refus,
        date_decision=D(2025, 11, 2),
        date_demande=D(2025, 11, 1),
        aujourd_hui=D(2025, 11, 3),
    )


def test_un_refus_s_explique_par_ecrit():
    erreurs = decider("REFUSEE", refus="  ")
    assert champs(erreurs) == ["motif_refus"] and erreurs[0].message.startswith("Motif du refus : ")
    assert decider("REFUSEE", refus="Parcours à réorienter vers la formation.") == []


def test_un_prescripteur_qui_decide_est_nomme_organisation_et_personne():
    assert decider() == []
    assert champs(decider(organisation="", personne="")) == ["prescripteur_organisation", "prescripteur_personne"]
    assert champs(decider(personne="")) == ["prescripteur_personne"]
    # The structure decides alone for its motifs.
    assert decider(decideur="SIAE", organisation="", personne="") == []


def test_une_decision_suit_la_demande_et_n_est_pas_dans_le_futur():
    base = {
        "decideur": "SIAE",
        "prescripteur_organisation": "",
        "prescripteur_personne": "",
        "motif_refus": "",
        "date_demande": D(2025, 11, 1),
        "aujourd_hui": D(2025, 11, 3),
    }
    assert champs(erreurs_decision("ACCORDEE", date_decision=D(2025, 10, 31), **base)) == ["date_decision"]
    assert champs(erreurs_decision("ACCORDEE", date_decision=D(2025, 11, 4), **base)) == ["date_decision"]


# Contracts ---------------------------------------------------------------------------------------------------


NE_EN_1985 = D(1985, 3, 14)
DEBUT_PARCOURS = D(2023, 1, 1)


def verifier_contrat(contrat, type_siae="ACI", naissance=NE_EN_1985, debut_parcours=DEBUT_PARCOURS, passerelles=0):
    return erreurs_contrat(
        contrat,
        type_siae=type_siae,
        date_naissance=naissance,
        debut_parcours_iae=debut_parcours,
        passerelles_du_parcours=passerelles,
    )


def cddi(fin, heures="26", **kwargs):
    return ContratPropose("CDDI", D(2024, 1, 1), fin, Decimal(heures), **kwargs)


def test_un_cddi_de_4_mois_au_moins():
    assert verifier_contrat(cddi(D(2024, 4, 30))) == []
    erreurs = verifier_contrat(cddi(D(2024, 4, 29)))  # 4 months less a day
    assert champs(erreurs) == ["date_fin"] and "4 mois" in erreurs[0].texte and "30/04/2024" in erreurs[0].texte


def test_un_cddi_de_20_heures_au_moins_sauf_derogation_motivee():
    assert verifier_contrat(cddi(D(2024, 6, 30), "20")) == []
    erreurs = verifier_contrat(cddi(D(2024, 6, 30), "19.99"))
    assert champs(erreurs) == ["heures_hebdo"] and erreurs[0].message.startswith("Heures par semaine : ")
    assert champs(verifier_contrat(cddi(D(2024, 6, 30), "12", derogation=True))) == ["motif_derogation"]
    motivee = cddi(D(2024, 2, 15), "12", derogation=True, motif_derogation="Premières heures en chantier")
    assert verifier_contrat(motivee) == []


def test_un_cddi_a_une_fin_et_des_heures():
    assert champs(verifier_contrat(cddi(None))) == ["date_fin"]
    assert champs(verifier_contrat(ContratPropose("CDDI", D(2024, 1, 1), D(2024, 6, 30)))) == ["heures_hebdo"]


def test_cdi_inclusion_a_56_et_57_ans():
    cdi = ContratPropose("CDI_INCLUSION", D(2024, 3, 1))
    erreurs = verifier_contrat(cdi, naissance=D(1967, 3, 2))  # 56 the day before the birthday
    assert champs(erreurs) == ["type"] and "56 ans" in erreurs[0].texte
    assert verifier_contrat(cdi, naissance=D(1967, 3, 1)) == []  # 57 on the contract's first day


def test_cdi_inclusion_apres_12_mois_de_parcours():
    ne_en_1960 = D(1960, 1, 1)
    assert verifier_contrat(ContratPropose("CDI_INCLUSION", D(2024, 1, 1)), naissance=ne_en_1960) == []
    erreurs = verifier_contrat(ContratPropose("CDI_INCLUSION", D(2023, 12, 31)), naissance=ne_en_1960)
    assert champs(erreurs) == ["date_debut"] and "01/01/2024" in erreurs[0].texte


def test_contrat_passerelle_de_3_mois_renouvele_une_fois():
    assert verifier_contrat(ContratPropose("PASSERELLE", D(2024, 1, 1), D(2024, 3, 31)), type_siae="EI") == []
    assert champs(verifier_contrat(ContratPropose("PASSERELLE", D(2024, 1, 1), D(2024, 4, 1)))) == ["date_fin"]
    assert champs(verifier_contrat(ContratPropose("PASSERELLE", D(2024, 1, 1)))) == ["date_fin"]
    renouvele = ContratPropose("PASSERELLE", D(2024, 4, 1), D(2024, 6, 30))
    assert verifier_contrat(renouvele, passerelles=1) == []
    assert champs(verifier_contrat(renouvele, passerelles=2)) == ["type"]
    assert champs(verifier_contrat(renouvele, type_siae="AI")) == ["type"]


@pytest.mark.parametrize(
    ("type_siae", "type_contrat", "accepte"),
    [
        ("ACI", "CDDI", True),
        ("AI", "CDDI", False),
        ("AI", "CDDU", True),
        ("ETTI", "MISSION", True),
        ("EITI", "CDDU", False),
    ],
)
def test_le_type_de_contrat_selon_la_structure(type_siae, type_contrat, accepte):
    contrat = ContratPropose(type_contrat, D(2024, 1, 1), D(2024, 6, 30), Decimal(26))
    assert (verifier_contrat(contrat, type_siae=type_siae) == []) is accepte


def test_une_derogation_ne_concerne_que_le_cddi():
    contrat = ContratPropose("CDDU", D(2024, 1, 1), derogation=True, motif_derogation="Cumul")
    assert champs(verifier_contrat(contrat, type_siae="AI")) == ["derogation"]
