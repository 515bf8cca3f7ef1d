from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from base.calendrier import annee_plausible
from base.departements import normaliser_departement
from bilans.contenu import assembler_bilan
from bilans.pdf import pdf_du_bilan
from bilans.regles import nom_du_fichier


class Command(BaseCommand):
    # A data command: the system checks (and the URLconf they import, every view's module) are run by `manage.py
    # check` and at deployment, not for seconds at each run (docs/decisions.md).
    requires_system_checks = []
    help = (
        "Produit le bilan du CDIAE d'un département et d'une année en PDF, le même que la page des bilans. "
        "Exemple : bilan_cdiae --annee 2025 --departement 55 --sortie bilan.pdf"
    )

    def add_arguments(self, parser):
        parser.add_argument("--annee", type=int, required=True)
        parser.add_argument("--departement", required=True)
        parser.add_argument(
            "--sortie", type=Path, help="Fichier PDF à écrire (par défaut bilan-cdiae-<département>-<année>.pdf)."
        )

    def handle(self, *args, annee, departement, sortie, **options):
        code = normaliser_departement(departement)
        if code is None:
            raise CommandError(f"département inconnu : {departement}")
        if not annee_plausible(annee):
            raise CommandError(f"année hors des limites : {annee}")
        sortie = sortie or Path(nom_du_fichier(code, annee))
        if sortie.is_dir():
            sortie = sortie / nom_du_fichier(code, annee)
        if not sortie.parent.exists():
            raise CommandError(f"le dossier {sortie.parent} n'existe pas")
        document = pdf_du_bilan(assembler_bilan(code, annee))
        sortie.write_bytes(document.contenu)
        self.stdout.write(str(sortie.resolve()))
