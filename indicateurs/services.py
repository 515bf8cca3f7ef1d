"""Rebuilding the materialised monthly indicators (`IndicateurMensuel`) from the live SQL aggregates; recording a
département's bRSA objective.

A refresh is set-based: the live aggregate, evaluated once, rewrites only the rows whose figures change, adds the
missing ones and deletes those that have nothing left to show, in one transaction, whatever the number of annexes
and months (`base.ensembliste.rafraichir_la_table`). It is idempotent: run twice,
the second writes nothing. Two refreshes of the same annexe never interleave: each one first locks the annexes'
rows (PostgreSQL; SQLite serialises writers by itself), in the order of their ids so that two overlapping
refreshes cannot deadlock.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from aides_au_poste.services import calculer_les_aides
from base.calendrier import mois_de_l_annee, premier_du_mois
from base.ensembliste import compiler, rafraichir_la_table, selection
from base.versions import donnees_modifiees
from conventions.models import ETATS_ACTIFS, AnnexeFinanciere, EtpConventionneMensuel
from declarations.models import LigneDeclaration
from declarations.queries import etp_realises_expression
from siae.models import Siae

from .models import CalculDepartement, IndicateurMensuel, ObjectifBrsa
from .queries import realises_materialises
from .services_parcours import rafraichir_parcours, sources_des_parcours

# The columns the refresh writes, in the order of its SELECT.
CHAMPS_ECRITS = ["annexe", "mois", "siae", "departement", "type", "etp_conventionnes", "etp_realises", "date_calcul"]


@dataclass(frozen=True)
class Rafraichissement:
    """What a refresh did: annexes looked at, monthly rows written (inserted or changed), monthly rows deleted, rows
    of the parcours' facts and presences written or deleted."""

    annexes: int = 0
    lignes: int = 0
    supprimees: int = 0
    faits: int = 0

    def __add__(self, autre: "Rafraichissement") -> "Rafraichissement":
        return Rafraichissement(
            self.annexes + autre.annexes,
            self.lignes + autre.lignes,
            self.supprimees + autre.supprimees,
            self.faits + autre.faits,
        )


def _source(annexes, mois: list[dt.date] | None) -> tuple[str, tuple]:
    """The rows the active annexes among `annexes` must have, in the columns' order of `CHAMPS_ECRITS`: the ETP-mois
    conventionnés of each month and the réalisés of its retained declaration (by the very expression of the live
    consumption), one row per annexe and month that has either. One SELECT."""
    actives = annexes.filter(etat__in=ETATS_ACTIFS).values("pk")
    conventionnes = EtpConventionneMensuel.objects.filter(annexe__in=actives).filter(_filtre_mois(mois, "mois"))
    conv_sql, conv_params = selection(
        conventionnes, {"annexe_id": F("annexe_id"), "mois": F("mois"), "etp": F("etp_conventionnes")}
    )
    realises = LigneDeclaration.objects.filter(declaration__retenue=True, declaration__annexe__in=actives).filter(
        _filtre_mois(mois, "declaration__mois")
    )
    real_sql, real_params = selection(
        realises,
        {
            "annexe_id": F("declaration__annexe_id"),
            "mois": F("declaration__mois"),
            "etp": Sum(etp_realises_expression()),
        },
        groupes=("annexe_id", "mois"),
    )
    annexe = AnnexeFinanciere._meta.db_table
    siae = Siae._meta.db_table
    sql = (
        "SELECT u.annexe_id, u.mois, a.siae_id, s.departement, a.type, SUM(u.conv), SUM(u.reel), %s "
        f"FROM (SELECT c.c_annexe_id AS annexe_id, c.c_mois AS mois, c.c_etp AS conv, 0 AS reel FROM ({conv_sql}) c "
        f"UNION ALL SELECT r.c_annexe_id, r.c_mois, 0, r.c_etp FROM ({real_sql}) r) u "
        f"JOIN {annexe} a ON a.id = u.annexe_id JOIN {siae} s ON s.id = a.siae_id "
        "GROUP BY u.annexe_id, u.mois, a.siae_id, s.departement, a.type"
    )
    return sql, (connection.ops.adapt_datetimefield_value(timezone.now()), *conv_params, *real_params)


def _filtre_mois(mois: list[dt.date] | None, champ: str) -> Q:
    return Q() if mois is None else Q(**{f"{champ}__in": mois})


def _rafraichir(annexes, mois: list[dt.date] | None, structures=None) -> Rafraichissement:
    """Bring the rows of these annexes (a queryset, whatever their state) in line with the data, for the given
    months (all when None): the rows whose figures change are written, those that have nothing left to show go
    (`base.ensembliste.rafraichir_la_table`)."""
    with transaction.atomic():
        verrouillees = list(annexes.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
        if not verrouillees and structures is None:
            return Rafraichissement()
        # The rows that have nothing left to show (not in the source) go: a declaration no longer retained, an
        # annexe cancelled or shortened.
        sql, params = _source(annexes, mois)
        perimetre = compiler(
            IndicateurMensuel.objects.filter(annexe__in=annexes.values("pk")).filter(_filtre_mois(mois, "mois"))
            .order_by().values("pk")
        )  # fmt: skip
        ecrites, supprimees = rafraichir_la_table(
            IndicateurMensuel,
            sql,
            params,
            CHAMPS_ECRITS,
            ["annexe", "mois"],
            perimetre,
            sans_comparer=("date_calcul",),
        )
        # The amounts of their aides au poste, from the months just written.
        calculer_les_aides(annexes, realises=realises_materialises)
        # The hours of these annexes' months are those of their structures' parcours.
        if structures is None:
            structures = Siae.objects.filter(pk__in=annexes.values("siae_id"))
        faits, presences_supprimees = rafraichir_parcours(structures, None if mois is None else {m.year for m in mois})
        # The pages kept from the figures before (base/pages.py) are read no more once this commits.
        donnees_modifiees()
    return Rafraichissement(len(verrouillees), ecrites, supprimees, faits + presences_supprimees)


def rafraichir(annexe_ids: Iterable[int], mois_list: Iterable | None = None) -> Rafraichissement:
    """Recompute the rows of these annexes, for the given months (all their months when None). An annexe that is
    not active (draft, cancelled) keeps no row: only active annexes count in the figures (spec §2)."""
    annexe_ids = sorted(set(annexe_ids))
    mois = None if mois_list is None else sorted({premier_du_mois(m) for m in mois_list})
    if not annexe_ids or mois == []:
        return Rafraichissement()
    return _rafraichir(AnnexeFinanciere.objects.filter(pk__in=annexe_ids), mois)


def sources_du_calcul(departement: str | None = None) -> list[tuple[str, tuple]]:
    """The SELECTs a whole recomputation writes from (the monthly indicators, the parcours' facts, their
    presences), for the country or one département: the bare aggregate the benchmark compares a refresh with."""
    annexes, structures = AnnexeFinanciere.objects.all(), Siae.objects.all()
    if departement is not None:
        annexes, structures = annexes.filter(siae__departement=departement), structures.filter(departement=departement)
    return [_source(annexes, None), *sources_des_parcours(structures)]


def rafraichir_structures(siae_ids: Iterable[int]) -> tuple[int, int]:
    """The facts of every parcours of these structures and their presences, every year, in one transaction.
    Returns (rows written, rows deleted)."""
    with transaction.atomic():
        donnees_modifiees()
        return rafraichir_parcours(Siae.objects.filter(pk__in=sorted(set(siae_ids))))


def rafraichir_departement(departement: str, annee: int | None = None) -> Rafraichissement:
    """Every annexe of the département (whatever its state: a cancelled one loses its rows), every month or the
    months of one year; the facts of every parcours of its structures (and their presences in that year)."""
    mois = None if annee is None else mois_de_l_annee(annee)
    resultat = _rafraichir(
        AnnexeFinanciere.objects.filter(siae__departement=departement),
        mois,
        Siae.objects.filter(departement=departement),
    )
    CalculDepartement.objects.update_or_create(departement=departement, defaults={"date_calcul": timezone.now()})
    return resultat


def departements_a_calculer() -> list[str]:
    """The départements with structures (their parcours have facts even without an annexe)."""
    return sorted(Siae.objects.values_list("departement", flat=True).distinct().order_by())


def rafraichir_tout(annee: int | None = None) -> Rafraichissement:
    """Every département, one transaction each: a long refresh never locks the whole country at once."""
    total = Rafraichissement()
    for departement in departements_a_calculer():
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
