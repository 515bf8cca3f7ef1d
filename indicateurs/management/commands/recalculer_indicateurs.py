import time

from django.core.management.base import BaseCommand, CommandError

from base.calendrier import ANNEE_MAX, ANNEE_MIN, annee_plausible
from base.departements import normaliser_departement

from ...services import Rafraichissement, departements_a_calculer, rafraichir_departement


class Command(BaseCommand):
    # A data command: the system checks (and the URLconf they import, every view's module) are run by `manage.py
    # check` and at deployment, not for seconds at each run (docs/decisions.md).
    requires_system_checks = []
    help = (
        "Recalcule les indicateurs mensuels matérialisés depuis les données (tout, un département, une année). "
        "Sans effet sur des chiffres déjà à jour : peut être relancée sans risque."
    )

    def add_arguments(self, parser):
        parser.add_argument("--departement", help="Code du département (55, 2A, 971…) ; tous par défaut.")
        parser.add_argument("--annee", type=int, help="Seulement les mois de cette année ; tous par défaut.")

    def handle(self, *args, departement=None, annee=None, **options):
        if departement is not None:
            code = normaliser_departement(departement)
            if code is None:
                raise CommandError(f"--departement : « {departement} » n'est pas un code de département.")
            departements = [code]
        else:
            departements = departements_a_calculer()
        if annee is not None and not annee_plausible(annee):
            raise CommandError(f"--annee : {annee} n'est pas une année plausible ({ANNEE_MIN} à {ANNEE_MAX}).")
        total = Rafraichissement()
        for code in departements:
            debut = time.monotonic()
            resultat = rafraichir_departement(code, annee)
            total += resultat
            duree = f"{time.monotonic() - debut:.1f}".replace(".", ",")
            self.stdout.write(
                f"{code} : {resultat.annexes} annexe(s), {resultat.lignes} ligne(s) écrite(s), "
                f"{resultat.supprimees} supprimée(s) en {duree} s"
            )
        portee = f"année {annee}" if annee else "tous les mois"
        self.stdout.write(
            self.style.SUCCESS(
                f"Indicateurs recalculés ({portee}) : {len(departements)} département(s), {total.annexes} annexe(s), "
                f"{total.lignes} ligne(s) écrite(s), {total.supprimees} supprimée(s)."
            )
        )
