import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from base.departements import normaliser_departement
from base.exports import en_csv, en_xlsx
from indicateurs.sections import indicateurs


class Command(BaseCommand):
    # A data command: the system checks (and the URLconf they import, every view's module) are run by `manage.py
    # check` and at deployment, not for seconds at each run (docs/decisions.md).
    requires_system_checks = []
    help = "Exporte les indicateurs d'une année (JSON, CSV ou XLSX). Exemple : exporter indicateurs --annee 2022"

    def add_arguments(self, parser):
        parser.add_argument("quoi", choices=["indicateurs"])
        parser.add_argument("--annee", type=int, required=True)
        parser.add_argument("--departement")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--sortie", type=Path, help="Fichier de sortie (sinon la sortie standard).")

    def handle(self, *args, annee, departement, format, sortie, **options):
        if departement is not None:
            code = normaliser_departement(departement)
            if code is None:
                raise CommandError(f"département inconnu : {departement}")
            departement = code
        donnees = indicateurs(annee, departement)
        if format == "json":
            contenu = (json.dumps(donnees, ensure_ascii=False, indent=2) + "\n").encode()
        elif format == "csv":
            # One table: each row says the section it belongs to.
            lignes = [
                {"section": section, **ligne}
                for section, valeurs in donnees.items()
                if isinstance(valeurs, list)
                for ligne in valeurs
            ]
            # A BOM in a file, for spreadsheets; none on standard output, for pipes.
            contenu = en_csv(lignes).encode("utf-8-sig" if sortie else "utf-8")
        else:
            feuilles = {k: v for k, v in donnees.items() if isinstance(v, list)}
            contenu = en_xlsx(feuilles)
        if sortie:
            sortie.write_bytes(contenu)
        else:
            sys.stdout.buffer.write(contenu)
            sys.stdout.flush()
