"""The reads that count: each row's figures come in the same query as the rows (SQL aggregates)."""

import datetime as dt

from django.db.models import Case, Count, DateField, F, Q, When

from .models import Decision, Phase, ResultatControle


def compter_par_controle(controles):
    """Per structure drawn: hires drawn, accepted, refused, proofs sent."""
    return controles.annotate(
        nb_embauches=Count("embauches", distinct=True),
        nb_acceptees=Count("embauches", filter=Q(embauches__decision=Decision.ACCEPTEE), distinct=True),
        nb_refusees=Count("embauches", filter=Q(embauches__decision=Decision.REFUSEE), distinct=True),
        nb_justificatifs=Count("embauches__justificatifs", distinct=True),
    )


def compter_par_campagne(campagnes):
    """Per campaign: structures drawn, accepted, refused, hires drawn."""
    return campagnes.annotate(
        nb_siae=Count("controles", distinct=True),
        nb_acceptes=Count("controles", filter=Q(controles__resultat=ResultatControle.ACCEPTE), distinct=True),
        nb_refuses=Count("controles", filter=Q(controles__resultat=ResultatControle.REFUSE), distinct=True),
        nb_embauches=Count("controles__embauches", distinct=True),
    )


def echeances_des_campagnes(campagnes, jusqu_au: dt.date):
    """The open campaigns whose phase under way ends by `jusqu_au` (or has ended, the next phase not opened): each
    with `echeance`, the planned end of its phase, earliest first. One query; the sanctions have no planned end."""
    echeance = Case(
        When(phase=Phase.ECHANTILLONNAGE, then=F("echantillonnage_fin")),
        When(phase=Phase.CONTROLE, then=F("controle_fin")),
        When(phase=Phase.CONTRADICTOIRE, then=F("contradictoire_fin")),
        default=None,
        output_field=DateField(),
    )
    return list(
        campagnes.annotate(echeance=echeance)
        .filter(echeance__isnull=False, echeance__lte=jusqu_au)
        .order_by("departement", "echeance", "pk")
    )
