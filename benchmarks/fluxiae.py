"""Synthetic ASP "fluxIAE" extracts in the real layout (shared/spec/fluxiae.md), for the benchmark (national
scale), the tests and the demo (one small département).

    python -m benchmarks.fluxiae --sortie DOSSIER [--departements 102 | --codes 55,2A] [--echelle 0.1] [--bruit]

One file per view, `fluxIAE_<Vue>_<DDMMYYYY>_<HHMMSS>.csv.gz`: a `DEB<Vue><date>_<heure>` row padded with `|`,
the header, the data rows `|`-separated without any quoting, a `FIN<n>` row. The 8 views the importer reads
(Structure, AnnexeFinanciere, ContratMission, Salarie, EtatMensuelIndiv, RefMotifSort, RefCategorieSort,
RefMontantIae) carry full column sets, personal columns included (fake values), plus two views the importer must
ignore (RefDepartement, Missions). Optionally zipped into `fluxIAE_ITOU_<date>.tar.gz`, a Zip under a tar.gz name
as the ASP delivers it.

Deterministic: the same arguments give the same bytes, whatever the number of processes. Each département has
its own block of ids and each entity (structure, AF, SIAE × month) its own random stream seeded from the graine,
the département and its key, so a département generated alone gives the same rows as in the national run.

Stable from one week to the next: a later `mois_fin` and `date_extraction` (next week's flux, one month more)
give the same structures, AFs, salariés, contracts and EMI rows but for what that week changed: the new month's
rows with its hires, renewals and exits, the previous last month validated, the AF modifications entered or
validated and the months corrected in the week (structure 1 of each département has one of each between the
default extraction, 2 November 2026, and the next, 9 November).

Standard library only; each département is generated (by a worker process when there are several) into one
compressed chunk per view, and the chunks are appended to the files in order: bounded memory."""

import argparse
import calendar
import datetime as dt
import itertools
import os
import random
import shutil
import struct
import sys
import time
import unicodedata
import zipfile
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from multiprocessing import get_context
from pathlib import Path

from base.departements import DEPARTEMENTS

VUES_LUES = (
    "Structure",
    "AnnexeFinanciere",
    "ContratMission",
    "Salarie",
    "EtatMensuelIndiv",
    "RefMotifSort",
    "RefCategorieSort",
    "RefMontantIae",
)
VUES_IGNOREES = ("RefDepartement", "Missions")
VUES = VUES_LUES + VUES_IGNOREES
# Time of each file in its name (the ASP exports the views one after the other). The DEB row carries another
# time, as in the real AF fixture where file name and DEB row differ.
HEURES = {
    "Structure": "063002",
    "AnnexeFinanciere": "063115",
    "ContratMission": "063540",
    "Salarie": "064103",
    "EtatMensuelIndiv": "064427",
    "RefMotifSort": "070211",
    "RefCategorieSort": "070212",
    "RefMontantIae": "070214",
    "RefDepartement": "070209",
    "Missions": "065850",
}

# fmt: off
_ADRESSE = ("numero_apt", "entree", "numero", "cplt_num_voie", "type_voie", "nom_voie", "cplt_adresse", "cp",
            "commune", "code_insee", "telephone")
COLONNES = {
    # 37 columns, in the order of the real Structure fixture (spec §6.1).
    "Structure": (
        "structure_date_creation", "structure_date_modification", "structure_id_siae", "structure_siret_signature",
        "structure_siret_actualise", "structure_denomination", "structure_categorie_juridique_id",
        "structure_categorie_juridique_code", "structure_code_naf", "structure_idcc_id", "structure_idcc_code",
        *(f"structure_adresse_admin_{c}" for c in _ADRESSE), *(f"structure_adresse_gestion_{c}" for c in _ADRESSE),
        "structure_identifiant_corresp_technique", "structure_adresse_mail_corresp_technique",
        "structure_adresse_nom_corresp_technique", "structure_adresse_prenom_corresp_technique",
    ),
    # The real header has 128 columns; the known ones are here in their groups (spec §6.2), `af_nb_banques numeric`
    # with its space, and the bank details §8 says exist in some view (`bban`, `bic`, `nom_bqe`).
    "AnnexeFinanciere": (
        "af_id_annexe_financiere", "af_id_avenant_modification", "af_id_structure", "af_numero_convention",
        "af_numero_annexe_financiere", "af_numero_avenant_renouvellement", "af_numero_avenant_modification",
        "af_mesure_dispositif_id", "af_mesure_dispositif_code", "af_etat_annexe_financiere_id",
        "af_etat_annexe_financiere_code", "af_date_creation", "af_date_modification", "af_date_debut_effet",
        "af_date_fin_effet", "af_date_signature", "af_date_reception_asp", "af_etp_postes_insertion",
        "af_nb_postes_insertion", "af_duree_heure_annuel_etp_id", "af_duree_heure_annuel_etp_code",
        "af_duree_heure_annuel_etp_valeur", "af_montant_unitaire_annuel_id", "af_montant_unitaire_annuel_code",
        "af_montant_unitaire_annuel_valeur", "af_montant_total_annuel", "af_indic_cofinancement", "af_mt_cofinance",
        "af_id_financeur_id", "af_id_financeur_code", "af_nb_prev_sorties", "af_taux_prev_sorties_dynamiques",
        "af_taux_prev_sorties_durable", "af_taux_prev_sorties_trans", "af_taux_prev_sorties_positives",
        "af_duree_collective_hebdo", "af_mt_total_aide", "af_mt_total_avance", "af_pourcentage_avance",
        "af_nature_action_id", "af_nature_action_code", "af_description_action", "af_num_annexe_aci",
        "af_num_annexe_ai", "af_num_annexe_ei", "af_num_annexe_etti", "af_nb_sal_insertion_annee_prec",
        "af_nb_sal_permanents_annee_prec", "af_nb_heures_insertion_annee_prec", "af_etp_insertion_annee_prec",
        "af_etp_permanents_annee_prec", "af_etp_encadrement_annee_prec", "af_etp_accompagnement_annee_prec",
        "af_nb_sorties_annee_prec", "af_nb_sorties_dynamiques_annee_prec", "af_nb_sorties_durable_annee_prec",
        "af_nb_sorties_trans_annee_prec", "af_nb_sorties_positives_annee_prec", "af_nb_femmes_annee_prec",
        "af_nb_brsa_annee_prec", "af_nb_jeunes_annee_prec", "af_nb_seniors_annee_prec", "af_nb_qpv_annee_prec",
        "af_nb_rqth_annee_prec", "af_date_cloture_exercice", "af_mt_tot_masse_salariale",
        "af_mt_masse_sal_insertion", "af_mt_masse_sal_permanents", "af_total_produits_exploit",
        "af_total_charges_exploit", "af_chiffre_affaires", "af_resultat_exploit", "af_resultat_net",
        "af_mt_subventions_exploit", "af_part_ca_produits", "af_commune", "af_epci", "af_departement", "af_region",
        "af_etat", "af_fse", "af_plie", "af_caf", "af_france_travail", "af_fondations", "af_autres_financements",
        "af_mt_aide_poste_annee_prec", "af_mt_modulation_annee_prec", "af_taux_modulation_annee_prec",
        "af_secteur_activite_id", "af_secteur_activite_code", "af_nb_sites", "af_nb_encadrants_techniques",
        "af_nb_accompagnateurs", "af_indic_regie_quartier", "af_indic_ensemblier", "af_indic_qpv", "af_indic_zrr",
        "af_date_etat_brouillon", "af_date_etat_saisie_termine", "af_date_etat_rejete", "af_date_etat_provisoire",
        "af_date_etat_valide", "af_date_etat_historise", "af_date_etat_annule", "af_date_etat_cloture",
        "af_motif_rejet_id", "af_motif_rejet_code", "af_motif_modification", "af_nb_banques numeric", "af_bban",
        "af_bic", "af_nom_bqe", "af_titulaire_compte", "af_representant_nom", "af_representant_prenom",
        "af_representant_qualite", "af_referent_nom", "af_referent_prenom", "af_referent_courriel",
        "af_referent_telephone", "af_observations", "af_utilisateur_creation", "af_utilisateur_modification",
    ),
    # One row per contract (spec §6.4). Ordered so that the columns a contract changes are contiguous: the line is
    # the contract's own fields between two strings computed once per person.
    "ContratMission": (
        "contrat_id_ctr",
        "contrat_id_pph", "contrat_id_structure", "contrat_mesure_disp_id", "contrat_mesure_disp_code",
        "contrat_date_creation", "contrat_date_modification", "contrat_type_contrat", "contrat_date_embauche",
        "contrat_date_fin_contrat", "contrat_date_sortie_definitive", "contrat_motif_sortie_id",
        "contrat_motif_sortie_code", "contrat_duree_contrat",
        "contrat_format_contrat_id", "contrat_format_contrat_code", "contrat_code_rome",
        "contrat_duree_hebdo_travail", "contrat_remuneration_brute_mensuelle", "contrat_nb_heures_accomp",
        "contrat_niveau_de_formation_id", "contrat_niveau_de_formation_code", "contrat_orienteur_id",
        "contrat_orienteur_code", "contrat_salarie_rsa", "contrat_salarie_rsa_duree_id",
        "contrat_salarie_rsa_duree_code", "contrat_salarie_rqth", "contrat_salarie_aah",
        "contrat_salarie_aah_duree_id", "contrat_salarie_aah_duree_code", "contrat_salarie_ass",
        "contrat_salarie_ass_duree_id", "contrat_salarie_ass_duree_code", "contrat_salarie_oeth",
        "contrat_salarie_aide_sociale", "contrat_salarie_is_zrr", "contrat_salarie_refugie",
        "contrat_salarie_parent_isole", "contrat_salarie_sortant_ase", "contrat_salarie_sortant_detention",
        "contrat_salarie_hebergement", "contrat_salarie_langue_francaise", "contrat_salarie_mobilite",
        "contrat_salarie_are", "contrat_prime_activites", "contrat_sans_ressource", "contrat_inscrit_pole_emploi",
        "contrat_salarie_pe_duree_id", "contrat_salarie_pe_duree_code", "contrat_siret_ti", "contrat_denomination_ti",
        "contrat_code_naf_ti", "contrat_siret_ien", "contrat_denomination_ien", "contrat_code_naf_ien",
        "contrat_adr_numero_voie", "contrat_codeextensionvoie", "contrat_codetypevoie", "contrat_adr_libelle_voie",
        "contrat_adr_cplt_distribution", "contrat_codepostalcedex", "contrat_codeinseecom", "contrat_commune",
        "contrat_observations",
    ),
    # One row per (salarie_id, agrément) (spec §6.5); the full real list is unknown, these are the names seen.
    "Salarie": (
        "salarie_id", "salarie_agrement", "salarie_date_debut_agrement", "salarie_date_fin_agrement", "salarie_nir",
        "salarie_rci_id", "salarie_rci_libelle", "salarie_nom_usage", "salarie_nom_naissance", "salarie_prenom",
        "salarie_date_naissance", "salarie_commune_naissance", "salarie_code_pays_naissance",
        "salarie_nationalite_code", "salarie_titre_sejour_numero", "salarie_adr_point_remise",
        "salarie_adr_cplt_point_geo", "salarie_adr_numero_voie", "salarie_codeextensionvoie",
        "salarie_codetypevoie", "salarie_adr_libelle_voie", "salarie_adr_cplt_distribution",
        "salarie_codepostalcedex", "salarie_codeinseecom", "salarie_commune", "salarie_code_dpt",
        "salarie_adr_qpv_type", "salarie_adr_qpv_nom", "salarie_adr_is_zrr", "salarie_adr_mail",
        "salarie_telephone", "salarie_date_creation", "salarie_date_modification",
    ),
    # The exact order of PA's FLUX_IAE_MODELS (spec §6.3): `Departement.ecrire_emi` writes the rows by position.
    "EtatMensuelIndiv": (
        "emi_date_creation", "emi_date_modification", "emi_afi_id", "emi_sme_mois", "emi_sme_annee",
        "emi_esm_etat_id", "emi_esm_etat_code", "emi_sme_version", "emi_date_validation", "emi_pph_id",
        "emi_ctr_id", "emi_nb_heures_travail", "emi_nb_mission", "emi_nb_heures_facturees", "emi_mt_salaire_brut",
        "emi_salarie_tjs_accomp", "emi_part_etp", "emi_date_fin_reelle", "emi_motif_sortie_id",
        "emi_motif_sortie_code", "emi_dsm_id", "emi_coefficient_degressive", "emi_dsm_ca_reel", "emi_dsm_ca_lisse",
        "emi_dsm_rdv_phy", "emi_dsm_rdv_dis", "emi_dsm_rdv_com", "emi_dsm_rdv_soc", "emi_dsm_acre",
        "emi_dsm_nb_rdv_mens_ti", "emi_dsm_nb_mois",
    ),
    "RefMotifSort": ("rms_id", "rms_code", "rms_libelle", "rcs_id", "rms_date_debut_effet", "rms_date_fin_effet"),
    "RefCategorieSort": ("rcs_id", "rcs_code", "rcs_libelle", "rcs_date_debut_effet", "rcs_date_fin_effet"),
    "RefMontantIae": ("rmi_id", "rme_id", "rmi_code", "rmi_libelle", "rmi_valeur", "rmi_date_debut_effet",
                      "rmi_date_fin_effet", "code_dpt"),
    "RefDepartement": ("rdt_id", "rdt_code_dpt", "rdt_libelle_dpt", "rdt_code_region", "rdt_date_debut_effet"),
    "Missions": ("mission_id_mis", "mission_id_ctr", "mission_descriptif", "mission_code_rome",
                 "mission_date_creation", "mission_date_modification", "mission_date_debut", "mission_date_fin"),
}
# fmt: on
# The unknown column `bruit` adds, in the middle of a header: a reader must find the columns by name.
COLONNE_INCONNUE = ("ContratMission", "contrat_id_structure", "contrat_indic_nouveau_champ_2026")

# Mesure code → (rme_id, kind), spec §6.8.
MESURES = {
    "AI_DC": (1, "AI"),
    "ACI_DC": (2, "ACI"),
    "EI_DC": (3, "EI"),
    "ETTI_DC": (4, "ETTI"),
    "FDI_DC": (5, "FDI"),
    "EI_MP": (6, "EI"),
    "ACI_MP": (7, "ACI"),
    "EITI_DC": (8, "EITI"),
}
ETATS_AF = {"SAISI": 2, "VALIDE": 3, "PROVISOIRE": 4, "HISTORISE": 8, "CLOTURE": 9}
ETATS_EMI = {"BROUILLON": 1, "SAISI": 2, "VALIDE": 3, "DEBLOQUE": 4}
# Hours of one ETP (RefMontantIae DUR_AN_ETP): rmi_id, rme_id, value, start, end (None = open, written `/`).
# EI has two open rows (1505 as in the AF fixture, 1607 since 2022): joining by mesure finds both (case 25).
DUREES_ETP = (
    (11, 2, 1820, dt.date(2014, 7, 1), None),
    (12, 1, 1607, dt.date(2014, 7, 1), None),
    (13, 4, 1607, dt.date(2014, 7, 1), None),
    (15, 3, 1505, dt.date(2014, 7, 1), None),
    (14, 3, 1607, dt.date(2022, 1, 1), None),
    (16, 7, 1820, dt.date(2016, 1, 1), None),
    (17, 8, 1505, dt.date(2019, 12, 1), None),
    (18, 6, 1607, dt.date(2016, 1, 1), None),
)
RMI_DUREE = {2: 11, 1: 12, 4: 13, 3: 14, 7: 16, 8: 17, 6: 18}  # rme_id → its usual DUR_AN_ETP row
RMI_DUREE_EI_1505 = 15
HEURES_ETP = {ligne[0]: ligne[2] for ligne in DUREES_ETP}
# Aide au poste socle per ETP (aides_au_poste/data/bareme_aide_au_poste.csv, amounts in force on 1 January of the
# year; no decree is known for 2026: the 2025 amounts go on).
MONTANTS_PAR_ETP = {
    2024: {"ACI": 23458, "AI": 1588, "ETTI": 4688, "EI": 12218, "EITI": 6443},
    2025: {"ACI": 23921, "AI": 1619, "ETTI": 4781, "EI": 13304, "EITI": 6570},
}
RME_PAR_TYPE = {"ACI": 2, "AI": 1, "EI": 3, "ETTI": 4, "EITI": 8}
RSA_MENSUEL_88 = ((dt.date(2024, 4, 1), "559.74"), (dt.date(2025, 4, 1), "568.94"))
# RefCategorieSort: (rcs_id, rcs_code, label), the labels exactly as PA filters them.
CATEGORIES_SORTIE = (
    (1, 1, "Emploi durable"),
    (2, 2, "Emploi de transition"),
    (3, 3, "Sorties positives"),
    (4, 4, "Autres sorties"),
    (5, 5, "Retrait des sorties constatées"),
)
# RefMotifSort: (rms_id, rms_code, label, rcs_id, weight among the exits). Codes 2 and 96 exist (PA leaves them
# out of its DSN export).
MOTIFS_SORTIE = (
    (1, 10, "Embauche en CDI non aidé", 1, 7),
    (2, 11, "Embauche en CDI dans la structure ou une filiale", 1, 2),
    (3, 12, "Embauche en CDD sans aide publique à l'emploi d'une durée de 6 mois et plus", 1, 6),
    (4, 13, "Mission d'intérim de 6 mois et plus", 1, 2),
    (5, 14, "Intégration dans la fonction publique", 1, 1),
    (6, 15, "Création ou reprise d'entreprise à titre non salarié", 1, 1),
    (7, 20, "Embauche en CDD sans aide publique à l'emploi d'une durée de moins de 6 mois", 2, 8),
    (8, 21, "Mission d'intérim de moins de 6 mois", 2, 4),
    (9, 22, "Embauche en contrat aidé chez un autre employeur", 2, 3),
    (10, 30, "Entrée en formation qualifiante ou poursuite de formation qualifiante", 3, 5),
    (11, 31, "Embauche pour une durée déterminée dans une autre structure IAE", 3, 4),
    (12, 32, "Prise des droits à la retraite", 3, 1),
    (13, 40, "Au chômage", 4, 22),
    (14, 41, "Inactif", 4, 6),
    (15, 42, "Sans nouvelles", 4, 9),
    (16, 43, "Autre motif de sortie", 4, 6),
    (17, 2, "Rupture pendant la période d'essai", 4, 4),
    (18, 50, "Décès", 5, 1),
    (19, 51, "Congé de longue maladie ou de maternité", 5, 2),
    (20, 52, "Licenciement pour faute grave ou lourde du salarié", 5, 2),
    (21, 53, "Décision administrative ou de justice", 5, 1),
    (22, 96, "Sortie enregistrée par erreur", 5, 1),
)
MOTIF_OBSOLETE = (23, 44, "Déménagement (motif supprimé)", 4, dt.date(2014, 7, 1), dt.date(2020, 12, 31))
NIVEAUX_FORMATION = tuple(enumerate(("0", "1", "10", "20", "30", "40", "41", "50", "51", "60", "70"), start=1))
DUREES_CHOMAGE = ((1, "01"), (2, "02"), (3, "03"), (4, "04"))  # < 6 months, 6-11, 12-23 (DELD), 24+ (DETLD)
ORIENTEURS = ((1, "PE"), (2, "CD"), (3, "ML"), (4, "CAP_EMPLOI"), (5, "PLIE"), (6, "PRESCRIPTEUR_HABILITE"))
# The temporary technical NIR shared by many rows of the real Salarie view (spec §6.5, case 27).
NIR_PARTAGE = "799999999999942"


@dataclass(frozen=True)
class Profil:
    """How a kind of SIAE employs: ETP conventionnés range, concurrent salariés per ETP,
    usual monthly hours of one salarié, share of months without any hour (AI/ETTI: no mission), contract lengths in
    months (drawn uniformly), chance that a contract reaching its end is renewed, monthly chance of leaving before
    it, contract form (id, code), NAF, legal category, IDCC, ROME codes."""

    etp: tuple[int, int]
    salaries_par_etp: float
    heures: tuple[int, int]
    mois_sans_heures: float
    durees: tuple[int, ...]
    renouvellement: float
    sortie_anticipee: float
    forme: tuple[int, str]
    naf: str
    categorie_juridique: tuple[int, str]
    idcc: tuple[int, str]
    rome: tuple[str, ...]


# Tuned so that 102 départements × 50 structures over 22 months give the national order of magnitude of the
# 2021 volumes (spec §4): about 1 M contracts and 7 M EMI rows.
# fmt: off
PROFILS = {
    "ACI": Profil((10, 60), 1.3, (80, 140), 0.0, (4, 6, 12, 12), 0.75, 0.03, (1, "CDDI"), "8899B", (2, "9220"),
                  (12, "3016"), ("A1203", "K2304", "N1103", "F1702")),
    "AI": Profil((10, 70), 2.7, (20, 100), 0.15, (6, 6, 12, 12), 0.85, 0.03, (2, "CDDU"), "7830Z", (2, "9220"),
                 (13, "3016"), ("K1302", "K2204", "A1203")),
    "EI": Profil((5, 45), 1.05, (110, 152), 0.0, (6, 12, 12), 0.75, 0.03, (1, "CDDI"), "3832Z", (5, "5710"),
                 (14, "1486"), ("H3302", "N1103", "G1602")),
    "ETTI": Profil((10, 60), 1.6, (40, 140), 0.1, (3, 6, 6, 12), 0.8, 0.04, (3, "CTTI"), "7820Z", (4, "5499"),
                   (15, "1413"), ("F1704", "N1105", "H2903")),
    "EITI": Profil((3, 15), 1.5, (50, 120), 0.0, (12,), 0.6, 0.02, (4, "CTI"), "8299Z", (2, "9220"),
                   (16, "3016"), ("D1106", "K2110")),
}
TIRAGE_MESURES = (("ACI_DC", 50), ("AI_DC", 20), ("EI_DC", 18), ("ETTI_DC", 8), ("EITI_DC", 3), ("ACI_MP", 1))
# The first ranks of each département carry the cases a small generation must contain.
MESURES_PAR_RANG = {
    1: ("ACI_DC",),
    2: ("AI_DC", "EI_DC"),  # one ASP structure, two kinds: same structure_id_siae, same SIRET
    3: ("ETTI_DC",),
    4: ("EITI_DC",),
    5: ("ACI_MP",),
    6: ("EI_DC",),  # EI at 1505 hours per ETP, as in the AF fixture
}
NOMS = (
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU", "LAURENT", "SIMON",
    "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL", "FOURNIER", "GIRARD", "BONNET", "DUPONT",
    "LAMBERT", "ROUSSEAU", "VINCENT", "MULLER", "FAURE", "ANDRE", "MERCIER", "BLANC", "GUERIN", "BOYER", "GARNIER",
    "CHEVALIER", "LEGRAND", "GAUTHIER", "GARCIA", "PERRIN", "ROBIN", "CLEMENT", "MORIN", "NICOLAS", "HENRY",
    "MATHIEU", "MASSON", "DIALLO", "TRAORE", "NGUYEN", "BENALI", "HADDAD", "DA SILVA", "PEREIRA", "KONATE", "CAMARA",
)
PRENOMS_F = (
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sandrine", "Aurélie", "Julie", "Sarah", "Amina", "Fatou",
    "Léa", "Chloé", "Inès", "Yasmine", "Océane", "Laetitia", "Karima", "Mélanie", "Émilie",
)
PRENOMS_H = (
    "Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "Christophe", "Mohamed", "Karim", "Mamadou",
    "Julien", "Kévin", "Thomas", "Lucas", "Yanis", "Sébastien", "Frédéric", "Rachid", "Moussa", "Jérôme",
)
# Street names from titles and surnames used nowhere else (no person, commune nor structure carries them): a test
# searching the database for one finds it only if a street column was kept.
TITRES_VOIE = ("DU DOCTEUR", "DU CAPITAINE", "DU GENERAL", "DE L'ABBE", "DU PROFESSEUR", "DU COMMANDANT",
               "DU PRESIDENT", "DU MARECHAL", "DE L'AVIATEUR", "DU CHANOINE")
PATRONYMES_VOIE = (
    "AUBRIOT", "BARBEROUSSE", "CASTAGNEDE", "DELAMBRECHT", "ESCOFFIER", "FLAMARENS", "GRANDCOLAS", "HEURTEBISE",
    "ISAMBERT", "JOUVENOT", "KERMABON", "LANGEVINIER", "MALESHERBE", "NEUFCHATEL", "OURSEL", "PARMENTELOT",
    "QUESNOY", "RAMBERVAL", "SAINTONGE", "TRUCHEMONT", "URVILLIERS", "VAUQUELIN", "WATTELIER", "YSORET",
)
TYPES_VOIE = ("RUE", "RUE", "RUE", "AV", "BD", "CHE", "IMP", "ALL", "PL", "RTE")
COMMUNES_DEBUT = (
    "SAINT-AUBIN", "VILLENEUVE", "MONTIGNY", "BEAUMONT", "FONTENAY", "VAUX", "BELLEVILLE", "NEUVILLE", "ROCHEFORT",
    "CHATEAUNEUF", "SAINT-GERMAIN", "MARTIGNY", "LONGCHAMP", "BOISSY", "CHAMPIGNY", "SAINTE-MARIE",
)
COMMUNES_FIN = ("", "", "", "-SUR-MEUSE", "-LE-GRAND", "-EN-BOIS", "-LES-BAINS", "-SUR-LOIRE", "-LA-FORET")
THEMES = (
    "JARDINS SOLIDAIRES", "RESSOURCERIE", "RECYCLERIE", "BATIMENT ET PATRIMOINE", "ESPACES VERTS", "CUISINE",
    "BLANCHISSERIE", "ATELIER VELO", "MARAICHAGE", "SERVICES A LA PERSONNE", "LOGISTIQUE", "NETTOYAGE",
    "BOIS ET FORET", "NUMERIQUE", "TRANSPORT SOLIDAIRE", "ENVIRONNEMENT",
)
FORMES = {"ACI": "ASSOCIATION", "AI": "ASSOCIATION INTERMEDIAIRE", "EI": "SAS", "ETTI": "ETTI", "EITI": "EITI"}
BANQUES = (("30003", "SOGEFRPP", "SOCIETE GENERALE"), ("10278", "CMCIFR2A", "CREDIT MUTUEL"),
           ("42559", "CCOPFRPP", "CREDIT COOPERATIF"), ("20041", "PSSTFRPP", "LA BANQUE POSTALE"))
OBSERVATIONS = (
    "Suivi renforcé : démarches logement en cours", "Orientation par le PLIE, accompagnement santé",
    "Permis B en préparation, aide à la mobilité", "Reprise après arrêt maladie",
    "Projet professionnel : cariste, PMSMP prévue",
)
MISSIONS = ("Entretien des espaces verts", "Ménage chez un particulier", "Aide au déménagement",
            "Manutention en entrepôt", "Plonge en restauration collective", "AIEHPAD service en salle")
DUREES_HEBDO = ("20:00", "24:00", "26:00", "26:00", "30:00", "35:00", "35:00")
DUREES_HEBDO_SALES = ("26", "26h", "2600", "99:99", "0:00", "35H00", "24,5")  # case 14
REPERES_VOIE = ("BAT B", "ESC 2", "APPT 12", "RESIDENCE LES ACACIAS", "CHEZ M. ET MME", "LOT 4")
QUARTIERS = ("QUARTIER DES HAUTS DE FRANCE", "CITE DES TILLEULS", "QUARTIER DU CHATEAU D'EAU", "LES ORMEAUX")
# fmt: on
JOURS_PAR_MOIS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
UN_JOUR = dt.timedelta(days=1)


def luhn_valide(chiffres: str) -> bool:
    total = 0
    for rang, chiffre in enumerate(reversed(chiffres)):
        valeur = int(chiffre) * (2 if rang % 2 else 1)
        total += valeur - 9 if valeur > 9 else valeur
    return total % 10 == 0


def siret_fictif(numero: int, etablissement: int = 1) -> str:
    """SIREN `000` + 6 digits (no real establishment has a SIREN starting with 000; the demo's `00055…` range is
    apart as `numero` < 110 000), a NIC of 4 digits and the key making the 14 digits Luhn-valid."""
    debut = f"000{numero:06d}{etablissement:04d}"
    return next(debut + str(cle) for cle in range(10) if luhn_valide(debut + str(cle)))


def bloc_departement(code: str) -> int:
    """The département's block of ids, readable in them: 55 for Meuse, 20 for 2A (no département 20), 96 for 2B,
    97 to 102 for 971 to 976."""
    if code == "2A":
        return 20
    if code == "2B":
        return 96
    return int(code) if len(code) == 2 else 97 + int(code) - 971


def code_af(departement: str, rang: int) -> str:
    """The département as AF numbers carry it: 3 chars, `055`, `02A`, `971`; Nord also `59V` (spec §6.2)."""
    if departement == "59" and rang % 2:
        return "59V"
    return departement if len(departement) == 3 else "0" + departement


def jours_du_mois(annee: int, mois: int) -> int:
    return 29 if mois == 2 and calendar.isleap(annee) else JOURS_PAR_MOIS[mois - 1]


def fin_de_contrat(debut: dt.date, mois: int) -> dt.date:
    """The day before the same day `mois` months later (clamped to the month's end)."""
    total = debut.year * 12 + debut.month - 1 + mois
    annee, numero = total // 12, total % 12 + 1
    return dt.date(annee, numero, min(debut.day, jours_du_mois(annee, numero))) - UN_JOUR


def decimal2(valeur) -> str:
    return str(Decimal(valeur).quantize(Decimal("0.01"), ROUND_HALF_UP))


def en_ascii(texte: str) -> str:
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode().lower().replace(" ", "-")


@dataclass
class Resume:
    """What `generer_flux` wrote, and the fake personal values (in columns the importer must never keep) to search
    the database for after an import: a sample of at most `sensibles_max` values per set."""

    dossier: Path
    departements: list[str]
    fichiers: dict[str, Path] = field(default_factory=dict)  # view → file (a member's name when `archive`)
    archive: Path | None = None
    lignes: dict[str, int] = field(default_factory=dict)  # view → data records, duplicates included (= FIN n)
    structures: int = 0
    siae: int = 0  # (structure id, mesure) pairs, FDI excluded
    annexes: int = 0  # distinct af_id_annexe_financiere, FDI included
    contrats: int = 0
    salaries: int = 0  # distinct salarie_id
    # Hours worked per département, highest emi_sme_version of each AF × month only (what a right import sums).
    heures: dict[str, Decimal] = field(default_factory=dict)
    nirs: set[str] = field(default_factory=set)
    courriels: set[str] = field(default_factory=set)
    telephones: set[str] = field(default_factory=set)
    rues: set[str] = field(default_factory=set)
    comptes_bancaires: set[str] = field(default_factory=set)
    nir_partage: str = NIR_PARTAGE
    departement_etranger: str | None = None  # the département whose rows `bruit` slipped in (not counted above)
    bruits: dict[str, str] = field(default_factory=dict)  # noise → the file carrying it
    secondes: float = 0.0

    def valeurs_sensibles(self) -> set[str]:
        return self.nirs | self.courriels | self.telephones | self.rues | self.comptes_bancaires


SENSIBLES = ("nirs", "courriels", "telephones", "rues", "comptes_bancaires")
COMPTEURS = ("structures", "siae", "annexes", "contrats", "salaries")


# One département, in a worker -------------------------------------------------------------------------------------


class Morceau:
    """A view's rows of one département: raw deflate ending on a sync flush (so that chunks put one after the
    other make one deflate stream), the CRC-32 and length of the text, and the number of records."""

    TAMPON = 20_000

    def __init__(self, compresser: bool, colonnes: tuple[str, ...]):
        self.colonnes = colonnes
        self.compresseur = zlib.compressobj(1, zlib.DEFLATED, -15) if compresser else None
        self.parties: list[bytes] = []
        self.tampon: list[str] = []
        self.crc = 0
        self.longueur = 0
        self.lignes = 0

    def ligne(self, texte: str) -> None:
        self.tampon.append(texte)
        if len(self.tampon) >= self.TAMPON:
            self.vider()

    def plusieurs(self, textes: list[str]) -> None:
        self.tampon.extend(textes)
        if len(self.tampon) >= self.TAMPON:
            self.vider()

    def dict(self, valeurs: dict) -> None:
        self.ligne("|".join([valeurs.get(colonne, "") for colonne in self.colonnes]))

    def vider(self) -> None:
        if not self.tampon:
            return
        donnees = ("\n".join(self.tampon) + "\n").encode()
        self.lignes += len(self.tampon)
        self.tampon = []
        self.crc = zlib.crc32(donnees, self.crc)
        self.longueur += len(donnees)
        self.parties.append(self.compresseur.compress(donnees) if self.compresseur else donnees)

    def terminer(self) -> tuple[bytes, int, int, int]:
        self.vider()
        if self.compresseur:
            self.parties.append(self.compresseur.flush(zlib.Z_SYNC_FLUSH))
        return b"".join(self.parties), self.crc, self.longueur, self.lignes


@dataclass(frozen=True)
class Parametres:
    annees: tuple[int, ...]
    mois_fin: dt.date
    graine: int
    date_extraction: dt.date
    compression: str | None
    bruit: bool
    sensibles_max: int


@dataclass
class Partie:
    """What a worker sends back for one département."""

    code: str
    morceaux: dict[str, tuple[bytes, int, int, int]]
    compteurs: dict[str, int]
    heures: Decimal
    sensibles: dict[str, list[str]]
    bruits: list[str]


@dataclass(slots=True)
class Contrat:
    id: int
    debut: dt.date
    fin: dt.date  # planned end
    rang: int  # contrat_type_contrat: 0 initial, > 0 renewal
    duree: int  # months


class Alea(random.Random):
    """The random stream of one entity (a structure, a SIAE, an AF of a year, a SIAE's month), seeded from the
    graine, the département and the entity's key: an entity drawing more (a month more, an extract a week later)
    never shifts another's draws."""

    def choix(self, valeurs):
        return valeurs[int(self.random() * len(valeurs))]

    def entre(self, bas: int, haut: int) -> int:
        return bas + int(self.random() * (haut - bas + 1))


@dataclass(slots=True)
class Personne:
    pph: int
    debut_parcours: dt.date
    heures: float
    contrat: Contrat
    nir: str
    tete: str  # the contract columns before the contract's own ones, joined
    queue: str  # those after them, up to the observations


@dataclass(slots=True)
class Annexe:
    afi: int
    debut: dt.date
    etp: Decimal
    heures_etp: int
    numero: str  # prefix + A<n>, as an FDI AF points at it


@dataclass
class Siae:
    structure: int
    mesure: str
    type: str
    rang: int
    indice: int  # the mesure's position in its structure: 1 for the second kind of a structure
    debut: dt.date
    code_af: str
    annexes: dict[int, Annexe] = field(default_factory=dict)
    actifs: list[Personne] = field(default_factory=list)  # under contract at the end of the last month simulated
    demarre: bool = False


# The day of the last year on which structure 1 of each département gets an AF modification validated and a month
# corrected: between the default extraction (Monday 2 November 2026) and the next week's, so that this pair of
# extracts always carries both.
JOUR_SEMAINE_SUIVANTE = (11, 5)
# emi_dsm_id of a version 2 row: its version 1 row's plus this, so that a correction appearing in a later extract
# takes no id of a later month.
DECALAGE_VERSION_2 = 50_000_000
# Per id: the size of its block in a département and what runs out when it is full.
BLOCS_D_IDS = {
    "af": (25_000, "annexes financières"),  # × 4 avenant ids each
    "pph": (1_000_000, "salariés"),
    "ctr": (999_999, "contrats"),  # the block's last id is the contract of `contrat_a_l_envers`
    "dsm": (DECALAGE_VERSION_2, "lignes d'états mensuels"),
    "pass": (100_000, "PASS IAE"),
}


class Departement:
    """Generates one département: its structures, their AFs, then month by month their staff (hires, renewals,
    exits), written as Structure, AnnexeFinanciere, Salarie, ContratMission, EtatMensuelIndiv and Missions rows.

    Stable from one week's extract to the next: every entity draws from its own stream (`flot`), the months are
    simulated one after the other for all the SIAE (ids are given in time order, and so are the NIRs passed on
    from those who left), and whatever depends on the extraction date (an AF's state, a correction already made)
    is the state on that date of events drawn whatever the date.
    So a later `mois_fin` and `date_extraction` give the same rows but for what happened in between: the new
    month's rows (its hires, renewals and exits), the previous last month validated, the AF modifications entered
    or validated and the months corrected in the week."""

    def __init__(self, parametres: Parametres, code: str, etranger: bool, avec_bruits: bool):
        self.p = parametres
        self.code = code
        self.etranger = etranger
        self.racine = f"fluxiae-{parametres.graine}-{code}"
        self.bloc = bloc_departement(code)
        self.communes = self.communes_fictives(code)
        compresser = parametres.compression == "gz"
        self.morceaux = {vue: Morceau(compresser, colonnes_de(vue, parametres.bruit)) for vue in VUES}
        # Id blocks per département: the same département gives the same ids whatever else is generated. No id
        # has 9 digits, the phones' length (searching a database for a phone cannot hit an id), and all but
        # emi_dsm_id fit in 32 bits. Mission ids are their contract's plus 10⁹ (2 000 000 000 + the same block).
        self.base_af = 10_000_000 + self.bloc * 100_000
        self.base_avenant = 20_000_000 + self.bloc * 100_000
        self.prochain = {
            "af": self.base_af,
            "pph": 1_200_000_000 + self.bloc * 1_000_000,
            "ctr": 1_000_000_000 + self.bloc * 1_000_000,
            "dsm": 10_000_000_000 + self.bloc * 100_000_000,
            "pass": 0,
        }
        self.plafonds = {cle: self.prochain[cle] + BLOCS_D_IDS[cle][0] - 1 for cle in self.prochain}
        self.ctr_envers = self.plafonds["ctr"] + 1
        # The contract columns before and after those a contract changes: joined once per person.
        colonnes = self.morceaux["ContratMission"].colonnes
        self.colonnes_contrat = (
            colonnes[1 : colonnes.index("contrat_date_creation")],
            colonnes[colonnes.index("contrat_duree_contrat") + 1 : -1],
        )
        self.position_distribution = self.colonnes_contrat[1].index("contrat_adr_cplt_distribution")
        self.pph_retour_ligne = None  # the person whose next contract row carries `retour_ligne`
        self.compteurs = dict.fromkeys(COMPTEURS, 0)
        self.sensibles: dict[str, list[str]] = {nom: [] for nom in SENSIBLES}
        self._deja_vus: set[tuple[str, str]] = set()
        self.heures = 0  # half-hours
        self.nirs_sortis: list[str] = []
        self._dates: dict[dt.date, str] = {}
        # The row-level noises, once, on the first rows able to carry them (the first département asked only).
        bruits = ("guillemet", "doublon_structure", "doublon_af", "retour_ligne", "contrat_a_l_envers")
        self.a_placer = set(bruits + ("guillemet_mission",)) if avec_bruits else set()
        self.places: list[str] = []
        self.motifs = [motif[:4] for motif in MOTIFS_SORTIE]
        self.poids_motifs = list(itertools.accumulate(motif[4] for motif in MOTIFS_SORTIE))
        dernier = min(parametres.mois_fin.replace(day=1), dt.date(parametres.annees[-1], 12, 1))
        self.mois = []  # (first day, last day, year, month, days, last month declared?)
        annee, mois = parametres.annees[0], 1
        while dt.date(annee, mois, 1) <= dernier:
            jours = jours_du_mois(annee, mois)
            premier = dt.date(annee, mois, 1)
            self.mois.append((premier, dt.date(annee, mois, jours), annee, mois, jours, premier == dernier))
            annee, mois = (annee + 1, 1) if mois == 12 else (annee, mois + 1)

    # Small helpers ---------------------------------------------------------------------------------------------

    def flot(self, *cle) -> Alea:
        """The stream of the entity `cle` (string seeds are hashed with SHA-512: the same in every process)."""
        return Alea(f"{self.racine}-{'-'.join(map(str, cle))}")

    def date(self, jour: dt.date | None) -> str:
        if jour is None:
            return ""
        texte = self._dates.get(jour)
        if texte is None:
            texte = self._dates[jour] = f"{jour.day:02d}/{jour.month:02d}/{jour.year}"
        return texte

    def horodatage(self, alea: Alea, jour: dt.date) -> str:
        return f"{self.date(jour)} {alea.entre(7, 19):02d}:{alea.entre(0, 59):02d}:{alea.entre(0, 59):02d}"

    def suivant(self, cle: str) -> int:
        valeur = self.prochain[cle] + 1
        if valeur > self.plafonds[cle]:
            raise ValueError(f"trop de {BLOCS_D_IDS[cle][1]} pour un département ({BLOCS_D_IDS[cle][0]} au plus)")
        self.prochain[cle] = valeur
        return valeur

    def avenant(self, afi: int, modification: int) -> str:
        """af_id_avenant_modification: 4 ids per AF (M0 to M3), so that a modification appearing in a later
        extract takes no other AF's id."""
        return str(self.base_avenant + (afi - self.base_af) * 4 + modification)

    def sensible(self, nom: str, valeur: str) -> None:
        liste = self.sensibles[nom]
        if not self.etranger and len(liste) < self.p.sensibles_max and (nom, valeur) not in self._deja_vus:
            self._deja_vus.add((nom, valeur))
            liste.append(valeur)

    def bruit(self, nom: str) -> bool:
        """True once for each noise still to place."""
        if nom in self.a_placer:
            self.a_placer.discard(nom)
            self.places.append(nom)
            return True
        return False

    @staticmethod
    def rue(alea: Alea) -> str:
        return f"{alea.choix(TITRES_VOIE)} {alea.choix(PATRONYMES_VOIE)}"

    @staticmethod
    def telephone(alea: Alea, premiers: str) -> str:
        """Nine digits: the leading 0 is lost in the flux (`298749898`)."""
        return alea.choix(premiers) + f"{int(alea.random() * 10**8):08d}"

    @staticmethod
    def communes_fictives(code: str) -> list[tuple[str, str, str]]:
        """A dozen fake communes of the département: (postcode, INSEE code, name)."""
        alea = random.Random(f"communes-{code}")
        communes = []
        for rang in range(12):
            nom = alea.choice(COMMUNES_DEBUT) + alea.choice(COMMUNES_FIN)
            if len(code) == 3:
                cp, insee = f"{code}{rang * 4 + 10:02d}", f"{code}{rang * 3 + 1:02d}"
            elif code in ("2A", "2B"):
                cp, insee = str((20000 if code == "2A" else 20200) + rang * 10), f"{code}{rang * 17 + 4:03d}"
            else:
                cp, insee = f"{code}{rang * 50:03d}", f"{code}{rang * 23 + 7:03d}"
            communes.append((cp, insee, nom))
        return communes

    # The département -------------------------------------------------------------------------------------------

    def generer(self, structures: int) -> Partie:
        if structures > 999:
            raise ValueError("au plus 999 structures par département")
        siaes = [siae for rang in range(1, structures + 1) for siae in self.structure(rang)]
        # Each month for all the SIAE before the next: the ids drawn in a month (salariés, contracts, EMI rows) come
        # after those of the months before, whatever follows.
        for mois in self.mois:
            for siae in siaes:
                self.simuler_mois(siae, mois)
        for siae in siaes:
            for personne in siae.actifs:
                self.ecrire_contrat(siae, personne, personne.contrat)
        return Partie(
            self.code,
            {vue: morceau.terminer() for vue, morceau in self.morceaux.items()},
            self.compteurs,
            Decimal(self.heures) / 2,
            self.sensibles,
            self.places,
        )

    def compter(self, nom: str, nombre: int = 1) -> None:
        if not self.etranger:
            self.compteurs[nom] += nombre

    def structure(self, rang: int) -> list[Siae]:
        alea = self.flot("s", rang)
        hasard, choix, entre = alea.random, alea.choix, alea.entre
        numero = self.bloc * 1000 + rang
        mesures = MESURES_PAR_RANG.get(rang)
        if mesures is None:
            tirage = alea.choices([m for m, _ in TIRAGE_MESURES], [p for _, p in TIRAGE_MESURES])[0]
            mesures = (tirage,)
            if hasard() < 0.03:
                mesures = ("AI_DC", "EI_DC") if tirage in ("AI_DC", "EI_DC") else ("ACI_DC", "ETTI_DC")
        type_ = MESURES[mesures[0]][1]
        profil = PROFILS[type_]
        # A few structures start during the first year: their first AF runs from July to December.
        debut = dt.date(self.p.annees[0], 7, 1) if rang > 6 and hasard() < 0.04 else dt.date(2015, 1, 1)
        commune = choix(self.communes)
        siret = siret_fictif(numero)
        theme = choix(THEMES)
        denomination = f"{FORMES[type_]} {theme} {commune[2]}"
        if self.bruit("guillemet"):
            # A lone `"` in a column the importer reads: a CSV parser with quoting on swallows the next rows.
            denomination = f'{FORMES[type_]} "{theme} {commune[2]}'
        prenom, nom = choix(PRENOMS_F + PRENOMS_H), choix(NOMS)
        valeurs = {
            "structure_date_creation": self.horodatage(alea, dt.date(2008, 1, 1) + dt.timedelta(entre(0, 4000))),
            "structure_date_modification": self.horodatage(alea, dt.date(2025, 1, 1) + dt.timedelta(entre(0, 600))),
            "structure_id_siae": str(numero),
            "structure_siret_signature": siret_fictif(numero, 2) if hasard() < 0.1 else siret,
            "structure_siret_actualise": siret,
            "structure_denomination": denomination,
            "structure_categorie_juridique_id": str(profil.categorie_juridique[0]),
            "structure_categorie_juridique_code": profil.categorie_juridique[1],
            "structure_code_naf": profil.naf,
            "structure_idcc_id": str(profil.idcc[0]),
            "structure_idcc_code": profil.idcc[1],
            "structure_identifiant_corresp_technique": str(500_000 + numero),
            "structure_adresse_mail_corresp_technique": f"contact.{numero}@siae-{self.code.lower()}.example",
            "structure_adresse_nom_corresp_technique": nom,
            "structure_adresse_prenom_corresp_technique": prenom,
        }
        for cote in ("admin", "gestion"):
            prefixe = f"structure_adresse_{cote}_"
            if cote == "gestion" and hasard() < 0.7:
                for colonne in _ADRESSE:
                    valeurs[prefixe + colonne] = valeurs[f"structure_adresse_admin_{colonne}"]
                continue
            lieu = commune if cote == "admin" else choix(self.communes)
            rue, telephone = self.rue(alea), self.telephone(alea, "12345")
            self.sensible("rues", rue)
            self.sensible("telephones", telephone)
            valeurs[prefixe + "numero_apt"] = choix(REPERES_VOIE) if hasard() < 0.1 else ""
            valeurs[prefixe + "entree"] = "ENTREE B" if hasard() < 0.05 else ""
            valeurs[prefixe + "numero"] = str(entre(1, 180))
            valeurs[prefixe + "cplt_num_voie"] = "B" if hasard() < 0.08 else ""
            valeurs[prefixe + "type_voie"] = choix(TYPES_VOIE)
            valeurs[prefixe + "nom_voie"] = rue
            valeurs[prefixe + "cplt_adresse"] = "ZA DES CHAMPS" if hasard() < 0.15 else ""
            valeurs[prefixe + "cp"], valeurs[prefixe + "code_insee"], valeurs[prefixe + "commune"] = lieu
            valeurs[prefixe + "telephone"] = telephone
        self.morceaux["Structure"].dict(valeurs)
        if self.bruit("doublon_structure"):
            self.morceaux["Structure"].dict(valeurs)  # an exact duplicate row (case 15)
        self.compter("structures")
        siaes = []
        for indice, mesure in enumerate(mesures):
            siae = Siae(numero, mesure, MESURES[mesure][1], rang, indice, debut, code_af(self.code, rang))
            ei_1505 = mesure == "EI_DC" and (rang == 6 or (rang > 6 and hasard() < 0.3))
            self.annexes(siae, RMI_DUREE_EI_1505 if ei_1505 else RMI_DUREE[MESURES[mesure][0]])
            siaes.append(siae)
            self.compter("siae")
        if rang == 1 or hasard() < 0.06:
            self.annexes_fdi(siaes[0])
        return siaes

    # Annexes financières ---------------------------------------------------------------------------------------

    def etat_final(self, tirage: float, fin: dt.date) -> str:
        """The state of an AF's valid row on the extraction date: mostly CLOTURE once its year is over."""
        if fin < self.p.date_extraction:
            return "CLOTURE" if tirage < 0.8 else "VALIDE"
        return "PROVISOIRE" if tirage < 0.03 else "VALIDE"

    def annexes(self, siae: Siae, rmi_duree: int) -> None:
        """One AF per year (af_id_annexe_financiere), one row per modification M<n>. Each AF plans its
        modifications whatever the extract: M0 validated before its year, sometimes an M1 entered and validated
        during it, sometimes one entered and left pending (case 16). The extract shows those entered before its
        date, in their state on that date: the last validated row VALIDE (mostly CLOTURE once the year is over),
        the earlier ones HISTORISE, a pending one SAISI. So next week's extract differs only by what was entered or
        validated in the week."""
        profil = PROFILS[siae.type]
        rme = MESURES[siae.mesure][0]
        heures_etp = HEURES_ETP[rmi_duree]
        extraction = self.p.date_extraction
        alea = self.flot("a", siae.rang, siae.indice)
        etp_base = Decimal(alea.entre(profil.etp[0] * 4, profil.etp[1] * 4)) / 4
        debut_convention = siae.debut.year if siae.debut.year >= self.p.annees[0] else alea.choix((2023, 2024, 2025))
        banque = alea.choix(BANQUES)
        bban = f"{banque[0]}{int(alea.random() * 10**5):05d}{int(alea.random() * 10**11):011d}"
        bban += f"{97 - int(bban) * 100 % 97:02d}"  # a RIB key that looks right
        self.sensible("comptes_bancaires", bban)
        cofinance = siae.type == "ACI" and alea.random() < 0.7
        for annee in self.p.annees:
            debut, fin = max(dt.date(annee, 1, 1), siae.debut), dt.date(annee, 12, 31)
            if debut > fin:
                continue
            if annee > debut_convention + 2:
                debut_convention = annee  # a new convention: a new prefix (new millésime), A0 again
            prefixe = f"{siae.type}{siae.code_af}{debut_convention % 100:02d}{siae.rang:04d}"
            renouvellement = annee - debut_convention
            convention = f"{siae.code_af} 0101{debut_convention % 100:02d} {siae.type} {siae.rang:05d}"
            afi = self.suivant("af")
            mois = 12 - debut.month + 1
            rmi_mt, unitaire = montant_par_etp(siae.type, annee)
            tirage = self.flot("a", siae.rang, siae.indice, annee)
            hasard, choix, entre = tirage.random, tirage.choix, tirage.entre
            # The planned modifications, (ETP, entered on, validated on or None), all drawn whatever the extract.
            etp = (etp_base * Decimal(0.9 + 0.2 * hasard())).quantize(Decimal("0.01"))
            valide = debut - dt.timedelta(days=entre(5, 40))
            plan = [(etp, valide, valide)]
            etp_m1 = (etp * Decimal(0.85 + 0.35 * hasard())).quantize(Decimal("0.01"))
            valide_m1 = debut + dt.timedelta(days=entre(30, max(30, (fin - debut).days - 30)))
            saisie_m1 = valide_m1 - dt.timedelta(days=entre(3, 20))
            m1, en_attente, attente = hasard() < 0.3, hasard() < 0.08, entre(20, 120)
            etat_final = self.etat_final(hasard(), fin)
            cloture = fin + dt.timedelta(days=entre(30, 90))
            if siae.rang == 1 and annee == self.p.annees[-1]:
                # Entered in October, validated between the default extraction and the next week's.
                valide_m1 = dt.date(annee, *JOUR_SEMAINE_SUIVANTE)
                plan.append((etp + Decimal("1.50"), valide_m1 - dt.timedelta(days=16), valide_m1))
            else:
                if m1:
                    plan.append((etp_m1, saisie_m1, valide_m1))
                if siae.rang == 1 or en_attente:
                    # Never validated: shown while the AF runs (next to the valid row, case 16).
                    plan.append((plan[-1][0] + Decimal("1.50"), plan[-1][2] + dt.timedelta(days=attente), None))
            # The staff follows the last ETP validated in the plan, whatever the extract shows.
            actif = next(modification[0] for modification in reversed(plan) if modification[2])
            # Each modification is entered after the previous one's validation: the rows shown are a prefix.
            lignes = [plan[0]]
            lignes += [m for m in plan[1:] if m[1] < extraction and (m[2] is not None or fin >= extraction)]
            valides = [rang for rang, m in enumerate(lignes) if rang == 0 or (m[2] and m[2] < extraction)]
            durable, transition, positives = choix((15, 20, 25, 30)), choix((15, 20)), choix((10, 15))
            for modification, (etp, saisie, valide) in enumerate(lignes):
                if modification not in valides:
                    etat, jour_etat = "SAISI", saisie
                else:
                    etat = etat_final if modification == valides[-1] else "HISTORISE"
                    jour_etat = valide
                total = etp * unitaire
                if mois != 12:
                    total = mois * (etp * unitaire / 12).quantize(Decimal("0.01"), ROUND_HALF_UP)
                valeurs = {
                    "af_id_annexe_financiere": str(afi),
                    "af_id_avenant_modification": self.avenant(afi, modification),
                    "af_id_structure": str(siae.structure),
                    "af_numero_convention": convention,
                    "af_numero_annexe_financiere": prefixe,
                    "af_numero_avenant_renouvellement": str(renouvellement),
                    "af_numero_avenant_modification": str(modification),
                    "af_mesure_dispositif_id": str(rme),
                    "af_mesure_dispositif_code": siae.mesure,
                    "af_etat_annexe_financiere_id": str(ETATS_AF[etat]),
                    "af_etat_annexe_financiere_code": etat,
                    "af_date_creation": self.date(saisie - dt.timedelta(days=10)),
                    "af_date_modification": self.date(jour_etat),
                    "af_date_debut_effet": self.date(debut),
                    "af_date_fin_effet": self.date(fin),
                    "af_date_signature": self.date(saisie - dt.timedelta(days=3)),
                    "af_date_reception_asp": self.date(saisie - UN_JOUR),
                    "af_etp_postes_insertion": str(etp),
                    "af_nb_postes_insertion": str(int(etp * Decimal(profil.salaries_par_etp)) + 1),
                    "af_duree_heure_annuel_etp_id": str(rmi_duree),
                    "af_duree_heure_annuel_etp_code": "DUR_AN_ETP",
                    "af_duree_heure_annuel_etp_valeur": f"{heures_etp}.00",
                    "af_montant_unitaire_annuel_id": str(rmi_mt),
                    "af_montant_unitaire_annuel_code": "MT_AN_ETP",
                    "af_montant_unitaire_annuel_valeur": f"{unitaire}.00",
                    "af_montant_total_annuel": decimal2(total),
                    "af_indic_cofinancement": "true" if cofinance else "false",
                    "af_mt_cofinance": decimal2(total * Decimal("0.06")) if cofinance else "",
                    "af_id_financeur_id": "3" if cofinance else "",
                    "af_id_financeur_code": f"CD {DEPARTEMENTS[self.code].upper()}" if cofinance else "",
                    "af_nb_prev_sorties": str(max(1, int(etp / 2))),
                    "af_taux_prev_sorties_dynamiques": f"{durable + transition + positives}.00",
                    "af_taux_prev_sorties_durable": f"{durable}.00",
                    "af_taux_prev_sorties_trans": f"{transition}.00",
                    "af_taux_prev_sorties_positives": f"{positives}.00",
                    "af_duree_collective_hebdo": choix(("35:00", "35:00", "26:00", "24:00")),
                    "af_nb_sal_insertion_annee_prec": str(int(etp * 2)),
                    "af_etp_insertion_annee_prec": str(etp),
                    "af_etp_encadrement_annee_prec": decimal2(etp / 8),
                    "af_date_cloture_exercice": f"31/12/{annee - 1}",
                    "af_mt_tot_masse_salariale": decimal2(etp * 26000),
                    "af_total_produits_exploit": decimal2(etp * 41000),
                    "af_total_charges_exploit": decimal2(etp * 40500),
                    "af_departement": decimal2(total * Decimal("0.05")) if cofinance else "0.00",
                    "af_etat": decimal2(total),
                    "af_fse": "0.00",
                    "af_indic_regie_quartier": "false",
                    "af_indic_ensemblier": "true" if siae.rang == 2 else "false",
                    f"af_date_etat_{'saisie_termine' if etat == 'SAISI' else 'valide'}": self.date(jour_etat),
                    "af_motif_modification": "Ajustement des ETP" if modification else "",
                    "af_nb_banques numeric": "1",
                    "af_bban": bban,
                    "af_bic": banque[1],
                    "af_nom_bqe": banque[2],
                    "af_titulaire_compte": f"{FORMES[siae.type]} {siae.structure}",
                    "af_representant_nom": choix(NOMS),
                    "af_representant_prenom": choix(PRENOMS_F + PRENOMS_H),
                    "af_representant_qualite": choix(("PRESIDENT", "DIRECTEUR", "GERANT")),
                    "af_observations": choix(OBSERVATIONS[:2]) if hasard() < 0.1 else "",
                    "af_utilisateur_creation": f"agent{entre(1, 40)}",
                }
                if etat == "HISTORISE":
                    valeurs["af_date_etat_historise"] = self.date(lignes[modification + 1][2])
                if etat == "CLOTURE":
                    valeurs["af_date_etat_cloture"] = self.date(cloture)
                self.morceaux["AnnexeFinanciere"].dict(valeurs)
                if etat == "VALIDE" and self.bruit("doublon_af"):
                    self.morceaux["AnnexeFinanciere"].dict(valeurs)  # an exact duplicate, as in the AF fixture
            siae.annexes[annee] = Annexe(afi, debut, actif, heures_etp, f"{prefixe}A{renouvellement}")
            self.compter("annexes")

    def annexes_fdi(self, siae: Siae) -> None:
        """FDI aid: an AF of the structure without ETP nor salariés, pointing at the SIAE's AF."""
        for annee, annexe in siae.annexes.items():
            tirage = self.flot("f", siae.rang, annee)
            debut, fin = dt.date(annee, 3, 1), dt.date(annee, 12, 31)
            aide = Decimal(500 * tirage.entre(10, 80))
            etat = self.etat_final(tirage.random(), fin)
            afi = self.suivant("af")
            valeurs = {
                "af_id_annexe_financiere": str(afi),
                "af_id_avenant_modification": self.avenant(afi, 0),
                "af_id_structure": str(siae.structure),
                "af_numero_annexe_financiere": f"FDI{siae.code_af}{annee % 100:02d}{siae.rang:04d}",
                "af_numero_avenant_renouvellement": "0",
                "af_numero_avenant_modification": "0",
                "af_mesure_dispositif_id": "5",
                "af_mesure_dispositif_code": "FDI_DC",
                "af_etat_annexe_financiere_id": str(ETATS_AF[etat]),
                "af_etat_annexe_financiere_code": etat,
                "af_date_debut_effet": self.date(debut),
                "af_date_fin_effet": self.date(fin),
                "af_mt_total_aide": decimal2(aide),
                "af_mt_total_avance": decimal2(aide / 2),
                "af_pourcentage_avance": "50.00",
                "af_nature_action_id": "1",
                "af_nature_action_code": tirage.choix(("CONSOFI", "DIVERSACT")),
                "af_description_action": "Consolidation financière et diversification des activités",
                f"af_num_annexe_{siae.type.lower()}": annexe.numero,
                "af_indic_cofinancement": "false",
                "af_nb_banques numeric": "1",
            }
            self.morceaux["AnnexeFinanciere"].dict(valeurs)
            self.compter("annexes")

    # Salariés and contracts ------------------------------------------------------------------------------------

    def nir(self, alea: Alea, femme: bool, naissance: dt.date) -> str:
        """15 digits in the NIR layout (sex, year, month, place of birth, commune, order, key 97 − n mod 97)."""
        tirage = alea.random()
        if tirage < 0.01:
            return NIR_PARTAGE
        if tirage < 0.04 and self.nirs_sortis:
            # Someone who left another structure of the département: a new salarie_id, the same NIR (case 27).
            # The exits of the months before and of this month's SIAE before: the same whatever month follows.
            return self.nirs_sortis.pop()
        lieu = 99 if alea.random() < 0.15 else alea.choix(LIEUX_DE_NAISSANCE)
        debut = f"{2 if femme else 1}{naissance.year % 100:02d}{naissance.month:02d}{lieu:02d}"
        debut += f"{alea.entre(1, 999):03d}{alea.entre(1, 999):03d}"
        return debut + f"{97 - int(debut) % 97:02d}"

    def nouvelle_personne(self, siae: Siae, profil: Profil, debut: dt.date, alea: Alea) -> Personne:
        pph = self.suivant("pph")
        hasard, choix, entre = alea.random, alea.choix, alea.entre
        femme = hasard() < (0.35 if siae.type in ("ACI", "ETTI") else 0.55)
        age = min(64, 18 + int(hasard() * hasard() * 60))
        naissance = dt.date(debut.year - age, entre(1, 12), entre(1, 28))
        nir = self.nir(alea, femme, naissance)
        nom, prenom = choix(NOMS), choix(PRENOMS_F if femme else PRENOMS_H)
        cp, insee, commune = choix(self.communes)
        rue, type_voie, numero = self.rue(alea), choix(TYPES_VOIE), str(entre(1, 120))
        extension = "B" if hasard() < 0.05 else ""
        distribution = choix(REPERES_VOIE) if hasard() < 0.2 else ""
        if self.bruit("retour_ligne"):
            distribution, self.pph_retour_ligne = "RESIDENCE LES ACACIAS", pph
        qpv, zrr = hasard() < 0.22, hasard() < 0.1
        courriel = f"{ASCII[prenom]}.{ASCII[nom]}.{pph}@courriel.example"
        telephone = self.telephone(alea, "67")
        self.sensible("nirs", nir)
        self.sensible("courriels", courriel)
        self.sensible("telephones", telephone)
        self.sensible("rues", rue)
        self.compter("salaries")
        etranger = nir[5:7] == "99"
        salarie = {
            "salarie_id": str(pph),
            "salarie_nir": nir,
            "salarie_rci_id": "2" if femme else "1",
            "salarie_rci_libelle": "MME" if femme else "M.",
            "salarie_nom_usage": nom,
            "salarie_nom_naissance": choix(NOMS) if femme and hasard() < 0.4 else nom,
            "salarie_prenom": prenom,
            "salarie_date_naissance": self.date(naissance),
            "salarie_commune_naissance": "" if etranger else commune,
            "salarie_code_pays_naissance": "99350" if etranger else "99100",
            "salarie_nationalite_code": choix(("MAR", "DZA", "MLI", "FRA")) if etranger else "FRA",
            "salarie_titre_sejour_numero": f"{int(hasard() * 10**10):010d}" if etranger else "",
            "salarie_adr_point_remise": "CHEZ MME " + choix(NOMS) if hasard() < 0.03 else "",
            "salarie_adr_cplt_point_geo": "",
            "salarie_adr_numero_voie": numero,
            "salarie_codeextensionvoie": extension,
            "salarie_codetypevoie": type_voie,
            "salarie_adr_libelle_voie": rue,
            "salarie_adr_cplt_distribution": distribution,
            "salarie_codepostalcedex": cp,
            "salarie_codeinseecom": insee,
            "salarie_commune": commune,
            "salarie_code_dpt": self.code,
            "salarie_adr_qpv_type": "QP" if qpv else "NQP",
            "salarie_adr_qpv_nom": choix(QUARTIERS) if qpv else "",
            "salarie_adr_is_zrr": "true" if zrr else "false",
            "salarie_adr_mail": courriel,
            "salarie_telephone": telephone,
            "salarie_date_creation": self.date(debut - dt.timedelta(days=entre(1, 30))),
            "salarie_date_modification": self.date(debut),
        }
        # One row per agrément: some people had an older one before their PASS IAE (case 27).
        agrements = 2 if hasard() < 0.06 else 1
        for rang in range(agrements):
            salarie["salarie_agrement"] = f"9999{self.bloc:03d}{self.suivant('pass'):05d}"
            fin_agrement = debut + dt.timedelta(days=730 if rang == agrements - 1 else -200)
            salarie["salarie_date_debut_agrement"] = self.date(fin_agrement - dt.timedelta(days=730))
            salarie["salarie_date_fin_agrement"] = self.date(fin_agrement)
            self.morceaux["Salarie"].dict(salarie)
        rsa, chomage = hasard(), choix(DUREES_CHOMAGE) if hasard() < 0.8 else ("", "")
        niveau, orienteur = choix(NIVEAUX_FORMATION), choix(ORIENTEURS)
        vrai = ("false", "true")
        fixe = {
            "contrat_id_pph": str(pph),
            "contrat_id_structure": str(siae.structure),
            "contrat_mesure_disp_id": str(MESURES[siae.mesure][0]),
            "contrat_mesure_disp_code": siae.mesure,
            "contrat_format_contrat_id": str(profil.forme[0]),
            "contrat_format_contrat_code": profil.forme[1],
            "contrat_code_rome": choix(profil.rome),
            "contrat_duree_hebdo_travail": choix(DUREES_HEBDO_SALES if hasard() < 0.03 else DUREES_HEBDO),
            "contrat_remuneration_brute_mensuelle": f"{900 + hasard() * 1000:.2f}",
            "contrat_nb_heures_accomp": str(entre(0, 40)),
            "contrat_niveau_de_formation_id": str(niveau[0]),
            "contrat_niveau_de_formation_code": niveau[1],
            "contrat_orienteur_id": str(orienteur[0]),
            "contrat_orienteur_code": orienteur[1],
            "contrat_salarie_rsa": "OUI-NM" if rsa < 0.3 else "OUI-M" if rsa < 0.36 else "NON",
            "contrat_salarie_rqth": vrai[hasard() < 0.08],
            "contrat_salarie_aah": vrai[hasard() < 0.03],
            "contrat_salarie_ass": vrai[hasard() < 0.05],
            "contrat_salarie_oeth": "false",
            "contrat_salarie_aide_sociale": vrai[hasard() < 0.1],
            "contrat_salarie_is_zrr": vrai[zrr],
            "contrat_salarie_refugie": vrai[hasard() < 0.04],
            "contrat_salarie_parent_isole": vrai[hasard() < 0.1],
            "contrat_salarie_sortant_ase": vrai[age < 22 and hasard() < 0.2],
            "contrat_salarie_sortant_detention": vrai[siae.mesure == "ACI_MP"],
            "contrat_salarie_hebergement": vrai[hasard() < 0.12],
            "contrat_salarie_langue_francaise": vrai[hasard() < 0.1],
            "contrat_salarie_mobilite": vrai[hasard() < 0.3],
            "contrat_salarie_are": vrai[hasard() < 0.15],
            "contrat_prime_activites": "false",
            "contrat_sans_ressource": vrai[hasard() < 0.2],
            "contrat_inscrit_pole_emploi": vrai[bool(chomage[0])],
            "contrat_salarie_pe_duree_id": str(chomage[0]),
            "contrat_salarie_pe_duree_code": chomage[1],
            "contrat_adr_numero_voie": numero,
            "contrat_codeextensionvoie": extension,
            "contrat_codetypevoie": type_voie,
            "contrat_adr_libelle_voie": rue,
            "contrat_adr_cplt_distribution": distribution,
            "contrat_codepostalcedex": cp,
            "contrat_codeinseecom": insee,
            "contrat_commune": commune,
        }
        if rsa < 0.36:
            fixe["contrat_salarie_rsa_duree_id"], fixe["contrat_salarie_rsa_duree_code"] = "2", "02"
        if siae.type == "EITI":
            fixe["contrat_siret_ti"] = siret_fictif(100_000 + pph % 10_000, 1 + pph // 10_000 % 9000)
            fixe["contrat_denomination_ti"] = f"{prenom.upper()} {nom}"
            fixe["contrat_code_naf_ti"] = "8130Z"
        elif siae.type in ("AI", "ETTI"):
            fixe["contrat_denomination_ien"] = choix(("MAIRIE", "EHPAD", "PARTICULIER", "ENTREPRISE BTP"))
        tete, queue = self.colonnes_contrat
        return Personne(
            pph,
            debut,
            profil.heures[0] + hasard() * (profil.heures[1] - profil.heures[0]),
            self.contrat(alea, profil, debut, 0),
            nir,
            "|".join([fixe.get(colonne, "") for colonne in tete]),
            "|".join([fixe.get(colonne, "") for colonne in queue]),
        )

    def contrat(self, alea: Alea, profil: Profil, debut: dt.date, rang: int) -> Contrat:
        duree = alea.choix(profil.durees)
        return Contrat(self.suivant("ctr"), debut, fin_de_contrat(debut, duree), rang, duree)

    def ecrire_contrat(self, siae: Siae, personne: Personne, contrat: Contrat, sortie=None, motif=None) -> None:
        creation = contrat.debut - dt.timedelta(days=contrat.id % 9)
        # "Variable format" (spec §6.4): a date, now and then a date-time.
        texte_creation = self.date(creation) + (" 09:12:44" if contrat.id % 7 == 0 else "")
        modification = self.date(sortie or creation)
        if sortie is None:
            fin_de_parcours = "||"
            observations = ""
        else:
            fin_de_parcours = f"{self.date(sortie)}|{motif[0]}|{motif[1]}"
            observations = OBSERVATIONS[contrat.id % 5] if contrat.id % 3 == 0 else ""
        propres = (
            f"{texte_creation}|{modification}|{contrat.rang}|{self.date(contrat.debut)}|{self.date(contrat.fin)}|"
            f"{fin_de_parcours}|{contrat.duree}"
        )
        morceau = self.morceaux["ContratMission"]
        queue = personne.queue
        if personne.pph == self.pph_retour_ligne:
            # A newline at the end of a field, before the next `|` (case 7): the record spans two physical lines.
            # On one contract row only (the person's first written), however many contracts the person has.
            self.pph_retour_ligne = None
            champs = queue.split("|")
            champs[self.position_distribution] += "\n"
            queue = "|".join(champs)
        morceau.ligne(f"{contrat.id}|{personne.tete}|{propres}|{queue}|{observations}")
        self.compter("contrats")
        if self.bruit("contrat_a_l_envers"):
            # A contract ending before it starts (case 28), for the same person.
            envers = f"{texte_creation}|{modification}|0|{self.date(contrat.debut)}|"
            envers += f"{self.date(contrat.debut - dt.timedelta(days=20))}||||1"
            morceau.ligne(f"{self.ctr_envers}|{personne.tete}|{envers}|{personne.queue}|")
        if siae.type in ("AI", "ETTI"):
            descriptif = MISSIONS[contrat.id % len(MISSIONS)]
            if descriptif.startswith("AIEHPAD") and self.bruit("guillemet_mission"):
                descriptif = '"' + descriptif  # the lone `"` of LE PR #608
            self.morceaux["Missions"].ligne(
                f"{contrat.id + 1_000_000_000}|{contrat.id}|{descriptif}|{siae.type}|{self.date(creation)}|"
                f"{modification}|{self.date(contrat.debut)}|{self.date(sortie or contrat.fin)}"
            )

    def sortie(self, siae: Siae, personne: Personne, contrat: Contrat, jour: dt.date, alea: Alea) -> tuple:
        motif = alea.choices(self.motifs, cum_weights=self.poids_motifs)[0]
        self.ecrire_contrat(siae, personne, contrat, jour, motif[:2])
        if personne.nir != NIR_PARTAGE and len(self.nirs_sortis) < 500:
            self.nirs_sortis.insert(0, personne.nir)
        return motif

    def mois_de(self, siae, profil, personne, debut, fin, segments, alea) -> bool:
        """The person's month from `debut` to `fin`: segments (person, contract, first day, last day, motif or None)
        appended; True when the person leaves."""
        hasard = alea.random
        contrat = personne.contrat
        jour = contrat.debut if contrat.debut > debut else debut
        while True:
            if contrat.fin > fin:
                if hasard() < profil.sortie_anticipee:
                    depart = jour + dt.timedelta(days=int(hasard() * ((fin - jour).days + 1)))
                    segments.append(
                        (personne, contrat, jour, depart, self.sortie(siae, personne, contrat, depart, alea))
                    )
                    return True
                segments.append((personne, contrat, jour, fin, None))
                return False
            # The contract ends within the month: renewed (a new contract the next day), or the person leaves.
            if (contrat.fin - personne.debut_parcours).days < 670 and hasard() < profil.renouvellement:
                segments.append((personne, contrat, jour, contrat.fin, None))
                self.ecrire_contrat(siae, personne, contrat)
                suivant = self.contrat(alea, profil, contrat.fin + UN_JOUR, contrat.rang + 1)
                contrat = personne.contrat = suivant
                jour = contrat.debut
                if jour > fin:
                    return False
            else:
                segments.append(
                    (personne, contrat, jour, contrat.fin, self.sortie(siae, personne, contrat, contrat.fin, alea))
                )
                return True

    def personnes_en_place(
        self, siae: Siae, profil: Profil, premier: dt.date, nombre: int, alea: Alea
    ) -> list[Personne]:
        """The staff already there on the first month: parcours begun up to a year before, their earlier
        contracts written as the real flux holds them."""
        personnes = []
        for _ in range(nombre):
            personne = self.nouvelle_personne(siae, profil, premier - dt.timedelta(days=alea.entre(1, 300)), alea)
            while personne.contrat.fin < premier:
                self.ecrire_contrat(siae, personne, personne.contrat)
                suivant = personne.contrat.fin + UN_JOUR
                personne.contrat = self.contrat(alea, profil, suivant, personne.contrat.rang + 1)
            personnes.append(personne)
        return personnes

    def simuler_mois(self, siae: Siae, mois: tuple) -> None:
        """One month of the SIAE: its staff's contracts and exits, the hires up to the target (new salariés), the
        EMI rows. All of it draws from the SIAE × month stream, in an order that does not depend on the month
        being the last declared nor on the extraction date (what does is drawn last or drawn anyway): the same
        month gives the same rows in every extract. One stream per SIAE × month rather than per person: seeding
        a Mersenne Twister costs as much as some thousand draws."""
        debut, fin, annee, numero, jours, _ = mois
        annexe = siae.annexes.get(annee)
        if annexe is None or debut < annexe.debut:
            return
        profil = PROFILS[siae.type]
        alea = self.flot("m", siae.rang, siae.indice, annee, numero)
        hasard = alea.random
        cible = max(1, round(float(annexe.etp) * profil.salaries_par_etp * (0.92 + 0.16 * hasard())))
        if not siae.demarre:
            siae.demarre = True
            if siae.debut < debut:
                siae.actifs = self.personnes_en_place(siae, profil, debut, cible, alea)
        segments: list[tuple] = []
        restants = [p for p in siae.actifs if not self.mois_de(siae, profil, p, debut, fin, segments, alea)]
        for _ in range(cible - len(restants)):
            embauche = debut + dt.timedelta(days=int(hasard() * jours))
            personne = self.nouvelle_personne(siae, profil, embauche, alea)
            if not self.mois_de(siae, profil, personne, debut, fin, segments, alea):
                restants.append(personne)
        siae.actifs = restants
        self.ecrire_emi(siae, profil, annexe, mois, segments, alea)

    def ecrire_emi(
        self, siae: Siae, profil: Profil, annexe: Annexe, mois: tuple, segments: list[tuple], alea: Alea
    ) -> None:
        """The AF's state of the month: one row per person × contract, version 1. The month's declaration is
        drawn whatever the extract: its state while it is the last month declared, once validated, and whether
        it is corrected later (2 %, structure 1 twice): then a version 2 with corrected hours appears, next to
        version 1 left as it was (a reader keeps the highest), in the extracts made after the correction."""
        debut, fin, annee, numero, jours, dernier = mois
        hasard, entre = alea.random, alea.entre
        extraction = self.p.date_extraction
        veille = extraction - UN_JOUR
        tirage_dernier, tirage_etat, tirage_correction = hasard(), hasard(), hasard()
        # Created early in the next month, validated a few days later, both before the extraction (the last
        # month's are often its eve). Within 8 days of the month's end, so that the month before the last one is
        # already settled in an extract made a week after the end of the month: next week's does not move it.
        jour_creation = min(fin + dt.timedelta(days=entre(1, 3)), veille)
        jour_validation = min(jour_creation + dt.timedelta(days=entre(1, 5)), veille)
        revalidation = fin + dt.timedelta(days=entre(35, 60))
        corrige = tirage_correction < 0.02
        if siae.rang == 1 and (annee, numero) == (self.p.annees[0], 3):
            corrige = True
        elif siae.rang == 1 and (annee, numero) == (self.p.annees[-1], 9):
            # Corrected between the default extraction and the next week's.
            corrige, revalidation = True, dt.date(annee, *JOUR_SEMAINE_SUIVANTE)
        if dernier:
            etat = "VALIDE" if tirage_dernier < 0.6 else "SAISI" if tirage_dernier < 0.85 else "BROUILLON"
        else:
            etat = "DEBLOQUE" if tirage_etat < 0.03 and not corrige else "VALIDE"
        creation = self.date(jour_creation)
        validation = self.date(jour_validation)
        versions = [(1, etat, validation, validation) if etat in ("VALIDE", "DEBLOQUE") else (1, etat, "", creation)]
        if corrige and not dernier and revalidation < extraction:
            versions.append((2, "VALIDE", self.date(revalidation), self.date(revalidation)))
        lignes = []
        sans_heures = profil.mois_sans_heures
        for personne, contrat, premier, dernier_jour, motif in segments:
            if sans_heures and motif is None and premier == debut and hasard() < sans_heures:
                continue  # under contract, no mission this month: no row
            # The person's usual hours, pro rata of the days under this contract, ± 15 %; whole or half hours.
            heures = personne.heures * ((dernier_jour - premier).days + 1) / jours * (0.85 + 0.3 * hasard())
            demi = max(2, int(heures) * 2 + (hasard() < 0.06))
            lignes.append((personne.pph, contrat.id, demi, motif, dernier_jour))
        if not lignes:
            return
        mensuel = annexe.heures_etp / 12
        mission = siae.type in ("AI", "ETTI")
        eiti = siae.type == "EITI"
        textes = []
        ajouter = textes.append
        retenues = 0
        premier_dsm = self.prochain["dsm"]
        if premier_dsm + len(lignes) > self.plafonds["dsm"]:
            taille, nom = BLOCS_D_IDS["dsm"]
            raise ValueError(f"trop de {nom} pour un département ({taille} au plus)")
        self.prochain["dsm"] = premier_dsm + len(lignes)
        for version, etat_version, validation_version, modification in versions:
            prefixe = (
                f"{creation}|{modification}|{annexe.afi}|{numero}|{annee}|{ETATS_EMI[etat_version]}|"
                f"{etat_version}|{version}|{validation_version}|"
            )
            retenue = version == len(versions)
            dsm = premier_dsm + (DECALAGE_VERSION_2 if version == 2 else 0)
            for pph, ctr, demi, motif, jour_fin in lignes:
                if version == 2 and hasard() < 0.3:
                    demi = max(2, demi + 2 * entre(-8, 8))  # the corrected hours
                if retenue:
                    retenues += demi
                heures = demi / 2
                texte = f"{demi >> 1}.5" if demi & 1 else str(demi >> 1)
                dsm += 1
                sortie = "||" if motif is None else f"{self.date(jour_fin)}|{motif[0]}|{motif[1]}"
                activite = f"{1 + (ctr + numero) % 4}|{texte}" if mission else "|"
                suite = f"1.00|{int(heures * 31)}|{int(heures * 30)}|1|0|1|0|false|2|{numero}" if eiti else "|||||||||"
                ajouter(
                    f"{prefixe}{pph}|{ctr}|{texte}|{activite}|{heures * 12.1:.2f}|true|{heures / mensuel:.2f}|"
                    f"{sortie}|{dsm}|{suite}"
                )
        self.heures += retenues
        self.morceaux["EtatMensuelIndiv"].plusieurs(textes)


LIEUX_DE_NAISSANCE = tuple(n for n in range(1, 96) if n != 20)
ASCII = {nom: en_ascii(nom) for nom in NOMS + PRENOMS_F + PRENOMS_H}  # for the e-mail addresses


def colonnes_de(vue: str, bruit: bool) -> tuple[str, ...]:
    colonnes = COLONNES[vue]
    if bruit and vue == COLONNE_INCONNUE[0]:
        position = colonnes.index(COLONNE_INCONNUE[1]) + 1
        colonnes = colonnes[:position] + (COLONNE_INCONNUE[2],) + colonnes[position:]
    return colonnes


def montant_par_etp(type_: str, annee: int) -> tuple[int, int]:
    """(rmi_id, aide au poste per ETP) of the kind and year: the RefMontantIae MT_AN_ETP row."""
    bareme = MONTANTS_PAR_ETP[min(max(annee, min(MONTANTS_PAR_ETP)), max(MONTANTS_PAR_ETP))]
    return 100 + (annee - 2020) * 10 + list(PROFILS).index(type_), bareme[type_]


def generer_departement(parametres: Parametres, code: str, structures: int, etranger: bool, bruits: bool) -> Partie:
    return Departement(parametres, code, etranger, bruits).generer(structures)


def _tache(arguments: tuple) -> Partie:
    return generer_departement(*arguments)


# The files --------------------------------------------------------------------------------------------------------


_ZEROS = bytes(1 << 20)


def _crc_de_zeros(longueur: int, crc: int) -> int:
    while longueur >= len(_ZEROS):
        crc = zlib.crc32(_ZEROS, crc)
        longueur -= len(_ZEROS)
    return zlib.crc32(memoryview(_ZEROS)[:longueur], crc)


def crc_combine(crc1: int, crc2: int, longueur2: int) -> int:
    """CRC-32 of A + B from those of A and B (zlib's crc32_combine, missing from Python): the CRC register is
    affine in its start value, so the part A contributes is A's CRC carried through `longueur2` zero bytes."""
    return crc2 ^ (~_crc_de_zeros(longueur2, crc1 ^ 0xFFFFFFFF) & 0xFFFFFFFF)


class Fichier:
    """One view's file: a single-member gzip made of the départements' deflate chunks, or plain text."""

    def __init__(self, dossier: Path, vue: str, date: dt.date, compression: str | None, colonnes: tuple[str, ...]):
        self.vue = vue
        self.colonnes = colonnes
        heure = HEURES[vue]
        nom = f"fluxIAE_{vue}_{date:%d%m%Y}_{heure}.csv"
        self.gz = compression == "gz"
        self.nom = nom + ".gz" if self.gz else nom
        self.chemin = dossier / self.nom
        self.flux = open(self.chemin, "wb")  # noqa: SIM115 (closed by fermer)
        self.crc = 0
        self.longueur = 0
        self.lignes = 0
        self.bom = False
        self.sans_deb = False
        # An earlier time than the file's (the AF fixture: file 11:22:11, DEB 06:30:04).
        self.deb = f"DEB{vue}{date:%d%m%Y}_{int(heure[:2]) - 1:02d}{heure[2:4]}{int(heure[4:]) * 7 % 60:02d}"
        if self.gz:
            # Fixed mtime and the inner file name, as gzip(1) writes them; XFL 4 = fastest compression.
            moment = calendar.timegm((date.year, date.month, date.day, int(heure[:2]), int(heure[2:4]), 0))
            self.flux.write(b"\x1f\x8b\x08\x08" + struct.pack("<I", moment) + b"\x04\x03" + nom.encode() + b"\0")

    def texte(self, texte: str, final: bool = False) -> None:
        donnees = texte.encode()
        if self.gz:
            compresseur = zlib.compressobj(1, zlib.DEFLATED, -15)
            bloc = compresseur.compress(donnees) + compresseur.flush(zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH)
            self.ajouter(bloc, zlib.crc32(donnees), len(donnees))
        else:
            self.ajouter(donnees, 0, len(donnees))

    def commencer(self) -> None:
        debut = "\ufeff" if self.bom else ""
        if not self.sans_deb:
            debut += self.deb + "|" * (len(self.colonnes) - 1) + "\n"
        self.texte(debut + "|".join(self.colonnes) + "\n")

    def ajouter(self, bloc: bytes, crc: int, longueur: int, lignes: int = 0) -> None:
        self.flux.write(bloc)
        if self.gz and longueur:
            self.crc = crc_combine(self.crc, crc, longueur)
        self.longueur += longueur
        self.lignes += lignes

    def lignes_de_texte(self, lignes: list[str]) -> None:
        if lignes:
            self.texte("\n".join(lignes) + "\n")
            self.lignes += len(lignes)

    def fermer(self) -> None:
        self.texte(f"FIN{self.lignes}{'|' * (len(self.colonnes) - 1)}\n", final=True)
        if self.gz:
            self.flux.write(struct.pack("<II", self.crc, self.longueur & 0xFFFFFFFF))
        self.flux.close()


def referentiels(parametres: Parametres) -> dict[str, list[str]]:
    def date(jour: dt.date | None) -> str:
        return f"{jour:%d/%m/%Y}" if jour else "/"

    debut_asp = "01/07/2014"
    lignes: dict[str, list[str]] = {}
    lignes["RefCategorieSort"] = [
        f"{rcs_id}|{code}|{libelle}|{debut_asp}|" for rcs_id, code, libelle in CATEGORIES_SORTIE
    ]
    motifs = [f"{rms_id}|{code}|{libelle}|{rcs}|{debut_asp}|" for rms_id, code, libelle, rcs, _ in MOTIFS_SORTIE]
    rms_id, code, libelle, rcs, debut, fin = MOTIF_OBSOLETE
    lignes["RefMotifSort"] = [*motifs, f"{rms_id}|{code}|{libelle}|{rcs}|{date(debut)}|{date(fin)}"]
    montants = []
    libelle = "Nombre d'heures annuelles théoriques pour un salarié à taux plein"
    for rmi_id, rme_id, valeur, debut, fin in DUREES_ETP:
        montants.append(f"{rmi_id}|{rme_id}|DUR_AN_ETP|{libelle}|{valeur}.00|{date(debut)}|{date(fin)}|")
    libelle = "Montant annuel de l'aide au poste par ETP"
    annees = parametres.annees
    for annee in range(annees[0] - 1, annees[-1] + 1):
        fin = "/" if annee == annees[-1] else f"31/12/{annee}"
        for type_, rme_id in RME_PAR_TYPE.items():
            rmi_id, valeur = montant_par_etp(type_, annee)
            montants.append(f"{rmi_id}|{rme_id}|MT_AN_ETP|{libelle}|{valeur}.00|01/01/{annee}|{fin}|")
    libelle = "Montant mensuel du RSA pour une personne seule (88 %)"
    for rang, (debut, montant) in enumerate(RSA_MENSUEL_88):
        fin = date(RSA_MENSUEL_88[rang + 1][0] - UN_JOUR) if rang + 1 < len(RSA_MENSUEL_88) else "/"
        montants.append(f"{300 + 2 * rang}||MT_ME_RSA|{libelle}|{montant}|{date(debut)}|{fin}|")
        mayotte = decimal2(Decimal(montant) / 2)
        montants.append(f"{301 + 2 * rang}||MT_ME_RSA|{libelle}|{mayotte}|{date(debut)}|{fin}|976")
    lignes["RefMontantIae"] = montants
    lignes["RefDepartement"] = [
        f"{rang}|{code}|{nom}|{rang % 18 + 1:02d}|01/01/2016"
        for rang, (code, nom) in enumerate(DEPARTEMENTS.items(), 1)
    ]
    return lignes


def generer_flux(
    dossier: Path,
    departements: list[str],
    *,
    structures_par_departement: int = 50,
    annees: tuple[int, ...] = (2025, 2026),
    mois_fin: dt.date = dt.date(2026, 10, 1),
    graine: int = 0,
    date_extraction: dt.date = dt.date(2026, 11, 2),
    compression: str | None = "gz",
    archive: bool = False,
    bruit: bool = False,
    sensibles_max: int = 20_000,
    processus: int = 1,
    progression=None,
) -> Resume:
    """Write one fluxIAE extract into `dossier` (created when missing) and tell what it holds.

    `mois_fin`: the last month declared (EMI rows up to it; its state is often not validated yet). With a later
    `mois_fin` and `date_extraction`, the same world later on (module docstring). `bruit`: the
    noises a reader must survive (fluxiae-cases.md), each named in `Resume.bruits` with its file. `processus`:
    workers generating départements in parallel (same bytes whatever the number). `progression(code, resume)` is
    called after each département."""
    if compression not in ("gz", None):
        raise ValueError("compression : « gz » ou None")
    inconnus = [code for code in departements if code not in DEPARTEMENTS]
    if inconnus or not departements:
        raise ValueError(f"départements inconnus : {', '.join(inconnus) or 'aucun demandé'}")
    if len(set(departements)) != len(departements):
        raise ValueError("un département est demandé deux fois")
    debut = time.perf_counter()
    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    cible = dossier / f".fluxiae-{date_extraction:%d%m%Y}" if archive else dossier
    cible.mkdir(exist_ok=True)
    parametres = Parametres(
        tuple(sorted(annees)), mois_fin, graine, date_extraction, compression, bruit, sensibles_max
    )
    resume = Resume(dossier=dossier, departements=list(departements))
    fichiers = {vue: Fichier(cible, vue, date_extraction, compression, colonnes_de(vue, bruit)) for vue in VUES}
    if bruit:
        fichiers["Structure"].bom = True  # case 6
        fichiers["Salarie"].sans_deb = True  # case 5
        resume.bruits |= {"bom": fichiers["Structure"].nom, "sans_deb": fichiers["Salarie"].nom}
        resume.bruits["colonne_inconnue"] = fichiers[COLONNE_INCONNUE[0]].nom
    for fichier in fichiers.values():
        fichier.commencer()
    taches = [
        (parametres, code, structures_par_departement, False, bruit and rang == 0)
        for rang, code in enumerate(departements)
    ]
    if bruit:
        # Rows of a département nobody asked for: an importer scoped to its départements must leave them out.
        resume.departement_etranger = next(code for code in DEPARTEMENTS if code not in departements)
        resume.bruits["autre_departement"] = resume.departement_etranger
        taches.append((parametres, resume.departement_etranger, 1, True, False))
    if processus > 1 and len(taches) > 1:
        executeur = ProcessPoolExecutor(min(processus, len(taches)), mp_context=get_context("fork"))
        parties = executeur.map(_tache, taches)
    else:
        executeur = None
        parties = map(_tache, taches)
    try:
        for partie in parties:
            for vue, (bloc, crc, longueur, lignes) in partie.morceaux.items():
                fichiers[vue].ajouter(bloc, crc, longueur, lignes)
            if partie.code != resume.departement_etranger:
                fusionner(resume, partie, sensibles_max, fichiers)
                if progression:
                    progression(partie.code, resume)
    finally:
        if executeur:
            executeur.shutdown(cancel_futures=True)
    for vue, lignes in referentiels(parametres).items():
        fichiers[vue].lignes_de_texte(lignes)
    for vue, fichier in fichiers.items():
        fichier.fermer()
        resume.fichiers[vue] = fichier.chemin
        resume.lignes[vue] = fichier.lignes
    if archive:
        resume.archive = dossier / f"fluxIAE_ITOU_{date_extraction:%d%m%Y}.tar.gz"
        zipper(resume, cible, date_extraction, compression)
    resume.secondes = time.perf_counter() - debut
    return resume


def fusionner(resume: Resume, partie: Partie, sensibles_max: int, fichiers: dict[str, Fichier]) -> None:
    for nom in COMPTEURS:
        setattr(resume, nom, getattr(resume, nom) + partie.compteurs[nom])
    resume.heures[partie.code] = partie.heures
    for nom in SENSIBLES:
        ensemble = getattr(resume, nom)
        for valeur in partie.sensibles[nom]:
            if len(ensemble) >= sensibles_max:
                break
            ensemble.add(valeur)
    vues = {
        "guillemet": "Structure",
        "doublon_structure": "Structure",
        "doublon_af": "AnnexeFinanciere",
        "retour_ligne": "ContratMission",
        "contrat_a_l_envers": "ContratMission",
        "guillemet_mission": "Missions",
    }
    for nom in partie.bruits:
        resume.bruits[nom] = fichiers[vues[nom]].nom


def zipper(resume: Resume, cible: Path, date: dt.date, compression: str | None) -> None:
    """A Zip under a tar.gz name, as the ASP delivers it; the members keep their names."""
    moment = (date.year, date.month, date.day, 8, 0, 0)
    with zipfile.ZipFile(resume.archive, "w") as archive:
        for vue in sorted(resume.fichiers, key=lambda v: resume.fichiers[v].name):
            chemin = resume.fichiers[vue]
            info = zipfile.ZipInfo(chemin.name, date_time=moment)
            info.compress_type = zipfile.ZIP_STORED if compression == "gz" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            grand = chemin.stat().st_size > 0x7FFF0000
            with open(chemin, "rb") as source, archive.open(info, "w", force_zip64=grand) as destination:
                shutil.copyfileobj(source, destination, 1 << 20)
            chemin.unlink()
            resume.fichiers[vue] = Path(chemin.name)
    cible.rmdir()


# Command line ----------------------------------------------------------------------------------------------------


def taille(octets: float) -> str:
    for unite in ("o", "ko", "Mo"):
        if octets < 1024:
            return f"{octets:.0f} {unite}" if unite == "o" else f"{octets:.1f} {unite}"
        octets /= 1024
    return f"{octets:.2f} Go"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fluxiae", description=__doc__.splitlines()[0])
    parser.add_argument("--sortie", type=Path, required=True, help="dossier où écrire les fichiers")
    choix = parser.add_mutually_exclusive_group()
    choix.add_argument(
        "--departements", type=int, default=1, help="nombre de départements, dans l'ordre du référentiel (102 : tous)"
    )
    choix.add_argument("--codes", help="départements par leur code, séparés par des virgules (55,2A,971)")
    parser.add_argument("--structures-par-departement", type=int, default=50)
    parser.add_argument(
        "--echelle", type=float, default=1.0, help="facteur du nombre de structures (0.1 : un dixième)"
    )
    parser.add_argument("--graine", type=int, default=0)
    parser.add_argument("--processus", type=int, default=os.cpu_count() or 1, help="départements générés en parallèle")
    parser.add_argument("--bruit", action="store_true", help="les défauts qu'un lecteur doit supporter")
    parser.add_argument("--archive", action="store_true", help="un Zip fluxIAE_ITOU_<date>.tar.gz, comme l'ASP")
    parser.add_argument("--sans-compression", action="store_true", help=".csv au lieu de .csv.gz")
    options = parser.parse_args(argv)
    if options.codes:
        codes = [code.strip().upper() for code in options.codes.split(",") if code.strip()]
    elif 1 <= options.departements <= len(DEPARTEMENTS):
        codes = list(DEPARTEMENTS)[: options.departements]
    else:
        parser.error(f"--departements : de 1 à {len(DEPARTEMENTS)}")
    structures = max(1, round(options.structures_par_departement * options.echelle))
    print(f"fluxIAE : {len(codes)} départements × {structures} structures → {options.sortie}", flush=True)
    debut = time.perf_counter()

    def progression(code: str, resume: Resume) -> None:
        rang = resume.departements.index(code) + 1
        if rang % 10 == 0 or rang == len(codes):
            print(f"  {rang:>3}/{len(codes)} départements ({time.perf_counter() - debut:.0f} s)", flush=True)

    try:
        resume = generer_flux(
            options.sortie,
            codes,
            structures_par_departement=structures,
            graine=options.graine,
            compression=None if options.sans_compression else "gz",
            archive=options.archive,
            bruit=options.bruit,
            processus=options.processus,
            progression=progression,
        )
    except ValueError as erreur:
        sys.exit(str(erreur))
    print(
        f"Généré en {resume.secondes:.1f} s : {resume.structures} structures, {resume.siae} SIAE, "
        f"{resume.annexes} annexes, {resume.contrats} contrats, {resume.salaries} salariés, "
        f"{resume.lignes['EtatMensuelIndiv']} lignes EMI"
    )
    chemins = [resume.archive] if resume.archive else [resume.dossier / p.name for p in resume.fichiers.values()]
    for chemin in chemins:
        print(f"  {chemin.name:<55} {taille(chemin.stat().st_size):>10}")
    if not resume.archive:
        print(f"  {'total':<55} {taille(sum(chemin.stat().st_size for chemin in chemins)):>10}")


if __name__ == "__main__":
    main()
