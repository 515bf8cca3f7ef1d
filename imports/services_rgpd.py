"""The files brought in carry personal data (names, birth dates, PASS IAE numbers), and so do the preview and the
errors read from their lines: erased past their retention period (docs/rgpd.md). The record of the import (who,
when, which file name, how many rows) stays."""

import datetime as dt

from django.utils import timezone

from base.fichiers import supprimer_apres_commit

from .models import Import, StatutImport

# An import still being read or written keeps its file until it is done.
STATUTS_EN_COURS = (StatutImport.EN_ANALYSE, StatutImport.EN_COURS)


def effacer_fichiers_d_import(avant: dt.date, maintenant: dt.datetime) -> int:
    """Erase the files, previews and errors of the imports made before `avant`, in the caller's transaction; the
    files themselves go once it commits (a rollback leaves them with their rows). Returns how many imports."""
    debut = timezone.make_aware(dt.datetime.combine(avant, dt.time.min))
    journaux = Import.objects.filter(date__lt=debut, donnees_effacees_le__isnull=True).exclude(
        statut__in=STATUTS_EN_COURS
    )
    fichiers = list(journaux.values_list("pk", "fichier"))
    if not fichiers:
        return 0
    Import.objects.filter(pk__in=[pk for pk, _ in fichiers]).update(
        fichier="", apercu=[], erreurs=[], donnees_effacees_le=maintenant
    )
    supprimer_apres_commit([nom for _, nom in fichiers])
    return len(fichiers)
