import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.fluxiae import ecrire_flux_de_la_demo
from demo.services import MOT_DE_PASSE_PAR_DEFAUT, creer_demo


def dossier_par_defaut() -> Path:
    """`var/demo/`, in the runtime folder beside the uploads (`var/media/`): a test that moves MEDIA_ROOT to a
    temporary folder moves the demo's archive with it."""
    return Path(settings.MEDIA_ROOT).parent / "demo"


class Command(BaseCommand):
    # A data command: the system checks (and the URLconf they import, every view's module) are run by `manage.py
    # check` and at deployment, not for seconds at each run (docs/decisions.md).
    requires_system_checks = []
    help = (
        "Crée (ou met à jour) le département de démonstration 55 et un compte par rôle, puis écrit le fluxIAE de "
        "la démo (var/demo/) à importer sur /imports/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Autorise la démo hors mode DEBUG.")
        parser.add_argument(
            "--dossier", type=Path, default=None, help="Où écrire le fluxIAE de la démo (par défaut : var/demo/)."
        )

    def handle(self, *args, force=False, dossier=None, **options):
        if not settings.DEBUG and not force:
            raise CommandError("La démo crée des comptes au mot de passe connu : refusée hors DEBUG sans --force.")
        comptes = creer_demo()
        mot_de_passe = os.environ.get("DEMO_MOT_DE_PASSE", MOT_DE_PASSE_PAR_DEFAUT)
        self.stdout.write(self.style.SUCCESS("Département de démonstration 55 (Meuse) prêt."))
        self.stdout.write(f"Comptes de démonstration (mot de passe : {mot_de_passe}) :")
        for compte in comptes:
            self.stdout.write(f"  {compte.role:<60} {compte.email}")
        archive = ecrire_flux_de_la_demo(dossier or dossier_par_defaut())
        self.stdout.write(
            f"fluxIAE de la démo : {_lisible(archive)}. Importez-le sur /imports/ (type « fluxIAE de l'ASP ») en tant "
            "qu'agent DDETS, puis ouvrez /fluxiae/ecarts/?annee=2026."
        )


def _lisible(chemin: Path) -> str:
    """Relative to the current folder when it is inside it (`var/demo/…` after `make run`)."""
    try:
        return str(chemin.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(chemin)
