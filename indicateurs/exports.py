"""The downloads of the indicator pages (consommation, sorties, publics): each table of the page, under its French
labels and with the kind of each figure (base/exports.py), from the objects the page itself shows. The XLSX has one
sheet per table; the CSV holds them one after the other, each row naming its table."""

from base.exports import ANNEE, ENTIER, ETP, TAUX, TEXTE, Colonne, Tableau
from base.formats import taux
from indicateurs.regles import CONFORME, SOUS_CONSOMMATION, SUR_CONSOMMATION
from indicateurs.sections import ligne_publics, ligne_sorties

STATUTS_CONSOMMATION = {
    SOUS_CONSOMMATION: "Sous-consommation",
    CONFORME: "Conforme",
    SUR_CONSOMMATION: "Sur-consommation",
}
TYPE = Colonne("type", "Type", TEXTE, 10)
SIRET = Colonne("siret", "SIRET", TEXTE, 16)
STRUCTURE = Colonne("nom", "Structure", TEXTE, 40)
DEPARTEMENT = Colonne("departement", "Département", TEXTE, 24)


def _taux(cle: str, libelle: str) -> Colonne:
    return Colonne(cle, libelle, TAUX, 14)


def _atteint(sous: bool, realise, objectif) -> str | None:
    """ "oui" / "non" as the page's badge, None when the rate or the objective is missing."""
    if realise is None or objectif is None:
        return None
    return "non" if sous else "oui"


# Consommation -------------------------------------------------------------------------------------------------------

COLONNES_CONSOMMATION = [
    Colonne("etp_conventionnes", "ETP conventionnés", ETP),
    Colonne("etp_realises", "ETP réalisés", ETP),
    _taux("taux_consommation", "Taux de consommation"),
    Colonne("statut", "Statut", TEXTE, 18, STATUTS_CONSOMMATION),
]


def _consommation(ligne) -> dict:
    return {
        "etp_conventionnes": ligne.etp_conventionnes,
        "etp_realises": ligne.etp_realises,
        "taux_consommation": taux(ligne.taux),
        "statut": ligne.statut,
    }


def tableaux_consommation(contexte: dict, filtres) -> list[Tableau]:
    tableaux = [
        Tableau(
            "Consommation par type",
            [TYPE, *COLONNES_CONSOMMATION],
            [{"type": ligne.cle, **_consommation(ligne)} for ligne in contexte["par_type"]],
            filtres,
        )
    ]
    if contexte.get("par_departement"):
        tableaux.append(
            Tableau(
                "Consommation par département",
                [DEPARTEMENT, *COLONNES_CONSOMMATION],
                [
                    {"departement": f"{code} – {nom}", **_consommation(c)}
                    for code, nom, c in contexte["par_departement"]
                ],
                filtres,
            )
        )
    tableaux.append(
        Tableau(
            "Consommation par structure",
            [
                SIRET,
                STRUCTURE,
                TYPE,
                *COLONNES_CONSOMMATION,
                Colonne("projection_etp", "Projection fin d'année (ETP)", ETP),
                Colonne("ecart_projection_etp", "Écart (ETP)", ETP),
            ],
            [
                {
                    "siret": s.siret,
                    "nom": s.nom,
                    "type": s.type,
                    **_consommation(s.reference),
                    "projection_etp": s.projection_etp,
                    "ecart_projection_etp": s.ecart_projection_etp,
                }
                for s in contexte["structures"]
            ],
            filtres,
        )
    )
    return tableaux


# Sorties ------------------------------------------------------------------------------------------------------------

COLONNES_SORTIES = [
    Colonne("examinees", "Sorties examinées", ENTIER),
    Colonne("retraits", "Retraits", ENTIER),
    Colonne("emploi_durable", "Emploi durable", ENTIER),
    Colonne("emploi_transition", "Emploi de transition", ENTIER),
    Colonne("sorties_positives", "Sorties positives", ENTIER),
    Colonne("autres", "Autres", ENTIER),
    _taux("taux_sorties_dynamiques", "Taux de sorties dynamiques"),
    _taux("taux_emploi_durable", "Taux d'emploi durable"),
]
ANNEE_DES_SORTIES = Colonne("annee", "Année", ANNEE)


def tableaux_sorties(contexte: dict, filtres) -> list[Tableau]:
    def par_annee(lignes, cle: str) -> list[dict]:
        return [
            {"annee": annee, **ligne_sorties(ligne.cle, compte), cle: ligne.cle}
            for ligne in lignes
            for annee, compte in ligne.par_annee
        ]

    tableaux = [
        Tableau(
            "Sorties par type",
            [ANNEE_DES_SORTIES, TYPE, *COLONNES_SORTIES],
            par_annee(contexte["par_type"], "type"),
            filtres,
        )
    ]
    if contexte.get("par_departement"):
        tableaux.append(
            Tableau(
                "Sorties par département",
                [ANNEE_DES_SORTIES, DEPARTEMENT, *COLONNES_SORTIES],
                par_annee(contexte["par_departement"], "departement"),
                filtres,
            )
        )
    tableaux.append(
        Tableau(
            "Sorties par structure",
            [
                SIRET,
                STRUCTURE,
                TYPE,
                *COLONNES_SORTIES,
                _taux("objectif", "Objectif de sorties dynamiques"),
                Colonne("atteint", "Objectif atteint", TEXTE, 10),
                Colonne("annexe", "Annexe", TEXTE, 22),
            ],
            [
                {
                    **ligne_sorties(s.structure.type, s.compte),
                    "siret": s.structure.siret,
                    "nom": s.structure.nom,
                    "objectif": s.objectif,
                    "atteint": _atteint(s.sous_l_objectif, s.compte.taux_sorties_dynamiques, s.objectif),
                    "annexe": s.annexe.numero if s.annexe else None,
                }
                for s in contexte["structures"]
            ],
            filtres,
        )
    )
    return tableaux


# Publics ------------------------------------------------------------------------------------------------------------

COLONNES_PUBLICS = [
    Colonne("salaries", "Salariés", ENTIER),
    _taux("femmes", "Femmes"),
    _taux("brsa", "bRSA"),
    _taux("qpv", "QPV"),
    _taux("zrr", "ZRR"),
    _taux("moins_26_ans", "Moins de 26 ans"),
    _taux("50_ans_et_plus", "50 ans et plus"),
    _taux("rqth", "RQTH"),
    _taux("deld_detld", "DELD, DETLD"),
    _taux("infra_cap", "Niveau infra CAP"),
    Colonne("embauches", "Embauches", ENTIER),
    Colonne("embauches_brsa", "dont bRSA", ENTIER),
    _taux("part_brsa_embauches", "Part bRSA dans les embauches"),
    _taux("objectif_brsa", "Objectif bRSA"),
    Colonne("atteint", "Objectif atteint", TEXTE, 10),
]


def _publics(cle: str, publics, embauches) -> dict:
    return {
        **ligne_publics(cle, publics),
        "embauches": embauches.embauches,
        "embauches_brsa": embauches.brsa,
        "part_brsa_embauches": taux(embauches.part),
        "objectif_brsa": embauches.objectif,
        "atteint": _atteint(embauches.sous_l_objectif, embauches.part, embauches.objectif),
    }


def tableaux_publics(contexte: dict, filtres) -> list[Tableau]:
    return [
        Tableau(
            "Publics par type",
            [TYPE, *COLONNES_PUBLICS],
            [_publics(ligne.cle, ligne.publics, ligne.embauches) for ligne in contexte["par_type"]],
            filtres,
        ),
        Tableau(
            "Publics par structure",
            [SIRET, STRUCTURE, TYPE, *COLONNES_PUBLICS],
            [
                {
                    **_publics(s.structure.type, s.publics, s.embauches),
                    "siret": s.structure.siret,
                    "nom": s.structure.nom,
                }
                for s in contexte["structures"]
            ],
            filtres,
        ),
    ]
