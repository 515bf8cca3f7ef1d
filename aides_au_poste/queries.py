"""Aides au poste (spec §5) of a set of annexes: the ETP are aggregated per (annexe, month) in SQL, the barème
rate of each month is applied in Python on those aggregated rows (aides_au_poste/regles.py), then summed per annexe,
structure, kind or département.

Each function runs a fixed number of queries whatever the number of structures: the barème (a few dozen rows),
the annexes, their ETP conventionnés per month, their ETP réalisés per month (retained declarations), the sum of
their versements.

The aides of a year are those of the annexes that *start* in that year (an annexe financière is one year of a
convention), each over its whole period, as the ASP pays it.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Q, Sum

from conventions.models import EtpConventionneMensuel
from declarations.models import LigneDeclaration
from declarations.queries import etp_realises_expression
from siae.models import ORDRE_DES_TYPES

from . import regles
from .models import BaremeAideAuPoste, NatureVersement, Versement
from .regles import ZERO, LigneBareme

TOUS_LES_TYPES = "TOTAL"


def bareme_par_type() -> dict[str, list[LigneBareme]]:
    """The whole barème, one query, as rule values per kind."""
    bareme = defaultdict(regles.Bareme)
    for ligne in BaremeAideAuPoste.objects.order_by("type", "date_effet"):
        bareme[ligne.type].append(
            LigneBareme(ligne.date_effet, ligne.montant_socle_annuel_par_etp, ligne.source, ligne.pk)
        )
    return bareme


@dataclass
class MoisAide:
    """One month of an annexe, with everything its amounts are computed from."""

    mois: dt.date
    etp_conventionnes: Decimal
    etp_realises: Decimal | None  # None: not declared
    ligne: LigneBareme | None

    @property
    def taux(self) -> Decimal:
        return self.ligne.montant if self.ligne else ZERO

    @property
    def socle(self) -> Decimal:
        return regles.montant_mensuel(self.etp_conventionnes, self.taux)

    @property
    def du(self) -> Decimal:
        return regles.montant_mensuel(self.etp_realises or ZERO, self.taux)


@dataclass
class AideAnnexe:
    annexe_id: int
    numero: str
    siae_id: int
    siret: str
    nom: str
    type: str
    departement: str
    date_debut: dt.date
    date_fin: dt.date
    taux_modulation: Decimal
    bareme: list[LigneBareme]
    etp_conventionnes: dict[dt.date, Decimal] = field(default_factory=dict)
    etp_realises: dict[dt.date, Decimal] = field(default_factory=dict)
    verse: Decimal = ZERO  # every payment, the modulation's included
    verse_modulation: Decimal = ZERO

    @property
    def mois(self) -> list[dt.date]:
        return regles.mois_de(self.date_debut, self.date_fin)

    @property
    def detail(self) -> list[MoisAide]:
        return [
            MoisAide(
                mois,
                self.etp_conventionnes.get(mois, ZERO),
                self.etp_realises.get(mois),
                regles.ligne_en_vigueur(self.bareme, mois),
            )
            for mois in self.mois
        ]

    @property
    def dernier_mois_declare(self) -> dt.date | None:
        return max(self.etp_realises, default=None)

    # Computed once per annexe (a sum over its months that the other amounts read again and again), once its
    # months are filled by `aides_des_annexes`.
    @cached_property
    def socle_conventionne(self) -> Decimal:
        return regles.socle_conventionne(self.etp_conventionnes, self.bareme)

    @cached_property
    def modulation(self) -> Decimal:
        return regles.modulation(self.taux_modulation, self.socle_conventionne)

    @property
    def total_conventionne(self) -> Decimal:
        """The two amounts as shown, each to the cent: the row adds up (docs/decisions.md)."""
        return regles.arrondi_euro(self.socle_conventionne) + regles.arrondi_euro(self.modulation)

    @cached_property
    def du_non_plafonne(self) -> Decimal:
        return regles.du_non_plafonne(self.etp_realises, self.bareme)

    @cached_property
    def du(self) -> Decimal:
        """Dû on real occupancy through the last month declared, capped by the socle conventionné: `du_cumule`
        without an end month, from the sum already computed."""
        return min(self.du_non_plafonne, self.socle_conventionne)

    @cached_property
    def plafonne(self) -> bool:
        return self.du_non_plafonne > self.socle_conventionne

    @property
    def verse_socle(self) -> Decimal:
        """Advances and regularisations: what settles the dû."""
        return self.verse - self.verse_modulation

    @property
    def ecart(self) -> Decimal:
        """Dû − versé au titre du socle: positive, still to pay to the structure; negative, paid beyond what is
        due. The modulation is not part of the dû (spec §5), so its payments are followed apart."""
        return self.du - self.verse_socle

    @property
    def modulation_restante(self) -> Decimal:
        return self.modulation - self.verse_modulation

    @property
    def avance_mensuelle(self) -> Decimal:
        return regles.avance_mensuelle(self.socle_conventionne)

    @property
    def regularisations(self) -> list[regles.PointRegularisation]:
        return regles.points_de_regularisation(self.mois, self.etp_realises, self.bareme, self.socle_conventionne)


@dataclass
class AidesGroupe:
    """The sums over the annexes of a group (a kind, a structure, a département, TOTAL)."""

    cle: object
    libelle: str = ""
    type: str = ""
    socle_conventionne: Decimal = ZERO
    modulation: Decimal = ZERO
    du: Decimal = ZERO
    verse: Decimal = ZERO
    verse_modulation: Decimal = ZERO
    annexes: int = 0

    @property
    def total_conventionne(self) -> Decimal:
        return self.socle_conventionne + self.modulation

    @property
    def verse_socle(self) -> Decimal:
        return self.verse - self.verse_modulation

    @property
    def ecart(self) -> Decimal:
        return self.du - self.verse_socle

    def ajouter(self, aide: AideAnnexe) -> None:
        # Each annexe's amounts count as shown, to the cent: a total is the sum of its rows, on every page, in the
        # export, the financing lines and the bilan.
        self.socle_conventionne += regles.arrondi_euro(aide.socle_conventionne)
        self.modulation += regles.arrondi_euro(aide.modulation)
        self.du += regles.arrondi_euro(aide.du)
        self.verse += aide.verse
        self.verse_modulation += aide.verse_modulation
        self.annexes += 1


def annexes_de_l_annee(annexes, annee: int):
    return annexes.filter(date_debut__year=annee)


# What an `AideAnnexe` is built from, read from the annexe.
CHAMPS_DES_AIDES = (
    "pk", "numero", "siae_id", "siae__siret", "siae__nom", "type", "siae__departement", "date_debut", "date_fin",
    "taux_modulation",
)  # fmt: skip


def _aide(a: dict, bareme: dict[str, list[LigneBareme]]) -> "AideAnnexe":
    return AideAnnexe(
        annexe_id=a["pk"],
        numero=a["numero"],
        siae_id=a["siae_id"],
        siret=a["siae__siret"],
        nom=a["siae__nom"],
        type=a["type"],
        departement=a["siae__departement"],
        date_debut=a["date_debut"],
        date_fin=a["date_fin"],
        taux_modulation=a["taux_modulation"],
        bareme=bareme.get(a["type"], []),
    )


def _ajouter_les_versements(aides: dict[int, "AideAnnexe"], annexes) -> None:
    for annexe_id, total, verse_modulation in (
        Versement.objects.filter(annexe__in=annexes)
        .values_list("annexe_id")
        .annotate(total=Sum("montant"), modulation=Sum("montant", filter=Q(nature=NatureVersement.MODULATION)))
        .order_by()
    ):
        aides[annexe_id].verse = total or ZERO
        aides[annexe_id].verse_modulation = verse_modulation or ZERO


def _trier(aides) -> list["AideAnnexe"]:
    return sorted(aides, key=lambda a: (a.type, a.nom, a.numero))


# The amounts an `AideCalculee` keeps (to the cent), the ones the pages of a year sum, and whether the dû is capped.
MONTANTS_CALCULES = ("socle_conventionne", "modulation", "du")
CALCULS_GARDES = (*MONTANTS_CALCULES, "plafonne")


def calculs_gardes(aide: "AideAnnexe") -> dict:
    """What `AideCalculee` keeps of an aide: its amounts as shown and summed (to the cent)."""
    return {**{m: regles.arrondi_euro(getattr(aide, m)) for m in MONTANTS_CALCULES}, "plafonne": aide.plafonne}


def aides_calculees(annexes, versements: bool = True) -> list[AideAnnexe]:
    """As `aides_des_annexes`, the amounts read from `AideCalculee` (computed when the data changed) rather than
    from every month: for the pages that sum them (a year's table, the cockpit, the API). An annexe not yet
    computed (its refresh still to come) is computed here from its months. Two queries, three with versements,
    and those of `aides_des_annexes` for the annexes not computed yet; the months of the aides stay empty."""
    aides, a_calculer = {}, []
    for a in annexes.order_by().values(*CHAMPS_DES_AIDES, *(f"aide_calculee__{m}" for m in CALCULS_GARDES)):
        if a["aide_calculee__du"] is None:
            a_calculer.append(a["pk"])
            continue
        aide = _aide(a, {})
        # The amounts are the cached properties of the rules, given rather than computed (to the cent: what every
        # total adds).
        aide.__dict__.update({m: a[f"aide_calculee__{m}"] for m in CALCULS_GARDES})
        aides[aide.annexe_id] = aide
    if a_calculer:
        calculees_ici = aides_des_annexes(annexes.filter(pk__in=a_calculer), versements=False)
        aides.update({aide.annexe_id: aide for aide in calculees_ici})
    if versements and aides:
        _ajouter_les_versements(aides, annexes)
    return _trier(aides.values())


def aides_des_annexes(
    annexes,
    bareme: dict[str, list[LigneBareme]] | None = None,
    versements: bool = True,
    realises: Callable | None = None,
) -> list[AideAnnexe]:
    """Per annexe. Five queries: four without the versements (the verse stays 0), one less when the barème is
    given.

    `realises(annexes)`: where the ETP-mois réalisés per annexe and month are read, rows of (annexe id, month,
    ETP-mois); the pages pass the indicators' materialised months (`indicateurs.queries.realises_materialises`),
    computed once when the declarations change. None: summed from the retained declarations."""
    bareme = bareme if bareme is not None else bareme_par_type()
    aides = {a["pk"]: _aide(a, bareme) for a in annexes.order_by().values(*CHAMPS_DES_AIDES)}
    if not aides:
        return []
    for annexe_id, mois, etp in EtpConventionneMensuel.objects.filter(annexe__in=annexes).values_list(
        "annexe_id", "mois", "etp_conventionnes"
    ):
        aides[annexe_id].etp_conventionnes[mois] = etp
    lus = (
        realises(annexes)
        if realises is not None
        else LigneDeclaration.objects.filter(declaration__retenue=True, declaration__annexe__in=annexes)
        .values_list("declaration__annexe_id", "declaration__mois")
        .annotate(etp=Sum(etp_realises_expression()))
        .order_by()
    )
    for annexe_id, mois, etp in lus:
        aide = aides[annexe_id]
        if aide.date_debut.replace(day=1) <= mois <= aide.date_fin:
            aide.etp_realises[mois] = Decimal(etp or ZERO)
    if versements:
        _ajouter_les_versements(aides, annexes)
    return _trier(aides.values())


def par_type(aides: list[AideAnnexe]) -> list[AidesGroupe]:
    """One row per kind present, in the bilan's order, then TOTAL."""
    groupes = {}
    total = AidesGroupe(TOUS_LES_TYPES, "TOTAL")
    for aide in aides:
        groupes.setdefault(aide.type, AidesGroupe(aide.type, aide.type, aide.type)).ajouter(aide)
        total.ajouter(aide)
    return [*(groupes[t] for t in ORDRE_DES_TYPES if t in groupes), total]


def par_siae(aides: list[AideAnnexe]) -> list[AidesGroupe]:
    groupes = {}
    for aide in aides:
        groupes.setdefault(aide.siae_id, AidesGroupe(aide.siae_id, aide.nom, aide.type)).ajouter(aide)
    return sorted(groupes.values(), key=lambda g: (g.type, g.libelle.lower(), g.cle))


def par_departement(aides: list[AideAnnexe]) -> list[AidesGroupe]:
    groupes = {}
    for aide in aides:
        groupes.setdefault(aide.departement, AidesGroupe(aide.departement, aide.departement)).ajouter(aide)
    return [groupes[d] for d in sorted(groupes)]


def siret_par_siae(aides: list[AideAnnexe]) -> dict[int, str]:
    return {a.siae_id: a.siret for a in aides}


# Revaluation ---------------------------------------------------------------------------------------------------


@dataclass
class ImpactAnnexe:
    annexe_id: int
    numero: str
    siae_id: int
    nom: str
    type: str
    impact: regles.Impact


def impact_revalorisation(annexes, nouvelle: LigneBareme, type_: str, mois_courant: dt.date) -> list[ImpactAnnexe]:
    """The impact of a hypothetical barème row of one kind on each annexe of that kind running on or after its
    date. Three queries."""
    lignes = list(bareme_par_type().get(type_, []))
    debut = regles.premier_du_mois(nouvelle.date_effet)
    concernees = annexes.filter(type=type_, date_fin__gte=debut)
    infos = {a["pk"]: a for a in concernees.order_by().values("pk", "numero", "siae_id", "siae__nom", "type")}
    etp = defaultdict(dict)
    for annexe_id, mois, valeur in EtpConventionneMensuel.objects.filter(
        annexe__in=concernees, mois__gte=debut
    ).values_list("annexe_id", "mois", "etp_conventionnes"):
        etp[annexe_id][mois] = valeur
    resultat = [
        ImpactAnnexe(
            pk,
            a["numero"],
            a["siae_id"],
            a["siae__nom"],
            a["type"],
            regles.impact_revalorisation(etp.get(pk, {}), lignes, nouvelle, mois_courant),
        )
        for pk, a in infos.items()
    ]
    return sorted(resultat, key=lambda i: (i.nom.lower(), i.numero))


@dataclass
class ImpactGroupe:
    cle: object
    libelle: str
    retroactif: Decimal = ZERO
    previsionnel: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.retroactif + self.previsionnel


def impact_par(impacts: list[ImpactAnnexe], cle) -> list[ImpactGroupe]:
    groupes = {}
    for i in impacts:
        k, libelle = cle(i)
        groupe = groupes.setdefault(k, ImpactGroupe(k, libelle))
        groupe.retroactif += i.impact.retroactif
        groupe.previsionnel += i.impact.previsionnel
    return list(groupes.values())


def impact_total(impacts: list[ImpactAnnexe]) -> ImpactGroupe:
    total = ImpactGroupe(TOUS_LES_TYPES, "TOTAL")
    for i in impacts:
        total.retroactif += i.impact.retroactif
        total.previsionnel += i.impact.previsionnel
    return total
