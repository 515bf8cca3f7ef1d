"""The differences between what a SIAE declared in Pilot'IAE and what the ASP holds for the same annexe and month
(the "Écarts ASP / déclarations" page): hours, salariés and exits, person by person.

Two queries whatever the number of annexes: the latest version of each source per month, then their lines.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from declarations.models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration, SourceDeclaration

ZERO = Decimal(0)


@dataclass
class EcartLigne:
    parcours_id: int
    salarie_id: int
    salarie: str
    heures_pilotiae: Decimal | None  # None: the person is absent from that side
    heures_asp: Decimal | None
    sortie_pilotiae: dt.date | None
    sortie_asp: dt.date | None

    @property
    def ecart_heures(self) -> Decimal:
        return (self.heures_asp or ZERO) - (self.heures_pilotiae or ZERO)


@dataclass
class EcartMois:
    annexe_id: int
    numero: str
    structure: str
    mois: dt.date
    pilotiae: DeclarationMensuelle
    asp: DeclarationMensuelle
    lignes: list[EcartLigne] = field(default_factory=list)  # the persons whose hours or exit differ

    @property
    def heures_pilotiae(self) -> Decimal:
        return sum((ligne.heures_pilotiae or ZERO for ligne in self.toutes), ZERO)

    @property
    def heures_asp(self) -> Decimal:
        return sum((ligne.heures_asp or ZERO for ligne in self.toutes), ZERO)

    @property
    def ecart_heures(self) -> Decimal:
        """The month's hours at the ASP less those declared in Pilot'IAE: what the ASP pays more (or less)."""
        return self.heures_asp - self.heures_pilotiae

    @property
    def salaries_pilotiae(self) -> int:
        return sum(1 for ligne in self.toutes if ligne.heures_pilotiae is not None)

    @property
    def salaries_asp(self) -> int:
        return sum(1 for ligne in self.toutes if ligne.heures_asp is not None)

    @property
    def sorties_pilotiae(self) -> int:
        return sum(1 for ligne in self.toutes if ligne.sortie_pilotiae)

    @property
    def sorties_asp(self) -> int:
        return sum(1 for ligne in self.toutes if ligne.sortie_asp)

    toutes: list[EcartLigne] = field(default_factory=list)


def _dernieres(declarations) -> dict[tuple[int, dt.date, str], DeclarationMensuelle]:
    dernieres = {}
    for declaration in declarations:
        cle = (declaration.annexe_id, declaration.mois, declaration.source)
        if cle not in dernieres or declaration.version > dernieres[cle].version:
            dernieres[cle] = declaration
    return dernieres


def ecarts(annexes, debut: dt.date, fin: dt.date, seulement_differents: bool = True) -> list[EcartMois]:
    """The months of these annexes (a queryset, already scoped) between `debut` and `fin` declared both in
    Pilot'IAE (transmitted, not a draft) and by the ASP, with their differences; only the months that differ
    unless told otherwise."""
    declarations = (
        DeclarationMensuelle.objects.filter(annexe__in=annexes, mois__gte=debut, mois__lte=fin)
        .exclude(source=SourceDeclaration.PILOTIAE, etat=EtatDeclaration.BROUILLON)
        .select_related("annexe__siae")
    )
    dernieres = _dernieres(declarations)
    paires = {
        (annexe_id, mois): (declaration, dernieres.get((annexe_id, mois, SourceDeclaration.ASP)))
        for (annexe_id, mois, source), declaration in dernieres.items()
        if source == SourceDeclaration.PILOTIAE and (annexe_id, mois, SourceDeclaration.ASP) in dernieres
    }
    ids = [d.pk for paire in paires.values() for d in paire]
    lignes = {}
    for ligne in LigneDeclaration.objects.filter(declaration_id__in=ids).select_related("parcours__salarie"):
        lignes.setdefault(ligne.declaration_id, []).append(ligne)
    resultat = []
    for (annexe_id, mois), (pilotiae, asp) in sorted(paires.items(), key=lambda p: (p[0][1], p[1][0].annexe.numero)):
        par_parcours: dict[int, EcartLigne] = {}
        for cote, declaration in (("pilotiae", pilotiae), ("asp", asp)):
            for ligne in lignes.get(declaration.pk, []):
                salarie = ligne.parcours.salarie
                ecart = par_parcours.setdefault(
                    ligne.parcours_id,
                    EcartLigne(
                        ligne.parcours_id, salarie.pk, f"{salarie.nom} {salarie.prenom}", None, None, None, None
                    ),
                )
                setattr(ecart, f"heures_{cote}", ligne.heures_travaillees)
                setattr(ecart, f"sortie_{cote}", ligne.date_sortie)
        toutes = sorted(par_parcours.values(), key=lambda e: e.salarie.lower())
        differentes = [e for e in toutes if (e.heures_pilotiae, e.sortie_pilotiae) != (e.heures_asp, e.sortie_asp)]
        if seulement_differents and not differentes:
            continue
        resultat.append(
            EcartMois(
                annexe_id=annexe_id,
                numero=pilotiae.annexe.numero,
                structure=pilotiae.annexe.siae.nom,
                mois=mois,
                pilotiae=pilotiae,
                asp=asp,
                lignes=differentes,
                toutes=toutes,
            )
        )
    return resultat
