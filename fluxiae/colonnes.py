"""The columns read from each fluxIAE view: an allow-list (shared/spec/fluxiae.md §8).

A column missing from this list is never converted, returned or stored: the NIR, addresses, phones, bank fields
and free-text observations of the flux stay in the file. Adding a column here is the only way to read it.

Types (`lecture.py` converts them):
- `entier`: a whole number;
- `decimal`: a `Decimal`, `.` as separator (`12` and `12.5`);
- `date`: `JJ/MM/AAAA`, or a date-time `JJ/MM/AAAA HH:MM[:SS]` whose date is kept; never month-first;
- `date_fin_effet`: a `date` where `/` means "no end" (the referentials' open periods) and gives None;
- `mois`: a whole number from 1 to 12;
- `booleen`: the literals `true` / `false`, in any case;
- `code`: text kept as is but for surrounding spaces (SIRET, postcodes, codes keep their leading zeros);
- `texte`: text without surrounding spaces.
An empty field gives None; it is an error when the column is `obligatoire`.
"""

from dataclasses import dataclass

TYPES = frozenset({"entier", "decimal", "date", "date_fin_effet", "mois", "booleen", "code", "texte"})


@dataclass(frozen=True, slots=True)
class Colonne:
    nom: str
    type: str
    obligatoire: bool = False

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"type de colonne inconnu : {self.type}")


def _vue(*colonnes: tuple) -> tuple[Colonne, ...]:
    return tuple(Colonne(*colonne) for colonne in colonnes)


OBL = True

VUES: dict[str, tuple[Colonne, ...]] = {
    "Structure": _vue(
        ("structure_id_siae", "entier", OBL),
        ("structure_siret_actualise", "code", OBL),
        ("structure_siret_signature", "code"),
        ("structure_denomination", "texte", OBL),
        ("structure_adresse_admin_cp", "code"),
        ("structure_adresse_admin_commune", "texte"),
        ("structure_adresse_admin_code_insee", "code"),
        # The technical contact is kept as a contact of the structure (issue 11, personal data).
        ("structure_adresse_mail_corresp_technique", "texte"),
        ("structure_adresse_nom_corresp_technique", "texte"),
        ("structure_adresse_prenom_corresp_technique", "texte"),
    ),
    "AnnexeFinanciere": _vue(
        ("af_id_annexe_financiere", "entier", OBL),
        ("af_id_avenant_modification", "entier", OBL),
        ("af_id_structure", "entier", OBL),
        ("af_mesure_dispositif_code", "code", OBL),
        ("af_numero_annexe_financiere", "code", OBL),
        ("af_numero_avenant_renouvellement", "entier", OBL),
        ("af_numero_avenant_modification", "entier", OBL),
        ("af_numero_convention", "code"),
        ("af_etat_annexe_financiere_code", "code", OBL),
        ("af_date_debut_effet", "date", OBL),
        ("af_date_fin_effet", "date", OBL),
        ("af_etp_postes_insertion", "decimal"),
        ("af_duree_heure_annuel_etp_valeur", "decimal"),
        ("af_montant_unitaire_annuel_valeur", "decimal"),
        ("af_montant_total_annuel", "decimal"),
        ("af_mt_cofinance", "decimal"),
        ("af_taux_prev_sorties_dynamiques", "decimal"),
        ("af_taux_prev_sorties_durable", "decimal"),
        ("af_taux_prev_sorties_trans", "decimal"),
        ("af_taux_prev_sorties_positives", "decimal"),
    ),
    "ContratMission": _vue(
        ("contrat_id_ctr", "entier", OBL),
        ("contrat_id_pph", "entier", OBL),
        ("contrat_id_structure", "entier", OBL),
        ("contrat_mesure_disp_code", "code", OBL),
        ("contrat_type_contrat", "entier", OBL),
        ("contrat_date_embauche", "date", OBL),
        ("contrat_date_fin_contrat", "date"),
        ("contrat_date_sortie_definitive", "date"),
        ("contrat_motif_sortie_id", "entier"),
        ("contrat_salarie_rsa", "code"),
        ("contrat_salarie_rqth", "booleen"),
        ("contrat_niveau_de_formation_code", "code"),
        ("contrat_salarie_pe_duree_code", "code"),
        ("contrat_format_contrat_code", "code"),
        # Malformed HH:MM values are common (fluxiae-cases.md 14): text, never an error.
        ("contrat_duree_hebdo_travail", "texte"),
    ),
    "Salarie": _vue(
        ("salarie_id", "entier", OBL),
        ("salarie_agrement", "code", OBL),  # the PASS IAE number
        ("salarie_nom_usage", "texte"),
        ("salarie_prenom", "texte"),
        ("salarie_date_naissance", "date"),
        ("salarie_rci_libelle", "code"),
        ("salarie_adr_qpv_type", "code"),
        ("salarie_adr_is_zrr", "booleen"),
    ),
    "EtatMensuelIndiv": _vue(
        ("emi_afi_id", "entier", OBL),
        ("emi_sme_annee", "entier", OBL),
        ("emi_sme_mois", "mois", OBL),
        ("emi_esm_etat_code", "code"),
        ("emi_sme_version", "entier", OBL),
        ("emi_pph_id", "entier", OBL),
        ("emi_ctr_id", "entier"),
        ("emi_nb_heures_travail", "decimal"),
        ("emi_date_fin_reelle", "date"),
        ("emi_motif_sortie_id", "entier"),
        ("emi_date_validation", "date"),
        ("emi_dsm_id", "entier"),
    ),
    "RefMotifSort": _vue(
        ("rms_id", "entier", OBL),
        ("rms_code", "code"),
        ("rms_libelle", "texte", OBL),
        ("rcs_id", "entier", OBL),
    ),
    "RefCategorieSort": _vue(
        ("rcs_id", "entier", OBL),
        ("rcs_code", "code"),
        ("rcs_libelle", "texte", OBL),
    ),
    "RefMontantIae": _vue(
        ("rmi_id", "entier", OBL),
        ("rmi_code", "code", OBL),
        ("rmi_valeur", "decimal"),
        ("rme_id", "entier"),
        ("rmi_date_debut_effet", "date"),
        ("rmi_date_fin_effet", "date_fin_effet"),
    ),
}

# Every view read must be in the flux, once: an import from a partial flux would silently lose data.
VUES_REQUISES: tuple[str, ...] = tuple(VUES)
