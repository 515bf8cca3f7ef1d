"""The writes of the contrôle a posteriori, each in one transaction: the campaign and its sample, the phases, the
decisions on hires, the outcome per structure, the sanctions and the proofs.

Who does what (docs/decisions.md): the DDETS agent creates the campaign (the sample is drawn at once), moves it
from phase to phase, decides on each hire, sets each structure's outcome and its sanctions; the structure's staff
send proofs during the contrôle and the contradictory phase, until their control's outcome is final.
"""

import os
import secrets
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from base.historique import auteur_des_changements, creer_en_masse, modifier_en_masse, retirer
from parcours.models import Parcours

from . import regles
from .models import (
    PHASES_D_EXAMEN,
    CampagneControle,
    ChangementPhase,
    ControleEmbauche,
    ControleSiae,
    Decision,
    Justificatif,
    Phase,
    ResultatControle,
    Sanction,
    TypeSanction,
)

GRAINE_MAX = 2**31


def candidates(annee: int, departement: str) -> list[regles.Candidate]:
    """The structures of the département with their auto-prescribed hires of the year (one query)."""
    lignes = (
        Parcours.objects.filter(
            auto_prescription=True,
            date_embauche__gte=f"{annee}-01-01",
            date_embauche__lte=f"{annee}-12-31",
            siae__departement=departement,
            siae__type__in=regles.TYPES_CONTROLES,
        )
        .order_by()
        .values_list("siae_id", "siae__type", "pk")
    )
    par_siae: dict[int, tuple[str, list[int]]] = {}
    for siae_id, type_, parcours_id in lignes:
        par_siae.setdefault(siae_id, (type_, []))[1].append(parcours_id)
    return [regles.Candidate(siae_id, type_, tuple(ids)) for siae_id, (type_, ids) in par_siae.items()]


@transaction.atomic
def creer_campagne(
    *,
    annee: int,
    departement: str,
    auteur,
    part_siae: int = regles.PART_SIAE_DEFAUT,
    calendrier: Mapping | None = None,
    graine: int | None = None,
) -> CampagneControle:
    """Create the campaign, record the seed, draw and store the sample; nothing is written if anything fails."""
    if not regles.PART_SIAE_MIN <= part_siae <= regles.PART_SIAE_MAX:
        raise ValidationError(
            f"La part de structures contrôlées doit être comprise entre {regles.PART_SIAE_MIN} et "
            f"{regles.PART_SIAE_MAX} %."
        )
    dates = {**regles.calendrier_par_defaut(annee), **{k: v for k, v in (calendrier or {}).items() if v}}
    if erreurs := regles.erreurs_calendrier(annee, dates):
        raise ValidationError(erreurs)
    if CampagneControle.objects.filter(annee=annee, departement=departement).exists():
        raise ValidationError(f"Une campagne de contrôle existe déjà pour les embauches {annee} de ce département.")
    if graine is None:
        graine = secrets.randbelow(GRAINE_MAX)

    structures = candidates(annee, departement)
    echantillon = regles.tirer_echantillon(structures, part_siae, graine)
    campagne = CampagneControle.objects.create(
        annee=annee,
        departement=departement,
        part_siae=part_siae,
        graine=graine,
        nb_siae_eligibles=len(echantillon.eligibles),
        auteur=auteur,
        **dates,
    )
    nombres = {c.siae_id: len(set(c.embauches)) for c in structures}
    controles = creer_en_masse(
        ControleSiae,
        (
            ControleSiae(campagne=campagne, siae_id=siae_id, nb_auto_prescriptions=nombres[siae_id])
            for siae_id in echantillon.siae_tirees
        ),
    )
    creer_en_masse(
        ControleEmbauche,
        (
            ControleEmbauche(controle=controle, parcours_id=parcours_id)
            for controle in controles
            for parcours_id in echantillon.embauches[controle.siae_id]
        ),
    )
    ChangementPhase.objects.create(campagne=campagne, phase=Phase.ECHANTILLONNAGE, auteur=auteur)
    return campagne


@transaction.atomic
def passer_a_la_phase_suivante(campagne: CampagneControle, auteur) -> CampagneControle:
    """Move the campaign on. Entering the contradictory phase, each structure without an outcome gets one: accepted
    if every hire drawn is accepted, in contradictory phase otherwise. The sanctions wait for every structure's
    final outcome; the closing, for a sanction (or a reasoned absence of one) for each refused structure."""
    campagne = CampagneControle.objects.select_for_update().get(pk=campagne.pk)
    suivante = campagne.phase_suivante
    if suivante is None:
        raise ValidationError("La campagne est clôturée.")
    controles = ControleSiae.objects.filter(campagne=campagne)
    maintenant = timezone.now()
    if suivante == Phase.CONTRADICTOIRE:
        en_cours = controles.filter(resultat=ResultatControle.EN_COURS)
        acceptes = set(
            en_cours.exclude(embauches__decision__in=[Decision.A_EXAMINER, Decision.REFUSEE]).values_list(
                "pk", flat=True
            )
        )
        # Saved with their versions (each structure's outcome is a state of the trail), in two queries.
        resultats = list(en_cours)
        for controle in resultats:
            controle.resultat = (
                ResultatControle.ACCEPTE if controle.pk in acceptes else ResultatControle.CONTRADICTOIRE
            )
            controle.date_resultat, controle.auteur_resultat = maintenant, auteur
        with auteur_des_changements(auteur):
            modifier_en_masse(ControleSiae, resultats, ["resultat", "date_resultat", "auteur_resultat"])
    elif suivante == Phase.SANCTIONS:
        restants = controles.exclude(resultat__in=[ResultatControle.ACCEPTE, ResultatControle.REFUSE]).count()
        if restants:
            raise ValidationError(
                f"{restants} structure(s) n'ont pas encore de résultat définitif : acceptez ou refusez leur "
                "contrôle avant de passer aux sanctions."
            )
    elif suivante == Phase.CLOTUREE:
        sans_sanction = controles.filter(resultat=ResultatControle.REFUSE, sanctions__isnull=True).count()
        if sans_sanction:
            raise ValidationError(
                f"{sans_sanction} structure(s) au contrôle refusé n'ont pas de sanction : enregistrez-en une, ou "
                "« aucune sanction » avec son motif, avant de clôturer."
            )
    campagne.phase = suivante
    campagne.save(update_fields=["phase"])
    ChangementPhase.objects.create(campagne=campagne, phase=suivante, auteur=auteur)
    return campagne


def _verrouiller_controle(controle_id: int) -> ControleSiae:
    return ControleSiae.objects.select_for_update().select_related("campagne", "siae").get(pk=controle_id)


@transaction.atomic
def decider_embauche(embauche: ControleEmbauche, decision: str, auteur, motif_refus: str = "") -> ControleEmbauche:
    controle = _verrouiller_controle(embauche.controle_id)
    if controle.campagne.phase not in PHASES_D_EXAMEN:
        raise ValidationError("Les embauches se décident pendant le contrôle et la phase contradictoire.")
    if controle.resultat_definitif:
        raise ValidationError("Le résultat du contrôle de cette structure est définitif.")
    if decision not in (Decision.ACCEPTEE, Decision.REFUSEE):
        raise ValidationError("Décision inconnue.")
    motif_refus = motif_refus.strip()
    if decision == Decision.REFUSEE and not motif_refus:
        raise ValidationError({"motif_refus": "Indiquez le motif du refus."})
    embauche.decision = decision
    embauche.motif_refus = motif_refus if decision == Decision.REFUSEE else ""
    embauche.decideur = auteur
    embauche.date_decision = timezone.now()
    embauche.save(update_fields=["decision", "motif_refus", "decideur", "date_decision"])
    return embauche


def resultats_possibles(controle: ControleSiae, a_examiner: int, refusees: int) -> list[str]:
    """The outcomes the DDETS may set now: accepted once every hire is accepted; during the contrôle, the
    contradictory phase for a structure with a hire refused or still without a decision; during the contradictory
    phase, refused once every hire is decided and one at least is refused."""
    phase = controle.campagne.phase
    if controle.resultat_definitif or phase not in PHASES_D_EXAMEN:
        return []
    possibles = []
    if a_examiner == 0 and refusees == 0:
        possibles.append(ResultatControle.ACCEPTE)
    if phase == Phase.CONTROLE and controle.resultat == ResultatControle.EN_COURS and (a_examiner or refusees):
        possibles.append(ResultatControle.CONTRADICTOIRE)
    if phase == Phase.CONTRADICTOIRE and a_examiner == 0 and refusees:
        possibles.append(ResultatControle.REFUSE)
    return possibles


def compter_decisions(controle: ControleSiae) -> tuple[int, int]:
    """(hires still to examine, hires refused)."""
    nombres = controle.embauches.aggregate(
        a_examiner=Count("pk", filter=Q(decision=Decision.A_EXAMINER)),
        refusees=Count("pk", filter=Q(decision=Decision.REFUSEE)),
    )
    return nombres["a_examiner"], nombres["refusees"]


@transaction.atomic
def fixer_resultat(controle: ControleSiae, resultat: str, auteur, commentaire: str = "") -> ControleSiae:
    controle = _verrouiller_controle(controle.pk)
    if controle.campagne.phase not in PHASES_D_EXAMEN:
        raise ValidationError("Le résultat se fixe pendant le contrôle ou la phase contradictoire.")
    if controle.resultat_definitif:
        raise ValidationError("Le résultat du contrôle de cette structure est déjà définitif.")
    if resultat not in resultats_possibles(controle, *compter_decisions(controle)):
        messages = {
            ResultatControle.ACCEPTE: "Pour accepter le contrôle, toutes les embauches doivent être acceptées.",
            ResultatControle.CONTRADICTOIRE: (
                "La phase contradictoire s'ouvre pendant le contrôle, pour une structure dont une embauche au "
                "moins est refusée ou sans décision."
            ),
            ResultatControle.REFUSE: (
                "Le contrôle se refuse pendant la phase contradictoire, une fois toutes les embauches décidées et "
                "une au moins refusée."
            ),
        }
        raise ValidationError(messages.get(resultat, "Résultat inconnu."))
    controle.resultat = resultat
    controle.commentaire = commentaire.strip()
    controle.date_resultat = timezone.now()
    controle.auteur_resultat = auteur
    controle.save(update_fields=["resultat", "commentaire", "date_resultat", "auteur_resultat"])
    return controle


@transaction.atomic
def ajouter_sanction(
    controle: ControleSiae,
    type: str,
    auteur,
    *,
    motif: str = "",
    date_debut=None,
    date_fin=None,
    pourcentage: int | None = None,
) -> Sanction:
    controle = _verrouiller_controle(controle.pk)
    if controle.campagne.phase != Phase.SANCTIONS:
        raise ValidationError("Les sanctions se décident pendant la phase des sanctions.")
    if controle.resultat != ResultatControle.REFUSE:
        raise ValidationError("Seul un contrôle refusé appelle une sanction.")
    existantes = set(controle.sanctions.values_list("type", flat=True))
    if type in existantes:
        raise ValidationError("Cette sanction est déjà enregistrée pour cette structure.")
    if type == TypeSanction.AUCUNE and existantes:
        raise ValidationError("Des sanctions sont déjà enregistrées : retirez-les avant d'indiquer « aucune ».")
    if TypeSanction.AUCUNE in existantes:
        raise ValidationError("« Aucune sanction » est enregistré : retirez-le avant d'ajouter une sanction.")
    motif = motif.strip()
    erreurs = {}
    if type == TypeSanction.AUCUNE and not motif:
        erreurs["motif"] = "Indiquez pourquoi aucune sanction n'est prise."
    if type == TypeSanction.RETRAIT_AUTO_PRESCRIPTION:
        if not date_debut:
            erreurs["date_debut"] = "Indiquez le début du retrait."
        if not date_fin:
            erreurs["date_fin"] = "Indiquez la fin du retrait."
        elif date_debut and date_fin < date_debut:
            erreurs["date_fin"] = "La fin du retrait ne peut précéder son début."
    if type == TypeSanction.REDUCTION_AIDE_AU_POSTE and not (pourcentage and 1 <= pourcentage <= 100):
        erreurs["pourcentage"] = "La réduction va de 1 à 100 % de l'aide au poste."
    if type not in TypeSanction.values:
        erreurs["type"] = "Sanction inconnue."
    if erreurs:
        raise ValidationError(erreurs)
    retrait = type == TypeSanction.RETRAIT_AUTO_PRESCRIPTION
    return Sanction.objects.create(
        controle=controle,
        type=type,
        motif=motif,
        date_debut=date_debut if retrait else None,
        date_fin=date_fin if retrait else None,
        pourcentage=pourcentage if type == TypeSanction.REDUCTION_AIDE_AU_POSTE else None,
        auteur=auteur,
    )


@transaction.atomic
def retirer_sanction(sanction: Sanction, auteur=None) -> None:
    """The sanction stays, withdrawn by `auteur`: its history says who withdrew what."""
    controle = _verrouiller_controle(sanction.controle_id)
    if controle.campagne.phase != Phase.SANCTIONS:
        raise ValidationError("Les sanctions se modifient pendant la phase des sanctions.")
    retirer(sanction, auteur)


@transaction.atomic
def deposer_justificatif(embauche: ControleEmbauche, fichier, auteur) -> Justificatif:
    """Store a proof for a hire drawn: a PDF by its first bytes, 5 Mo at most, while the structure may send some."""
    controle = _verrouiller_controle(embauche.controle_id)
    if not controle.justificatifs_attendus:
        raise ValidationError("Les justificatifs ne sont pas attendus pour ce contrôle en ce moment.")
    fichier.seek(0)
    debut = fichier.read(len(regles.SIGNATURE_PDF))
    fichier.seek(0)
    if erreur := regles.erreur_justificatif(fichier.size, debut):
        raise ValidationError({"fichier": erreur})
    nom = os.path.basename(fichier.name or "justificatif.pdf")[:255]
    return Justificatif.objects.create(
        embauche=embauche, fichier=fichier, nom_fichier=nom, taille=fichier.size, auteur=auteur
    )
