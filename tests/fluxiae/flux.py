"""A fluxIAE of the Meuse (55) written by hand, row by row, for the importer's tests: every figure the tests expect is
computed by hand from these rows (test_import.py), never from the importer's output.

Week N (`SEMAINE_N`, extract of 01/12/2025) holds the months of January to October 2025; week N+1 (`SEMAINE_N1`,
08/12/2025) is the next full state: November declared, October corrected in a new EMI version, the ACI's AF
modification M2 validated with other ETP, a new exit (Julie MARCHAL, 30/11/2025).

The structures of the Meuse:
- 101 "Jardins de la Meuse", an ACI: AF 1001 `ACI055250001`, 1820 h per ETP. Its versions: M0 HISTORISE 1.50 ETP,
  M1 VALIDE 2.00 ETP (the one that counts in week N, its row repeated), M2 SAISI 3.00 ETP (pending, ignored);
  week N+1: M1 HISTORISE, M2 VALIDE 2.50 ETP.
- 102 "Intermède Barrois", an AI and an EI under one SIRET and one ASP id: AF 1002 `AI055250002` (AI_DC, 0.50 ETP,
  1607 h), AF 1003 `EI055250003` (EI_DC, 1.00 ETP, 1505 h: the AF's own hours, not the EI default of 1607), and
  AF 1004 `FDI055250004` (FDI_DC: kept out of every figure).
- 103 is in the Structure view with no AF: never created.
The Moselle (57): structure 201, AF 2001 `ACI057250001`, one salarié and his months: never loaded for 55.

The salariés (ASP person id → who, contracts, hours per month):
- ACI 501 Anne PERRIN (MME, 10/05/1999, QPV): contract 601 from 06/01/2025 (bRSA OUI-M), exit 30/06/2025 motif 1
  (CDI, emploi durable); 120 h January–June (March: 100 h in EMI version 1, 120 h in version 2).
- ACI 502 Bruno GARNIER (M., 01/03/1970, RQTH): contract 602 from 01/03/2025, exit 15/05/2025 motif 2 (transition);
  100 h March–May (March version 1: 80 h).
- ACI 503 Cédric ROUSSEL (M., 12/12/1985, two agréments in the Salarie view, the last one kept): contract 603 from
  01/10/2024 to 03/04/2025 (OUI-NM, DELD, level 50) renewed by 604 from 04/04/2025 (NON, level 40: a renewal does
  not change the situation at hire), exit 30/09/2025 motif 5 (décès, retrait); 130 h January–September, April split
  between the two contracts (20 h + 110 h).
- ACI 504 Julie MARCHAL (Mme, 15/06/1990, ZRR, DETLD): contract 605 from 01/02/2025; 140 h February–October (week
  N+1: October corrected to 150 h, November 140 h and the exit 30/11/2025 motif 3, sortie positive).
- AI 511 Emma COLIN (MME, 01/01/2000, QPV): contract 611 from 01/01/2025, exit 31/08/2025 motif 2; 30 h
  January–August (240 h: examined, 150 h at least).
- AI 512 Gérard HUMBERT (M., 01/05/1960, ZRR, level 1): contract 612 from 01/05/2025, exit 31/07/2025 motif 4;
  50 h, 50 h, 49.5 h (149.5 h: not examined).
- EI 521 Hugo LAMBERT (M., 02/01/1975, OUI-M): contract 621 from 01/01/2025; 140 h January–October (week N+1:
  November 140 h too). His January row is in the EMI file twice. A contract 623 that ends before it starts is
  ignored.
- EI 522 Inès MULLER (MME, 15/01/2000): contract 622 from 15/01/2025, exit 15/04/2025 motif 4 (hire + 3 months
  exactly: examined); 70 h, 140 h, 140 h, 60 h January–April.

The noise of shared/spec/fluxiae-cases.md: gzip and plain files; a BOM (Structure, EtatMensuelIndiv); CRLF line
ends (RefMotifSort); a lone `"` in free text (Structure, AnnexeFinanciere, Missions); exact duplicate rows
(Structure, AnnexeFinanciere, Salarie, EtatMensuelIndiv); a newline inside a field (EtatMensuelIndiv, the first
data record); no DEB row (ContratMission); unknown columns (Structure, EtatMensuelIndiv) and odd ones
(`af_nb_banques numeric`); two views the importer ignores (RefDepartement, Missions). Personal data in their real
columns, with values found nowhere else (`DONNEES_PERSONNELLES`).
"""

import gzip
from pathlib import Path

SEMAINE_N = 1
SEMAINE_N1 = 2
HORODATAGES = {SEMAINE_N: "01122025_063000", SEMAINE_N1: "08122025_063000"}
ANNEE = 2025

# ASP ids.
STRUCTURE_MEUSE_ACI, STRUCTURE_MEUSE_AI_EI, STRUCTURE_SANS_AF, STRUCTURE_MOSELLE = 101, 102, 103, 201
AF_ACI, AF_AI, AF_EI, AF_FDI, AF_MOSELLE = 1001, 1002, 1003, 1004, 2001
NUMEROS = {
    AF_ACI: "ACI055250001",
    AF_AI: "AI055250002",
    AF_EI: "EI055250003",
    AF_FDI: "FDI055250004",
    AF_MOSELLE: "ACI057250001",
}
SIRET_ACI = "41523476500018"
SIRET_AI_EI = "52814739600027"
SIRET_SANS_AF = "63925841700035"
SIRET_MOSELLE = "74136952800043"
NOM_ACI = "Jardins de la Meuse"
NOM_AI_EI = "Intermède Barrois"

# Exit motifs (RefMotifSort rms_id).
CDI, CDD_COURT, FORMATION, CHOMAGE, DECES = 1, 2, 3, 4, 5

# The persons of the Salarie view: (ASP id, PASS number, usage name, first name, birth date, civilité, QPV type,
# ZRR), then the personal data that must never be stored: NIR, e-mail, phone, postal address.
PERSONNES = {
    501: ("999992500001", "PERRIN", "Anne", "10/05/1999", "MME", "QP", "false"),
    502: ("999992500002", "GARNIER", "Bruno", "01/03/1970", "M.", "NQP", "false"),
    503: ("999992500003", "ROUSSEL", "Cédric", "12/12/1985", "M.", "NQP", "false"),
    504: ("999992500004", "MARCHAL", "Julie", "15/06/1990", "Mme", "NQP", "true"),
    511: ("999992500005", "COLIN", "Emma", "01/01/2000", "MME", "QP", "false"),
    512: ("999992500006", "HUMBERT", "Gérard", "01/05/1960", "M.", "NQP", "true"),
    521: ("999992500007", "LAMBERT", "Hugo", "02/01/1975", "M.", "NQP", "false"),
    522: ("999992500008", "MULLER", "Inès", "15/01/2000", "MME", "NQP", "false"),
    901: ("999992500901", "SCHMITT", "Karl", "01/01/1980", "M.", "NQP", "false"),
}
ANCIEN_AGREMENT_ROUSSEL = "999992300003"  # listed before his current one: the last of the file is kept
PRIVE = {
    # ASP id: (fake NIR, e-mail, phone without its leading 0 as the ASP writes it, street, commune)
    501: ("299055512300147", "anne.perrin.perso@courriel.test", "687140501",
          "Allée des Glycines Secrètes", "Haudainville"),
    502: ("170035512300248", "bruno.garnier.perso@courriel.test", "687140502",
          "Chemin du Moulin Caché", "Dieue-sur-Meuse"),
    503: ("185125512300349", "cedric.roussel.perso@courriel.test", "687140503",
          "Impasse des Tilleuls Discrets", "Belrupt-en-Verdunois"),
    504: ("290065512300450", "julie.marchal.perso@courriel.test", "687140504",
          "Rue du Lavoir Intime", "Charny-sur-Meuse"),
    511: ("200015512300551", "emma.colin.perso@courriel.test", "687140511",
          "Sentier des Roses Privées", "Longeville-en-Barrois"),
    512: ("160055512300652", "gerard.humbert.perso@courriel.test", "687140512",
          "Ruelle du Puits Secret", "Savonnières-devant-Bar"),
    521: ("175015512300753", "hugo.lambert.perso@courriel.test", "687140521",
          "Quai des Brumes Personnelles", "Fains-Véel"),
    522: ("200015512300854", "ines.muller.perso@courriel.test", "687140522",
          "Cour des Secrets Gardés", "Combles-en-Barrois"),
    901: ("180015712300955", "karl.schmitt.perso@courriel.test", "687140901",
          "Rue de la Moselle Privée", "Montigny-lès-Metz"),
}  # fmt: skip
# Bank fields, the AF's named people and free text, the persons' pay: personal or confidential, never stored.
BANQUE = {
    "af_bban": "FR7630006000011234567890189",
    "af_bic": "AGRIFRPP882",
    "af_nom_bqe": "Banque Imaginaire du Barrois",
    "af_titulaire_compte": "Titulaire Secret du Compte",
    "af_representant_nom": "REPRESENTANT-CONFIDENTIEL",
    "af_referent_courriel": "referent.prive@asso-meuse.test",
    "af_referent_telephone": "677665544",
    "af_observations": '"Observation confidentielle numéro 4471',  # a lone quote opening free text
}
SALAIRE_BRUT = "1713.37"
REMUNERATION_CONTRAT = "1834.56"
ADRESSE_CONTRAT = "Boulevard Personnel du Contrat"
# The technical contact of a structure may be kept (issue 11): not personal data of a salarié.
CONTACT_TECHNIQUE = "contact.technique@jardins-meuse.test"

DONNEES_PERSONNELLES = [
    *(valeur for prive in PRIVE.values() for valeur in prive),
    *BANQUE.values(),
    BANQUE["af_observations"].lstrip('"'),
    "Quartier Prioritaire Secret",
    SALAIRE_BRUT,
    REMUNERATION_CONTRAT,
    ADRESSE_CONTRAT,
]

# The headers: the allow-listed columns among others, in an order of the ASP's own, personal columns included.
ENTETES = {
    "Structure": [
        "structure_date_creation", "structure_date_modification", "structure_id_siae", "structure_siret_signature",
        "structure_siret_actualise", "structure_denomination", "structure_code_naf",
        "structure_adresse_admin_cplt_adresse", "structure_adresse_admin_cp", "structure_adresse_admin_commune",
        "structure_adresse_admin_code_insee", "structure_adresse_admin_telephone", "structure_colonne_apparue_en_2026",
        "structure_identifiant_corresp_technique", "structure_adresse_mail_corresp_technique",
        "structure_adresse_nom_corresp_technique", "structure_adresse_prenom_corresp_technique",
    ],
    "AnnexeFinanciere": [
        "af_id_annexe_financiere", "af_id_avenant_modification", "af_id_structure", "af_numero_convention",
        "af_numero_annexe_financiere", "af_numero_avenant_renouvellement", "af_numero_avenant_modification",
        "af_mesure_dispositif_id", "af_mesure_dispositif_code", "af_etat_annexe_financiere_id",
        "af_etat_annexe_financiere_code", "af_date_debut_effet", "af_date_fin_effet", "af_etp_postes_insertion",
        "af_duree_heure_annuel_etp_id", "af_duree_heure_annuel_etp_valeur", "af_montant_unitaire_annuel_valeur",
        "af_montant_total_annuel", "af_indic_cofinancement", "af_mt_cofinance", "af_taux_prev_sorties_dynamiques",
        "af_taux_prev_sorties_durable", "af_taux_prev_sorties_trans", "af_taux_prev_sorties_positives",
        "af_duree_collective_hebdo", "af_nb_banques numeric", "af_bban", "af_bic", "af_nom_bqe",
        "af_titulaire_compte", "af_representant_nom", "af_referent_courriel", "af_referent_telephone",
        "af_observations",
    ],
    "ContratMission": [
        "contrat_id_ctr", "contrat_id_pph", "contrat_id_structure", "contrat_mesure_disp_code",
        "contrat_type_contrat", "contrat_date_embauche", "contrat_date_fin_contrat",
        "contrat_date_sortie_definitive", "contrat_motif_sortie_id", "contrat_salarie_rsa", "contrat_salarie_rqth",
        "contrat_niveau_de_formation_code", "contrat_salarie_pe_duree_code", "contrat_format_contrat_code",
        "contrat_duree_hebdo_travail", "contrat_remuneration_brute_mensuelle", "contrat_adr_libelle_voie",
        "contrat_commune",
    ],
    "Salarie": [
        "salarie_id", "salarie_nir", "salarie_agrement", "salarie_nom_usage", "salarie_prenom",
        "salarie_date_naissance", "salarie_rci_libelle", "salarie_adr_numero_voie", "salarie_adr_libelle_voie",
        "salarie_commune", "salarie_adr_qpv_type", "salarie_adr_qpv_nom", "salarie_adr_is_zrr", "salarie_courriel",
        "salarie_telephone",
    ],
    # The real order (shared/spec/fluxiae.md §6.3), and a column the ASP has added since.
    "EtatMensuelIndiv": [
        "emi_date_creation", "emi_date_modification", "emi_afi_id", "emi_sme_mois", "emi_sme_annee",
        "emi_esm_etat_id", "emi_esm_etat_code", "emi_sme_version", "emi_date_validation", "emi_pph_id", "emi_ctr_id",
        "emi_nb_heures_travail", "emi_nb_mission", "emi_nb_heures_facturees", "emi_mt_salaire_brut",
        "emi_salarie_tjs_accomp", "emi_part_etp", "emi_date_fin_reelle", "emi_motif_sortie_id",
        "emi_motif_sortie_code", "emi_dsm_id", "emi_coefficient_degressive", "emi_colonne_apparue_en_2026",
    ],
    "RefMotifSort": ["rms_id", "rms_code", "rms_libelle", "rcs_id"],
    "RefCategorieSort": ["rcs_id", "rcs_code", "rcs_libelle"],
    "RefMontantIae": [
        "rmi_id", "rme_id", "rmi_code", "rmi_libelle", "rmi_valeur", "rmi_date_debut_effet", "rmi_date_fin_effet",
    ],
    "RefDepartement": ["rde_id", "rde_code_departement", "rde_libelle"],
    "Missions": ["mission_id_mis", "mission_id_ctr", "mission_descriptif", "mission_date_debut", "mission_date_fin"],
}  # fmt: skip


# Views --------------------------------------------------------------------------------------------------------------


def structures() -> list[dict]:
    aci = {
        "structure_id_siae": STRUCTURE_MEUSE_ACI,
        "structure_siret_signature": SIRET_ACI,
        "structure_siret_actualise": SIRET_ACI,
        "structure_denomination": NOM_ACI,
        "structure_adresse_admin_cplt_adresse": '"Bât. B',  # a lone quote: the next rows must not be swallowed
        "structure_adresse_admin_cp": "55100",
        "structure_adresse_admin_commune": "Verdun",
        "structure_adresse_admin_code_insee": "55545",
        "structure_adresse_admin_telephone": "329861234",
        "structure_colonne_apparue_en_2026": "x",
        "structure_adresse_mail_corresp_technique": CONTACT_TECHNIQUE,
        "structure_adresse_nom_corresp_technique": "TECHNIQUE",
        "structure_adresse_prenom_corresp_technique": "Tom",
    }
    ai_ei = {
        "structure_id_siae": STRUCTURE_MEUSE_AI_EI,
        "structure_siret_signature": SIRET_AI_EI,
        "structure_siret_actualise": SIRET_AI_EI,
        "structure_denomination": NOM_AI_EI,
        "structure_adresse_admin_cp": "55000",
        "structure_adresse_admin_commune": "Bar-le-Duc",
        "structure_adresse_admin_code_insee": "55029",
    }
    sans_af = {
        "structure_id_siae": STRUCTURE_SANS_AF,
        "structure_siret_actualise": SIRET_SANS_AF,
        "structure_denomination": "Structure sans annexe",
        "structure_adresse_admin_cp": "55200",
        "structure_adresse_admin_commune": "Commercy",
    }
    moselle = {
        "structure_id_siae": STRUCTURE_MOSELLE,
        "structure_siret_actualise": SIRET_MOSELLE,
        "structure_denomination": "Recyclerie de la Moselle",
        "structure_adresse_admin_cp": "57000",
        "structure_adresse_admin_commune": "Metz",
    }
    return [aci, moselle, ai_ei, ai_ei, sans_af]  # the AI/EI structure twice, as the ASP sometimes does


def _af(af, id_version, structure, mesure, modification, etat, etp, heures, **autres) -> dict:
    return {
        "af_id_annexe_financiere": af,
        "af_id_avenant_modification": id_version,
        "af_id_structure": structure,
        "af_numero_convention": f"{NUMEROS[af][-9:-6]} 010125 {mesure.split('_')[0]} 00001",
        "af_numero_annexe_financiere": NUMEROS[af],
        "af_numero_avenant_renouvellement": 0,
        "af_numero_avenant_modification": modification,
        "af_mesure_dispositif_code": mesure,
        "af_etat_annexe_financiere_code": etat,
        "af_date_debut_effet": "01/01/2025",
        "af_date_fin_effet": "31/12/2025",
        "af_etp_postes_insertion": etp,
        "af_duree_heure_annuel_etp_valeur": heures,
        "af_indic_cofinancement": "false",
        "af_duree_collective_hebdo": "35:00",
        "af_nb_banques numeric": "1",
        **autres,
    }


def annexes(semaine: int) -> list[dict]:
    objectifs = {
        "af_taux_prev_sorties_dynamiques": "55.00",
        "af_taux_prev_sorties_durable": "25.00",
        "af_taux_prev_sorties_trans": "20.00",
        "af_taux_prev_sorties_positives": "10.00",
    }
    aci = {"structure": STRUCTURE_MEUSE_ACI, "mesure": "ACI_DC", "heures": "1820.00", "af_mt_cofinance": "6000.00"}
    m0 = _af(AF_ACI, 7001, modification=0, etat="HISTORISE", etp="1.50", **aci, **objectifs, **BANQUE)
    if semaine == SEMAINE_N:
        m1 = _af(AF_ACI, 7002, modification=1, etat="VALIDE", etp="2.00", **aci, **objectifs)
        m2 = _af(AF_ACI, 7003, modification=2, etat="SAISI", etp="3.00", **aci, **objectifs)  # pending
        lignes_aci = [m0, m1, m1, m2]  # the M1 row twice, as in the real AF fixture
    else:
        m1 = _af(AF_ACI, 7002, modification=1, etat="HISTORISE", etp="2.00", **aci, **objectifs)
        m2 = _af(AF_ACI, 7003, modification=2, etat="VALIDE", etp="2.50", **aci, **objectifs)
        lignes_aci = [m0, m1, m2]
    return [
        *lignes_aci,
        _af(AF_MOSELLE, 7101, STRUCTURE_MOSELLE, "ACI_DC", 0, "VALIDE", "4.00", "1820.00"),
        _af(AF_AI, 7201, STRUCTURE_MEUSE_AI_EI, "AI_DC", 0, "VALIDE", "0.50", "1607.00"),
        _af(AF_EI, 7301, STRUCTURE_MEUSE_AI_EI, "EI_DC", 0, "VALIDE", "1.00", "1505.00"),
        _af(AF_FDI, 7401, STRUCTURE_MEUSE_AI_EI, "FDI_DC", 0, "VALIDE", "5.00", "", af_mt_cofinance="9000.00"),
    ]


def _contrat(ctr, pph, structure, mesure, rang, embauche, fin, sortie="", motif="", **autres) -> dict:
    return {
        "contrat_id_ctr": ctr,
        "contrat_id_pph": pph,
        "contrat_id_structure": structure,
        "contrat_mesure_disp_code": mesure,
        "contrat_type_contrat": rang,
        "contrat_date_embauche": embauche,
        "contrat_date_fin_contrat": fin,
        "contrat_date_sortie_definitive": sortie,
        "contrat_motif_sortie_id": motif,
        "contrat_salarie_rsa": "NON",
        "contrat_salarie_rqth": "false",
        "contrat_format_contrat_code": "CDDI",
        "contrat_duree_hebdo_travail": "26:00",
        "contrat_remuneration_brute_mensuelle": REMUNERATION_CONTRAT,
        "contrat_adr_libelle_voie": ADRESSE_CONTRAT,
        "contrat_commune": PRIVE[pph][4],
        **autres,
    }


def contrats(semaine: int) -> list[dict]:
    aci, ai_ei = STRUCTURE_MEUSE_ACI, STRUCTURE_MEUSE_AI_EI
    sortie_marchal = {"sortie": "30/11/2025", "motif": FORMATION} if semaine == SEMAINE_N1 else {}
    return [
        _contrat(601, 501, aci, "ACI_DC", 0, "06/01/2025", "05/01/2026", "30/06/2025", CDI,
                 contrat_salarie_rsa="OUI-M", contrat_niveau_de_formation_code="40"),
        _contrat(602, 502, aci, "ACI_DC", 0, "01/03/2025", "28/02/2026", "15/05/2025", CDD_COURT,
                 contrat_salarie_rqth="true", contrat_niveau_de_formation_code="51",
                 contrat_duree_hebdo_travail="35:00"),
        _contrat(911, 901, STRUCTURE_MOSELLE, "ACI_DC", 0, "01/01/2025", "31/12/2025",
                 contrat_salarie_rsa="OUI-M"),
        _contrat(603, 503, aci, "ACI_DC", 0, "01/10/2024", "03/04/2025",
                 contrat_salarie_rsa="OUI-NM", contrat_niveau_de_formation_code="50",
                 contrat_salarie_pe_duree_code="DE 12 A 23 MOIS", contrat_duree_hebdo_travail="24h"),
        _contrat(604, 503, aci, "ACI_DC", 1, "04/04/2025", "03/10/2025", "30/09/2025", DECES,
                 contrat_niveau_de_formation_code="40", contrat_duree_hebdo_travail="20:00"),
        _contrat(605, 504, aci, "ACI_DC", 0, "01/02/2025", "31/01/2026", **sortie_marchal,
                 contrat_niveau_de_formation_code="51", contrat_salarie_pe_duree_code="24 MOIS ET PLUS",
                 contrat_duree_hebdo_travail="99:99"),
        _contrat(611, 511, ai_ei, "AI_DC", 0, "01/01/2025", "31/12/2025", "31/08/2025", CDD_COURT,
                 contrat_niveau_de_formation_code="30", contrat_format_contrat_code="MISSION"),
        _contrat(612, 512, ai_ei, "AI_DC", 0, "01/05/2025", "31/12/2025", "31/07/2025", CHOMAGE,
                 contrat_niveau_de_formation_code="1", contrat_format_contrat_code="MISSION"),
        _contrat(621, 521, ai_ei, "EI_DC", 0, "01/01/2025", "31/12/2025",
                 contrat_salarie_rsa="OUI-M", contrat_niveau_de_formation_code="41"),
        _contrat(623, 521, ai_ei, "EI_DC", 1, "01/06/2025", "01/05/2025"),  # ends before it starts: ignored
        _contrat(622, 522, ai_ei, "EI_DC", 0, "15/01/2025", "14/07/2025", "15/04/2025", CHOMAGE,
                 contrat_niveau_de_formation_code="30"),
    ]  # fmt: skip


def salaries() -> list[dict]:
    lignes = []
    for pph, (agrement, nom, prenom, naissance, civilite, qpv, zrr) in PERSONNES.items():
        nir, courriel, telephone, voie, commune = PRIVE[pph]
        ligne = {
            "salarie_id": pph,
            "salarie_nir": nir,
            "salarie_agrement": agrement,
            "salarie_nom_usage": nom,
            "salarie_prenom": prenom,
            "salarie_date_naissance": naissance,
            "salarie_rci_libelle": civilite,
            "salarie_adr_numero_voie": "12",
            "salarie_adr_libelle_voie": voie,
            "salarie_commune": commune,
            "salarie_adr_qpv_type": qpv,
            "salarie_adr_qpv_nom": "Quartier Prioritaire Secret" if qpv == "QP" else "",
            "salarie_adr_is_zrr": zrr,
            "salarie_courriel": courriel,
            "salarie_telephone": telephone,
        }
        if pph == 503:
            lignes.append({**ligne, "salarie_agrement": ANCIEN_AGREMENT_ROUSSEL})
        lignes.append(ligne)
        if pph == 511:
            lignes.append(ligne)  # an exact duplicate
    return lignes


def _emi(af, mois, pph, ctr, heures, *, version=1, etat="VALIDE", sortie="", motif="", annee=ANNEE) -> dict:
    return {
        "emi_date_creation": f"05/{mois % 12 + 1:02d}/{annee + mois // 12} 10:15:00",
        "emi_afi_id": af,
        "emi_sme_mois": mois,
        "emi_sme_annee": annee,
        "emi_esm_etat_id": 3,
        "emi_esm_etat_code": etat,
        "emi_sme_version": version,
        "emi_date_validation": f"12/{mois % 12 + 1:02d}/{annee + mois // 12}",
        "emi_pph_id": pph,
        "emi_ctr_id": ctr,
        "emi_nb_heures_travail": heures,
        "emi_mt_salaire_brut": SALAIRE_BRUT,
        "emi_salarie_tjs_accomp": "true",
        "emi_date_fin_reelle": sortie,
        "emi_motif_sortie_id": motif,
        "emi_motif_sortie_code": motif,
        "emi_dsm_id": f"9{af}{mois:02d}{version}{ctr}",
    }


def etats_mensuels(semaine: int) -> list[dict]:
    """The EMI rows, written month by month as ranges so that the hours add up by hand."""
    lignes = []
    # The Moselle first: none of it may be loaded for the Meuse.
    lignes += [_emi(AF_MOSELLE, m, 901, 911, "100") for m in range(1, 11)]

    # ACI: Anne PERRIN 120 h January–June, exit 30/06. Her January row carries a newline inside a field (the pay):
    # every later record starts one physical line further.
    for m in range(1, 7):
        sortie = {"sortie": "30/06/2025", "motif": CDI} if m == 6 else {}
        lignes.append(_emi(AF_ACI, m, 501, 601, "120", version=2 if m == 3 else 1, **sortie))
    lignes[-6]["emi_mt_salaire_brut"] += "\n"
    # Bruno GARNIER 100 h March–May, exit 15/05.
    for m in range(3, 6):
        sortie = {"sortie": "15/05/2025", "motif": CDD_COURT} if m == 5 else {}
        lignes.append(_emi(AF_ACI, m, 502, 602, "100", version=2 if m == 3 else 1, **sortie))
    # Cédric ROUSSEL 130 h January–September; April on two contracts of his parcours; exit 30/09.
    for m in range(1, 10):
        if m <= 3:
            lignes.append(_emi(AF_ACI, m, 503, 603, "130", version=2 if m == 3 else 1))
        elif m == 4:
            lignes.append(_emi(AF_ACI, 4, 503, 603, "20"))
            lignes.append(_emi(AF_ACI, 4, 503, 604, "110"))
        else:
            sortie = {"sortie": "30/09/2025", "motif": DECES} if m == 9 else {}
            lignes.append(_emi(AF_ACI, m, 503, 604, "130", **sortie))
    # Julie MARCHAL 140 h February–October (week N+1: October corrected to 150 h in version 2, and November).
    for m in range(2, 10):
        lignes.append(_emi(AF_ACI, m, 504, 605, "140", version=2 if m == 3 else 1))
    lignes.append(_emi(AF_ACI, 10, 504, 605, "140", etat="SAISI" if semaine == SEMAINE_N else "VALIDE"))
    if semaine == SEMAINE_N1:
        lignes.append(_emi(AF_ACI, 10, 504, 605, "150", version=2))
        lignes.append(_emi(AF_ACI, 11, 504, 605, "140", sortie="30/11/2025", motif=FORMATION))
    # March, version 1: other hours for the same persons, superseded by version 2 above.
    lignes += [
        _emi(AF_ACI, 3, 501, 601, "100"),
        _emi(AF_ACI, 3, 502, 602, "80"),
        _emi(AF_ACI, 3, 503, 603, "130"),
        _emi(AF_ACI, 3, 504, 605, "140"),
    ]

    # AI: Emma COLIN 30 h January–August, exit 31/08; Gérard HUMBERT 50 + 50 + 49.5 h May–July, exit 31/07.
    for m in range(1, 9):
        sortie = {"sortie": "31/08/2025", "motif": CDD_COURT} if m == 8 else {}
        lignes.append(_emi(AF_AI, m, 511, 611, "30", **sortie))
    lignes.append(_emi(AF_AI, 5, 512, 612, "50"))
    lignes.append(_emi(AF_AI, 6, 512, 612, "50"))
    lignes.append(_emi(AF_AI, 7, 512, 612, "49.5", sortie="31/07/2025", motif=CHOMAGE))

    # EI: Inès MULLER 70, 140, 140, 60 h January–April, exit 15/04; Hugo LAMBERT 140 h January–October (November
    # in week N+1), his January row twice.
    for m, heures in ((1, "70"), (2, "140"), (3, "140"), (4, "60")):
        sortie = {"sortie": "15/04/2025", "motif": CHOMAGE} if m == 4 else {}
        lignes.append(_emi(AF_EI, m, 522, 622, heures, **sortie))
    lignes.append(_emi(AF_EI, 1, 521, 621, "140"))
    lignes.append(_emi(AF_EI, 1, 521, 621, "140"))  # an exact duplicate: counted once
    for m in range(2, 12 if semaine == SEMAINE_N1 else 11):
        lignes.append(_emi(AF_EI, m, 521, 621, "140"))
    return lignes


def motifs() -> list[dict]:
    return [
        {"rms_id": CDI, "rms_code": "01", "rms_libelle": "Embauche en CDI", "rcs_id": 1},
        {"rms_id": CDD_COURT, "rms_code": "02", "rms_libelle": "CDD de moins de 6 mois", "rcs_id": 2},
        {"rms_id": FORMATION, "rms_code": "03", "rms_libelle": "Entrée en formation qualifiante", "rcs_id": 3},
        {"rms_id": CHOMAGE, "rms_code": "04", "rms_libelle": "Au chômage", "rcs_id": 4},
        {"rms_id": DECES, "rms_code": "05", "rms_libelle": "Décès", "rcs_id": 5},
    ]


def categories() -> list[dict]:
    # The labels as an ASP export may write them: case and accents vary.
    return [
        {"rcs_id": 1, "rcs_code": "1", "rcs_libelle": "EMPLOI DURABLE"},
        {"rcs_id": 2, "rcs_code": "2", "rcs_libelle": "Emploi de Transition"},
        {"rcs_id": 3, "rcs_code": "3", "rcs_libelle": "Sortie(s) positive(s)"},
        {"rcs_id": 4, "rcs_code": "4", "rcs_libelle": "autres sorties"},
        {"rcs_id": 5, "rcs_code": "5", "rcs_libelle": "Retrait des sorties constatées"},
    ]


def montants() -> list[dict]:
    ligne = {"rmi_code": "DUR_AN_ETP", "rmi_libelle": "Nombre d'heures annuelles théoriques"}
    return [
        {**ligne, "rmi_id": 11, "rme_id": 2, "rmi_valeur": "1820.00", "rmi_date_debut_effet": "01/01/2021",
         "rmi_date_fin_effet": "/"},
        {**ligne, "rmi_id": 12, "rme_id": 1, "rmi_valeur": "1607.00", "rmi_date_debut_effet": "01/01/2021",
         "rmi_date_fin_effet": "/"},
        {**ligne, "rmi_id": 15, "rme_id": 3, "rmi_valeur": "1505.00", "rmi_date_debut_effet": "01/01/2021",
         "rmi_date_fin_effet": ""},
    ]  # fmt: skip


# Files --------------------------------------------------------------------------------------------------------------


def texte_de_vue(vue: str, lignes: list[dict], horodatage: str, *, deb: bool = True, fin_de_ligne: str = "\n") -> str:
    """A whole file as the ASP writes it: `DEB<Vue><date>` padded with `|`, the header, the rows `|`-separated
    with no quoting, `FIN<n>` padded with `|` (n = the records, duplicates included)."""
    entete = ENTETES[vue]
    bourrage = "|" * (len(entete) - 1)
    rangs = ["|".join(str(ligne.get(colonne, "")) for colonne in entete) for ligne in lignes]
    texte = [f"DEB{vue}{horodatage}{bourrage}"] if deb else []
    texte += ["|".join(entete), *rangs, f"FIN{len(rangs)}{bourrage}"]
    return fin_de_ligne.join(texte) + fin_de_ligne


def nom_de_fichier(vue: str, semaine: int, gz: bool) -> str:
    return f"fluxIAE_{vue}_{HORODATAGES[semaine]}.csv{'.gz' if gz else ''}"


# How each view is delivered: (gzip, BOM, DEB row, line end).
LIVRAISON = {
    "Structure": (False, True, True, "\n"),
    "AnnexeFinanciere": (True, False, True, "\n"),
    "ContratMission": (False, False, False, "\n"),
    "Salarie": (True, False, True, "\n"),
    "EtatMensuelIndiv": (True, True, True, "\n"),
    "RefMotifSort": (False, False, True, "\r\n"),
    "RefCategorieSort": (True, False, True, "\n"),
    "RefMontantIae": (False, False, True, "\n"),
    "RefDepartement": (False, False, True, "\n"),
    "Missions": (True, False, True, "\n"),
}


def lignes_des_vues(semaine: int) -> dict[str, list[dict]]:
    return {
        "Structure": structures(),
        "AnnexeFinanciere": annexes(semaine),
        "ContratMission": contrats(semaine),
        "Salarie": salaries(),
        "EtatMensuelIndiv": etats_mensuels(semaine),
        "RefMotifSort": motifs(),
        "RefCategorieSort": categories(),
        "RefMontantIae": montants(),
        "RefDepartement": [{"rde_id": 55, "rde_code_departement": "055", "rde_libelle": "Meuse"}],
        "Missions": [{"mission_id_mis": 1, "mission_id_ctr": 611, "mission_descriptif": '"AIEHPAD entretien'}],
    }


def ecrire_flux(dossier: Path, semaine: int = SEMAINE_N, corruption: dict | None = None) -> Path:
    """Write the flux of a week into `dossier` (created). `corruption` ({column: raw value}) replaces values in
    Hugo LAMBERT's EMI row of October 2025, a row of the Meuse after the newline inside a field."""
    dossier.mkdir(parents=True, exist_ok=True)
    horodatage = HORODATAGES[semaine]
    for vue, lignes in lignes_des_vues(semaine).items():
        if vue == "EtatMensuelIndiv" and corruption:
            cible = next(ligne for ligne in lignes if ligne["emi_ctr_id"] == 621 and ligne["emi_sme_mois"] == 10)
            cible.update(corruption)
        gz, bom, deb, fin_de_ligne = LIVRAISON[vue]
        # The DEB row carries another time than the file name, as in the real AF fixture.
        texte = texte_de_vue(vue, lignes, horodatage.replace("_0630", "_0512"), deb=deb, fin_de_ligne=fin_de_ligne)
        contenu = (("\ufeff" if bom else "") + texte).encode("utf-8")
        (dossier / nom_de_fichier(vue, semaine, gz)).write_bytes(gzip.compress(contenu) if gz else contenu)
    return dossier


def texte_du_fichier(dossier: Path, vue: str, semaine: int) -> str:
    """The decompressed text of a view's file, as a text editor shows it."""
    gz = LIVRAISON[vue][0]
    contenu = (dossier / nom_de_fichier(vue, semaine, gz)).read_bytes()
    return (gzip.decompress(contenu) if gz else contenu).decode("utf-8")
