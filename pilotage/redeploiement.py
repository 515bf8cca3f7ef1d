"""Redeploying ETP conventionnés between the annexes of a département: a simulation, nothing is written.

A move withdraws x ETP from one annexe and adds them to another, from a month M to the end of each annexe. The
simulation shows, for each annexe and structure, the ETP conventionnés after the moves, the year-end consumption
rate projected against them (spec §4: the réalisé to date extended linearly to December) and the effect on the
aide au poste socle: Σ over the moved months of Δetp(m) × b(m) / 12, b being the barème of the annexe's kind in
force on the 1st of the month (spec §5, `aides_au_poste.regles`).

The envelope: the ETP-mois added may not exceed the ETP-mois withdrawn. Moving x ETP from M withdraws x ETP-mois for
each month left in the ceding annexe and adds x for each month left in the receiving one: the same when both end
the same month; a receiving annexe that runs longer would take more than was given.

The rules work on values (`AnnexeSimulee`, `Mouvement`) and are tested without a database; `annexes_simulees`, at
the end, reads those values for a queryset of annexes in four queries.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from aides_au_poste.queries import bareme_par_type
from aides_au_poste.regles import LigneBareme, mois_de, socle_du_mois
from base.calendrier import Periode, nom_du_mois
from base.formats import etp_fr
from conventions.models import EtpConventionneMensuel
from declarations.queries import etp_realises_expression, lignes_retenues
from indicateurs.queries_consommation import periode_de_reference
from indicateurs.regles import (
    SOUS_CONSOMMATION,
    SUR_CONSOMMATION,
    projection_annuelle,
    statut_consommation,
    taux_consommation,
)

ZERO = Decimal(0)
DOUZE = Decimal(12)

# The fields of a move, as the form names them in its messages.
CHAMPS = {
    "source": "annexe qui cède",
    "destination": "annexe qui reçoit",
    "etp": "ETP déplacés",
    "mois": "à partir de",
}


@dataclass(frozen=True)
class Mouvement:
    """Line `ligne` of the proposal: `etp` ETP from annexe `source` to annexe `destination` (primary keys), from
    the month `mois` (its first day) to the end of each annexe."""

    ligne: int
    source: int
    destination: int
    etp: Decimal
    mois: dt.date


@dataclass(frozen=True)
class Erreur:
    message: str
    ligne: int | None = None
    champ: str | None = None  # a key of CHAMPS

    def __str__(self) -> str:
        if self.ligne is None:
            return self.message[0].upper() + self.message[1:]
        if self.champ is None:
            return f"Ligne {self.ligne} : {self.message}"
        return f"Ligne {self.ligne}, « {CHAMPS[self.champ]} » : {self.message}"


@dataclass
class AnnexeSimulee:
    """An annexe as the simulation reads it."""

    pk: int
    numero: str
    siae_id: int
    siret: str
    nom: str
    type: str
    date_debut: dt.date
    date_fin: dt.date
    etp_par_mois: dict[dt.date, Decimal] = field(default_factory=dict)  # in force each month of the annexe
    reel_a_date: Decimal = ZERO  # ETP-mois réalisés over the reference period (January to the last month due)
    bareme: list[LigneBareme] = field(default_factory=list)  # the barème of its kind

    @property
    def mois(self) -> list[dt.date]:
        return mois_de(self.date_debut, self.date_fin)

    def court_en(self, mois: dt.date) -> bool:
        return self.date_debut.replace(day=1) <= mois <= self.date_fin

    def mois_a_partir_de(self, mois: dt.date) -> list[dt.date]:
        return [m for m in self.mois if m >= mois]


def verifier(
    mouvements: list[Mouvement], annexes: dict[int, AnnexeSimulee], annee: int, departement: str
) -> list[Erreur]:
    """Every reason the proposal cannot stand, each naming its line and field. The lines are taken in order: a
    withdrawal is checked against what the earlier valid lines left in the annexe."""
    erreurs: list[Erreur] = []
    etp = {pk: dict(annexe.etp_par_mois) for pk, annexe in annexes.items()}
    deja_vues: dict[tuple, int] = {}
    retires = ajoutes = ZERO
    trop_longues: list[int] = []
    hors_perimetre = f"cette annexe n'est pas une annexe active du département {departement} en {annee}"
    for m in mouvements:
        avant = len(erreurs)
        source, destination = annexes.get(m.source), annexes.get(m.destination)
        if source is None:
            erreurs.append(Erreur(hors_perimetre, m.ligne, "source"))
        if destination is None:
            erreurs.append(Erreur(hors_perimetre, m.ligne, "destination"))
        elif m.destination == m.source:
            erreurs.append(
                Erreur("c'est aussi l'annexe qui cède : choisissez deux annexes différentes", m.ligne, "destination")
            )
        if m.etp <= 0:
            erreurs.append(Erreur("indiquez un nombre d'ETP supérieur à 0", m.ligne, "etp"))
        if m.mois.year != annee:
            erreurs.append(Erreur(f"choisissez un mois de {annee}", m.ligne, "mois"))
        else:
            for annexe in (source, destination):
                if annexe is not None and not annexe.court_en(m.mois):
                    erreurs.append(
                        Erreur(
                            f"l'annexe {annexe.numero} ne court pas en {nom_du_mois(m.mois)} (du "
                            f"{annexe.date_debut:%d/%m/%Y} au {annexe.date_fin:%d/%m/%Y})",
                            m.ligne,
                            "mois",
                        )
                    )
        cle = (m.source, m.destination, m.mois)
        if cle in deja_vues:
            erreurs.append(
                Erreur(
                    f"mêmes annexes et même mois qu'à la ligne {deja_vues[cle]} : regroupez-les en une seule ligne",
                    m.ligne,
                )
            )
        deja_vues.setdefault(cle, m.ligne)
        if len(erreurs) > avant:
            continue
        mois_source, mois_destination = source.mois_a_partir_de(m.mois), destination.mois_a_partir_de(m.mois)
        disponible, mois_limite = min((etp[source.pk].get(mois, ZERO), mois) for mois in mois_source)
        if m.etp > disponible:
            initial = source.etp_par_mois.get(mois_limite, ZERO)
            apres = " après les lignes précédentes" if disponible != initial else ""
            erreurs.append(
                Erreur(
                    f"l'annexe {source.numero} n'a que {etp_fr(disponible)} ETP conventionnés en "
                    f"{nom_du_mois(mois_limite)}{apres} : impossible d'en retirer {etp_fr(m.etp)}",
                    m.ligne,
                    "etp",
                )
            )
            continue
        for mois in mois_source:
            etp[source.pk][mois] = etp[source.pk].get(mois, ZERO) - m.etp
        for mois in mois_destination:
            etp[destination.pk][mois] = etp[destination.pk].get(mois, ZERO) + m.etp
        retires += m.etp * len(mois_source)
        ajoutes += m.etp * len(mois_destination)
        if len(mois_destination) > len(mois_source):
            trop_longues.append(m.ligne)
    if not erreurs and ajoutes > retires:
        lignes = ", ".join(str(n) for n in trop_longues)
        erreurs.append(
            Erreur(
                f"l'enveloppe du département serait dépassée : les ETP-mois ajoutés ({etp_fr(ajoutes)}) dépassent "
                f"les ETP-mois retirés ({etp_fr(retires)}), l'annexe qui reçoit courant plus longtemps que celle qui "
                f"cède (ligne{'s' if len(trop_longues) > 1 else ''} {lignes}). Choisissez des annexes qui finissent "
                "le même mois, ou retirez ailleurs les ETP-mois qui manquent."
            )
        )
    return erreurs


def appliquer(annexes: dict[int, AnnexeSimulee], mouvements: list[Mouvement]) -> dict[int, dict[dt.date, Decimal]]:
    """The ETP conventionnés of each annexe, month by month, once the (verified) moves are made."""
    etp = {pk: dict(annexe.etp_par_mois) for pk, annexe in annexes.items()}
    for m in mouvements:
        for mois in annexes[m.source].mois_a_partir_de(m.mois):
            etp[m.source][mois] = etp[m.source].get(mois, ZERO) - m.etp
        for mois in annexes[m.destination].mois_a_partir_de(m.mois):
            etp[m.destination][mois] = etp[m.destination].get(mois, ZERO) + m.etp
    return etp


def delta_socle(avant: dict[dt.date, Decimal], apres: dict[dt.date, Decimal], bareme: list[LigneBareme]) -> Decimal:
    """Σ over the months whose ETP changed of Δetp(m) × b(m) / 12, exact (rounded only when shown)."""
    return sum(
        (
            socle_du_mois(apres.get(mois, ZERO) - avant.get(mois, ZERO), bareme, mois)
            for mois in avant.keys() | apres.keys()
            if apres.get(mois, ZERO) != avant.get(mois, ZERO)
        ),
        ZERO,
    )


def etp_mois(etp_par_mois: dict[dt.date, Decimal], debut: dt.date, fin: dt.date) -> Decimal:
    """Σ of the ETP of the months from debut to fin (first days), in ETP-mois."""
    return sum((etp for mois, etp in etp_par_mois.items() if debut <= mois <= fin), ZERO)


@dataclass
class Situation:
    """An annexe, a structure or the département over the year, before and after the moves."""

    cle: object
    libelle: str
    type: str
    conv_avant: Decimal  # ETP-mois conventionnés of the year
    conv_apres: Decimal
    conv_a_date: Decimal  # ETP-mois conventionnés over the reference period, before the moves
    reel_a_date: Decimal  # ETP-mois réalisés over the reference period
    mois_ecoules: int
    delta_socle: Decimal
    seuils: tuple[Decimal, Decimal]
    numero: str = ""
    siret: str = ""

    def __add__(self, autre: "Situation") -> "Situation":
        return Situation(
            self.cle,
            self.libelle,
            self.type,
            self.conv_avant + autre.conv_avant,
            self.conv_apres + autre.conv_apres,
            self.conv_a_date + autre.conv_a_date,
            self.reel_a_date + autre.reel_a_date,
            self.mois_ecoules,
            self.delta_socle + autre.delta_socle,
            self.seuils,
            self.numero,
            self.siret,
        )

    @property
    def modifiee(self) -> bool:
        return self.conv_avant != self.conv_apres or bool(self.delta_socle)

    @property
    def etp_conventionnes_avant(self) -> Decimal:
        return self.conv_avant / DOUZE

    @property
    def etp_conventionnes_apres(self) -> Decimal:
        return self.conv_apres / DOUZE

    @property
    def etp_realises_a_date(self) -> Decimal:
        return self.reel_a_date / self.mois_ecoules

    @property
    def taux_a_date(self) -> Decimal | None:
        return taux_consommation(self.reel_a_date, self.conv_a_date)

    @property
    def projection(self) -> Decimal | None:
        """ETP-mois réalisés expected over the year; none when nothing is declared yet."""
        return projection_annuelle(self.reel_a_date, self.mois_ecoules) if self.reel_a_date else None

    @property
    def projection_etp(self) -> Decimal | None:
        return None if self.projection is None else self.projection / DOUZE

    def _taux(self, conventionne: Decimal) -> Decimal | None:
        return None if self.projection is None else taux_consommation(self.projection, conventionne)

    @property
    def taux_projete_avant(self) -> Decimal | None:
        return self._taux(self.conv_avant)

    @property
    def taux_projete_apres(self) -> Decimal | None:
        return self._taux(self.conv_apres)

    @property
    def statut_avant(self) -> str | None:
        return statut_consommation(self.taux_projete_avant, *self.seuils)

    @property
    def statut_apres(self) -> str | None:
        return statut_consommation(self.taux_projete_apres, *self.seuils)

    @property
    def ecart_projete_avant(self) -> Decimal | None:
        """Projected réalisé − conventionné, in ETP: negative, ETP that would stay unused; positive, overrun."""
        return None if self.projection is None else (self.projection - self.conv_avant) / DOUZE

    @property
    def ecart_projete_apres(self) -> Decimal | None:
        return None if self.projection is None else (self.projection - self.conv_apres) / DOUZE


@dataclass(frozen=True)
class EffetMouvement:
    mouvement: Mouvement
    source: AnnexeSimulee
    destination: AnnexeSimulee
    mois_retires: int
    mois_ajoutes: int
    socle_cede: Decimal  # the socle the ceding annexe loses (positive)
    socle_recu: Decimal  # the socle the receiving annexe gains

    @property
    def etp_mois_retires(self) -> Decimal:
        return self.mouvement.etp * self.mois_retires

    @property
    def etp_mois_ajoutes(self) -> Decimal:
        return self.mouvement.etp * self.mois_ajoutes

    @property
    def effet_socle(self) -> Decimal:
        return self.socle_recu - self.socle_cede


def effet(mouvement: Mouvement, annexes: dict[int, AnnexeSimulee]) -> EffetMouvement:
    source, destination = annexes[mouvement.source], annexes[mouvement.destination]
    mois_source = source.mois_a_partir_de(mouvement.mois)
    mois_destination = destination.mois_a_partir_de(mouvement.mois)
    return EffetMouvement(
        mouvement,
        source,
        destination,
        len(mois_source),
        len(mois_destination),
        sum((socle_du_mois(mouvement.etp, source.bareme, m) for m in mois_source), ZERO),
        sum((socle_du_mois(mouvement.etp, destination.bareme, m) for m in mois_destination), ZERO),
    )


@dataclass
class Simulation:
    annee: int
    departement: str
    annexes: list[Situation]  # every annexe, before (and after) the moves
    erreurs: list[Erreur]
    effets: list[EffetMouvement]  # empty when there is an error
    structures: list[Situation]  # the structures the moves change
    total: Situation  # the département

    @property
    def simulee(self) -> bool:
        return bool(self.effets)

    @property
    def etp_mois_retires(self) -> Decimal:
        return sum((e.etp_mois_retires for e in self.effets), ZERO)

    @property
    def etp_mois_ajoutes(self) -> Decimal:
        return sum((e.etp_mois_ajoutes for e in self.effets), ZERO)

    @property
    def etp_mois_non_redeployes(self) -> Decimal:
        return self.etp_mois_retires - self.etp_mois_ajoutes

    @property
    def sous_consommation(self) -> list[Situation]:
        """The annexes projected below the lower threshold before the moves: where ETP would stay unused."""
        return [s for s in self.annexes if s.statut_avant == SOUS_CONSOMMATION]

    @property
    def sur_consommation(self) -> list[Situation]:
        """The annexes projected above the upper threshold before the moves: where ETP are missing."""
        return [s for s in self.annexes if s.statut_avant == SUR_CONSOMMATION]

    @property
    def marge(self) -> Decimal:
        """The ETP the under-consuming annexes are projected to leave unused, counted positive."""
        return -sum((s.ecart_projete_avant for s in self.sous_consommation), ZERO)

    @property
    def besoin(self) -> Decimal:
        """The ETP the over-consuming annexes are projected to use beyond their conventionnés."""
        return sum((s.ecart_projete_avant for s in self.sur_consommation), ZERO)


def mois_propose(annee: int, aujourd_hui: dt.date) -> dt.date:
    """The month a move starts from until the agent chooses: in the current year the next month (the months gone
    by are réalisés; December stays December), in any other year January."""
    if aujourd_hui.year != annee:
        return dt.date(annee, 1, 1)
    return dt.date(annee, min(aujourd_hui.month + 1, 12), 1)


def _cle_du_taux(situation: Situation):
    taux = situation.taux_projete_avant
    return (taux is None, taux or ZERO, situation.libelle.lower(), situation.numero)


def simuler(
    annexes: list[AnnexeSimulee],
    mouvements: list[Mouvement],
    annee: int,
    departement: str,
    fin_reference: dt.date,
    seuils: tuple[Decimal, Decimal],
) -> Simulation:
    """The situation of every annexe, and, when the moves stand, their effect per structure and on the
    département. `fin_reference`: the first day of the last month of the reference period (December for a year
    that is over)."""
    par_pk = {a.pk: a for a in annexes}
    erreurs = verifier(mouvements, par_pk, annee, departement)
    valides = mouvements if not erreurs else []
    apres = appliquer(par_pk, valides)
    debut, fin = dt.date(annee, 1, 1), dt.date(annee, 12, 1)
    mois_ecoules = (fin_reference.year - annee) * 12 + fin_reference.month

    def situation(a: AnnexeSimulee) -> Situation:
        return Situation(
            cle=a.pk,
            libelle=a.nom,
            type=a.type,
            conv_avant=etp_mois(a.etp_par_mois, debut, fin),
            conv_apres=etp_mois(apres[a.pk], debut, fin),
            conv_a_date=etp_mois(a.etp_par_mois, debut, fin_reference),
            reel_a_date=a.reel_a_date,
            mois_ecoules=mois_ecoules,
            delta_socle=delta_socle(a.etp_par_mois, apres[a.pk], a.bareme),
            seuils=seuils,
            numero=a.numero,
            siret=a.siret,
        )

    situations = [situation(a) for a in annexes]
    structures: dict[int, Situation] = {}
    total = Situation("TOTAL", "TOTAL", "", ZERO, ZERO, ZERO, ZERO, mois_ecoules, ZERO, seuils)
    for a, s in zip(annexes, situations, strict=True):
        total = total + s
        if not s.modifiee:
            continue
        par_siae = Situation(a.siae_id, a.nom, a.type, ZERO, ZERO, ZERO, ZERO, mois_ecoules, ZERO, seuils, "", a.siret)
        structures[a.siae_id] = structures.get(a.siae_id, par_siae) + s
    # A structure's figures are all its annexes of the year, not only the one a move touches.
    for a, s in zip(annexes, situations, strict=True):
        if a.siae_id in structures and not s.modifiee:
            structures[a.siae_id] = structures[a.siae_id] + s
    return Simulation(
        annee=annee,
        departement=departement,
        annexes=sorted(situations, key=_cle_du_taux),
        erreurs=erreurs,
        effets=[effet(m, par_pk) for m in valides],
        structures=sorted(structures.values(), key=_cle_du_taux),
        total=total,
    )


# Reads --------------------------------------------------------------------------------------------------------


def annexes_simulees(annexes, annee: int, aujourd_hui: dt.date | None = None) -> tuple[list[AnnexeSimulee], Periode]:
    """The annexes of the queryset as the simulation reads them, and the reference period of the year. Four
    queries: the barème, the annexes, their ETP conventionnés month by month over their whole period (a move runs
    to the end of the annexe), their ETP-mois réalisés over the reference period."""
    reference = periode_de_reference(annexes, annee, aujourd_hui)
    bareme = bareme_par_type()
    simulees = {
        a["pk"]: AnnexeSimulee(
            pk=a["pk"],
            numero=a["numero"],
            siae_id=a["siae_id"],
            siret=a["siae__siret"],
            nom=a["siae__nom"],
            type=a["type"],
            date_debut=a["date_debut"],
            date_fin=a["date_fin"],
            bareme=bareme.get(a["type"], []),
        )
        for a in annexes.order_by().values(
            "pk", "numero", "siae_id", "siae__siret", "siae__nom", "type", "date_debut", "date_fin"
        )
    }
    if not simulees:
        return [], reference
    for annexe_id, mois, etp in EtpConventionneMensuel.objects.filter(annexe__in=annexes).values_list(
        "annexe_id", "mois", "etp_conventionnes"
    ):
        simulees[annexe_id].etp_par_mois[mois] = etp
    realises = (
        lignes_retenues(annexes, reference)
        .values_list("declaration__annexe_id")
        .annotate(total=Sum(etp_realises_expression()))
        .order_by()
    )
    for annexe_id, total in realises:
        simulees[annexe_id].reel_a_date = Decimal(total or ZERO)
    return sorted(simulees.values(), key=lambda a: (a.nom.lower(), a.numero)), reference
