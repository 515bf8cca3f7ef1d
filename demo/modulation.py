"""The demo's modulation of the aide au poste: insertion actions (trainings, PMSMP, accompaniments) for part of the
salariés of each structure in 2024–2026, the envelopes of 2025 and 2026, and the decisions of 2025 taken at the
dialogues de gestion of February and March 2025, whose rates are the annexes' own (the amounts stay as they are).

Drawn from a fixed seed over the parcours in a fixed order; each action, envelope and decision is written only
when missing, so running the demo again changes nothing. Envelopes and decisions go through the modulation's
services, as an agent's would, then are dated when the story says they were made. The actions follow the rules of
the salarié's page (`parcours.regles_actions`): a refused one stops the demo.
"""

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from comptes.models import Utilisateur
from conventions.models import AnnexeFinanciere
from demo.plan import AUJOURD_HUI
from demo.structures import DEPARTEMENT, NOMBRE_PAR_TYPE, siret_demo
from modulation.models import DecisionModulation, EnveloppeModulation
from modulation.queries import lignes_de_modulation
from modulation.services import decider_modulation, fixer_enveloppe
from parcours.models import ActionInsertion, Parcours, TypeActionInsertion
from parcours.regles_actions import erreurs_action, fin_max_pmsmp
from siae.models import Siae

ACCOMPAGNEMENT_SOCIAL = TypeActionInsertion.ACCOMPAGNEMENT_SOCIAL
ACCOMPAGNEMENT_PROFESSIONNEL = TypeActionInsertion.ACCOMPAGNEMENT_PROFESSIONNEL
GRAINE_ACTIONS = 102  # the BOP of the IAE
ANNEES = (2024, 2025, 2026)
AGENT = "agent.ddets@pilot-iae.test"

FORMATIONS = [
    ("Sauveteur secouriste du travail (SST)", "Organisme habilité INRS", 14),
    ("CACES R489 chariots élévateurs", "AFPA de Verdun", 35),
    ("Remise à niveau en savoirs de base", "GRETA Lorraine Nord", 70),
    ("Certificat CléA", "GRETA Lorraine Nord", 105),
    ("Code et conduite, permis B", "Auto-école solidaire de Bar-le-Duc", 40),
    ("Titre professionnel agent de propreté et d'hygiène", "AFPA de Verdun", 140),
    ("Habilitation électrique B0 H0", "Organisme de formation fictif", 14),
    ("Français langue étrangère", "Centre social de Verdun", 60),
    ("Hygiène alimentaire HACCP", "CCI de la Meuse", 14),
    ("Gestes et postures", "Organisme de formation fictif", 7),
]
PMSMP = [
    ("Immersion agent d'entretien", "Entreprise de nettoyage fictive"),
    ("Immersion maraîchage", "Exploitation agricole fictive"),
    ("Immersion préparateur de commandes", "Plateforme logistique fictive"),
    ("Immersion aide à domicile", "Association d'aide à domicile fictive"),
    ("Découverte du métier de commis de cuisine", "Restaurant fictif"),
]
ACCOMPAGNEMENTS_SOCIAUX = [
    ("Accompagnement vers le logement", "CCAS"),
    ("Accès aux soins et bilan de santé", "CPAM de la Meuse"),
    ("Mobilité : aide au financement du permis", "Plateforme mobilité fictive"),
    ("Ouverture de droits", "CAF de la Meuse"),
    ("Budget et prévention du surendettement", "Point conseil budget"),
]
ACCOMPAGNEMENTS_PROFESSIONNELS = [
    ("Construction du projet professionnel", ""),
    ("Techniques de recherche d'emploi", ""),
    ("Préparation aux entretiens d'embauche", ""),
    ("Prestation d'orientation", "France Travail"),
]

# 2025 and 2026 envelopes: 2025's covers the modulation decided; 2026's, notified lower, is overrun by the annexes'
# current rates until the 2026 decisions are taken.
ENVELOPPES = {2025: Decimal("510000.00"), 2026: Decimal("500000.00")}
NOTIFICATIONS = {2025: "Notification du BOP 102 du 27 janvier 2025", 2026: "Notification du BOP 102 du 2 février 2026"}
# The structure whose 2025 rate was revised after its avenant of September 2025 (rang 3: a second market garden).
RANG_REVISE = 3
RAISONS = {
    "publics": "l'accueil de publics très éloignés de l'emploi",
    "effort": "l'effort de formation et d'accompagnement",
    "resultats": "les résultats en matière de sorties",
}


def _heure_locale(jour: dt.date, heure: int = 10) -> dt.datetime:
    return dt.datetime(jour.year, jour.month, jour.day, heure, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _jour_dans(rng: random.Random, debut: dt.date, fin: dt.date) -> dt.date:
    return debut + dt.timedelta(days=rng.randint(0, (fin - debut).days))


def _actions_du_parcours(rng, parcours: Parcours, intensite: float, formation: float) -> list[ActionInsertion]:
    """The actions of one parcours, year by year of presence: an accompaniment for about `intensite` of the
    salariés, a training for `formation` of them, now and then a PMSMP."""
    actions = []
    for annee in ANNEES:
        debut = max(parcours.date_embauche, dt.date(annee, 1, 1))
        fin = min(parcours.date_sortie or dt.date.max, dt.date(annee, 12, 31), AUJOURD_HUI)
        if debut > fin:
            continue
        if rng.random() < intensite:
            sociale = rng.random() < 0.45
            libelle, organisme = rng.choice(ACCOMPAGNEMENTS_SOCIAUX if sociale else ACCOMPAGNEMENTS_PROFESSIONNELS)
            jour = _jour_dans(rng, debut, fin)
            actions.append(
                ActionInsertion(
                    parcours=parcours,
                    type=TypeActionInsertion.ACCOMPAGNEMENT_SOCIAL
                    if sociale
                    else TypeActionInsertion.ACCOMPAGNEMENT_PROFESSIONNEL,
                    libelle=libelle,
                    organisme=organisme,
                    date_debut=jour,
                    date_fin=min(jour + dt.timedelta(days=rng.choice((30, 60, 90))), fin),
                    heures=Decimal(rng.choice((4, 6, 8, 12))) if rng.random() < 0.6 else None,
                )
            )
        if rng.random() < formation:
            libelle, organisme, heures = rng.choice(FORMATIONS)
            jour = _jour_dans(rng, debut, fin)
            actions.append(
                ActionInsertion(
                    parcours=parcours,
                    type=TypeActionInsertion.FORMATION,
                    libelle=libelle,
                    organisme=organisme,
                    date_debut=jour,
                    date_fin=min(jour + dt.timedelta(days=max(1, heures // 5)), fin),
                    heures=Decimal(heures),
                )
            )
        if rng.random() < 0.08:
            libelle, organisme = rng.choice(PMSMP)
            jour = _jour_dans(rng, debut, fin)
            actions.append(
                ActionInsertion(
                    parcours=parcours,
                    type=TypeActionInsertion.PMSMP,
                    libelle=libelle,
                    organisme=organisme,
                    date_debut=jour,
                    date_fin=min(jour + dt.timedelta(days=rng.choice((6, 13, 20))), fin, fin_max_pmsmp(jour)),
                    heures=Decimal(rng.choice((35, 70))) if rng.random() < 0.5 else None,
                )
            )
    return actions


def _actions(structures: list, auteur) -> None:
    rng = random.Random(GRAINE_ACTIONS)
    # Each structure its habits: how many of its salariés it accompanies, how many it trains.
    habitudes = {s.pk: (0.15 + 0.45 * rng.random(), 0.03 + 0.15 * rng.random()) for s in structures}
    parcours = Parcours.objects.filter(siae__in=structures).select_related("siae", "pass_iae")
    parcours = sorted(parcours, key=lambda p: (p.siae.siret, p.pass_iae.numero, p.date_embauche))
    existantes = set(
        ActionInsertion.objects.filter(parcours__siae__in=structures).values_list(
            "parcours_id", "type", "date_debut", "libelle"
        )
    )
    a_creer = []
    for p in parcours:
        for action in _actions_du_parcours(rng, p, *habitudes[p.siae_id]):
            erreurs = erreurs_action(
                type=action.type,
                libelle=action.libelle,
                date_debut=action.date_debut,
                date_fin=action.date_fin,
                heures=action.heures,
                date_embauche=p.date_embauche,
                date_sortie=p.date_sortie,
                aujourd_hui=AUJOURD_HUI,
            )
            if erreurs:
                raise AssertionError(f"action de démonstration refusée : {erreurs}")
            if (p.pk, action.type, action.date_debut, action.libelle) not in existantes:
                action.auteur = auteur
                a_creer.append(action)
    ActionInsertion.objects.bulk_create(a_creer, batch_size=1000)


def _enveloppes(auteur) -> None:
    """Each envelope through `fixer_enveloppe` (the amount and its history), dated on its notification's week."""
    for annee, montant in ENVELOPPES.items():
        if EnveloppeModulation.objects.filter(departement=DEPARTEMENT, annee=annee).exists():
            continue
        enveloppe = fixer_enveloppe(DEPARTEMENT, annee, montant, auteur, commentaire=NOTIFICATIONS[annee])
        notifiee = _heure_locale(dt.date(annee, 2, 3))
        # The envelope says when it was notified; its history, append-only, says when the demo wrote it.
        EnveloppeModulation.objects.filter(pk=enveloppe.pk).update(date_modification=notifiee)


def _points(taux: Decimal) -> str:
    return f"{taux * 100:.1f}".replace(".", ",") + " %"


def _commentaire(jour: dt.date, decide: Decimal, proposition) -> str:
    """What an agent writes: the proposal kept, or the criterion that made the rate higher or lower."""
    entete = f"Dialogue de gestion du {jour:%d/%m/%Y}"
    propose = proposition.taux
    if propose is None:
        return f"{entete} : taux de {_points(decide)} reconduit, faute de données sur {proposition.annee_reference}."
    if decide == propose:
        return f"{entete} : taux proposé de {_points(decide)} retenu."
    notees = [c for c in proposition.criteres if c.note is not None]
    if decide > propose:
        fort = max(notees, key=lambda c: c.note)
        return (
            f"{entete} : taux porté à {_points(decide)} (proposé : {_points(propose)}) pour valoriser "
            f"{RAISONS[fort.code]} ; engagements de la structure repris au compte rendu."
        )
    faible = min(notees, key=lambda c: c.note)
    return (
        f"{entete} : taux de {_points(decide)} (proposé : {_points(propose)}), {RAISONS[faible.code]} restant en "
        "deçà des objectifs ; point d'étape au dialogue de mi-année."
    )


def _decider(ligne, taux: Decimal, moment: dt.datetime, commentaire: str, auteur) -> None:
    """Through `decider_modulation` (the decision against the proposal shown, the rate set on the annexe), then
    dated on its dialogue de gestion rather than on the day the demo runs."""
    annexe = AnnexeFinanciere.objects.get(pk=ligne.aide.annexe_id)
    decision = decider_modulation(annexe, taux, commentaire, auteur, proposition=ligne.proposition)
    DecisionModulation.objects.filter(pk=decision.pk).update(date=moment)
    AnnexeFinanciere.objects.filter(pk=annexe.pk).update(taux_modulation_decide_le=moment)


def _decisions(structures: list, auteur) -> None:
    annexes = AnnexeFinanciere.objects.actives().filter(siae__in=structures, date_debut__year=2025)
    lignes = [ligne for ligne in lignes_de_modulation(annexes) if not ligne.decisions]
    rangs = {s.pk: rang for rang, s in enumerate(structures, start=1)}
    for ligne in lignes:
        rang = rangs[ligne.aide.siae_id]
        # Two dialogues a working day from 3 February 2025, in the structures' order.
        jour = dt.date(2025, 2, 3) + dt.timedelta(days=(rang - 1) // 2 + (rang - 1) // 10 * 2)
        moment = _heure_locale(jour, 10 if rang % 2 else 14)
        decide = ligne.taux_annexe
        if rang == RANG_REVISE and decide >= Decimal("0.01"):
            provisoire = decide - Decimal("0.01")
            _decider(
                ligne,
                provisoire,
                moment,
                f"Dialogue de gestion du {jour:%d/%m/%Y} : taux provisoire de {_points(provisoire)}, dans "
                "l'attente de l'ouverture du second chantier de maraîchage.",
                auteur,
            )
            _decider(
                ligne,
                decide,
                _heure_locale(dt.date(2025, 9, 8)),
                f"Avenant de septembre 2025 (second chantier, 19 ETP) : taux revu à {_points(decide)} au vu des "
                "recrutements de publics prioritaires sur le nouveau chantier.",
                auteur,
            )
        else:
            _decider(ligne, decide, moment, _commentaire(jour, decide, ligne.proposition), auteur)


def creer_modulation() -> None:
    """Actions, envelopes and the 2025 decisions for the demo's structures (département 55), in their order (the
    rang is in the SIRET)."""
    sirets = [siret_demo(rang) for rang in range(1, sum(NOMBRE_PAR_TYPE.values()) + 1)]
    structures = list(Siae.objects.filter(siret__in=sirets, departement=DEPARTEMENT).order_by("siret"))
    if not structures:
        return
    auteur = Utilisateur.objects.filter(email=AGENT).first()
    _actions(structures, auteur)
    _enveloppes(auteur)
    _decisions(structures, auteur)
