"""Where the trail's entries come from: the versions of every model traced with `base.historique.Historique`
(found among the installed models, so that this app never imports the floors above it), and the one entry of each
import (`imports.TraceImport`). Each source says how its entries reach a département: the path its model declared
(`Historique(departement=...)`), read on the version itself when it starts with a field of the version (the
département of a deleted row is still known), through the live object otherwise."""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q, Value

from base.historique import TraceBase
from imports.models import TraceImport

CLE_IMPORTS = "imports"


@dataclass(frozen=True)
class Source:
    cle: str
    modele: type  # the versions' model (or TraceImport)
    suivi: type | None  # the model traced (None for the imports)
    libelle: str

    @property
    def est_import(self) -> bool:
        return self.suivi is None


def _libelle(modele) -> str:
    nom = str(modele._meta.verbose_name)
    return nom[:1].upper() + nom[1:]


@cache
def sources() -> tuple[Source, ...]:
    trouvees = [
        Source(f"{m._meta.app_label}.{m.modele_suivi._meta.model_name}", m, m.modele_suivi, _libelle(m.modele_suivi))
        for m in apps.get_models()
        if issubclass(m, TraceBase) and getattr(m, "modele_suivi", None) is not None
    ]
    trouvees.sort(key=lambda s: s.libelle)
    return (Source(CLE_IMPORTS, TraceImport, None, "Import de fichier"), *trouvees)


def source(cle: str) -> Source | None:
    return next((s for s in sources() if s.cle == cle), None)


def _par_un_chemin(source: Source, chemin: str, departement: str) -> Q:
    premier, _, reste = chemin.partition("__")
    try:
        champ = source.modele._meta.get_field(premier)
    except FieldDoesNotExist:
        # A relation the live object has (a salarié's parcours): its versions are found through it.
        pk = source.suivi._meta.pk
        vivants = source.suivi._base_manager.filter(**{chemin: departement}).values("pk")
        return Q(**{f"{pk.attname}__in": vivants})
    if not reste:
        return Q(**{premier: departement})
    relies = champ.related_model._base_manager.filter(**{reste: departement}).values("pk")
    return Q(**{f"{champ.attname}__in": relies})


def filtre_departement(source: Source, departement: str) -> Q:
    """The entries of a source that belong to the département; a national row (the barème, the motifs, which apply
    everywhere) belongs to every département, as does an import of several départements."""
    if source.est_import:
        return Q(departement=departement) | Q(departement="")
    chemins = source.modele.chemin_departement
    if chemins is None:
        return Q()
    filtre = Q(pk__in=[])
    for chemin in (chemins,) if isinstance(chemins, str) else chemins:
        filtre |= _par_un_chemin(source, chemin, departement)
    return filtre


def colonnes(source: Source, debut, fin):
    """The entries of one source in the period, in the columns every source shares (for the union)."""
    if source.est_import:
        return (
            TraceImport.objects.filter(date__gte=debut, date__lt=fin)
            .order_by()
            .values(
                trace_source=Value(source.cle),
                trace_version=F("pk"),
                trace_date=F("date"),
                trace_auteur=F("auteur_id"),
                trace_nature=Value("i"),
                trace_objet=F("journal_id"),
            )
        )
    return (
        source.modele.objects.filter(history_date__gte=debut, history_date__lt=fin)
        .order_by()
        .values(
            trace_source=Value(source.cle),
            trace_version=F("history_id"),
            trace_date=F("history_date"),
            trace_auteur=F("history_user_id"),
            trace_nature=F("history_type"),
            trace_objet=F(source.suivi._meta.pk.attname),
        )
    )
