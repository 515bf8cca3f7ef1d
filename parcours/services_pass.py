"""Writes of the PASS IAE's life and of a parcours: suspensions, prolongations (request, grant, refusal), contracts
and exits, each in one transaction, checked by the rules of `regles_pass`, and each recomputing the PASS's end.

The PASS is locked first (`select_for_update`): two writes on the same PASS never check against a stale state.
A refused write raises `ValidationError` with a message per field, each naming its field. A PASS whose start is
unknown (from the ASP's flux) is not suspended, nor prolonged unless its official end is known (a prolongation
follows the end in force), and its stored end is left as it is.

The end in force is the official end (les emplois de l'inclusion) when it is known: a suspension or a prolongation
recorded here moves the computed end only, and the salarié's page flags the difference until the official end
that includes it is entered or imported.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from base.rafraichissement import rafraichir_structure_apres_commit

from .models import (
    Contrat,
    Decideur,
    FinOfficielleHistorique,
    LimiteCumul,
    Parcours,
    PassIae,
    Prolongation,
    StatutProlongation,
    Suspension,
    TypeContrat,
)
from .regles_pass import (
    UN_JOUR,
    ContratEnCours,
    ContratPropose,
    Erreur,
    FinDuPass,
    LimitesProlongation,
    LimitesSuspension,
    Periode,
    erreurs_contrat,
    erreurs_decision,
    erreurs_demande,
    erreurs_fin_inconnue,
    erreurs_fin_officielle,
    erreurs_prolongation,
    erreurs_suspension,
    fin_du_pass,
    jour,
)


def refuser(erreurs: list[Erreur]) -> None:
    """Raise the rules' refusals as a ValidationError keyed by field; nothing when there is none."""
    if not erreurs:
        return
    par_champ = {}
    for erreur in erreurs:
        par_champ.setdefault(erreur.champ, []).append(erreur.message)
    raise ValidationError(par_champ)


def _aujourd_hui(aujourd_hui: dt.date | None) -> dt.date:
    return aujourd_hui or timezone.localdate()


def _verrouiller(pass_id: int) -> PassIae:
    return PassIae.objects.select_for_update().get(pk=pass_id)


def _periodes(queryset) -> list[Periode]:
    return [Periode(debut, fin) for debut, fin in queryset.values_list("date_debut", "date_fin")]


def fin_calculee(pass_iae: PassIae) -> dt.date | None:
    """The PASS's end from the rules: all its suspensions and its granted prolongations; None when its start is
    unknown (nothing to compute it from)."""
    if pass_iae.date_debut is None:
        return None
    return fin_du_pass(
        pass_iae.date_debut,
        _periodes(Suspension.objects.filter(pass_iae=pass_iae)),
        _periodes(Prolongation.objects.filter(pass_iae=pass_iae, statut=StatutProlongation.ACCORDEE)),
    )


def fin_en_vigueur(pass_iae: PassIae) -> dt.date | None:
    """The PASS's end as the rules apply it: the official end when it is known, else the computed one."""
    if pass_iae.date_fin_officielle is not None:
        return pass_iae.date_fin_officielle
    return fin_calculee(pass_iae)


def recalculer_fin_du_pass(pass_iae: PassIae) -> dt.date | None:
    """Recompute and store `PassIae.date_fin`, the end in force: the official end when it is known, else the end
    computed from all the PASS's suspensions and granted prolongations. A PASS with neither keeps the end it has
    (unknown)."""
    fin = pass_iae.date_fin_officielle or fin_calculee(pass_iae)
    if fin is None:
        return pass_iae.date_fin
    if pass_iae.date_fin != fin:
        pass_iae.date_fin = fin
        pass_iae.save(update_fields=["date_fin"])
    return fin


@transaction.atomic
def enregistrer_fin_officielle(parcours: Parcours, *, date_fin_officielle: dt.date | None, auteur=None) -> PassIae:
    """The end of the parcours's PASS issued by les emplois de l'inclusion, typed on the salarié's page (None: it
    is not known, the computed end applies again). It becomes the end in force; the computed one stays beside it.
    A change is kept in the PASS's history with its author."""
    pass_iae = _verrouiller(parcours.pass_iae_id)
    refuser(erreurs_fin_officielle(date_fin_officielle, pass_iae.date_debut))
    if pass_iae.date_fin_officielle == date_fin_officielle:
        return pass_iae
    pass_iae.date_fin_officielle = date_fin_officielle
    pass_iae.date_fin = FinDuPass(date_fin_officielle, fin_calculee(pass_iae)).en_vigueur
    pass_iae.save(update_fields=["date_fin_officielle", "date_fin"])
    FinOfficielleHistorique.objects.create(pass_iae=pass_iae, date_fin_officielle=date_fin_officielle, auteur=auteur)
    return pass_iae


# Suspensions -------------------------------------------------------------------------------------------------


@transaction.atomic
def enregistrer_suspension(
    parcours: Parcours, *, motif, date_debut: dt.date, date_fin: dt.date, auteur=None, aujourd_hui=None
) -> Suspension:
    """Suspend the parcours's PASS IAE: its end moves later by the suspension's length in days."""
    pass_iae = _verrouiller(parcours.pass_iae_id)
    periode = Periode(date_debut, date_fin)
    refuser(
        erreurs_suspension(
            periode,
            LimitesSuspension.du_motif(motif),
            type_siae=parcours.siae.type,
            debut_pass=pass_iae.date_debut,
            fin_pass=fin_en_vigueur(pass_iae),
            autres=_periodes(Suspension.objects.filter(pass_iae=pass_iae)),
            aujourd_hui=_aujourd_hui(aujourd_hui),
        )
    )
    suspension = Suspension.objects.create(
        pass_iae=pass_iae, motif=motif, date_debut=date_debut, date_fin=date_fin, siae=parcours.siae, auteur=auteur
    )
    recalculer_fin_du_pass(pass_iae)
    return suspension


# Prolongations -----------------------------------------------------------------------------------------------


def _contrat_du_motif(parcours: Parcours, limites: LimitesProlongation) -> ContratEnCours | None:
    """The contract a decision "until the contract ends" is bounded by: the parcours's last contract of the kind
    the motif needs (a CDI inclusion), or its last contract."""
    contrats = Contrat.objects.filter(parcours=parcours)
    if limites.contrat_requis:
        contrats = contrats.filter(type=limites.contrat_requis)
    dernier = contrats.order_by("-date_debut").first()
    return ContratEnCours(dernier.type, dernier.date_debut, dernier.date_fin) if dernier else None


def _erreurs_limites(
    parcours: Parcours, pass_iae: PassIae, motif, periode: Periode, date_fin_formation, exclure=None
) -> list[Erreur]:
    limites = LimitesProlongation.du_motif(motif)
    autres = Prolongation.objects.filter(pass_iae=pass_iae).exclude(statut=StatutProlongation.REFUSEE)
    if exclure is not None:
        autres = autres.exclude(pk=exclure.pk)
    return erreurs_prolongation(
        periode,
        limites,
        type_siae=parcours.siae.type,
        date_naissance=parcours.salarie.date_naissance,
        contrat=_contrat_du_motif(parcours, limites),
        date_fin_formation=date_fin_formation,
        autres=_periodes(autres),
    )


@transaction.atomic
def demander_prolongation(
    parcours: Parcours,
    *,
    motif,
    date_fin: dt.date,
    date_demande: dt.date | None = None,
    date_fin_formation: dt.date | None = None,
    prescripteur_organisation: str = "",
    prescripteur_personne: str = "",
    auteur=None,
    aujourd_hui=None,
) -> Prolongation:
    """Request a prolongation of the parcours's PASS IAE: it starts the day after the PASS's end in force (the
    official end when it is known)."""
    aujourd_hui = _aujourd_hui(aujourd_hui)
    date_demande = date_demande or aujourd_hui
    pass_iae = _verrouiller(parcours.pass_iae_id)
    fin_pass = fin_en_vigueur(pass_iae)
    refuser(erreurs_fin_inconnue(fin_pass))
    periode = Periode(fin_pass + UN_JOUR, date_fin)
    erreurs = erreurs_demande(date_demande, fin_pass=fin_pass, aujourd_hui=aujourd_hui)
    if parcours.date_sortie and parcours.date_sortie < periode.debut:
        texte = f"le salarié en est sorti le {jour(parcours.date_sortie)}, avant le début de la prolongation."
        erreurs.append(Erreur("parcours", texte))
    refuser(erreurs + _erreurs_limites(parcours, pass_iae, motif, periode, date_fin_formation))
    par_un_prescripteur = motif.decideur == Decideur.PRESCRIPTEUR
    return Prolongation.objects.create(
        pass_iae=pass_iae,
        motif=motif,
        date_debut=periode.debut,
        date_fin=periode.fin,
        date_demande=date_demande,
        decideur=motif.decideur,
        prescripteur_organisation=prescripteur_organisation.strip() if par_un_prescripteur else "",
        prescripteur_personne=prescripteur_personne.strip() if par_un_prescripteur else "",
        date_fin_formation=date_fin_formation if motif.limite_cumul == LimiteCumul.FIN_FORMATION else None,
        siae=parcours.siae,
        auteur=auteur,
    )


def parcours_de_la_prolongation(prolongation: Prolongation) -> Parcours:
    """The parcours the request was made for: the requesting structure's last parcours on this PASS."""
    return (
        Parcours.objects.filter(pass_iae_id=prolongation.pass_iae_id, siae_id=prolongation.siae_id)
        .select_related("siae", "salarie")
        .order_by("-date_embauche")
        .first()
    )


def _decider(
    prolongation: Prolongation,
    statut: str,
    *,
    date_decision,
    prescripteur_organisation,
    prescripteur_personne,
    motif_refus,
    aujourd_hui,
) -> Prolongation:
    aujourd_hui = _aujourd_hui(aujourd_hui)
    date_decision = date_decision or aujourd_hui
    pass_iae = _verrouiller(prolongation.pass_iae_id)
    prolongation = Prolongation.objects.select_for_update().select_related("motif").get(pk=prolongation.pk)
    if prolongation.statut != StatutProlongation.DEMANDEE:
        raise ValidationError(f"Cette prolongation est déjà {prolongation.get_statut_display().lower()}.")
    par_un_prescripteur = prolongation.decideur == Decideur.PRESCRIPTEUR
    organisation = (prescripteur_organisation or prolongation.prescripteur_organisation).strip()
    personne = (prescripteur_personne or prolongation.prescripteur_personne).strip()
    erreurs = erreurs_decision(
        statut,
        decideur=prolongation.decideur,
        prescripteur_organisation=organisation,
        prescripteur_personne=personne,
        motif_refus=motif_refus,
        date_decision=date_decision,
        date_demande=prolongation.date_demande,
        aujourd_hui=aujourd_hui,
    )
    if statut == StatutProlongation.ACCORDEE:
        parcours = parcours_de_la_prolongation(prolongation)
        periode = Periode(prolongation.date_debut, prolongation.date_fin)
        erreurs += _erreurs_limites(
            parcours, pass_iae, prolongation.motif, periode, prolongation.date_fin_formation, exclure=prolongation
        )
    refuser(erreurs)
    prolongation.statut = statut
    prolongation.date_decision = date_decision
    prolongation.prescripteur_organisation = organisation if par_un_prescripteur else ""
    prolongation.prescripteur_personne = personne if par_un_prescripteur else ""
    prolongation.motif_refus = motif_refus.strip() if statut == StatutProlongation.REFUSEE else ""
    prolongation.save(
        update_fields=[
            "statut",
            "date_decision",
            "prescripteur_organisation",
            "prescripteur_personne",
            "motif_refus",
        ]
    )
    recalculer_fin_du_pass(pass_iae)
    return prolongation


@transaction.atomic
def accorder_prolongation(
    prolongation: Prolongation,
    *,
    date_decision: dt.date | None = None,
    prescripteur_organisation: str = "",
    prescripteur_personne: str = "",
    aujourd_hui=None,
) -> Prolongation:
    """Grant a requested prolongation (its limits are checked again): the PASS's end moves by its length."""
    return _decider(
        prolongation,
        StatutProlongation.ACCORDEE,
        date_decision=date_decision,
        prescripteur_organisation=prescripteur_organisation,
        prescripteur_personne=prescripteur_personne,
        motif_refus="",
        aujourd_hui=aujourd_hui,
    )


@transaction.atomic
def refuser_prolongation(
    prolongation: Prolongation,
    *,
    motif_refus: str,
    date_decision: dt.date | None = None,
    prescripteur_organisation: str = "",
    prescripteur_personne: str = "",
    aujourd_hui=None,
) -> Prolongation:
    """Refuse a requested prolongation, with a written reason."""
    return _decider(
        prolongation,
        StatutProlongation.REFUSEE,
        date_decision=date_decision,
        prescripteur_organisation=prescripteur_organisation,
        prescripteur_personne=prescripteur_personne,
        motif_refus=motif_refus,
        aujourd_hui=aujourd_hui,
    )


# Contracts and exits -----------------------------------------------------------------------------------------


@transaction.atomic
def enregistrer_contrat(
    parcours: Parcours,
    *,
    type: str,
    date_debut: dt.date,
    date_fin: dt.date | None = None,
    heures_hebdo: Decimal | None = None,
    derogation: bool = False,
    motif_derogation: str = "",
) -> Contrat:
    """A new contract in the parcours (a renewal, a CDI inclusion, a passerelle). It starts within the parcours
    (from the hire, not after the exit) and overlaps no contract with a known end; a previous contract with no
    end is followed by this one, so it ends the day before."""
    pass_iae = _verrouiller(parcours.pass_iae_id)
    parcours = Parcours.objects.select_for_update().select_related("siae", "salarie").get(pk=parcours.pk)
    contrat = ContratPropose(type, date_debut, date_fin, heures_hebdo, derogation, motif_derogation.strip())
    existants = list(Contrat.objects.filter(parcours=parcours).order_by("date_debut"))
    erreurs = erreurs_contrat(
        contrat,
        type_siae=parcours.siae.type,
        date_naissance=parcours.salarie.date_naissance,
        debut_parcours_iae=pass_iae.date_debut,
        passerelles_du_parcours=sum(1 for c in existants if c.type == TypeContrat.PASSERELLE),
    )
    if date_debut < parcours.date_embauche:
        erreurs.append(Erreur("date_debut", f"le contrat commence avant l'embauche ({jour(parcours.date_embauche)})."))
    if parcours.date_sortie and date_debut > parcours.date_sortie:
        erreurs.append(Erreur("date_debut", f"le salarié est sorti du parcours le {jour(parcours.date_sortie)}."))
    a_clore = []
    fin = date_fin or dt.date.max
    for existant in existants:
        if existant.date_fin is None and existant.date_debut < date_debut:
            a_clore.append(existant)
        elif existant.date_debut <= fin and date_debut <= (existant.date_fin or dt.date.max):
            fin_existant = f"au {jour(existant.date_fin)}" if existant.date_fin else "sans fin"
            erreurs.append(Erreur("date_debut", f"le contrat en chevauche un autre : {existant} {fin_existant}."))
    refuser(erreurs)
    for existant in a_clore:
        existant.date_fin = date_debut - UN_JOUR
        existant.save(update_fields=["date_fin"])
    nouveau = Contrat.objects.create(
        parcours=parcours,
        type=type,
        date_debut=date_debut,
        date_fin=date_fin,
        heures_hebdo=heures_hebdo,
        derogation=derogation and type == TypeContrat.CDDI,
        motif_derogation=contrat.motif_derogation if derogation else "",
    )
    recalculer_fin_du_pass(pass_iae)
    return nouveau


@transaction.atomic
def enregistrer_sortie(parcours: Parcours, *, date_sortie: dt.date, motif_sortie, aujourd_hui=None) -> Parcours:
    """The exit of a parcours, recorded directly (not through a declaration line): on or after the hire, not in
    the future, with a motif in force."""
    pass_iae = _verrouiller(parcours.pass_iae_id)
    parcours = Parcours.objects.select_for_update().get(pk=parcours.pk)
    aujourd_hui = _aujourd_hui(aujourd_hui)
    erreurs = []
    if date_sortie < parcours.date_embauche:
        erreurs.append(Erreur("date_sortie", f"elle précède l'embauche ({jour(parcours.date_embauche)})."))
    if date_sortie > aujourd_hui:
        erreurs.append(
            Erreur("date_sortie", f"une sortie ne s'enregistre pas à l'avance (après le {jour(aujourd_hui)}).")
        )
    if not motif_sortie.actif:
        erreurs.append(Erreur("motif_sortie", f"« {motif_sortie.libelle} » n'est plus en vigueur."))
    refuser(erreurs)
    parcours.date_sortie, parcours.motif_sortie = date_sortie, motif_sortie
    parcours.save(update_fields=["date_sortie", "motif_sortie"])
    recalculer_fin_du_pass(pass_iae)
    rafraichir_structure_apres_commit(parcours.siae_id)
    return parcours
