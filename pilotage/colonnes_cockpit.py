"""The columns of the cockpit's downloads: the French labels of the page, the kind of each figure (what the XLSX
formats and the CSV writes with a decimal comma), over the rows `pilotage.cockpit.Cockpit.tableau` builds."""

from base.exports import ENTIER, ETP, MOIS, MONTANT, TAUX, TEXTE, Colonne, Valeur
from declarations.queries import LIBELLES as LIBELLES_DECLARATIONS
from indicateurs.exports import (
    ANNEE_DES_SORTIES,
    COLONNES_PUBLICS,
    COLONNES_SORTIES,
    STATUTS_CONSOMMATION,
)

# The key figures: one per row, each of its own kind.
CHIFFRES = {
    "etp_conventionnes": ("ETP conventionnés", ETP),
    "etp_realises": ("ETP réalisés", ETP),
    "taux_consommation": ("Taux de consommation", TAUX),
    "aides_au_poste_total_conventionne": ("Aides au poste conventionnées", MONTANT),
    "taux_sorties_dynamiques": ("Sorties dynamiques", TAUX),
    "structures_conventionnees": ("Structures conventionnées", ENTIER),
}

UNITES = {ETP: "ETP", TAUX: "%", MONTANT: "€", ENTIER: ""}

TYPE = Colonne("type", "Type", TEXTE, 10)
SIRET = Colonne("siret", "SIRET", TEXTE, 16)


def _taux(cle: str, libelle: str) -> Colonne:
    return Colonne(cle, libelle, TAUX, 14)


COLONNES = {
    "chiffres": [
        Colonne("indicateur", "Indicateur", TEXTE, 34, {cle: libelle for cle, (libelle, _) in CHIFFRES.items()}),
        Colonne("valeur", "Valeur", TEXTE, 20),
        # A CSV has no formats: the unit of each figure (a rate is written in %, as on the page).
        Colonne("unite", "Unité", TEXTE, 8),
    ],
    "consommation": [
        TYPE,
        Colonne("etp_conventionnes", "ETP conventionnés", ETP),
        Colonne("etp_realises", "ETP réalisés", ETP),
        _taux("taux_consommation", "Taux de consommation"),
    ],
    "mensuel": [
        Colonne("mois", "Mois", MOIS, 16),
        Colonne("etp_mois_conventionnes", "ETP-mois conventionnés", ETP),
        Colonne("etp_mois_realises", "ETP-mois réalisés", ETP),
        Colonne("cumul_conventionne", "Conventionné cumulé", ETP),
        Colonne("cumul_realise", "Réalisé cumulé", ETP),
        Colonne("projection_cumul", "Projection", ETP),
    ],
    "structures": [
        SIRET,
        Colonne("nom", "Structure", TEXTE),
        TYPE,
        Colonne("etp_conventionnes", "ETP conventionnés", ETP),
        Colonne("etp_realises", "ETP réalisés", ETP),
        _taux("taux_consommation", "Taux de consommation"),
        Colonne("statut_consommation", "Statut", TEXTE, 18, STATUTS_CONSOMMATION),
        # No "projection" column: in ETP it is the ETP réalisés themselves (docs/decisions.md), as on the page.
        Colonne("ecart_projection_etp", "Écart projeté fin d'année (ETP)", ETP),
    ],
    # The indicator pages' columns (the cockpit's rows have no "objectif atteint").
    "sorties": [ANNEE_DES_SORTIES, TYPE, *COLONNES_SORTIES],
    "publics": [TYPE, *(c for c in COLONNES_PUBLICS if c.cle != "atteint")],
    "aides": [
        TYPE,
        Colonne("socle_conventionne", "Socle conventionné", MONTANT),
        Colonne("modulation", "Modulation", MONTANT),
        Colonne("total_conventionne", "Total conventionné", MONTANT),
        Colonne("du", "Dû", MONTANT),
        Colonne("verse", "Versé", MONTANT),
    ],
    "financeurs": [
        Colonne("libelle", "Financeur", TEXTE),
        Colonne("engage", "Engagé", MONTANT),
        Colonne("verse", "Versé", MONTANT),
        Colonne("reste_a_verser", "Reste à verser", MONTANT),
        Colonne("part_variable_max", "Part variable max.", MONTANT),
        Colonne("lignes", "Lignes saisies", ENTIER),
        Colonne("annexes", "Annexes", ENTIER),
    ],
    "declarations": [
        Colonne("mois", "Mois", MOIS, 16),
        *(Colonne(cle, libelle, ENTIER) for cle, libelle in LIBELLES_DECLARATIONS.items()),
    ],
    "retards": [
        Colonne("mois", "Mois déclaré", MOIS, 16),
        Colonne("structure", "Structure", TEXTE),
        TYPE,
        Colonne("annexe", "Annexe", TEXTE, 22),
        Colonne("statut", "Statut", TEXTE, 14),
        Colonne("etat", "État", TEXTE, 16),
    ],
}


def lignes_typees(bloc: str, lignes: list[dict]) -> list[dict]:
    """The key figures' values each with its kind; the other tables' rows as they are."""
    if bloc != "chiffres":
        return lignes
    return [
        {
            **ligne,
            "valeur": Valeur(CHIFFRES[ligne["indicateur"]][1], ligne["valeur"]),
            "unite": UNITES[CHIFFRES[ligne["indicateur"]][1]],
        }
        if ligne["indicateur"] in CHIFFRES
        else ligne
        for ligne in lignes
    ]
