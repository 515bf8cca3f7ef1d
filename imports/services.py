import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connection, connections, transaction
from django.utils import timezone

from base.historique import auteur_des_changements, ecriture_groupee
from base.versions import donnees_modifiees

from .importeur import Analyse, ImporteurArchive, Resultat
from .lecture import ErreurLigne, FichierIllisible, lire_tableau
from .limites import Limites
from .models import Import, StatutImport, TraceImport
from .registre import importeur_pour
from .regles import progression, resume_import

TAILLE_APERCU = 200
logger = logging.getLogger(__name__)


def _refus(exc: FichierIllisible) -> Analyse:
    return Analyse(erreurs=[ErreurLigne(exc.ligne, exc.colonne, exc.message)])


def analyser_fichier(type_: str, nom_fichier: str, contenu: bytes, utilisateur=None, suivre=None) -> Analyse:
    importeur = importeur_pour(type_, utilisateur)
    importeur.suivre = suivre
    try:
        tableau = lire_tableau(nom_fichier, contenu, importeur.colonnes)
    except FichierIllisible as exc:
        return _refus(exc)
    return importeur.analyser(tableau)


def garder_les_erreurs(journal: Import, erreurs: list) -> None:
    """The first errors, in French, and the count of them all: a file of a million wrong lines does not make a
    journal (and a page) of a million lines."""
    journal.erreurs = [str(e) for e in erreurs[: settings.IMPORTS_ERREURS_GARDEES]]
    journal.nb_erreurs = len(erreurs)


def _consigner(journal: Import, analyse: Analyse) -> None:
    journal.nb_lignes = len(analyse.changements)
    journal.nb_crees = analyse.compte("creation")
    journal.nb_modifies = analyse.compte("modification")
    journal.nb_inchanges = analyse.compte("inchange")
    garder_les_erreurs(journal, analyse.erreurs)
    journal.apercu = [
        {"action": c.action, "ligne": c.ligne, "libelle": c.libelle, "details": c.details}
        for c in analyse.changements
        if c.action != "inchange"
    ][:TAILLE_APERCU]
    journal.departement = next(iter(analyse.departements)) if len(analyse.departements) == 1 else ""
    journal.avertissements = list(analyse.avertissements)


def deposer_import(type_: str, nom_fichier: str, fichier, utilisateur=None) -> Import:
    """Keep the file (bytes, or an upload streamed to storage) for its analysis: on the upload page, a task
    (`analyser_import_task`), since reading a file, however small it looks, never holds a web request."""
    journal = Import(type=type_, nom_fichier=nom_fichier, auteur=utilisateur, statut=StatutImport.EN_ANALYSE)
    journal.fichier.save(nom_fichier, ContentFile(fichier) if isinstance(fichier, bytes) else fichier, save=False)
    journal.save()
    return journal


def preparer_import(type_: str, nom_fichier: str, contenu: bytes, utilisateur=None) -> Import:
    """Keep the file and analyse it at once: the operator's command line, which has no page to wait on."""
    return analyser_import(deposer_import(type_, nom_fichier, contenu, utilisateur))


def _contenu(journal: Import) -> bytes:
    """The kept file, its size checked before a byte of it is read."""
    Limites.des_reglages().verifier_taille(journal.fichier.size)
    journal.fichier.open("rb")
    try:
        return journal.fichier.read()
    finally:
        journal.fichier.close()


def analyser_import(journal: Import) -> Import:
    """The preview of a table of rows: what importing it would change (nothing is written to the data yet), or
    why it is refused. The lines checked are written as they go, for the page that polls them."""
    noter_progression(journal, 0, 0)
    try:
        contenu = _contenu(journal)
    except FichierIllisible as exc:
        analyse = _refus(exc)
    else:

        def suivre(traitees: int, total: int) -> None:
            noter_progression(journal, traitees, total)

        analyse = analyser_fichier(journal.type, journal.nom_fichier, contenu, journal.auteur, suivre)
    _consigner(journal, analyse)
    journal.statut = StatutImport.ANALYSE if analyse.valide else StatutImport.REFUSE
    journal.save()
    return journal


def noter_progression(journal: Import, traitees: int, total: int) -> None:
    """Written at once (outside the import's own transaction), so the page polling it sees it move."""
    journal.lignes_traitees, journal.lignes_total = traitees, total
    journal.progression = progression(traitees, total)
    Import.objects.filter(pk=journal.pk).update(
        lignes_traitees=traitees, lignes_total=total, progression=journal.progression
    )


def _consigner_archive(journal: Import, resultat: Resultat) -> None:
    garder_les_erreurs(journal, resultat.erreurs)
    journal.comptes_par_vue = resultat.comptes
    journal.fichiers_ignores = resultat.fichiers_ignores
    journal.nb_crees, journal.nb_modifies = resultat.total("crees"), resultat.total("modifies")
    journal.nb_inchanges = resultat.total("inchanges")
    journal.nb_lignes = journal.nb_crees + journal.nb_modifies + journal.nb_inchanges
    departements = resultat.departements or set(journal.departements_demandes)
    journal.departement = next(iter(departements)) if len(departements) == 1 else ""


def _importeur_d_archive(journal: Import) -> ImporteurArchive:
    importeur = importeur_pour(journal.type, journal.auteur)
    importeur.departements = journal.departements_demandes or None
    return importeur


@contextmanager
def _suivre_archive(journal: Import):
    """What an archive's loading reports of its steps. It reports them from inside its single transaction, where a
    write stays invisible to the page polling it until the commit (and is undone with a preview): the steps are
    written through a connection of their own, in autocommit. SQLite, whose writer locks the whole file, cannot
    take a second writer: there the steps are seen at the end only."""
    if connection.vendor == "sqlite":
        noter_progression(journal, 0, 0)  # what the previous run (the analysis) left is no news
        yield lambda _etape, rang, total: noter_progression(journal, rang, total)
        return
    a_part = connections.create_connection(DEFAULT_DB_ALIAS)
    nom = a_part.ops.quote_name
    requete = (
        f"UPDATE {nom(Import._meta.db_table)} SET {nom('lignes_traitees')} = %s, {nom('lignes_total')} = %s, "
        f"{nom('progression')} = %s WHERE {nom('id')} = %s"
    )

    def suivre(_etape, rang, total):
        journal.lignes_traitees, journal.lignes_total = rang, total
        journal.progression = progression(rang, total)
        try:
            with a_part.cursor() as curseur:
                curseur.execute(requete, [rang, total, journal.progression, journal.pk])
        except DatabaseError:
            # Progress is for the eye: it never stops an import (the row locked by a caller's transaction...).
            logger.warning("avancement de l'import %s non écrit", journal.pk, exc_info=True)

    try:
        if a_part.vendor == "postgresql":
            with a_part.cursor() as curseur:
                curseur.execute("SET lock_timeout = '2s'")
        suivre(None, 0, 0)
        yield suivre
    finally:
        a_part.close()


def preparer_archive(type_: str, nom_fichier: str, fichier, utilisateur=None, departements=None) -> Import:
    """Keep the archive (streamed to storage, never read into memory here); its analysis runs in a task."""
    journal = Import(
        type=type_,
        nom_fichier=nom_fichier,
        auteur=utilisateur,
        statut=StatutImport.EN_ANALYSE,
        departements_demandes=sorted(departements or []),
        departement=departements[0] if departements and len(departements) == 1 else "",
    )
    journal.fichier.save(nom_fichier, fichier, save=False)
    journal.save()
    return journal


def analyser_archive(journal: Import, chemin=None) -> Import:
    """The preview of an archive: everything is loaded, then rolled back; the journal keeps what would change."""
    with _suivre_archive(journal) as suivre:
        resultat = _importeur_d_archive(journal).executer(chemin or journal.fichier.path, simuler=True, suivre=suivre)
    _consigner_archive(journal, resultat)
    journal.statut = StatutImport.ANALYSE if resultat.valide else StatutImport.REFUSE
    journal.save()
    return journal


@contextmanager
def _ecriture_de_l_import(journal: Import):
    """What an import writes, in one transaction: its rows write no version each, its author is the journal's,
    and the trail gets one entry for the whole file (`_tracer_l_import`), or nothing if it fails."""
    with transaction.atomic(), ecriture_groupee(), auteur_des_changements(journal.auteur):
        # Its rows are written in bulk, without signals: the version of the data moves once, if it commits.
        donnees_modifiees()
        yield


def _tracer_l_import(journal: Import) -> TraceImport:
    resume = resume_import(
        journal.get_type_display(), journal.nom_fichier, journal.nb_crees, journal.nb_modifies, journal.nb_inchanges
    )
    return TraceImport.objects.create(
        journal=journal, date=journal.date_fin, auteur=journal.auteur, departement=journal.departement, resume=resume
    )


def executer_archive(journal: Import, chemin=None) -> Import:
    with _suivre_archive(journal) as suivre, _ecriture_de_l_import(journal):
        resultat = _importeur_d_archive(journal).executer(chemin or journal.fichier.path, simuler=False, suivre=suivre)
        _consigner_archive(journal, resultat)
        journal.statut = StatutImport.TERMINE if resultat.valide else StatutImport.REFUSE
        journal.date_fin = timezone.now()
        journal.save()
        if resultat.valide:
            _tracer_l_import(journal)
    return journal


def confirmer_import(journal: Import, utilisateur=None) -> Import:
    """Record who read the preview's warnings and asked for the import anyway (None: the command line)."""
    journal.confirme_par, journal.date_confirmation = utilisateur, timezone.now()
    journal.save(update_fields=["confirme_par", "date_confirmation"])
    return journal


def avertissements_non_confirmes(journal: Import, analyse: Analyse) -> list[str]:
    """What the import would now replace or remove beyond what was confirmed on its preview (the data may have
    changed in between: a month transmitted meanwhile is not replaced on a confirmation given before)."""
    confirmes = set(journal.avertissements) if journal.date_confirmation else set()
    return [a for a in analyse.avertissements if a not in confirmes]


ECRITURE_CONCURRENTE = (
    "Un autre import a enregistré les mêmes données pendant que celui-ci s'exécutait : rien n'a été enregistré par ce "
    "fichier. Déposez-le à nouveau pour voir ce qu'il changerait encore."
)


def _refuser_pour_concurrence(journal: Import) -> None:
    journal.nb_crees = journal.nb_modifies = journal.nb_inchanges = 0
    journal.apercu, journal.erreurs = [], [ECRITURE_CONCURRENTE]
    journal.statut = StatutImport.REFUSE
    journal.date_fin = timezone.now()
    journal.save()


# The key of the PostgreSQL advisory lock that lets one table import read and write at a time.
VERROU_DES_IMPORTS = 0x1B9_0A1E


@contextmanager
def _un_import_a_la_fois():
    """Imports of files of rows read and write one at a time: a second one reads what the first wrote (one file
    sent twice at once: the second finds its rows unchanged). A session lock of PostgreSQL, held while the import's
    analysis, outside its transaction, writes its progress; SQLite lets one writer at a time by itself."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as curseur:
        curseur.execute("SELECT pg_advisory_lock(%s)", [VERROU_DES_IMPORTS])
    try:
        yield
    finally:
        with connection.cursor() as curseur:
            curseur.execute("SELECT pg_advisory_unlock(%s)", [VERROU_DES_IMPORTS])


def executer_import(journal: Import) -> Import:
    """Read the kept file again (the data may have changed since the preview) and write it all, or nothing; not
    at all when it would replace or remove more than what was confirmed on the preview."""
    if isinstance(importeur_pour(journal.type), ImporteurArchive):
        return executer_archive(journal)
    with _un_import_a_la_fois():
        return _executer_tableau(journal)


def _executer_tableau(journal: Import) -> Import:
    importeur = importeur_pour(journal.type, journal.auteur)
    importeur.journal = journal  # what an importer may record as the origin of the rows it writes
    importeur.suivre = lambda traitees, total: noter_progression(journal, traitees, total)
    try:
        tableau = lire_tableau(journal.nom_fichier, _contenu(journal), importeur.colonnes)
    except FichierIllisible as exc:
        analyse = _refus(exc)
    else:
        analyse = importeur.analyser(tableau)
    non_confirmes = avertissements_non_confirmes(journal, analyse) if analyse.valide else []
    if analyse.valide and not non_confirmes:
        try:
            with _ecriture_de_l_import(journal):
                importeur.appliquer(analyse)
                _consigner(journal, analyse)
                journal.statut = StatutImport.TERMINE
                journal.date_fin = timezone.now()
                journal.save()
                _tracer_l_import(journal)
        except IntegrityError:
            # Another write reached the same rows between this import's reading and its writing (one outside the
            # lock above: a fluxIAE, the grid, a database without it): nothing of this one is written, and its
            # journal says so rather than claim what the other did.
            logger.warning("import %s refusé : écritures concurrentes", journal.pk)
            _refuser_pour_concurrence(journal)
    else:
        _consigner(journal, analyse)
        if non_confirmes:
            journal.nb_erreurs = len(non_confirmes)
            journal.erreurs = [
                f"{avertissement} Ce changement n'était pas dans l'aperçu confirmé : déposez à nouveau le fichier "
                "pour le voir et le confirmer."
                for avertissement in non_confirmes
            ]
        journal.statut = StatutImport.REFUSE
        journal.date_fin = timezone.now()
        journal.save()
    return journal
