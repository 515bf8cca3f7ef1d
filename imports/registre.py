"""Which importer reads which kind of file (the `importer KIND FILE` command and the upload page)."""

from django.utils.module_loading import import_string

IMPORTEURS = {
    "siae": "siae.importation.ImportSiae",
    "annexes": "conventions.importation.ImportAnnexes",
    "parcours": "parcours.importation.ImportParcours",
    "declarations": "declarations.importation.ImportDeclarations",
    "versements": "aides_au_poste.importation.ImportVersements",
}


def importeur_pour(type_: str, utilisateur=None):
    try:
        chemin = IMPORTEURS[type_]
    except KeyError:
        raise ValueError(f"type d'import inconnu : {type_} (attendu : {', '.join(IMPORTEURS)})") from None
    return import_string(chemin)(utilisateur)
