"""The rows of the modulation table for the CSV and XLSX exports: rates in % with one decimal and amounts with
two, as strings with a point (as `exporter indicateurs` writes them); a figure without data is empty."""

from base.formats import montant, taux

from .queries import LigneModulation
from .regles import Unite, arrondi_note


def _note(valeur) -> str | None:
    return None if valeur is None else str(arrondi_note(valeur))


def _valeur(indicateur) -> str | None:
    if indicateur.valeur is None:
        return None
    return taux(indicateur.valeur) if indicateur.unite == Unite.PART else str(arrondi_note(indicateur.valeur))


def lignes_export(lignes: list[LigneModulation]) -> list[dict]:
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
            colonnes[f"note_{critere.code}"] = _note(critere.note)
            for indicateur in critere.indicateurs:
                colonnes[indicateur.code] = _valeur(indicateur)
        colonnes.update(
            {
                "note_globale": _note(proposition.note),
                "taux_propose": taux(proposition.taux),
                "taux_decide": taux(decision.taux) if decision else None,
                "date_decision": f"{decision.date:%Y-%m-%d}" if decision else None,
                "taux_annexe": taux(ligne.taux_annexe),
                "socle_conventionne": montant(ligne.socle_conventionne),
                "modulation": montant(ligne.modulation),
                "modulation_au_taux_propose": montant(ligne.modulation_proposee),
            }
        )
        resultat.append(colonnes)
    return resultat
