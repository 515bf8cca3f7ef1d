"""Rebuilding the materialised monthly indicators (`IndicateurMensuel`) from the live SQL aggregates; recording a
département's bRSA objective.

A refresh reads a fixed number of aggregate queries whatever the number of annexes and months, then upserts the
rows and deletes those that no longer have anything to show, in one transaction. It is idempotent: run twice, it
writes the same figures. Two refreshes of the same annexe never interleave: each one first locks the annexes'
rows (PostgreSQL; SQLite serialises writers by itself), in the order of their ids so that two overlapping
refreshes cannot deadlock.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from base.calendrier import mois_de_l_annee, premier_du_mois
from conventions.models import ETATS_ACTIFS, AnnexeFinanciere, EtpConventionneMensuel
from declarations.models import LigneDeclaration
from declarations.queries import etp_realises_expression
from indicateurs.queries_consommation import ZERO

from .models import IndicateurMensuel, ObjectifBrsa

CHAMPS_CALCULES = ["siae", "departement", "type", "etp_conventionnes", "etp_realises", "date_calcul"]


@dataclass(frozen=True)
class Rafraichissement:
    """What a refresh did: annexes looked at, rows written, rows deleted."""

    annexes: int = 0
    lignes: int = 0
    supprimees: int = 0

    def __add__(self, autre: "Rafraichissement") -> "Rafraichissement":
        return Rafraichissement(
            self.annexes + autre.annexes, self.lignes + autre.lignes, self.supprimees + autre.supprimees
        )


def _etp_realises(annexes: list[int], filtre_mois: Q) -> dict[tuple, Decimal]:
    """One query over the lines of the retained declarations: the ETP-mois of each annexe and month, by the very
    expression of the live consumption."""
    return {
        (annexe, mois): etp
        for annexe, mois, etp in LigneDeclaration.objects.filter(
            declaration__retenue=True, declaration__annexe__in=annexes
        )
        .filter(filtre_mois)
        .values_list("declaration__annexe_id", "declaration__mois")
        .annotate(etp=Sum(etp_realises_expression()))
        .order_by()
    }


def _filtre_mois(mois: list[dt.date] | None, champ: str) -> Q:
    return Q() if mois is None else Q(**{f"{champ}__in": mois})


def rafraichir(annexe_ids: Iterable[int], mois_list: Iterable | None = None) -> Rafraichissement:
    """Recompute the rows of these annexes, for the given months (all their months when None). An annexe that is
    not active (draft, cancelled) keeps no row: only active annexes count in the figures (spec §2)."""
    annexe_ids = sorted(set(annexe_ids))
    mois = None if mois_list is None else sorted({premier_du_mois(m) for m in mois_list})
    if not annexe_ids or mois == []:
        return Rafraichissement()
    with transaction.atomic():
        annexes = list(
            AnnexeFinanciere.objects.select_for_update(of=("self",))
            .filter(pk__in=annexe_ids)
            .order_by("pk")
            .values_list("pk", "etat", "siae_id", "type", "siae__departement")
        )
        descriptions = {pk: (siae, type_, dep) for pk, etat, siae, type_, dep in annexes if etat in ETATS_ACTIFS}
        actives = list(descriptions)
        conventionnes = {
            (annexe, m): etp
            for annexe, m, etp in EtpConventionneMensuel.objects.filter(annexe__in=actives)
            .filter(_filtre_mois(mois, "mois"))
            .values_list("annexe_id", "mois", "etp_conventionnes")
        }
        realises = _etp_realises(actives, _filtre_mois(mois, "declaration__mois"))
        maintenant = timezone.now()
        indicateurs = []
        for cle in sorted(conventionnes.keys() | realises.keys()):
            annexe, m = cle
            siae, type_, departement = descriptions[annexe]
            indicateurs.append(
                IndicateurMensuel(
                    annexe_id=annexe,
                    mois=m,
                    siae_id=siae,
                    departement=departement,
                    type=type_,
                    etp_conventionnes=conventionnes.get(cle, ZERO),
                    etp_realises=realises.get(cle) or ZERO,
                    date_calcul=maintenant,
                )
            )
        IndicateurMensuel.objects.bulk_create(
            indicateurs,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["annexe", "mois"],
            update_fields=CHAMPS_CALCULES,
        )
        # What was not just written has nothing left to show (a declaration no longer retained, an annexe
        # cancelled or shortened).
        supprimees, _ = (
            IndicateurMensuel.objects.filter(annexe__in=annexe_ids)
            .filter(_filtre_mois(mois, "mois"))
            .exclude(date_calcul=maintenant)
            .delete()
        )
    return Rafraichissement(len(annexe_ids), len(indicateurs), supprimees)


def rafraichir_departement(departement: str, annee: int | None = None) -> Rafraichissement:
    """Every annexe of the département (whatever its state: a cancelled one loses its rows), every month or the
    months of one year."""
    annexe_ids = AnnexeFinanciere.objects.filter(siae__departement=departement).values_list("pk", flat=True)
    return rafraichir(list(annexe_ids), None if annee is None else mois_de_l_annee(annee))


def departements_avec_annexes() -> list[str]:
    return sorted(AnnexeFinanciere.objects.values_list("siae__departement", flat=True).distinct().order_by())


def rafraichir_tout(annee: int | None = None) -> Rafraichissement:
    """Every département, one transaction each: a long refresh never locks the whole country at once."""
    total = Rafraichissement()
    for departement in departements_avec_annexes():
        total += rafraichir_departement(departement, annee)
    return total


@transaction.atomic
def enregistrer_objectif_brsa(departement: str, annee: int, seuil: Decimal) -> ObjectifBrsa:
    """The département's objective for the year (%), created or replaced."""
    objectif, _ = ObjectifBrsa.objects.select_for_update().get_or_create(
        departement=departement, annee=annee, defaults={"seuil": seuil}
    )
    objectif.seuil = seuil
    objectif.full_clean()
    objectif.save()
    return objectif
