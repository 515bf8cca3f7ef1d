"""The writes of financing lines, projects, budgets and FDI calls, each in one transaction: a refused write leaves
nothing behind. The rules are those of `regles.py`; the messages name the field (or the period) at fault."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum

from base.historique import auteur_courant, creer_en_masse, retirer, supprimer_en_masse

from . import regles
from .choix import (
    ETATS_EQUILIBRE_EXIGE,
    SENS_DE_LA_RUBRIQUE,
    TRANSITIONS_PROJET,
    DecisionFdi,
    Dispositif,
    EtatProjet,
    Financeur,
)
from .models import AppelAProjets, CandidatureFdi, LigneBudgetaire, LigneFinancement, PeriodeBudgetaire, Projet

# Financing lines -------------------------------------------------------------------------------------------------


def verifier_ligne(ligne: LigneFinancement) -> None:
    erreurs = regles.erreurs_montants_ligne(ligne.montant_engage, ligne.montant_verse, ligne.part_variable_max)
    if ligne.dispositif in (Dispositif.AIDE_AU_POSTE, Dispositif.MODULATION):
        erreurs["dispositif"] = (
            "L'aide au poste et sa modulation sont calculées depuis les annexes financières : elles ne se saisissent "
            "pas comme une ligne."
        )
    elif ligne.financeur == Financeur.DEPARTEMENT and ligne.dispositif == Dispositif.COFINANCEMENT:
        erreurs["dispositif"] = (
            "Le cofinancement des aides au poste par le Département est calculé depuis les annexes financières "
            "(montant cofinancé par le Département) : il ne se saisit pas comme une ligne."
        )
    if bool(ligne.siae_id) == bool(ligne.projet_id):
        erreurs["siae"] = "Indiquez un bénéficiaire : une structure ou un projet, pas les deux."
    if ligne.candidature_id and ligne.montant_engage != ligne.candidature.aide_totale:
        erreurs["montant_engage"] = (
            "Le montant engagé d'une aide FDI est celui de la candidature accordée : modifiez la candidature."
        )
    if erreurs:
        raise ValidationError(erreurs)


@transaction.atomic
def enregistrer_ligne(ligne: LigneFinancement) -> LigneFinancement:
    """Create or change a recorded financing line (the form has checked the beneficiary is in the agent's scope)."""
    verifier_ligne(ligne)
    ligne.suivre_le_beneficiaire()
    ligne.full_clean()
    ligne.save()
    return ligne


@transaction.atomic
def supprimer_ligne(ligne: LigneFinancement, auteur=None) -> None:
    """The line stays, removed by `auteur`: its history says who removed what."""
    if ligne.candidature_id:
        raise ValidationError(
            "Cette ligne reprend une aide FDI accordée : changez la décision de la candidature pour la retirer."
        )
    if ligne.montant_verse:
        raise ValidationError("Une ligne dont une partie a été versée ne se supprime pas : corrigez-la.")
    retirer(ligne, auteur)


# Projects and budgets --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaisiePeriode:
    libelle: str
    debut: object
    fin: object
    pk: int | None = None


@dataclass(frozen=True)
class SaisieLigneBudget:
    """One row of the budget table: a rubrique, a label, a remark, and its amount in each period (by position)."""

    rubrique: str
    libelle: str
    montants: tuple[Decimal, ...]
    remarque: str = ""


def bilan_du_projet(projet: Projet) -> list[regles.BilanPeriode]:
    """The totals of each period of a saved project: two queries."""
    periodes = [regles.Periode(p.pk, p.libelle) for p in projet.periodes.order_by("ordre", "debut")]
    montants = [
        regles.MontantBudget(periode_id, sens, rubrique, montant)
        for periode_id, sens, rubrique, montant in projet.lignes_budgetaires.values_list(
            "periode_id", "sens", "rubrique", "montant"
        )
    ]
    return regles.bilan_budget(periodes, montants, projet.taux_frais_indirects)


def _exiger_equilibre(projet: Projet, etat: str) -> None:
    if erreurs := regles.erreurs_equilibre(bilan_du_projet(projet)):
        etat = EtatProjet(etat).label.lower()
        raise ValidationError([f"Le projet ne peut pas être « {etat} » : son budget n'est pas équilibré.", *erreurs])


def _synchroniser_lignes(projet: Projet) -> None:
    """The financing lines of the project follow its département and carrying structure (the scope reads them)."""
    LigneFinancement.objects.filter(projet=projet).update(
        departement=projet.departement, siae_concernee=projet.siae_porteuse_id
    )


def _verifier_periodes(periodes: list[SaisiePeriode]) -> None:
    erreurs = []
    libelles = set()
    for rang, p in enumerate(periodes, start=1):
        if p.fin < p.debut:
            erreurs.append(f"Période {rang} (« {p.libelle} ») : la fin est avant le début.")
        if p.libelle in libelles:
            erreurs.append(f"Période {rang} : le libellé « {p.libelle} » est déjà celui d'une autre période.")
        libelles.add(p.libelle)
    if erreurs:
        raise ValidationError(erreurs)


@transaction.atomic
def enregistrer_projet(projet: Projet, periodes: list[SaisiePeriode]) -> Projet:
    """Create or change a project and its periods (in the order given). A period removed loses its budget lines.
    A deposited or retained project must stay balanced."""
    _verifier_periodes(periodes)
    if projet.pk:
        # The state moves only through `changer_etat_projet`: the stored one is the one checked and kept.
        projet.etat = Projet.objects.select_for_update().values_list("etat", flat=True).get(pk=projet.pk)
    if projet.pk and projet.candidatures_fdi.exclude(appel__departement=projet.departement).exists():
        raise ValidationError({"departement": "Le projet a répondu à un appel à projets FDI d'un autre département."})
    projet.full_clean()
    projet.save()
    gardees = [p.pk for p in periodes if p.pk]
    projet.periodes.exclude(pk__in=gardees).delete()
    existantes = {p.pk: p for p in projet.periodes.all()}
    # Orders are unique per project: move the kept ones out of the way before renumbering.
    for periode in existantes.values():
        periode.ordre += 1000
        periode.save(update_fields=["ordre"])
    for ordre, saisie in enumerate(periodes, start=1):
        periode = existantes.get(saisie.pk) or PeriodeBudgetaire(projet=projet)
        periode.libelle, periode.debut, periode.fin, periode.ordre = saisie.libelle, saisie.debut, saisie.fin, ordre
        periode.full_clean(exclude=["projet"], validate_unique=False)
        periode.save()
    _synchroniser_lignes(projet)
    if projet.etat in ETATS_EQUILIBRE_EXIGE:
        _exiger_equilibre(projet, projet.etat)
    return projet


@transaction.atomic
def enregistrer_budget(projet: Projet, lignes: list[SaisieLigneBudget]) -> list[LigneBudgetaire]:
    """Replace the whole budget of a project: one `LigneBudgetaire` per row and period with an amount. A deposited
    or retained project must stay balanced: otherwise nothing is written."""
    projet.etat = Projet.objects.select_for_update().values_list("etat", flat=True).get(pk=projet.pk)
    periodes = list(projet.periodes.order_by("ordre", "debut"))
    erreurs = []
    for rang, saisie in enumerate(lignes, start=1):
        if saisie.rubrique not in SENS_DE_LA_RUBRIQUE:
            erreurs.append(f"Ligne {rang} : rubrique inconnue « {saisie.rubrique} ».")
        if not saisie.libelle.strip():
            erreurs.append(f"Ligne {rang} : indiquez un libellé.")
        if len(saisie.montants) != len(periodes):
            erreurs.append(f"Ligne {rang} : un montant par période est attendu ({len(periodes)}).")
        for periode, montant in zip(periodes, saisie.montants, strict=False):
            if montant is not None and montant < 0:
                erreurs.append(f"Ligne {rang}, période « {periode.libelle} » : un montant ne peut pas être négatif.")
    if erreurs:
        raise ValidationError(erreurs)
    supprimer_en_masse(projet.lignes_budgetaires.all())
    creees = creer_en_masse(
        LigneBudgetaire,
        (
            LigneBudgetaire(
                projet=projet,
                periode=periode,
                sens=SENS_DE_LA_RUBRIQUE[saisie.rubrique],
                rubrique=saisie.rubrique,
                libelle=saisie.libelle.strip(),
                remarque=saisie.remarque.strip(),
                montant=montant,
                ordre=rang,
            )
            for rang, saisie in enumerate(lignes, start=1)
            for periode, montant in zip(periodes, saisie.montants, strict=True)
            if montant is not None
        ),
    )
    if projet.etat in ETATS_EQUILIBRE_EXIGE:
        _exiger_equilibre(projet, projet.etat)
    projet.save(update_fields=["date_modification"])
    return creees


@transaction.atomic
def changer_etat_projet(projet: Projet, etat: str) -> Projet:
    """Move a project along its states; it is deposited or retained only with a balanced budget (the message names
    each period out of balance and its gap)."""
    demande = projet
    projet = Projet.objects.select_for_update().get(pk=projet.pk)
    if etat not in TRANSITIONS_PROJET[projet.etat]:
        actuel, demande = projet.get_etat_display().lower(), EtatProjet(etat).label.lower()
        raise ValidationError(f"Un projet « {actuel} » ne peut pas passer à « {demande} ».")
    if etat in ETATS_EQUILIBRE_EXIGE:
        _exiger_equilibre(projet, etat)
    projet.etat = demande.etat = etat
    projet.save(update_fields=["etat", "date_modification"])
    return projet


# FDI calls and candidatures --------------------------------------------------------------------------------------


def _erreurs(violations: list[regles.Violation]) -> dict[str, list[str]]:
    erreurs: dict[str, list[str]] = {}
    for v in violations:
        erreurs.setdefault(v.champ, []).append(v.message)
    return erreurs


@transaction.atomic
def enregistrer_appel(appel: AppelAProjets) -> AppelAProjets:
    """Create or change a call; its caps stay within the regulation, and lowering them must not leave a candidature
    above them."""
    if violations := regles.violations_plafonds_appel(appel.plafonds):
        raise ValidationError(_erreurs(violations))
    appel.full_clean()
    appel.save()
    hors_plafonds = [
        c.projet.nom
        for c in appel.candidatures.select_related("projet")
        if regles.violations_fdi(
            c.cout_eligible_investissement,
            c.aide_investissement,
            c.cout_eligible_conseil,
            c.aide_conseil,
            appel.plafonds,
        )
    ]
    if hors_plafonds:
        raise ValidationError(
            "Ces plafonds laisseraient des candidatures au-dessus : " + ", ".join(sorted(hors_plafonds)) + "."
        )
    return appel


def _ligne_fdi(candidature: CandidatureFdi) -> None:
    """An accorded candidature is an État FDI line of the call's year; otherwise it has none."""
    # One line per candidature, kept when the decision is withdrawn: accorded again, the same line comes back.
    ligne = LigneFinancement.tous.filter(candidature=candidature).first()
    if candidature.decision != DecisionFdi.ACCORDEE:
        if ligne is not None and not ligne.retire:
            if ligne.montant_verse:
                raise ValidationError(
                    {"decision": "L'aide a déjà été en partie versée : la décision ne peut plus être retirée."}
                )
            retirer(ligne, auteur_courant())
        return
    if ligne is not None:
        ligne.retire_le, ligne.retire_par = None, None
    ligne = ligne or LigneFinancement(
        candidature=candidature,
        financeur=Financeur.ETAT,
        dispositif=Dispositif.FDI,
        projet=candidature.projet,
    )
    ligne.projet = candidature.projet
    ligne.annee = candidature.appel.annee
    ligne.libelle = f"Aide accordée – {candidature.appel.nom}"
    ligne.montant_engage = candidature.aide_totale
    if ligne.montant_verse > ligne.montant_engage:
        raise ValidationError(
            {"aide_investissement": "L'aide accordée ne peut pas descendre sous le montant déjà versé."}
        )
    verifier_ligne(ligne)
    ligne.suivre_le_beneficiaire()
    ligne.full_clean()
    ligne.save()


def _deja_accorde(candidature: CandidatureFdi) -> Decimal:
    """What the project's other accorded candidatures (every call) grant. The project is locked first, so that two
    candidatures of one project accorded at once are checked one after the other."""
    Projet.objects.select_for_update().get(pk=candidature.projet_id)
    autres = CandidatureFdi.objects.filter(projet_id=candidature.projet_id, decision=DecisionFdi.ACCORDEE)
    if candidature.pk:
        autres = autres.exclude(pk=candidature.pk)
    total = autres.aggregate(total=Sum(F("aide_investissement") + F("aide_conseil")))["total"]
    return total or Decimal(0)


@transaction.atomic
def enregistrer_candidature(candidature: CandidatureFdi) -> CandidatureFdi:
    """Create or change a candidature: the aids within the call's caps (each violation named with its field), the
    project of the call's département; accorded, within what the project's other accorded candidatures leave of the
    cap per project, and its État FDI line follows."""
    appel = candidature.appel
    violations = regles.violations_fdi(
        candidature.cout_eligible_investissement,
        candidature.aide_investissement,
        candidature.cout_eligible_conseil,
        candidature.aide_conseil,
        appel.plafonds,
    )
    if not violations and candidature.decision == DecisionFdi.ACCORDEE:
        violations = regles.violations_cumul_fdi(
            candidature.aide_investissement, candidature.aide_conseil, _deja_accorde(candidature)
        )
    erreurs = _erreurs(violations)
    if candidature.projet.departement != appel.departement:
        erreurs.setdefault("projet", []).append("Le projet n'est pas du département de l'appel à projets.")
    if candidature.decision == DecisionFdi.ACCORDEE and candidature.aide_totale <= 0:
        erreurs.setdefault("decision", []).append("Une candidature accordée porte une aide.")
    if erreurs:
        raise ValidationError(erreurs)
    candidature.full_clean()
    candidature.save()
    _ligne_fdi(candidature)
    return candidature
