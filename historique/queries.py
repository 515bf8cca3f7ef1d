"""The trail of one département: every source's entries of a year in one SQL union, newest first, then the detail
of the entries shown (a page, an export), a few queries per source whatever their number."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from imports.models import TraceImport

from . import regles
from .sources import colonnes, filtre_departement, source, sources


@dataclass
class Changement:
    champ: str
    avant: str
    apres: str


@dataclass
class Entree:
    date: dt.datetime
    auteur: str
    nature: str
    type_objet: str
    objet: str
    changements: list[Changement] = field(default_factory=list)
    motif: str = ""
    lien: str = ""

    @property
    def nature_affichee(self) -> str:
        return regles.NATURES[self.nature]


def bornes(annee: int) -> tuple[dt.datetime, dt.datetime]:
    return (
        timezone.make_aware(dt.datetime(annee, 1, 1)),
        timezone.make_aware(dt.datetime(annee + 1, 1, 1)),
    )


def entrees(departement: str, annee: int, cle: str | None = None):
    """The entries of the département in the year (of one source when `cle` names it), newest first: rows of
    trace_source, trace_version, trace_date, trace_auteur, trace_nature, trace_objet, to slice for a page."""
    debut, fin = bornes(annee)
    choisies = [source(cle)] if cle and source(cle) else list(sources())
    parties = [colonnes(s, debut, fin).filter(filtre_departement(s, departement)) for s in choisies]
    return parties[0].union(*parties[1:], all=True).order_by("-trace_date", "-trace_version", "trace_source")


def _champs_montres(modele) -> list:
    """The fields an entry compares: not the key, nor the dates Django sets by itself on every save."""
    return [
        c
        for c in modele.tracked_fields
        if not c.primary_key and not getattr(c, "auto_now", False) and not getattr(c, "auto_now_add", False)
    ]


def _versions_et_precedentes(modele, ids: list[int]) -> tuple[dict, dict]:
    """The versions asked for and, for each, the version of the same object just before it: two queries."""
    pk = modele.modele_suivi._meta.pk.attname
    precedente = (
        modele.objects.filter(**{pk: OuterRef(pk)})
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    versions = modele.objects.filter(history_id__in=ids).annotate(precedente=Subquery(precedente)).in_bulk()
    precedentes = modele.objects.in_bulk([v.precedente for v in versions.values() if v.precedente])
    return versions, precedentes


def _libelles_des_objets(modele, ids) -> dict:
    """What each object is called today (a salarié anonymised since is called so), in one query."""
    return {pk: str(objet) for pk, objet in modele._base_manager.select_related().in_bulk(set(ids)).items()}


def _libelles_des_relations(references: dict) -> dict:
    """The names of the related objects a page of entries quotes, one query per related model."""
    libelles = {}
    for modele, ids in references.items():
        for pk, objet in modele._base_manager.select_related().in_bulk(ids).items():
            libelles[(modele, pk)] = str(objet)
    return libelles


def detailler(lignes: list[dict]) -> list[Entree]:
    """Each row of `entrees` as a person reads it: who, what, which fields from which value to which."""
    par_source = defaultdict(list)
    for ligne in lignes:
        par_source[ligne["trace_source"]].append(ligne)
    auteurs = get_user_model()._base_manager.in_bulk(
        {ligne["trace_auteur"] for ligne in lignes if ligne["trace_auteur"]}
    )
    brutes = {}  # (source, version) -> (entry without its changes, raw changes, fields)
    references = defaultdict(set)
    for cle, de_la_source in par_source.items():
        src = source(cle)
        ids = [ligne["trace_version"] for ligne in de_la_source]
        if src.est_import:
            for trace in TraceImport.objects.filter(pk__in=ids):
                brutes[(cle, trace.pk)] = (
                    Entree(
                        trace.date,
                        "",
                        regles.IMPORT,
                        src.libelle,
                        trace.resume,
                        lien=reverse("imports:detail", args=[trace.journal_id]),
                    ),
                    [],
                    {},
                )
            continue
        versions, precedentes = _versions_et_precedentes(src.modele, ids)
        noms = _libelles_des_objets(src.suivi, [ligne["trace_objet"] for ligne in de_la_source])
        champs = {c.attname: c for c in _champs_montres(src.modele)}
        for version in versions.values():
            avant = precedentes.get(version.precedente)
            if version.changements is not None and version.history_type == regles.MODIFICATION:
                # What the change replaced, read just before it: exact even if an import wrote in between.
                differences = [
                    (nom, regles.valeur_stockee(champs[nom], avant_apres[0]), getattr(version, nom))
                    for nom, avant_apres in version.changements.items()
                    if nom in champs
                ]
            else:
                valeurs = {nom: getattr(version, nom) for nom in champs}
                anciennes = {nom: getattr(avant, nom) for nom in champs} if avant else None
                differences = regles.differences(list(champs), anciennes, valeurs, version.history_type)
            for nom, ancienne, nouvelle in differences:
                if champs[nom].is_relation:
                    references[champs[nom].related_model].update(v for v in (ancienne, nouvelle) if v is not None)
            objet_pk = getattr(version, src.suivi._meta.pk.attname)
            brutes[(cle, version.history_id)] = (
                Entree(
                    version.history_date,
                    "",
                    regles.nature_de(version.history_type, differences),
                    src.libelle,
                    noms.get(objet_pk, f"n° {objet_pk} (supprimé)"),
                    motif=version.history_change_reason or "",
                ),
                differences,
                champs,
            )
    libelles = _libelles_des_relations(references)
    resultat = []
    for ligne in lignes:
        entree, differences, champs = brutes[(ligne["trace_source"], ligne["trace_version"])]
        auteur = auteurs.get(ligne["trace_auteur"])
        entree.auteur = (auteur.get_full_name() or auteur.email) if auteur else "Pilot'IAE (sans auteur)"
        entree.changements = [
            Changement(
                regles.nom_du_champ(champs[nom]),
                regles.valeur_lisible(champs[nom], ancienne, libelles),
                regles.valeur_lisible(champs[nom], nouvelle, libelles),
            )
            for nom, ancienne, nouvelle in differences
        ]
        resultat.append(entree)
    return resultat


COLONNES_EXPORT = ("date", "auteur", "nature", "type d'objet", "objet", "champ", "avant", "après", "motif")


def lignes_d_export(entrees_detaillees: list[Entree]) -> list[dict]:
    """One line per field changed (one for an entry that changed none), French formats."""
    lignes = []
    for entree in entrees_detaillees:
        commun = {
            "date": timezone.localtime(entree.date).strftime("%d/%m/%Y %H:%M:%S"),
            "auteur": entree.auteur,
            "nature": entree.nature_affichee,
            "type d'objet": entree.type_objet,
            "objet": entree.objet,
        }
        for changement in entree.changements or [None]:
            lignes.append(
                {
                    **commun,
                    "champ": changement.champ if changement else "",
                    "avant": changement.avant if changement else "",
                    "après": changement.apres if changement else "",
                    "motif": entree.motif,
                }
            )
    return lignes
