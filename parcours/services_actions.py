"""Writes of the insertion actions of a parcours, each in one transaction, checked by `regles_actions`. A refused
write raises `ValidationError` with a message per field, each naming its field."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import ActionInsertion, Parcours
from .regles_actions import erreurs_action, message


@transaction.atomic
def enregistrer_action(
    parcours: Parcours,
    *,
    type: str,
    libelle: str,
    date_debut: dt.date,
    date_fin: dt.date | None = None,
    heures: Decimal | None = None,
    organisme: str = "",
    auteur=None,
    aujourd_hui: dt.date | None = None,
) -> ActionInsertion:
    # The parcours as it is now (its exit may have been recorded since the page was shown).
    parcours = Parcours.objects.select_for_update().get(pk=parcours.pk)
    erreurs = erreurs_action(
        type=type,
        libelle=libelle,
        date_debut=date_debut,
        date_fin=date_fin,
        heures=heures,
        date_embauche=parcours.date_embauche,
        date_sortie=parcours.date_sortie,
        aujourd_hui=aujourd_hui or timezone.localdate(),
    )
    if erreurs:
        par_champ = {}
        for champ, texte in erreurs:
            par_champ.setdefault(champ, []).append(message(champ, texte))
        raise ValidationError(par_champ)
    return ActionInsertion.objects.create(
        parcours=parcours,
        type=type,
        libelle=libelle.strip(),
        organisme=organisme.strip(),
        date_debut=date_debut,
        date_fin=date_fin,
        heures=heures,
        auteur=auteur,
    )
