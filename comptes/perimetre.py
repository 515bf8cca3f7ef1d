"""What a user may see: the one place that decides it.

Every queryset a view or an endpoint shows goes through a model manager's `visible_to(user)`, which asks
the user's `Perimetre`. An object outside it is simply absent from the queryset, so views answer 404.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from .models import Role, TypeOrganisation


@dataclass(frozen=True)
class Perimetre:
    administrateur: bool = False
    departements_ddets: frozenset[str] = frozenset()
    departements_cdiae: frozenset[str] = frozenset()
    siae_ids: frozenset[int] = frozenset()
    # The départements of those structures: a structure's staff sees its own figures in its département's.
    departements_siae: frozenset[str] = frozenset()

    @property
    def roles(self) -> set[str]:
        roles = set()
        if self.departements_ddets:
            roles.add(Role.AGENT_DDETS)
        if self.siae_ids:
            roles.add(Role.PERSONNEL_SIAE)
        if self.departements_cdiae:
            roles.add(Role.MEMBRE_CDIAE)
        return roles

    @property
    def est_agent(self) -> bool:
        return self.administrateur or bool(self.departements_ddets)

    @property
    def departements(self) -> frozenset[str]:
        """Départements whose aggregated figures the user may see."""
        return self.departements_ddets | self.departements_cdiae

    def gere_le_departement(self, departement: str | None) -> bool:
        """Whether the user acts for the DDETS of this département (a bilan, an envelope...)."""
        return bool(departement) and (self.administrateur or departement in self.departements_ddets)

    def voit_le_departement(self, departement: str) -> bool:
        """Whether figures asked for this département are in scope: the DDETS and CDIAE of the département, the
        administrators, and a structure's staff for their structure's département (then only their structure's)."""
        return self.administrateur or departement in self.departements or departement in self.departements_siae

    def voit_nominatif(self, siae) -> bool:
        """Whether the people of this (visible) structure may be shown: not to CDIAE members."""
        return self.administrateur or siae.departement in self.departements_ddets or siae.pk in self.siae_ids

    def peut_modifier_identite(self, employeurs: Iterable[tuple[int, str]]) -> bool:
        """Whether a person's identity (name, birth date, sex) may be changed, given (structure id, département)
        of every structure that ever employed them: by a DDETS agent of a département that follows them, or by a
        structure's staff when theirs is the only structure that ever employed the person. Anyone else would
        change it for structures and départements they do not answer for."""
        employeurs = set(employeurs)
        if self.administrateur or any(departement in self.departements_ddets for _, departement in employeurs):
            return True
        structures = {siae for siae, _ in employeurs}
        return len(structures) == 1 and structures <= self.siae_ids

    def filtre_structures(self, siae: str = "siae", departement: str = "siae__departement") -> Q:
        """Structures and their non-nominative data: the DDETS and CDIAE of the département, the SIAE itself."""
        if self.administrateur:
            return Q()
        return Q(**{f"{departement}__in": self.departements}) | Q(**{f"{siae}__in": self.siae_ids})

    def filtre_nominatif(self, siae: str = "siae", departement: str = "siae__departement") -> Q:
        """Data about people: never for CDIAE members."""
        if self.administrateur:
            return Q()
        return Q(**{f"{departement}__in": self.departements_ddets}) | Q(**{f"{siae}__in": self.siae_ids})

    def filtre_gestion(self, departement: str = "siae__departement") -> Q:
        """What the user may create or change as a DDETS agent."""
        if self.administrateur:
            return Q()
        return Q(**{f"{departement}__in": self.departements_ddets})


AUCUN = Perimetre()


def perimetre_de(user) -> Perimetre:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return AUCUN
    cache = getattr(user, "_perimetre", None)
    if cache is not None:
        return cache
    ddets, cdiae, siae, departements_siae = set(), set(), set(), set()
    adhesions = user.adhesions.filter(actif=True).values_list(
        "organisation__type", "organisation__departement", "organisation__siae_id", "organisation__siae__departement"
    )
    for type_, departement, siae_id, departement_siae in adhesions:
        if type_ == TypeOrganisation.DDETS:
            ddets.add(departement)
        elif type_ == TypeOrganisation.CDIAE:
            cdiae.add(departement)
        elif siae_id:
            siae.add(siae_id)
            departements_siae.add(departement_siae)
    perimetre = Perimetre(
        administrateur=user.is_superuser,
        departements_ddets=frozenset(ddets),
        departements_cdiae=frozenset(cdiae),
        siae_ids=frozenset(siae),
        departements_siae=frozenset(departements_siae),
    )
    user._perimetre = perimetre
    return perimetre


class PerimetreQuerySet(models.QuerySet):
    """Scoped reads and writes for a model that hangs from a structure through `chemin_siae`.

    `nominatif = True` for data about people: CDIAE members never see them.
    """

    chemin_siae = "siae"
    # Objects that carry their own département (a project, a financing line) give its path; by default it is the
    # structure's.
    chemin_departement = None
    nominatif = False
    # Through a many-valued relation (a salarié's parcours), one object can match several times.
    dedoublonner = False

    @property
    def _departement(self) -> str:
        return self.chemin_departement or f"{self.chemin_siae}__departement"

    def visible_to(self, user):
        perimetre, c = perimetre_de(user), self.chemin_siae
        filtre = perimetre.filtre_nominatif if self.nominatif else perimetre.filtre_structures
        resultat = self.filter(filtre(siae=c, departement=self._departement))
        return resultat.distinct() if self.dedoublonner and not perimetre.administrateur else resultat

    def gerees_par(self, user):
        return self.filter(perimetre_de(user).filtre_gestion(departement=self._departement))

    def de_la_structure(self, user):
        """For what SIAE staff write themselves (declarations, salariés): their structure, or the agents'."""
        perimetre, c = perimetre_de(user), self.chemin_siae
        return self.filter(perimetre.filtre_nominatif(siae=c, departement=self._departement))


def perimetre_queryset(
    chemin_siae: str,
    nominatif: bool = False,
    distinct: bool = False,
    base=PerimetreQuerySet,
    chemin_departement: str | None = None,
):
    """A queryset class scoped through the given path to the structure (and to the département, when the object
    has its own)."""
    nom = f"{base.__name__}_{chemin_siae.replace('__', '_')}"
    attributs = {
        "chemin_siae": chemin_siae,
        "chemin_departement": chemin_departement,
        "nominatif": nominatif,
        "dedoublonner": distinct,
        "__module__": base.__module__,
    }
    return type(nom, (base,), attributs)


class DepartementQuerySet(models.QuerySet):
    """Scoped reads and writes for what belongs to a département and to no structure (a bilan, an envelope): the
    structure branch of the scope does not apply, SIAE staff never see it.

    `nominatif = True` keeps it to the DDETS of the département (and the administrators): CDIAE members do not
    see it."""

    chemin_departement = "departement"
    nominatif = False

    def visible_to(self, user):
        perimetre = perimetre_de(user)
        if perimetre.administrateur:
            return self.all()
        departements = perimetre.departements_ddets if self.nominatif else perimetre.departements
        return self.filter(**{f"{self.chemin_departement}__in": departements})

    def gerees_par(self, user):
        return self.filter(perimetre_de(user).filtre_gestion(departement=self.chemin_departement))


def perimetre_departement_queryset(
    chemin_departement: str = "departement", nominatif: bool = False, base=DepartementQuerySet
):
    """A queryset class scoped through the given path to the département, for objects no structure hangs."""
    nom = f"{base.__name__}_{chemin_departement.replace('__', '_')}" + ("_nominatif" if nominatif else "")
    attributs = {"chemin_departement": chemin_departement, "nominatif": nominatif, "__module__": base.__module__}
    return type(nom, (base,), attributs)
