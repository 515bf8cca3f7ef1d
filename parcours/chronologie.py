"""The timeline of a parcours on the salarié's page: the PASS IAE (start, end in force), its suspensions and
prolongations, the hire, the contracts, the hours declared each month and the exit, in the order of their dates.

Built from objects already read (no query here): the page reads everything for all its parcours at once. A PASS
date that is unknown (the ASP's flux may not give it) is a step without a date, shown « inconnue »: its start
first, its end last.
"""

import datetime as dt
from dataclasses import dataclass

from base.formats import nombre_fr

from .models import Decideur, StatutProlongation
from .regles_pass import Periode, jour

BADGE_STATUT = {
    StatutProlongation.DEMANDEE: "fr-badge--info",
    StatutProlongation.ACCORDEE: "fr-badge--success",
    StatutProlongation.REFUSEE: "fr-badge--error",
}

# Among events of the same day, the order in which they happen.
DEBUT_PASS, EMBAUCHE, CONTRAT, SUSPENSION, PROLONGATION, HEURES, SORTIE, FIN_PASS = range(8)


@dataclass(frozen=True)
class Etape:
    date: dt.date | None  # None: unknown (a PASS's date)
    rang: int
    titre: str
    detail: str = ""
    mois: bool = False  # a month (hours declared): shown as "janvier 2024"
    badge: str = ""
    badge_classe: str = ""
    a_decider: int | None = None  # a requested prolongation, to decide


def _contrat(contrat) -> Etape:
    details = [f"au {jour(contrat.date_fin)}" if contrat.date_fin else "sans date de fin"]
    if contrat.heures_hebdo is not None:
        details.append(f"{nombre_fr(contrat.heures_hebdo)} h par semaine")
    if contrat.derogation:
        details.append(f"dérogation : {contrat.motif_derogation}")
    return Etape(contrat.date_debut, CONTRAT, contrat.get_type_display(), ", ".join(details))


def _suspension(suspension) -> Etape:
    periode = Periode(suspension.date_debut, suspension.date_fin)
    return Etape(
        suspension.date_debut,
        SUSPENSION,
        "Suspension du PASS IAE",
        f"{suspension.motif.libelle}, {periode} ({periode.jours} jours)",
    )


def _prolongation(prolongation) -> Etape:
    details = [prolongation.motif.libelle, str(Periode(prolongation.date_debut, prolongation.date_fin))]
    if prolongation.date_fin_formation:
        details.append(f"fin de la formation le {jour(prolongation.date_fin_formation)}")
    details.append(f"demandée le {jour(prolongation.date_demande)}")
    if prolongation.decideur == Decideur.PRESCRIPTEUR:
        prescripteur = " – ".join(
            p for p in (prolongation.prescripteur_organisation, prolongation.prescripteur_personne) if p
        )
        details.append(f"décision d'un prescripteur habilité{f' ({prescripteur})' if prescripteur else ''}")
    else:
        details.append("décision de la structure")
    if prolongation.date_decision:
        details.append(f"décidée le {jour(prolongation.date_decision)}")
    if prolongation.statut == StatutProlongation.REFUSEE:
        details.append(f"motif du refus : {prolongation.motif_refus}")
    return Etape(
        prolongation.date_debut,
        PROLONGATION,
        "Prolongation du PASS IAE",
        ", ".join(details),
        badge=prolongation.get_statut_display(),
        badge_classe=BADGE_STATUT[prolongation.statut],
        a_decider=prolongation.pk if prolongation.statut == StatutProlongation.DEMANDEE else None,
    )


def _detail_de_la_fin(pass_iae) -> str:
    if pass_iae.date_fin_officielle:
        return "fin officielle, délivrée par les emplois de l'inclusion"
    return "24 mois, repoussée par les suspensions et les prolongations accordées" if pass_iae.date_debut else ""


def chronologie(parcours, heures_par_mois, suspensions, prolongations) -> list[Etape]:
    """The steps of one parcours, by date. `heures_par_mois`: (month, hours) of the retained declarations;
    `suspensions`, `prolongations`: those of its PASS the user may see."""
    pass_iae = parcours.pass_iae
    etapes = [
        Etape(pass_iae.date_debut, DEBUT_PASS, "Début du PASS IAE", f"n° {pass_iae.numero}"),
        Etape(parcours.date_embauche, EMBAUCHE, "Embauche", parcours.siae.nom),
        *(_contrat(c) for c in parcours.contrats.all()),
        *(_suspension(s) for s in suspensions),
        *(_prolongation(p) for p in prolongations),
        *(Etape(mois, HEURES, "Heures déclarées", f"{nombre_fr(h)} h", mois=True) for mois, h in heures_par_mois),
        Etape(pass_iae.date_fin, FIN_PASS, "Fin du PASS IAE", _detail_de_la_fin(pass_iae)),
    ]
    if parcours.date_sortie:
        motif = parcours.motif_sortie
        detail = f"{motif.libelle} ({motif.get_categorie_display().lower()})" if motif else ""
        etapes.append(Etape(parcours.date_sortie, SORTIE, "Sortie", detail))
    return sorted(etapes, key=_ordre)


def _ordre(etape: Etape) -> tuple[dt.date, int]:
    """By date, then in the order of the day; an unknown date: the PASS's start first, its end last."""
    if etape.date is None:
        return (dt.date.min if etape.rang == DEBUT_PASS else dt.date.max, etape.rang)
    return (etape.date, etape.rang)
