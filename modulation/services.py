"""Writes of the modulation, each in one transaction: a decision on an annexe's rate (with the proposal it was
decided against), which becomes the annexe's `taux_modulation`; the département's envelope and its history.

Only a DDETS agent of the annexe's (or envelope's) département, or an administrator, writes: an annexe the user
does not manage is not found (`AnnexeFinanciere.DoesNotExist`, a 404 for the views), an envelope of another
département is refused (`PermissionDenied`). A refusal of the values raises `ValidationError` keyed by field,
each message naming its field; nothing is written then.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from aides_au_poste.regles import arrondi_euro
from base.calendrier import ANNEE_MAX, ANNEE_MIN
from base.historique import auteur_des_changements, motif_des_changements
from base.rafraichissement import rafraichir_apres_commit
from comptes.perimetre import perimetre_de
from conventions.models import AnnexeFinanciere, EtatAnnexe

from . import queries, regles
from .models import DecisionModulation, EnveloppeModulation
from .regles import CENT, Proposition, arrondi_note

# A closed annexe has been settled by the ASP (reopen it first); a cancelled one is paid nothing.
ETATS_FIGES = (EtatAnnexe.CLOTURE, EtatAnnexe.ANNULE)


def _texte(valeur) -> str | None:
    return None if valeur is None else str(valeur)


def en_donnees(proposition: Proposition) -> dict:
    """The proposal as it was shown, kept with the decision (decimals as strings)."""
    return {
        "annee_reference": proposition.annee_reference,
        "note": _texte(arrondi_note(proposition.note)),
        "taux_propose": _texte(proposition.taux),
        "criteres": [
            {
                "code": c.code,
                "libelle": c.libelle,
                "note": _texte(arrondi_note(c.note)),
                "poids": c.poids,
                "indicateurs": [
                    {
                        "code": i.code,
                        "libelle": i.libelle,
                        "numerateur": str(i.numerateur),
                        "denominateur": str(i.denominateur),
                        "valeur": _texte(i.valeur),
                        "cible": str(i.cible),
                        "cible_par_defaut": i.cible_par_defaut,
                        "unite": i.unite,
                        "note": _texte(arrondi_note(i.note)),
                        "poids": i.poids,
                    }
                    for i in c.indicateurs
                ],
            }
            for c in proposition.criteres
        ],
    }


@transaction.atomic
def decider_modulation(
    annexe: AnnexeFinanciere, taux: Decimal, commentaire: str, auteur, proposition: Proposition | None = None
) -> DecisionModulation:
    """Record the decided rate (a fraction: 0.045 for 4.5 %) and set it on the annexe, in the same transaction.
    `proposition`: the one shown to the agent; recomputed when not given."""
    annexe = (
        AnnexeFinanciere.objects.gerees_par(auteur).select_for_update(of=("self",)).get(pk=annexe.pk)
    )  # DoesNotExist for anyone but the agents of its département
    erreurs = {}
    if annexe.etat in ETATS_FIGES:
        erreurs["__all__"] = [
            f"L'annexe {annexe.numero} est « {annexe.get_etat_display().lower()} » : sa modulation ne change plus"
            + (" (rouvrez-la d'abord)." if annexe.etat == EtatAnnexe.CLOTURE else ".")
        ]
    taux = None if taux is None else Decimal(taux)
    messages_taux = regles.erreurs_taux(None if taux is None else taux * CENT)
    if messages_taux:
        erreurs["taux"] = [f"Taux décidé : {m}" for m in messages_taux]
    commentaire = (commentaire or "").strip()
    if not commentaire:
        erreurs["commentaire"] = ["Commentaire : expliquez la décision (il reste dans l'historique de l'annexe)."]
    if erreurs:
        raise ValidationError(erreurs)
    proposition = proposition or queries.proposition_de(annexe)
    with auteur_des_changements(auteur):
        return _decider(annexe, taux, commentaire, auteur, proposition)


def _decider(annexe, taux, commentaire, auteur, proposition) -> DecisionModulation:
    decision = DecisionModulation.objects.create(
        annexe=annexe,
        taux=taux,
        taux_propose=proposition.taux,
        note_publics=arrondi_note(proposition.critere("publics").note),
        note_effort=arrondi_note(proposition.critere("effort").note),
        note_resultats=arrondi_note(proposition.critere("resultats").note),
        annee_reference=proposition.annee_reference,
        donnees=en_donnees(proposition),
        commentaire=commentaire,
        auteur=auteur,
    )
    # Saved, not updated: the annexe's version records the new rate next to the decision.
    annexe.taux_modulation, annexe.taux_modulation_decide_le = taux, decision.date
    annexe.save(update_fields=["taux_modulation", "taux_modulation_decide_le", "date_modification"])
    # The modulation amount of the annexe's aide au poste follows the rate (`AideCalculee`).
    rafraichir_apres_commit(annexe.pk)
    return decision


def _enveloppe_verrouillee(departement: str, annee: int, valeurs: dict) -> tuple[EnveloppeModulation, bool]:
    """The envelope of the département and year, locked until the end of the transaction; created with `valeurs`
    (and True) when it is the first amount.

    A lock taken on a row that does not exist yet locks nothing: two first amounts saved at once both insert, and
    the unique constraint refuses the second one's row. Its insert is undone (a savepoint: the transaction goes on)
    and the row the first one committed is read, locked, instead: the second amount is then a change of it."""
    enveloppes = EnveloppeModulation.objects.select_for_update()
    try:
        return enveloppes.get_or_create(departement=departement, annee=annee, defaults=valeurs)
    except IntegrityError:
        # `get_or_create` reads again after a refused insert; should that read still miss the row the other save
        # committed, one more attempt, in new statements, finds it.
        return enveloppes.get_or_create(departement=departement, annee=annee, defaults=valeurs)


@transaction.atomic
def fixer_enveloppe(
    departement: str, annee: int, montant: Decimal, auteur, commentaire: str = ""
) -> EnveloppeModulation:
    """Create or change the envelope of a département and year; each new amount is added to its history."""
    if not perimetre_de(auteur).gere_le_departement(departement):
        raise PermissionDenied("L'enveloppe d'un département est fixée par sa DDETS.")
    erreurs = {}
    if montant is None or Decimal(montant) < 0:
        erreurs["montant"] = ["Montant de l'enveloppe : indiquez un montant positif ou nul, en euros."]
    if not ANNEE_MIN <= int(annee) <= ANNEE_MAX:
        erreurs["annee"] = [f"Année : attendue entre {ANNEE_MIN} et {ANNEE_MAX}."]
    if erreurs:
        raise ValidationError(erreurs)
    montant = arrondi_euro(Decimal(montant))
    maintenant = timezone.now()
    # The version of its history that each save writes carries the author and the comment.
    with auteur_des_changements(auteur), motif_des_changements(commentaire.strip()):
        enveloppe, creee = _enveloppe_verrouillee(
            departement, annee, {"montant": montant, "auteur": auteur, "date_modification": maintenant}
        )
        if not creee:
            if enveloppe.montant == montant:
                return enveloppe
            enveloppe.montant, enveloppe.auteur, enveloppe.date_modification = montant, auteur, maintenant
            enveloppe.save(update_fields=["montant", "auteur", "date_modification"])
    return enveloppe
