from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports.models import StatutImport
from imports.registre import IMPORTEURS
from imports.services import executer_import, preparer_import


class Command(BaseCommand):
    help = "Importe un fichier CSV ou XLSX (tout ou rien). Exemple : importer siae structures.csv"

    def add_arguments(self, parser):
        parser.add_argument("type", choices=sorted(IMPORTEURS))
        parser.add_argument("fichier", type=Path)

    def handle(self, *args, type, fichier, **options):
        if not fichier.is_file():
            raise CommandError(f"fichier introuvable : {fichier}")
        journal = preparer_import(type, fichier.name, fichier.read_bytes())
        if journal.statut == StatutImport.ANALYSE:
            journal = executer_import(journal)
        if journal.statut != StatutImport.TERMINE:
            for erreur in journal.erreurs:
                self.stderr.write(erreur)
            self.stderr.write(f"Fichier refusé : {len(journal.erreurs)} erreur(s), rien n'a été enregistré.")
            raise SystemExit(1)
        self.stdout.write(
            f"{journal.nom_fichier} : {journal.nb_crees} créé(s), {journal.nb_modifies} modifié(s), "
            f"{journal.nb_inchanges} inchangé(s)."
        )
