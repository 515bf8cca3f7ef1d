"""The purge of personal data past their retention period (docs/rgpd.md): `manage.py purger_donnees_personnelles`
and the monthly task call it.

A salarié past the period is anonymised, not deleted: the rows the figures of past years count (parcours with their
situation at hire, contracts, declaration lines, PASS IAE, suspensions, actions) stay with all their keys, and what
names or describes the person goes: name, first name, birth date (its age bracket on each hire date is kept on the
parcours, which is all the publics indicators read of it), PASS IAE numbers, free texts. The apps above plug in what
they hold (`parcours.rgpd`). The files brought in go after their own period (`imports.services_rgpd`).
Everything in one transaction, traced by a `PurgeDonneesPersonnelles` row that names nobody."""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Case, CharField, Value, When
from django.db.models.functions import Cast, Concat, LPad
from django.utils import timezone

from imports.services_rgpd import effacer_fichiers_d_import

from . import regles_rgpd
from .models import (
    ActionInsertion,
    Contrat,
    Parcours,
    PassIae,
    Prolongation,
    PurgeDonneesPersonnelles,
    Salarie,
    TypeActionInsertion,
)
from .queries_rgpd import salaries_a_anonymiser
from .rgpd import complements

logger = logging.getLogger(__name__)

# Salariés per batch: a fixed number of queries for each, whatever the number to anonymise.
LOT = 500


@dataclass
class BilanPurge:
    date_limite: dt.date
    date_limite_imports: dt.date
    simulation: bool
    salaries: int = 0
    fichiers_import: int = 0
    detail: dict[str, int] = field(default_factory=dict)


def purger_donnees_personnelles(
    *, origine: str, aujourd_hui: dt.date | None = None, simulation: bool = False
) -> BilanPurge:
    """Anonymise every salarié past the period and erase the import files past theirs, in one transaction, and
    record it. `simulation`: everything is done and counted, then rolled back (nothing recorded, no file deleted)."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    maintenant = timezone.now()
    bilan = BilanPurge(
        date_limite=regles_rgpd.date_limite(aujourd_hui, settings.RGPD_CONSERVATION_MOIS),
        date_limite_imports=regles_rgpd.date_limite(aujourd_hui, settings.RGPD_CONSERVATION_FICHIERS_IMPORT_MOIS),
        simulation=simulation,
    )
    detail: dict[str, int] = defaultdict(int)
    with transaction.atomic():
        # Locked: a parcours written meanwhile for one of them waits for the purge (the insert locks its salarié).
        a_anonymiser = salaries_a_anonymiser(bilan.date_limite).select_for_update(of=("self",)).order_by("pk")
        ids = list(a_anonymiser.values_list("pk", flat=True))
        for debut in range(0, len(ids), LOT):
            for cle, nombre in _anonymiser(ids[debut : debut + LOT], maintenant).items():
                detail[cle] += nombre
        bilan.salaries = len(ids)
        bilan.fichiers_import = effacer_fichiers_d_import(bilan.date_limite_imports, maintenant)
        detail["fichiers_import"] = bilan.fichiers_import
        bilan.detail = dict(sorted(detail.items()))
        if simulation:
            transaction.set_rollback(True)
        else:
            PurgeDonneesPersonnelles.objects.create(
                origine=origine[:150],
                date_limite=bilan.date_limite,
                date_limite_imports=bilan.date_limite_imports,
                nb_salaries=bilan.salaries,
                nb_fichiers_import=bilan.fichiers_import,
                detail=bilan.detail,
            )
    # Counts only: nothing personal is ever logged.
    logger.info(
        "purge des données personnelles%s : %d salarié(s) anonymisé(s), %d fichier(s) d'import effacé(s)",
        " (simulation)" if simulation else "",
        bilan.salaries,
        bilan.fichiers_import,
    )
    return bilan


def _anonymiser(salaries: list[int], maintenant: dt.datetime) -> dict[str, int]:
    """One batch: a fixed number of queries."""
    detail = {}
    # What the publics indicators read of the birth date, written on each parcours before the date goes.
    par_tranche = defaultdict(list)
    for pk, embauche, naissance in Parcours.objects.filter(salarie_id__in=salaries).values_list(
        "pk", "date_embauche", "salarie__date_naissance"
    ):
        par_tranche[regles_rgpd.tranche_d_age(naissance, embauche)].append(pk)
    detail["parcours"] = sum(
        Parcours.objects.filter(pk__in=pks).update(tranche_age_embauche=tranche)
        for tranche, pks in par_tranche.items()
    )
    detail["salaries"] = Salarie.objects.filter(pk__in=salaries).update(
        nom=regles_rgpd.NOM_ANONYMISE, prenom="", date_naissance=None, date_anonymisation=maintenant
    )
    # Each PASS keeps its row (the salariés of the figures are counted by PASS) under a number made of its id.
    detail["pass_iae"] = PassIae.objects.filter(salarie_id__in=salaries).update(
        numero=Concat(
            Value(regles_rgpd.PREFIXE_PASS_ANONYMISE),
            LPad(Cast("pk", CharField()), regles_rgpd.CHIFFRES_PASS_ANONYMISE, Value("0")),
        )
    )
    prolongations = Prolongation.objects.filter(pass_iae__salarie_id__in=salaries)
    detail["prolongations_prescripteur"] = prolongations.exclude(prescripteur_personne="").update(
        prescripteur_personne=""
    )
    detail["prolongations_motif_refus"] = prolongations.exclude(motif_refus="").update(
        motif_refus=regles_rgpd.TEXTE_EFFACE
    )
    detail["contrats_motif_derogation"] = (
        Contrat.objects.filter(parcours__salarie_id__in=salaries)
        .exclude(motif_derogation="")
        .update(motif_derogation=regles_rgpd.TEXTE_EFFACE)
    )
    # An action keeps its kind, dates and hours (the effort d'insertion); its wording becomes its kind's.
    detail["actions_insertion"] = ActionInsertion.objects.filter(parcours__salarie_id__in=salaries).update(
        libelle=Case(*(When(type=type_, then=Value(libelle)) for type_, libelle in TypeActionInsertion.choices)),
        organisme="",
    )
    detail["versions"] = _effacer_des_versions(salaries)
    for complement in complements():
        if complement.purger is not None:
            detail.update(complement.purger(salaries))
    return detail


def _effacer_des_versions(salaries: list[int]) -> int:
    """The trail of changes keeps what the identity was before each change: erased too, the one change its
    versions accept (base/historique.py). The versions stay, with their dates and authors."""
    effacees = Salarie.historique.filter(id__in=salaries).effacer_donnees_personnelles(
        nom=regles_rgpd.NOM_ANONYMISE, prenom="", date_naissance=None
    )
    effacees += PassIae.historique.filter(salarie_id__in=salaries).effacer_donnees_personnelles(
        numero=Concat(
            Value(regles_rgpd.PREFIXE_PASS_ANONYMISE),
            LPad(Cast("id", CharField()), regles_rgpd.CHIFFRES_PASS_ANONYMISE, Value("0")),
        )
    )
    pass_ids = PassIae.objects.filter(salarie_id__in=salaries).values("pk")
    prolongations = Prolongation.historique.filter(pass_iae_id__in=pass_ids)
    effacees += prolongations.exclude(prescripteur_personne="").effacer_donnees_personnelles(prescripteur_personne="")
    effacees += prolongations.exclude(motif_refus="").effacer_donnees_personnelles(
        motif_refus=regles_rgpd.TEXTE_EFFACE
    )
    parcours_ids = Parcours.objects.filter(salarie_id__in=salaries).values("pk")
    effacees += (
        Contrat.historique.filter(parcours_id__in=parcours_ids)
        .exclude(motif_derogation="")
        .effacer_donnees_personnelles(motif_derogation=regles_rgpd.TEXTE_EFFACE)
    )
    return effacees
