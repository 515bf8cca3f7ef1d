"""Which importer reads which kind of file (the `importer KIND FILE` command and the upload page).

Each app on the floors above writes its own importer (`<app>/importation.py`); the project's configuration, at the
top, lists them in `settings.IMPORTEURS` by dotted path, as Django lists its backends, so that this framework never
imports the apps it serves."""

from django.conf import settings
from django.utils.module_loading import import_string


def types_d_import() -> list[str]:
    return list(settings.IMPORTEURS)


def importeur_pour(type_: str, utilisateur=None):
    try:
        chemin = settings.IMPORTEURS[type_]
    except KeyError:
        raise ValueError(f"type d'import inconnu : {type_} (attendu : {', '.join(settings.IMPORTEURS)})") from None
    return import_string(chemin)(utilisateur)
