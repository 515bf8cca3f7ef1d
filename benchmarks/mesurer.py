"""The time and the number of queries of the key reads, on the benchmark's database (`benchmarks.generer` first).

    python -m benchmarks.mesurer [--repetitions 5] [--departement 01] [--reference] [--requetes 1000] [--clients 50]

Each read runs once to warm the caches while its queries are counted, then `--repetitions` times timed: the
median is what is compared. The results go to `benchmarks/resultats-<date>.json` (not versioned); with
`--reference` also to `benchmarks/reference.json`, the versioned run, with the machine that made it, that later
runs are compared to (time ratio, query difference). A measurement, never an assertion: nothing fails on a
slow read, the table says it.

Then, unless `--sans-charge`, the cockpit of the largest département under `--clients` concurrent clients against
`/sante/` under the same load, on gunicorn with the production settings (`benchmarks.charge`)."""

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .base import installer_django

DOSSIER = Path(__file__).resolve().parent
REFERENCE = DOSSIER / "reference.json"


@dataclass
class Mesure:
    operation: str
    portee: str
    siae: int
    lignes: int
    requetes: int
    mediane_ms: float
    min_ms: float
    max_ms: float
    repetitions: int


@dataclass
class Operation:
    nom: str
    portee: str  # "France" or the département
    executer: object  # callable without arguments that evaluates everything the read returns
    repetitions: int | None = None  # None: the run's --repetitions


def _lire_entierement(reponse) -> None:
    if reponse.status_code != 200:
        raise RuntimeError(f"Réponse {reponse.status_code} de {reponse.request['PATH_INFO']}")


def operations(annee: int, departement: str, repetitions_pdf: int) -> list[Operation]:
    from django.test import Client, override_settings

    from aides_au_poste.queries import aides_des_annexes, annexes_de_l_annee
    from base.calendrier import Periode
    from bilans.contenu import assembler_bilan
    from bilans.pdf import pdf_du_bilan
    from comptes.models import Utilisateur
    from conventions.queries import annexes_du_departement
    from indicateurs.queries_consommation import consommation_par_type
    from indicateurs.sections import indicateurs
    from indicateurs.services import rafraichir_departement
    from pilotage import cockpit as tableau_de_bord
    from siae.models import Siae

    # A fixed day after the year: the same reference period whatever the day the benchmark runs.
    aujourd_hui = dt.date(annee + 1, 3, 1)
    agent = Utilisateur.objects.get(email=f"agent.{departement.lower()}@bench.pilot-iae.test")
    admin = Utilisateur.objects.get(email="admin@bench.pilot-iae.test")
    client_agent, client_admin = Client(), Client()
    client_agent.force_login(agent)
    client_admin.force_login(admin)

    def cockpit_complet() -> None:
        annexes = annexes_du_departement(departement, annee)
        structures = Siae.objects.filter(departement=departement)
        cockpit = tableau_de_bord.Cockpit(annexes, structures, annee, aujourd_hui=aujourd_hui)
        for bloc in tableau_de_bord.TABLEAUX:
            cockpit.tableau(bloc)

    def page(client, gardee: bool = True) -> None:
        with override_settings(PAGES_EN_CACHE=gardee):
            _lire_entierement(client.get("/pilotage/", {"annee": annee}))

    def page_nationale(adresse: str, **parametres) -> Operation:
        """A national page or API endpoint as the administrator reads it, rendered (never served again)."""

        def executer() -> None:
            with override_settings(PAGES_EN_CACHE=False):
                _lire_entierement(client_admin.get(adresse, parametres))

        nom = f"{adresse} {' '.join(f'{k}={v}' for k, v in parametres.items())}".strip()
        return Operation(nom, "France", executer)

    contenu = {}

    def bilan() -> None:
        contenu["bilan"] = assembler_bilan(departement, annee, aujourd_hui=aujourd_hui)

    def pdf() -> None:
        if "bilan" not in contenu:
            bilan()
        pdf_du_bilan(contenu["bilan"])

    return [
        Operation("indicateurs (exporter)", departement, lambda: indicateurs(annee, departement)),
        Operation("indicateurs (exporter)", "France", lambda: indicateurs(annee, None)),
        Operation("Cockpit, tous les blocs", departement, cockpit_complet),
        # Rendered (as after any change of the data), then served again from the cache of pages (base/pages.py).
        Operation("page /pilotage/ (agent DDETS)", departement, lambda: page(client_agent, gardee=False)),
        Operation("page /pilotage/ (administrateur)", "France", lambda: page(client_admin, gardee=False)),
        Operation("page /pilotage/ relue du cache (agent DDETS)", departement, lambda: page(client_agent)),
        Operation("page /pilotage/ relue du cache (administrateur)", "France", lambda: page(client_admin)),
        # The national pages and API (issue: 500 ms at most, paginated), the administrator's whole country.
        page_nationale("/consommation/", annee=annee),
        page_nationale("/sorties/", annee=annee),
        page_nationale("/publics/", annee=annee),
        page_nationale("/aides-au-poste/", annee=annee),
        page_nationale("/api/v1/consommation/", annee=annee),
        page_nationale("/api/v1/indicateurs/sorties/", annee=annee),
        page_nationale("/api/v1/indicateurs/publics/", annee=annee),
        page_nationale("/api/v1/aides-au-poste/", annee=annee),
        page_nationale("/api/v1/declarations/"),
        page_nationale("/api/v1/declarations/", page=500),
        Operation(
            "consommation_par_type",
            "France",
            lambda: consommation_par_type(annexes_du_departement(None, annee), Periode.annee(annee)),
        ),
        Operation(
            "aides_des_annexes",
            departement,
            lambda: aides_des_annexes(annexes_de_l_annee(annexes_du_departement(departement, annee), annee)),
        ),
        Operation("rafraichir_departement (année)", departement, lambda: rafraichir_departement(departement, annee)),
        Operation("assembler_bilan", departement, bilan),
        Operation("PDF du bilan (WeasyPrint)", departement, pdf, repetitions=repetitions_pdf),
    ]


@dataclass
class Recalcul:
    """A recomputation against the bare aggregate it writes from (its SELECTs alone, rows fetched)."""

    recalcul: str
    portee: str
    agregat_nu_ms: float
    recalcul_ms: float
    ratio: float


def _mediane_ms(executer, repetitions: int) -> float:
    """The median time of `executer`, or of the part of it it times itself (it then returns milliseconds)."""
    durees = []
    for _ in range(repetitions):
        debut = time.perf_counter()
        propre = executer()
        durees.append(propre if isinstance(propre, float) else (time.perf_counter() - debut) * 1000)
    return round(statistics.median(durees), 1)


def recalculs(departement: str, repetitions: int) -> list[Recalcul]:
    """The whole recomputation (the country, département by département as `recalculer_indicateurs` does) and one
    département's, each against its bare aggregate: once the tables are up to date (the nightly case: nothing to
    write), and from empty tables (every row written)."""
    from django.db import connection

    from indicateurs.models import (
        EmbauchesAnnuelles,
        FaitParcours,
        IndicateurMensuel,
        PresenceAnnuelle,
        PublicsAnnuels,
        SortiesAnnuelles,
    )
    from indicateurs.services import rafraichir_departement, rafraichir_tout, sources_du_calcul

    def agregat_nu(portee: str | None):
        def executer():
            with connection.cursor() as curseur:
                for sql, params in sources_du_calcul(portee):
                    curseur.execute(sql, params)
                    curseur.fetchall()

        return executer

    def depuis_vide(recalcul, portee: str):
        def executer():
            # Emptied outside the time measured: the recomputation alone is timed.
            for modele, chemin in (
                (PublicsAnnuels, "siae"),
                (SortiesAnnuelles, "siae"),
                (EmbauchesAnnuelles, "siae"),
                (PresenceAnnuelle, "siae"),
                (FaitParcours, "siae"),
                (IndicateurMensuel, "annexe"),
            ):
                lignes = modele.objects.all()
                if portee != "France":
                    lignes = lignes.filter(
                        **{f"{chemin}__{'siae__' if chemin == 'annexe' else ''}departement": portee}
                    )
                lignes.delete()
            debut = time.perf_counter()
            recalcul()
            return (time.perf_counter() - debut) * 1000

        return executer

    mesures = []
    for portee, recalcul in (("France", rafraichir_tout), (departement, lambda: rafraichir_departement(departement))):
        nu = agregat_nu(None if portee == "France" else portee)
        nu()
        recalcul()
        nu_ms = _mediane_ms(nu, repetitions)
        for nom, executer, fois in (
            ("à jour", recalcul, repetitions),
            ("depuis des tables vides", depuis_vide(recalcul, portee), max(1, repetitions // 2)),
        ):
            recalcul_ms = _mediane_ms(executer, fois)
            mesures.append(Recalcul(nom, portee, nu_ms, recalcul_ms, round(recalcul_ms / nu_ms, 2)))
        # Leave the tables whole for the reads measured next.
        rafraichir_tout()
    return mesures


def imprimer_recalculs(mesures: list[Recalcul]) -> None:
    entete = f"{'recalcul':<26} {'portée':<7} {'agrégat nu ms':>14} {'recalcul ms':>12} {'ratio':>6}"
    print(entete)
    print("-" * len(entete))
    for m in mesures:
        print(f"{m.recalcul:<26} {m.portee:<7} {m.agregat_nu_ms:>14.1f} {m.recalcul_ms:>12.1f} {m.ratio:>6.2f}")


def perimetre(annee: int, portee: str) -> tuple[int, int]:
    """Structures and lines of retained declarations of the year in the scope of a read."""
    from declarations.models import LigneDeclaration
    from siae.models import Siae

    structures = Siae.objects.all()
    lignes = LigneDeclaration.objects.filter(declaration__retenue=True, declaration__mois__year=annee)
    if portee != "France":
        structures = structures.filter(departement=portee)
        lignes = lignes.filter(declaration__annexe__siae__departement=portee)
    return structures.count(), lignes.count()


def mesurer(operation: Operation, repetitions: int, portees: dict) -> Mesure:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A request empties the query log when it starts: counted from an empty log, its queries are all kept.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as requetes:
        operation.executer()
    # Read now: `captured_queries` slices the log, which the next request empties.
    nombre_de_requetes = len(requetes.captured_queries)
    durees = []
    for _ in range(operation.repetitions or repetitions):
        # The charts are in the shared cache since the first run: each timed run reads them, as does any request
        # whose figures did not change (`benchmarks.charge` measures the cockpit with its charts to draw).
        debut = time.perf_counter()
        operation.executer()
        durees.append((time.perf_counter() - debut) * 1000)
    siae, lignes = portees[operation.portee]
    return Mesure(
        operation.nom,
        operation.portee,
        siae,
        lignes,
        nombre_de_requetes,
        round(statistics.median(durees), 1),
        round(min(durees), 1),
        round(max(durees), 1),
        len(durees),
    )


def machine() -> dict:
    import django
    from django.db import connection

    def ligne_de(fichier: str, debut: str) -> str | None:
        try:
            with open(fichier) as f:
                return next((ligne.split(":", 1)[1].strip() for ligne in f if ligne.startswith(debut)), None)
        except OSError:
            return None

    # The settings that change the plans and whether a large aggregate spills to disk.
    reglages = {}
    with connection.cursor() as curseur:
        for nom in ("server_version", "shared_buffers", "work_mem", "jit"):
            curseur.execute(f"SHOW {nom}")
            reglages[nom] = curseur.fetchone()[0]
    return {
        "systeme": platform.platform(),
        "processeur": ligne_de("/proc/cpuinfo", "model name") or platform.processor(),
        "coeurs": os.cpu_count(),
        "memoire": ligne_de("/proc/meminfo", "MemTotal"),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": reglages.pop("server_version"),
        "reglages_postgresql": reglages,
    }


def echelle() -> dict:
    from conventions.models import AnnexeFinanciere
    from declarations.models import LigneDeclaration
    from parcours.models import Parcours
    from siae.models import Siae

    return {
        "departements": Siae.objects.values("departement").distinct().count(),
        "siae": Siae.objects.count(),
        "annexes": AnnexeFinanciere.objects.count(),
        "parcours": Parcours.objects.count(),
        "lignes_de_declaration": LigneDeclaration.objects.count(),
    }


def nombre(valeur: int) -> str:
    return f"{valeur:,}".replace(",", " ")


def imprimer(mesures: list[Mesure], reference: dict | None) -> None:
    avant = {}
    if reference:
        avant = {(m["operation"], m["portee"]): m for m in reference["mesures"]}
    entete = f"{'opération':<46} {'portée':<7} {'SIAE':>6} {'lignes':>10} {'requêtes':>8} {'médiane ms':>11}"
    if avant:
        entete += f" {'réf. ms':>9} {'ratio':>6} {'Δ req.':>6}"
    print(entete)
    print("-" * len(entete))
    for m in mesures:
        ligne = (
            f"{m.operation:<46} {m.portee:<7} {nombre(m.siae):>6} {nombre(m.lignes):>10} {m.requetes:>8} "
            f"{m.mediane_ms:>11.1f}"
        )
        ancienne = avant.get((m.operation, m.portee))
        if ancienne:
            ratio = m.mediane_ms / ancienne["mediane_ms"] if ancienne["mediane_ms"] else float("nan")
            ligne += f" {ancienne['mediane_ms']:>9.1f} {ratio:>6.2f} {m.requetes - ancienne['requetes']:>+6d}"
        print(ligne)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.mesurer", description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=5, help="exécutions chronométrées par lecture")
    parser.add_argument("--departement", help="le département des lectures départementales (par défaut le plus grand)")
    parser.add_argument("--reference", action="store_true", help="enregistrer aussi ce résultat comme référence")
    parser.add_argument("--sortie", type=Path, help="le fichier de résultats (benchmarks/resultats-<date>.json)")
    parser.add_argument("--sans-charge", action="store_true", help="sans la mesure sous charge (gunicorn)")
    parser.add_argument("--requetes", type=int, default=1000, help="requêtes par page sous charge")
    parser.add_argument("--clients", type=int, default=50, help="clients simultanés sous charge")
    parser.add_argument("--seulement", help="ne mesurer que les lectures dont le nom contient ce texte")
    parser.add_argument("--sans-recalculs", action="store_true", help="sans la mesure des recalculs")
    options = parser.parse_args(argv)
    url = installer_django()

    from django.db.models import Count, Max
    from django.test.utils import setup_test_environment

    from conventions.models import AnnexeFinanciere

    # The test client's host and a mail backend that sends nothing; DEBUG stays off.
    setup_test_environment()
    derniere = AnnexeFinanciere.objects.aggregate(debut=Max("date_debut"), dep=Max("siae__departement"))
    if derniere["debut"] is None:
        sys.exit("La base du banc d'essai est vide : lancez d'abord `python -m benchmarks.generer`.")
    annee = derniere["debut"].year
    # The largest département by default: the one whose cockpit is the slowest to serve.
    departement = options.departement or (
        AnnexeFinanciere.objects.values("siae__departement")
        .annotate(nombre=Count("id"))
        .order_by("-nombre", "siae__departement")
        .values_list("siae__departement", flat=True)
        .first()
    )
    taille = echelle()
    print(
        f"Base {url} : {taille['departements']} départements, {nombre(taille['siae'])} SIAE, "
        f"{nombre(taille['lignes_de_declaration'])} lignes de déclaration ; année {annee}, département {departement}, "
        f"médiane de {options.repetitions} exécutions après une première (requêtes comptées sur celle-ci)\n",
        flush=True,
    )
    portees = {"France": perimetre(annee, "France"), departement: perimetre(annee, departement)}
    mesures_recalculs = []
    if not options.sans_recalculs:
        print("Recalculs face à l'agrégat nu…", flush=True)
        mesures_recalculs = recalculs(departement, options.repetitions)
        imprimer_recalculs(mesures_recalculs)
        print(flush=True)
    mesures = []
    for operation in operations(annee, departement, repetitions_pdf=1):
        if options.seulement and options.seulement not in operation.nom:
            continue
        mesures.append(mesurer(operation, options.repetitions, portees))
        print(f"  {operation.nom} ({operation.portee}) : {mesures[-1].mediane_ms:.1f} ms", flush=True)
    print()

    reference = json.loads(REFERENCE.read_text()) if REFERENCE.exists() else None
    if reference and reference.get("echelle") != taille:
        print(f"La référence a été mesurée à une autre échelle ({reference['echelle']}) : ratios indicatifs.\n")
    imprimer(mesures, reference)
    print()
    imprimer_recalculs(mesures_recalculs)

    charge = None
    if not options.sans_charge:
        from .charge import imprimer_charge, mesurer_sous_charge

        print()
        charge = mesurer_sous_charge(annee, requetes=options.requetes, clients=options.clients)
        imprimer_charge(charge)

    resultat = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "echelle": taille,
        "annee": annee,
        "departement": departement,
        "mesures": [asdict(m) for m in mesures],
        "charge": charge,
        "recalculs": [asdict(m) for m in mesures_recalculs],
    }
    sortie = options.sortie or DOSSIER / f"resultats-{dt.datetime.now():%Y-%m-%d-%H%M}.json"
    sortie.write_text(json.dumps(resultat, ensure_ascii=False, indent=2) + "\n")
    print(f"\nRésultats : {sortie}")
    if options.reference:
        REFERENCE.write_text(json.dumps(resultat, ensure_ascii=False, indent=2) + "\n")
        print(f"Référence : {REFERENCE}")


if __name__ == "__main__":
    main()
