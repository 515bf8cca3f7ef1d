import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.services import MOT_DE_PASSE_PAR_DEFAUT, creer_demo


class Command(BaseCommand):
    help = "Crée (ou met à jour) le département de démonstration 55 et un compte par rôle."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Autorise la démo hors mode DEBUG.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("La démo crée des comptes au mot de passe connu : refusée hors DEBUG sans --force.")
        comptes = creer_demo()
        mot_de_passe = os.environ.get("DEMO_MOT_DE_PASSE", MOT_DE_PASSE_PAR_DEFAUT)
        self.stdout.write(self.style.SUCCESS("Département de démonstration 55 (Meuse) prêt."))
        self.stdout.write(f"Comptes de démonstration (mot de passe : {mot_de_passe}) :")
        for compte in comptes:
            self.stdout.write(f"  {compte.role:<60} {compte.email}")
