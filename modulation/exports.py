"""The modulation table for the CSV and XLSX downloads (base/exports.py): the page's columns under their French
labels, then one column per criterion's score and per indicator, as the proposals of the département hold them.
Rates stay in % with one decimal as the page rounds them (the XLSX stores their fraction), amounts to the cent."""

from base.exports import ANNEE, DATE, DECIMAL, MONTANT, TAUX, TEXTE, Colonne
from base.formats import montant, taux

from .queries import LigneModulation
from .regles import Unite, arrondi_note

DEBUT = [
    Colonne("annexe", "Annexe", TEXTE, 22),
    Colonne("siret", "SIRET", TEXTE, 16),
    Colonne("structure", "Structure", TEXTE),
    Colonne("type", "Type", TEXTE, 10),
    Colonne("etat", "État", TEXTE, 16),
    Colonne("annee_criteres", "Année des critères", ANNEE),
]
FIN = [
    Colonne("note_globale", "Note globale", DECIMAL),
    Colonne("taux_propose", "Taux proposé", TAUX),
    Colonne("taux_decide", "Taux décidé", TAUX),
    Colonne("date_decision", "Date de la décision", DATE),
    Colonne("taux_annexe", "Taux de l'annexe", TAUX),
    Colonne("socle_conventionne", "Socle conventionné", MONTANT),
    Colonne("modulation", "Modulation", MONTANT),
    Colonne("modulation_au_taux_propose", "Modulation au taux proposé", MONTANT),
]


def _note(valeur) -> str | None:
    return None if valeur is None else str(arrondi_note(valeur))


def _valeur(indicateur) -> str | None:
    if indicateur.valeur is None:
        return None
    return taux(indicateur.valeur) if indicateur.unite == Unite.PART else str(arrondi_note(indicateur.valeur))


def lignes_export(lignes: list[LigneModulation]) -> tuple[list[Colonne], list[dict]]:
    """The columns (the criteria's and indicators' in the order of the proposals) and one row per annexe."""
    milieu: dict[str, Colonne] = {}
    resultat = []
    for ligne in lignes:
        aide, proposition, decision = ligne.aide, ligne.proposition, ligne.decision
        colonnes = {
            "annexe": aide.numero,
            "siret": aide.siret,
            "structure": aide.nom,
            "type": aide.type,
            "etat": ligne.etat,
            "annee_criteres": proposition.annee_reference,
        }
        for critere in proposition.criteres:
            cle = f"note_{critere.code}"
            milieu.setdefault(cle, Colonne(cle, f"Note : {critere.libelle}", DECIMAL))
            colonnes[cle] = _note(critere.note)
            for indicateur in critere.indicateurs:
                nature = TAUX if indicateur.unite == Unite.PART else DECIMAL
                milieu.setdefault(indicateur.code, Colonne(indicateur.code, indicateur.libelle, nature))
                colonnes[indicateur.code] = _valeur(indicateur)
        colonnes.update(
            {
                "note_globale": _note(proposition.note),
                "taux_propose": taux(proposition.taux),
                "taux_decide": taux(decision.taux) if decision else None,
                "date_decision": decision.date if decision else None,
                "taux_annexe": taux(ligne.taux_annexe),
                "socle_conventionne": montant(ligne.socle_conventionne),
                "modulation": montant(ligne.modulation),
                "modulation_au_taux_propose": montant(ligne.modulation_proposee),
            }
        )
        resultat.append(colonnes)
    return [*DEBUT, *milieu.values(), *FIN], resultat
