"""The demonstration's bilan: the editorial sections the DDETS of the Meuse wrote for 2025 (after the CDIAE slide
deck of the seeds), and the contrôle a posteriori of the 2025 hires, run in 2026 up to the sanctions, so that the
bilan's contrôle page has a campaign to show. Both are written only when missing."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from bilans.models import SectionsEditoriales
from bilans.services import enregistrer_sections
from comptes.models import Membre, TypeOrganisation
from controle import services as controle
from controle.models import CampagneControle, ChangementPhase, Decision, ResultatControle, TypeSanction

DEPARTEMENT = "55"
ANNEE = 2025
GRAINE_DU_CONTROLE = 55_2025

SECTIONS = {
    "faits_marquants": """Revalorisation de l'aide au poste des EI au 1er janvier, versée rétroactivement par l'ASP
Un ASP mutualisé supplémentaire sur le secteur Commercy – Saint-Mihiel (3 SIAE utilisatrices)
Ouverture d'un second chantier de maraîchage en septembre
Cofinancement des aides au poste par le Département : 400 000 € pour huit ACI""",
    "forces": """Équipes d'encadrants et d'ASP de plus en plus professionnalisées
Partenariats renforcés entre SIAE
Initiatives locales (forums emploi, job dating)""",
    "faiblesses": """Peu de PMSMP et d'expériences en entreprise, encore trop peu de formations
Partenariats et échanges pas encore généralisés
Sorties dynamiques des ACI sous les 50 %""",
    "opportunites": """Réseau des ASP mutualisés qui se développe
Déploiement du service public de l'insertion et de l'emploi
Appels à projets (FDI, FSE+)
Expérimentation Territoire zéro chômeur de longue durée""",
    "menaces": """Difficultés de recrutement
Personnes de plus en plus éloignées de l'emploi""",
    "plan_d_actions": """Renforcer le lien entre les SIAE et les entreprises du territoire
- Recrutement d'un nouvel ASP mutualisé
- Étude de faisabilité d'une EITI
- Développement des contrats passerelles
- Groupe de travail sur les clauses sociales, piloté par la maison de l'emploi
Favoriser l'accès des bénéficiaires du RSA aux structures de l'IAE
- Seuil minimal de 40 % de bRSA dans les recrutements, conformément aux objectifs partagés de la CAOM
- Actions de promotion auprès des nouveaux prescripteurs habilités (FDI, axe promotion de l'IAE)""",
}


def _agent():
    adhesion = (
        Membre.objects.filter(
            actif=True, organisation__type=TypeOrganisation.DDETS, organisation__departement=DEPARTEMENT
        )
        .select_related("utilisateur")
        .order_by("pk")
        .first()
    )
    return adhesion.utilisateur if adhesion else None


def _sections(auteur) -> None:
    """Through the service the bilans page saves them with, when missing (an agent may have changed them since)."""
    if not SectionsEditoriales.objects.filter(departement=DEPARTEMENT, annee=ANNEE).exists():
        enregistrer_sections(DEPARTEMENT, ANNEE, {**SECTIONS, "objectif_sorties_dynamiques": 50}, auteur)


@transaction.atomic
def _controle(agent) -> None:
    """The 2025 hires checked in 2026, as the DDETS would have done it: every hire drawn accepted, but one in
    the first structure drawn, refused after the contradictory phase and sent to a training."""
    if CampagneControle.objects.filter(annee=ANNEE, departement=DEPARTEMENT).exists():
        return
    campagne = controle.creer_campagne(annee=ANNEE, departement=DEPARTEMENT, auteur=agent, graine=GRAINE_DU_CONTROLE)
    if not campagne.controles.exists():
        return
    campagne = controle.passer_a_la_phase_suivante(campagne, agent)  # contrôle
    premier = campagne.controles.order_by("pk").first()
    for controle_siae in campagne.controles.order_by("pk"):
        embauches = list(controle_siae.embauches.order_by("pk"))
        for rang, embauche in enumerate(embauches):
            if controle_siae == premier and rang == 0:
                controle.decider_embauche(
                    embauche, Decision.REFUSEE, agent, "Le diagnostic d'éligibilité n'est pas justifié."
                )
            else:
                controle.decider_embauche(embauche, Decision.ACCEPTEE, agent)
    campagne = controle.passer_a_la_phase_suivante(campagne, agent)  # contradictoire: the others accepted
    controle.fixer_resultat(premier, ResultatControle.REFUSE, agent, "Justificatif non produit.")
    campagne = controle.passer_a_la_phase_suivante(campagne, agent)  # sanctions
    controle.ajouter_sanction(premier, TypeSanction.FORMATION, agent)
    # Each phase dated on its planned start, as if the campaign had been run on time.
    for phase, debut, _ in campagne.calendrier():
        ChangementPhase.objects.filter(campagne=campagne, phase=phase).update(
            date=timezone.make_aware(dt.datetime.combine(debut, dt.time(9)))
        )


def creer_bilan_de_demonstration() -> None:
    agent = _agent()
    _sections(agent)
    _controle(agent)
