"""The reads that count: each row's figures come in the same query as the rows (SQL aggregates)."""

from django.db.models import Count, Q

from .models import Decision, ResultatControle


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
