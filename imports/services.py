from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .importeur import Analyse
from .lecture import ErreurLigne, FichierIllisible, lire_tableau
from .models import Import, StatutImport
from .registre import importeur_pour
from .regles import progression

TAILLE_APERCU = 200


def analyser_fichier(type_: str, nom_fichier: str, contenu: bytes, utilisateur=None) -> Analyse:
    importeur = importeur_pour(type_, utilisateur)
    try:
        tableau = lire_tableau(nom_fichier, contenu)
    except FichierIllisible as exc:
        return Analyse(erreurs=[ErreurLigne(1, "-", str(exc))])
    return importeur.analyser(tableau)


def _consigner(journal: Import, analyse: Analyse) -> None:
    journal.nb_lignes = len(analyse.changements)
    journal.nb_crees = analyse.compte("creation")
    journal.nb_modifies = analyse.compte("modification")
    journal.nb_inchanges = analyse.compte("inchange")
    journal.erreurs = [str(e) for e in analyse.erreurs]
    journal.apercu = [
        {"action": c.action, "ligne": c.ligne, "libelle": c.libelle, "details": c.details}
        for c in analyse.changements
        if c.action != "inchange"
    ][:TAILLE_APERCU]
    journal.departement = next(iter(analyse.departements)) if len(analyse.departements) == 1 else ""


def preparer_import(type_: str, nom_fichier: str, contenu: bytes, utilisateur=None) -> Import:
    """Keep the file and record what importing it would change (nothing is written to the data yet)."""
    analyse = analyser_fichier(type_, nom_fichier, contenu, utilisateur)
    journal = Import(type=type_, nom_fichier=nom_fichier, auteur=utilisateur)
    _consigner(journal, analyse)
    journal.statut = StatutImport.ANALYSE if analyse.valide else StatutImport.REFUSE
    journal.fichier.save(nom_fichier, ContentFile(contenu), save=False)
    journal.save()
    return journal


def noter_progression(journal: Import, traitees: int, total: int) -> None:
    """Written at once (outside the import's own transaction), so the page polling it sees it move."""
    journal.lignes_traitees, journal.lignes_total = traitees, total
    journal.progression = progression(traitees, total)
    Import.objects.filter(pk=journal.pk).update(
        lignes_traitees=traitees, lignes_total=total, progression=journal.progression
    )


def executer_import(journal: Import) -> Import:
    """Read the kept file again (the data may have changed since the preview) and write it all, or nothing."""
    journal.fichier.open("rb")
    try:
        contenu = journal.fichier.read()
    finally:
        journal.fichier.close()
    importeur = importeur_pour(journal.type, journal.auteur)
    importeur.journal = journal  # what an importer may record as the origin of the rows it writes
    importeur.suivre = lambda traitees, total: noter_progression(journal, traitees, total)
    try:
        tableau = lire_tableau(journal.nom_fichier, contenu)
    except FichierIllisible as exc:
        analyse = Analyse(erreurs=[ErreurLigne(1, "-", str(exc))])
    else:
        analyse = importeur.analyser(tableau)
    if analyse.valide:
        with transaction.atomic():
            importeur.appliquer(analyse)
            _consigner(journal, analyse)
            journal.statut = StatutImport.TERMINE
            journal.date_fin = timezone.now()
            journal.save()
    else:
        _consigner(journal, analyse)
        journal.statut = StatutImport.REFUSE
        journal.date_fin = timezone.now()
        journal.save()
    return journal
