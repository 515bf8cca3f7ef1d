import getpass

from django.core.management.base import BaseCommand

from base.formats import date_fr
from parcours.services_rgpd import purger_donnees_personnelles


class Command(BaseCommand):
    # A data command: the system checks (and the URLconf they import, every view's module) are run by `manage.py
    # check` and at deployment, not for seconds at each run (docs/decisions.md).
    requires_system_checks = []
    help = (
        "Anonymise les salariés dont la durée de conservation des données personnelles est échue et efface les "
        "fichiers d'import anciens (docs/rgpd.md). --dry-run : compte sans rien changer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compter ce qui serait effacé, sans rien changer.")

    def handle(self, *args, dry_run, **options):
        bilan = purger_donnees_personnelles(origine=f"commande ({getpass.getuser()})", simulation=dry_run)
        etat = "Simulation, rien n'est changé" if dry_run else "Purge enregistrée"
        self.stdout.write(
            f"{etat} : "
            f"salariés dont tout s'est terminé avant le {date_fr(bilan.date_limite)}, "
            f"fichiers d'import déposés avant le {date_fr(bilan.date_limite_imports)}."
        )
        for cle, nombre in bilan.detail.items():
            self.stdout.write(f"  {cle} : {nombre}")
        self.stdout.write(
            f"{bilan.salaries} salarié(s) anonymisé(s), {bilan.fichiers_import} fichier(s) d'import effacé(s)."
        )
