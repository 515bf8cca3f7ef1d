"""A salarié's identity (name, first name, birth date, sex): who may change it, the one function that changes it, and
the identity mismatches of the parcours import, counted per user to rate-limit the probing of identities.

The person is the same for every structure and département that follows them: only a DDETS agent of one of those
départements, or the structure that alone ever employed them, changes their identity
(`comptes.perimetre.Perimetre.peut_modifier_identite`). Every change goes through `modifier_identites`, with its
author, so that it is traced."""

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from comptes.perimetre import perimetre_de

from .models import DiscordanceIdentite, Parcours, Salarie
from .regles import fin_de_la_suspension

CHAMPS_IDENTITE = frozenset({"nom", "prenom", "date_naissance", "genre"})
MESSAGE_NON_MODIFIABLE = (
    "Seule la DDETS d'un département qui suit cette personne, ou la structure qui l'a seule employée, peut modifier "
    "son identité (nom, prénom, date de naissance, sexe)."
)
logger = logging.getLogger(__name__)


class IdentiteNonModifiable(PermissionDenied):
    """The author may not change this person's identity."""


def employeurs_des_salaries(salarie_ids) -> dict[int, set[tuple[int, str]]]:
    """(structure id, département) of every structure that ever employed each salarié, in one query."""
    employeurs = defaultdict(set)
    for salarie_id, siae_id, departement in Parcours.objects.filter(salarie__in=list(salarie_ids)).values_list(
        "salarie_id", "siae_id", "siae__departement"
    ):
        employeurs[salarie_id].add((siae_id, departement))
    return employeurs


def identites_modifiables(utilisateur, salarie_ids) -> set[int]:
    """Those of these salariés whose identity the user may change; every one for the command line (None)."""
    ids = set(salarie_ids)
    if utilisateur is None or not ids:
        return ids
    perimetre = perimetre_de(utilisateur)
    employeurs = employeurs_des_salaries(ids)
    return {pk for pk in ids if perimetre.peut_modifier_identite(employeurs.get(pk, ()))}


def identite_modifiable(utilisateur, salarie: Salarie) -> bool:
    return not salarie.anonymise and salarie.pk in identites_modifiables(utilisateur, [salarie.pk])


@transaction.atomic
def modifier_identites(changements: dict[int, dict], *, auteur) -> list[Salarie]:
    """Give each salarié ({salarié id: {field: value}}) these identity values, compared with what the database
    holds; refused as a whole (IdentiteNonModifiable) when the author (None: the command line) may not change one
    of them, or one is anonymised. The only writer of identities. Returns the salariés changed."""
    inconnus = {champ for valeurs in changements.values() for champ in valeurs} - CHAMPS_IDENTITE
    if inconnus:
        raise ValueError(f"pas des champs d'identité : {sorted(inconnus)}")
    actuels = Salarie.objects.select_for_update().in_bulk(list(changements))
    modifies, champs = [], set()
    for pk, valeurs in changements.items():
        salarie = actuels[pk]
        differents = {champ: valeur for champ, valeur in valeurs.items() if getattr(salarie, champ) != valeur}
        if not differents:
            continue
        for champ, valeur in differents.items():
            setattr(salarie, champ, valeur)
        champs.update(differents)
        modifies.append(salarie)
    if not modifies:
        return []
    permis = identites_modifiables(auteur, [s.pk for s in modifies if not s.anonymise])
    if any(s.pk not in permis for s in modifies):
        raise IdentiteNonModifiable(MESSAGE_NON_MODIFIABLE)
    Salarie.objects.bulk_update(modifies, sorted(champs))
    logger.info(
        "identité modifiée : salarié(s) %s, champ(s) %s, auteur %s",
        [s.pk for s in modifies],
        sorted(champs),
        auteur.pk if auteur is not None else "ligne de commande",
    )
    return modifies


def modifier_identite(salarie: Salarie, valeurs: dict, *, auteur) -> bool:
    """One salarié's identity (see `modifier_identites`); whether it changed."""
    return bool(modifier_identites({salarie.pk: valeurs}, auteur=auteur))


# Identity mismatches of the parcours import ----------------------------------------------------------------------


def _fenetre() -> dt.timedelta:
    return dt.timedelta(hours=settings.IDENTITE_DISCORDANCES_FENETRE_HEURES)


def fin_de_suspension(utilisateur) -> dt.datetime | None:
    """Until when the user's parcours imports are suspended for repeated identity mismatches (None: they are not)."""
    recentes = DiscordanceIdentite.objects.filter(auteur=utilisateur, date__gte=timezone.now() - _fenetre())
    return fin_de_la_suspension(
        list(recentes.values_list("date", "nombre")), settings.IDENTITE_DISCORDANCES_MAX, _fenetre()
    )


def noter_discordances(utilisateur, par_structure: dict[int, list[int]]) -> None:
    """Record the lines whose identity did not match ({structure id: [salarié id of each such line]}): counted
    against the user, shown to the DDETS of the structure, logged with ids only."""
    DiscordanceIdentite.objects.bulk_create(
        DiscordanceIdentite(auteur=utilisateur, siae_id=siae_id, nombre=len(salaries))
        for siae_id, salaries in par_structure.items()
        if salaries
    )
    logger.warning(
        "import de parcours : identité discordante, utilisateur %s, structure(s) %s, salarié(s) %s",
        utilisateur.pk,
        sorted(par_structure),
        sorted({pk for salaries in par_structure.values() for pk in salaries}),
    )
