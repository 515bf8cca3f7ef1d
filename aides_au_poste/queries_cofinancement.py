"""The Département's co-financing of bRSA in ACI (spec §5) for a set of annexes: per annexe and month, the target
number of bRSA the co-financed amount pays for and the bRSA actually employed.

Three queries whatever the number of annexes: the RSA table, the co-financed annexes, and the distinct bRSA
salariés with hours in each retained monthly declaration.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q

from declarations.models import LigneDeclaration

from . import regles
from .models import MontantRsa
from .regles_cofinancement import LigneRsa, cible_brsa, cout_mensuel_brsa, rsa_du_mois

ZERO = Decimal(0)


def table_rsa() -> list[LigneRsa]:
    return [
        LigneRsa(m.date_effet, m.montant_forfaitaire, m.source)
        for m in MontantRsa.objects.order_by("date_effet").only("date_effet", "montant_forfaitaire", "source")
    ]


@dataclass
class MoisCofinancement:
    mois: dt.date
    rsa: LigneRsa | None
    cible: Decimal
    brsa: int | None  # None: the month is not declared (or not retained) yet

    @property
    def cout_mensuel(self) -> Decimal:
        return cout_mensuel_brsa(self.rsa.montant) if self.rsa else ZERO

    @property
    def atteint(self) -> bool | None:
        return None if self.brsa is None else self.brsa >= self.cible


@dataclass
class CofinancementAnnexe:
    annexe_id: int
    numero: str
    siae_id: int
    nom: str
    date_debut: dt.date
    date_fin: dt.date
    montant: Decimal
    mois: list[MoisCofinancement] = field(default_factory=list)

    @property
    def nombre_de_mois(self) -> int:
        return len(self.mois)

    @property
    def mensuel(self) -> Decimal:
        """The co-financed amount per month of the annexe."""
        return self.montant / self.nombre_de_mois if self.mois else ZERO

    @property
    def cible_moyenne(self) -> Decimal:
        return sum((m.cible for m in self.mois), ZERO) / self.nombre_de_mois if self.mois else ZERO

    @property
    def mois_declares(self) -> list[MoisCofinancement]:
        return [m for m in self.mois if m.brsa is not None]

    @property
    def brsa_moyen(self) -> Decimal | None:
        declares = self.mois_declares
        return Decimal(sum(m.brsa for m in declares)) / len(declares) if declares else None

    @property
    def cible_moyenne_declaree(self) -> Decimal | None:
        """The target over the declared months only, to compare with `brsa_moyen`."""
        declares = self.mois_declares
        return sum((m.cible for m in declares), ZERO) / len(declares) if declares else None

    @property
    def mois_sous_la_cible(self) -> int:
        return sum(1 for m in self.mois_declares if not m.atteint)

    @property
    def taux_d_atteinte(self) -> Decimal | None:
        """bRSA employed against the target, over the declared months (a fraction)."""
        cible = self.cible_moyenne_declaree
        return self.brsa_moyen / cible if cible else None


def cofinancement_des_annexes(annexes, rsa: list[LigneRsa] | None = None) -> list[CofinancementAnnexe]:
    """The annexes with a Département co-financing, month by month."""
    rsa = rsa if rsa is not None else table_rsa()
    resultat = {
        a["pk"]: CofinancementAnnexe(
            a["pk"], a["numero"], a["siae_id"], a["siae__nom"], a["date_debut"], a["date_fin"], a["montant"]
        )
        for a in annexes.filter(montant_cofinance_cd__gt=0)
        .order_by()
        .values("pk", "numero", "siae_id", "siae__nom", "date_debut", "date_fin", montant=F("montant_cofinance_cd"))
    }
    if not resultat:
        return []
    # Every retained declaration of the months, so that a month without any bRSA counts 0 (declared), not unknown.
    employes = (
        LigneDeclaration.objects.filter(declaration__retenue=True, declaration__annexe__in=list(resultat))
        .values_list("declaration__annexe_id", "declaration__mois")
        .annotate(
            brsa=Count("parcours__salarie", distinct=True, filter=Q(parcours__brsa=True, heures_travaillees__gt=0))
        )
        .order_by()
    )
    par_mois = {(annexe_id, mois): brsa for annexe_id, mois, brsa in employes}
    for cofinancement in resultat.values():
        mois_af = regles.mois_de(cofinancement.date_debut, cofinancement.date_fin)
        for mois in mois_af:
            ligne = rsa_du_mois(rsa, mois)
            cle = (cofinancement.annexe_id, mois)
            cofinancement.mois.append(
                MoisCofinancement(
                    mois,
                    ligne,
                    cible_brsa(cofinancement.montant, len(mois_af), ligne.montant if ligne else ZERO),
                    par_mois.get(cle),
                )
            )
    return sorted(resultat.values(), key=lambda c: (c.nom, c.numero))


@dataclass
class TotalCofinancement:
    montant: Decimal = ZERO
    annexes: int = 0
    cible_moyenne: Decimal = ZERO
    brsa_moyen: Decimal = ZERO

    def ajouter(self, c: CofinancementAnnexe) -> None:
        self.montant += c.montant
        self.annexes += 1
        self.cible_moyenne += c.cible_moyenne_declaree or ZERO
        self.brsa_moyen += c.brsa_moyen or ZERO

    @property
    def taux_d_atteinte(self) -> Decimal | None:
        return self.brsa_moyen / self.cible_moyenne if self.cible_moyenne else None


def total(cofinancements: list[CofinancementAnnexe]) -> TotalCofinancement:
    t = TotalCofinancement()
    for c in cofinancements:
        t.ajouter(c)
    return t
