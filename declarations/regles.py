"""Rules of the declarations: the deadline, the ETP of declared hours, when a change opens a new version and how a
change reads in a preview, as plain functions on values."""

import datetime as dt
from decimal import Decimal

from base.calendrier import de_mois, dernier_jour_du_mois, mois_suivant
from base.formats import arrondi, nombre_fr
from parcours.regles import HEURES_MAX_PAR_MOIS

from .models import EtatDeclaration


def echeance_declaration(mois: dt.date) -> dt.date:
    """A month's declaration is due on the 15th of the following month."""
    return mois_suivant(mois).replace(day=15)


def sortie_du_mois(mois: dt.date, declaree: tuple, enregistree: tuple) -> tuple:
    """The exit (date, motif) a salarié's row of a month's declaration shows: the one declared on its line; without
    one, the exit recorded on the parcours when it falls in the month (the structure declares it with the hours)."""
    date_enregistree = enregistree[0]
    if declaree[0] is None and date_enregistree and mois <= date_enregistree <= dernier_jour_du_mois(mois):
        return enregistree
    return declaree


def etp_realises(heures: Decimal, heures_annuelles_par_etp: Decimal) -> Decimal:
    """ETP of one month: hours worked / (annual hours of a post / 12), at full precision."""
    return heures * 12 / heures_annuelles_par_etp


def se_modifie_sur_place(etat: str) -> bool:
    """Only a draft, never transmitted, is edited in place. A version once transmitted (transmitted, validated, sent
    back, or the ASP's state) stays as it was: a change opens the next version."""
    return etat == EtatDeclaration.BROUILLON


def transmission_a_ecrire(etat: str, retenue: bool) -> bool:
    """Whether transmitting a version's lines unchanged still writes something: yes for a draft, a version sent back
    (a new version answers the DDETS) or one no longer retained; no for the retained transmitted or validated one."""
    return not (retenue and etat in (EtatDeclaration.TRANSMISE, EtatDeclaration.VALIDEE))


def texte_sortie(date_sortie: dt.date | None, motif: str = "") -> str:
    """« 20/11/2026 – Embauche en CDI », or « aucune »."""
    if date_sortie is None:
        return "aucune"
    return f"{date_sortie:%d/%m/%Y} – {motif}" if motif else f"{date_sortie:%d/%m/%Y}"


def details_ligne(avant: tuple | None, apres: tuple) -> str:
    """What a file's line changes in a salarié's line, `avant` and `apres` being (hours, exit date, exit motif's
    label), `avant` None for a new line: « 151,67 h → 100,50 h ; sortie : 20/11/2026 – Embauche en CDI → aucune »."""
    heures, date_sortie, motif = apres
    if avant is None:
        texte = f"{nombre_fr(heures)} h"
        return f"{texte} ; sortie : {texte_sortie(date_sortie, motif)}" if date_sortie else texte
    parties = []
    if avant[0] != heures:
        parties.append(f"{nombre_fr(avant[0])} h → {nombre_fr(heures)} h")
    if (avant[1], avant[2]) != (date_sortie, motif):
        parties.append(f"sortie : {texte_sortie(avant[1], avant[2])} → {texte_sortie(date_sortie, motif)}")
    return " ; ".join(parties)


def avertissement_sortie_supprimee(ligne: int, date_sortie: dt.date, personne: str, mois: dt.date) -> str:
    """« Ligne 3 : la sortie du 20/11/2026 de Léa Martin serait supprimée (déclaration de novembre 2026). »"""
    return (
        f"Ligne {ligne} : la sortie du {date_sortie:%d/%m/%Y} de {personne} serait supprimée "
        f"(déclaration {de_mois(mois)}, colonne date_sortie vide)."
    )


def avertissement_remplacement(
    numero_annexe: str, mois: dt.date, transmise_le: dt.date | None, validee: bool, version: int
) -> str:
    """« Annexe ACI…A0M0 : la déclaration de novembre 2026, transmise le 21/11/2026, sera remplacée par une
    version 2. »"""
    quand = f", transmise le {transmise_le:%d/%m/%Y}" if transmise_le else ", transmise"
    if validee:
        quand += " et validée"
    return f"Annexe {numero_annexe} : la déclaration {de_mois(mois)}{quand}, sera remplacée par une version {version}."


def avertissement_depassement(heures: Decimal, heures_hebdo: Decimal) -> str:
    """« 180,00 h dépasse les heures du contrat (35,00 h/semaine) »: accepted, said on the row or the file line."""
    return f"{nombre_fr(heures)} h dépasse les heures du contrat ({nombre_fr(heures_hebdo)} h/semaine)"


def heures_d_apres_le_contrat(heures_mensuelles: Decimal | None) -> Decimal | None:
    """The hours a row is pre-filled with when the salarié had no line the month before: the contract's weekly hours
    over a month (52/12 weeks), rounded half-up to the cent and never above the legal maximum of a month."""
    if heures_mensuelles is None:
        return None
    return min(arrondi(heures_mensuelles), HEURES_MAX_PAR_MOIS)
