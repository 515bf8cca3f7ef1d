"""Synthetic national-scale data for the benchmark, written with `bulk_create` into the benchmark's own database.

    python -m benchmarks.generer [--departements 10] [--siae-par-departement 45] [--annee 2025] [--reinitialiser]

Deterministic: the same options and seed give the same rows. The structures spread over the départements as the
population does (`france.py`): Nord has about ten times the SIAE of a small département. Two civil years (`annee` −
1 and `annee`): per structure one convention, one annexe per year (some with an avenant from July), the monthly ETP
conventionnés rebuilt by `conventions.services.etp_par_mois`, a staff simulated month by month (hires to fill the
posts, exits with a motif), one retained declaration per annexe and month with a line per salarié present, the
ASP's monthly advances, a regularisation and a modulation payment, and a few other financing lines. Then the
materialised indicators (`indicateurs`) are rebuilt and the tables analysed, as the night job would leave them.

Nothing is written when the database already holds structures (unless `--reinitialiser`)."""

import argparse
import calendar
import datetime as dt
import random
import sys
import time
from decimal import ROUND_HALF_UP, Decimal

from .base import installer_django
from .france import structures_par_departement

CENT = Decimal("0.01")
# Share of each kind among the structures, ETP conventionnés range, salariés per ETP (AI and ETTI staff work
# few hours each), contract of the hire.
TYPES = {
    "ACI": (50, (8, 30), 1.4, "CDDI"),
    "AI": (20, (8, 40), 2.5, "MISSION"),
    "EI": (18, (4, 25), 1.2, "CDDI"),
    "ETTI": (8, (5, 30), 2.0, "MISSION"),
    "EITI": (4, (2, 8), 1.0, "INDEPENDANT"),
}
PROBABILITE_DE_SORTIE = 0.1  # per salarié and month: parcours of ten months on average
NOMS = ("Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent")
PRENOMS = ("Camille", "Dominique", "Claude", "Alex", "Sacha", "Charlie", "Maxime", "Morgane", "Yannick", "Lou")
NIVEAUX = ("", "SANS", "INFRA_CAP", "CAP_BEP", "BAC", "BAC_PLUS_2", "BAC_PLUS_3")
CHOMAGE = ("", "DELD", "DETLD")
# Financing lines other than the aides au poste: (financeur, dispositif, libellé).
AUTRES_FINANCEMENTS = (
    ("DEPARTEMENT", "CONVENTION_PAUVRETE", "Accompagnement renforcé des bRSA"),
    ("FSE", "FSE", "FSE+ inclusion"),
    ("COMMUNE_EPCI", "AUTRE", "Soutien de l'intercommunalité"),
    ("AUTRE", "AUTRE", "Fondation d'entreprise"),
)


def argument_positif(valeur: str) -> int:
    nombre = int(valeur)
    if nombre < 1:
        raise argparse.ArgumentTypeError("un entier positif est attendu")
    return nombre


def dernier_jour(mois: dt.date) -> dt.date:
    return mois.replace(day=calendar.monthrange(mois.year, mois.month)[1])


def jour_du_mois(alea: random.Random, mois: dt.date, apres: dt.date | None = None) -> dt.date:
    premier = max(mois, apres) if apres else mois
    return premier + dt.timedelta(days=alea.randint(0, (dernier_jour(mois) - premier).days))


def siret(alea: random.Random) -> str:
    """14 digits with a valid Luhn key (the last digit chosen to make the sum a multiple of 10)."""
    from siae.regles import luhn_valide

    debut = "".join(str(alea.randint(0, 9)) for _ in range(13))
    return next(debut + str(c) for c in range(10) if luhn_valide(debut + str(c)))


def code_sur_trois(departement: str) -> str:
    return departement.zfill(3) if departement.isdigit() else "0" + departement


class Generateur:
    def __init__(self, annee: int, siae_par_departement: dict[str, int], graine: int):
        from aides_au_poste.models import BaremeAideAuPoste
        from base.calendrier import mois_entre
        from parcours.models import MotifSortie

        self.annee = annee
        self.annees = (annee - 1, annee)
        self.siae_par_departement = siae_par_departement
        self.graine = graine
        self.mois = mois_entre(dt.date(annee - 1, 1, 1), dt.date(annee, 12, 1))
        self.motifs = list(MotifSortie.objects.filter(actif=True).order_by("code"))
        if not self.motifs:
            sys.exit("Aucun motif de sortie : la base n'est pas migrée.")
        self.bareme = {}
        for ligne in BaremeAideAuPoste.objects.order_by("date_effet"):
            self.bareme.setdefault(ligne.type, []).append((ligne.date_effet, ligne.montant_socle_annuel_par_etp))
        self.numero_pass = 0
        self.comptes = dict.fromkeys(("siae", "annexes", "parcours", "declarations", "lignes", "versements"), 0)

    def montant_socle(self, type_: str, mois: dt.date) -> Decimal:
        en_vigueur = [montant for date, montant in self.bareme.get(type_, []) if date <= mois]
        return en_vigueur[-1] if en_vigueur else Decimal(0)

    # One département -------------------------------------------------------------------------------------------

    def departement(self, departement: str) -> None:
        from django.db import transaction

        alea = random.Random(f"{self.graine}-{departement}")
        with transaction.atomic():
            structures = self.structures(alea, departement)
            self.comptes_du_departement(departement)
            annexes = self.annexes(alea, departement, structures)
            self.activite(alea, structures, annexes)
            self.financements(alea, structures)

    def comptes_du_departement(self, departement: str) -> None:
        """A DDETS and a CDIAE, and one agent of the DDETS (the cockpit is measured as that agent sees it)."""
        from comptes.models import Membre, Organisation, Utilisateur

        ddets = Organisation.objects.create(type="DDETS", nom=f"DDETS {departement}", departement=departement)
        Organisation.objects.create(type="CDIAE", nom=f"CDIAE {departement}", departement=departement)
        agent = Utilisateur(
            email=f"agent.{departement.lower()}@bench.pilot-iae.test", first_name="Agent", last_name=departement
        )
        agent.set_unusable_password()
        agent.save()
        Membre.objects.create(utilisateur=agent, organisation=ddets)

    def structures(self, alea: random.Random, departement: str) -> list:
        from siae.models import Siae

        types = list(TYPES)
        poids = [TYPES[t][0] for t in types]
        structures = [
            Siae(
                siret=siret(alea),
                nom=f"Structure {departement}-{rang:04d}",
                type=(type_ := alea.choices(types, poids)[0]),
                departement=departement,
                regie_de_quartier=type_ in ("EI", "ACI") and alea.random() < 0.05,
                commune=f"Commune {alea.randint(1, 30)}",
            )
            for rang in range(1, self.siae_par_departement[departement] + 1)
        ]
        Siae.objects.bulk_create(structures, batch_size=2000)
        self.comptes["siae"] += len(structures)
        return structures

    def annexes(self, alea: random.Random, departement: str, structures: list) -> dict:
        """{(siae pk, year): (annexe, {month: ETP in force})}, written with their convention, avenants and
        monthly ETP conventionnés."""
        from conventions.models import AnnexeFinanciere, Avenant, Convention, EtatAnnexe, EtpConventionneMensuel
        from conventions.regles import HEURES_ANNUELLES_PAR_DEFAUT
        from conventions.services import etp_par_mois

        conventions = Convention.objects.bulk_create(
            Convention(
                siae=s, type=s.type, date_debut=dt.date(self.annee - 1, 1, 1), date_fin=dt.date(self.annee + 1, 12, 31)
            )
            for s in structures
        )
        annexes, avenants, par_cle = [], [], {}
        for ordre, (siae, convention) in enumerate(zip(structures, conventions, strict=True), start=1):
            bas, haut = TYPES[siae.type][1]
            etp = Decimal(alea.randint(bas * 4, haut * 4)) / 4
            for annee in self.annees:
                prefixe = f"{siae.type}{code_sur_trois(departement)}{annee % 100:02d}{ordre:04d}"
                annexe = AnnexeFinanciere(
                    numero=f"{prefixe}A0M0",
                    prefixe=prefixe,
                    convention=convention,
                    siae=siae,
                    type=siae.type,
                    date_debut=dt.date(annee, 1, 1),
                    date_fin=dt.date(annee, 12, 31),
                    etat=EtatAnnexe.CLOTURE if annee < self.annee else EtatAnnexe.VALIDE,
                    etp_conventionnes=etp,
                    heures_annuelles_par_etp=HEURES_ANNUELLES_PAR_DEFAUT[siae.type],
                    taux_modulation=alea.choice((Decimal(0), Decimal("0.02"), Decimal("0.05"), Decimal("0.08"))),
                    objectif_part_brsa=alea.choice((None, Decimal(30), Decimal(40), Decimal(50))),
                    objectif_sorties_dynamiques=alea.choice((None, Decimal(55), Decimal(60))),
                )
                versions = [
                    Avenant(
                        annexe=annexe,
                        numero=annexe.numero,
                        rang_avenant=0,
                        rang_modification=0,
                        mois_effet=annexe.date_debut,
                        etp_conventionnes=etp,
                        date_fin=annexe.date_fin,
                        motif="Annexe initiale",
                    )
                ]
                if alea.random() < 0.15:
                    nouvel_etp = max(Decimal(1), (etp * Decimal(alea.uniform(0.8, 1.2))).quantize(Decimal("0.25")))
                    versions.append(
                        Avenant(
                            annexe=annexe,
                            numero=f"{prefixe}A1M0",
                            rang_avenant=1,
                            rang_modification=0,
                            mois_effet=dt.date(annee, 7, 1),
                            etp_conventionnes=nouvel_etp,
                            date_fin=annexe.date_fin,
                            motif="Avenant de juillet",
                        )
                    )
                    annexe.numero, annexe.etp_conventionnes = versions[-1].numero, nouvel_etp
                # The figures in force month by month, by the very rule the services apply.
                par_mois = etp_par_mois(annexe, versions)
                annexes.append(annexe)
                avenants.extend(versions)
                par_cle[(siae.pk, annee)] = (annexe, par_mois)
                etp = annexe.etp_conventionnes
        AnnexeFinanciere.objects.bulk_create(annexes, batch_size=2000)
        Avenant.objects.bulk_create(avenants, batch_size=2000)
        EtpConventionneMensuel.objects.bulk_create(
            (
                EtpConventionneMensuel(annexe=annexe, mois=mois, etp_conventionnes=valeur)
                for annexe, par_mois in par_cle.values()
                for mois, valeur in par_mois.items()
            ),
            batch_size=5000,
        )
        self.comptes["annexes"] += len(annexes)
        return par_cle

    # The staff, the declarations and the payments -----------------------------------------------------------------

    def embauche(self, alea: random.Random, siae, date_embauche: dt.date, lots: dict, taux_moyen: float):
        from parcours.models import Contrat, Parcours, PassIae, Salarie

        salarie = Salarie(
            nom=f"{alea.choice(NOMS)}-{alea.randint(1, 9999)}",
            prenom=alea.choice(PRENOMS),
            date_naissance=dt.date(alea.randint(1962, 2005), alea.randint(1, 12), alea.randint(1, 28)),
            genre=alea.choice("FM"),
        )
        self.numero_pass += 1
        pass_iae = PassIae(
            numero=f"B{self.numero_pass:011d}",
            salarie=salarie,
            date_debut=date_embauche,
            date_fin=date_embauche + dt.timedelta(days=729),
        )
        parcours = Parcours(
            salarie=salarie,
            siae=siae,
            pass_iae=pass_iae,
            date_embauche=date_embauche,
            brsa=alea.random() < (0.45 if siae.type == "ACI" else 0.25),
            qpv=alea.random() < 0.2,
            zrr=alea.random() < 0.05,
            rqth=alea.random() < 0.08,
            niveau_formation=alea.choice(NIVEAUX),
            duree_chomage=alea.choice(CHOMAGE),
            auto_prescription=alea.random() < 0.3,
        )
        contrat = Contrat(parcours=parcours, type=TYPES[siae.type][3], date_debut=date_embauche)
        if contrat.type == "CDDI":
            contrat.heures_hebdo = Decimal(alea.choice((20, 24, 26, 30, 35)))
        lots["salaries"].append(salarie)
        lots["pass"].append(pass_iae)
        lots["parcours"].append(parcours)
        lots["contrats"].append(contrat)
        # The share of a full-time month this person works.
        parcours.taux_activite = min(1.3, max(0.15, alea.gauss(taux_moyen, 0.15)))
        return parcours

    def activite(self, alea: random.Random, structures: list, annexes: dict) -> None:
        from aides_au_poste.models import Versement
        from declarations.models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration
        from parcours.models import Contrat, Parcours, PassIae, Salarie

        lots = {"salaries": [], "pass": [], "parcours": [], "contrats": []}
        declarations, lignes, versements = [], [], []
        for siae in structures:
            _, _, facteur, _ = TYPES[siae.type]
            # Some structures under-consume, some over-consume: every status of the cockpit has rows.
            consommation = alea.uniform(0.7, 1.12)
            taux_moyen = consommation / facteur
            actifs = []
            for _ in range(round(float(annexes[(siae.pk, self.annee - 1)][1][self.mois[0]]) * facteur)):
                embauche = dt.date(self.annee - 2, alea.randint(1, 12), alea.randint(1, 28))
                actifs.append(self.embauche(alea, siae, embauche, lots, taux_moyen))
            for mois in self.mois:
                annexe, par_mois = annexes[(siae.pk, mois.year)]
                cible = max(1, round(float(par_mois[mois]) * facteur * alea.uniform(0.92, 1.05)))
                while len(actifs) < cible:
                    actifs.append(self.embauche(alea, siae, jour_du_mois(alea, mois), lots, taux_moyen))
                declaration = DeclarationMensuelle(
                    annexe=annexe,
                    mois=mois,
                    etat=EtatDeclaration.VALIDEE,
                    retenue=True,
                    date_transmission=dt.datetime.combine(
                        dernier_jour(mois) + dt.timedelta(days=alea.randint(1, 20)), dt.time(10), tzinfo=dt.UTC
                    ),
                )
                declarations.append(declaration)
                plein_temps = annexe.heures_annuelles_par_etp / 12
                jours = dernier_jour(mois).day
                restants = []
                for parcours in actifs:
                    debut = max(mois, parcours.date_embauche)
                    sortie = None
                    if alea.random() < PROBABILITE_DE_SORTIE:
                        sortie = jour_du_mois(alea, mois, apres=debut)
                        parcours.date_sortie = sortie
                        parcours.motif_sortie = alea.choice(self.motifs)
                    presence = ((sortie or dernier_jour(mois)) - debut).days + 1
                    heures = plein_temps * Decimal(parcours.taux_activite * presence / jours)
                    lignes.append(
                        LigneDeclaration(
                            declaration=declaration,
                            parcours=parcours,
                            heures_travaillees=min(Decimal(208), heures.quantize(CENT, ROUND_HALF_UP)),
                            date_sortie=sortie,
                            motif_sortie=parcours.motif_sortie if sortie else None,
                        )
                    )
                    if sortie is None:
                        restants.append(parcours)
                actifs = restants
                versements.extend(self.versements_du_mois(annexe, mois, par_mois[mois]))
            for annee in self.annees:
                annexe, par_mois = annexes[(siae.pk, annee)]
                versements.extend(self.versements_de_l_annee(alea, annexe, annee, par_mois))
        Salarie.objects.bulk_create(lots["salaries"], batch_size=5000)
        PassIae.objects.bulk_create(lots["pass"], batch_size=5000)
        Parcours.objects.bulk_create(lots["parcours"], batch_size=5000)
        Contrat.objects.bulk_create(lots["contrats"], batch_size=5000)
        DeclarationMensuelle.objects.bulk_create(declarations, batch_size=5000)
        LigneDeclaration.objects.bulk_create(lignes, batch_size=5000)
        Versement.objects.bulk_create(versements, batch_size=5000)
        self.comptes["parcours"] += len(lots["parcours"])
        self.comptes["declarations"] += len(declarations)
        self.comptes["lignes"] += len(lignes)
        self.comptes["versements"] += len(versements)

    def versements_du_mois(self, annexe, mois: dt.date, etp: Decimal) -> list:
        """The ASP's advance of the month: a twelfth of the socle of the ETP in force."""
        from aides_au_poste.models import NatureVersement, Versement

        montant = (etp * self.montant_socle(annexe.type, mois) / 12).quantize(CENT, ROUND_HALF_UP)
        if not montant:
            return []
        return [Versement(annexe=annexe, date=mois.replace(day=5), montant=montant, nature=NatureVersement.AVANCE)]

    def versements_de_l_annee(self, alea: random.Random, annexe, annee: int, par_mois: dict) -> list:
        """The past year's regularisation (either way) and modulation, paid in the following spring."""
        from aides_au_poste.models import NatureVersement, Versement

        if annee >= self.annee:
            return []
        socle = sum(etp * self.montant_socle(annexe.type, m) / 12 for m, etp in par_mois.items())
        resultat = []
        regularisation = (socle * Decimal(alea.uniform(-0.04, 0.02))).quantize(CENT, ROUND_HALF_UP)
        if regularisation:
            resultat.append(
                Versement(
                    annexe=annexe,
                    date=dt.date(annee + 1, 3, 15),
                    montant=regularisation,
                    nature=NatureVersement.REGULARISATION,
                )
            )
        modulation = (socle * annexe.taux_modulation).quantize(CENT, ROUND_HALF_UP)
        if modulation > 0:
            resultat.append(
                Versement(
                    annexe=annexe,
                    date=dt.date(annee + 1, 6, 15),
                    montant=modulation,
                    nature=NatureVersement.MODULATION,
                )
            )
        return resultat

    def financements(self, alea: random.Random, structures: list) -> None:
        """A quarter of the structures have another financing line each year (the département and the structure
        copied as `LigneFinancement.save` would)."""
        from financements.models import LigneFinancement

        lignes = []
        for siae in structures:
            if alea.random() >= 0.25:
                continue
            financeur, dispositif, libelle = alea.choice(AUTRES_FINANCEMENTS)
            for annee in self.annees:
                engage = Decimal(alea.randrange(5000, 80000, 500))
                lignes.append(
                    LigneFinancement(
                        financeur=financeur,
                        dispositif=dispositif,
                        siae=siae,
                        departement=siae.departement,
                        siae_concernee=siae,
                        annee=annee,
                        libelle=libelle,
                        montant_engage=engage,
                        montant_verse=(engage * Decimal(alea.choice((0, 0.5, 0.8, 1)))).quantize(CENT),
                        part_variable_max=(engage * Decimal("0.1")).quantize(CENT),
                    )
                )
        LigneFinancement.objects.bulk_create(lignes, batch_size=2000)


def base_vide() -> bool:
    from siae.models import Siae

    return not Siae.objects.exists()


def departements_generes() -> int:
    from siae.models import Siae

    return Siae.objects.values("departement").distinct().count()


def administrateur() -> None:
    """The administrator who looks at the whole country's cockpit."""
    from comptes.models import Utilisateur

    admin = Utilisateur(
        email="admin@bench.pilot-iae.test", first_name="Admin", last_name="Banc", is_staff=True, is_superuser=True
    )
    admin.set_unusable_password()
    admin.save()


def analyser() -> None:
    """Fresh planner statistics, as autovacuum would eventually leave them: the plans measured are the real ones."""
    from django.db import connection

    with connection.cursor() as curseur:
        curseur.execute("VACUUM ANALYZE")


def generer(departements: int, siae_par_departement: int, annee: int, graine: int) -> dict:
    """`siae_par_departement` is the mean: each département gets its share by population (`france.py`)."""
    from base.departements import DEPARTEMENTS
    from indicateurs.services import rafraichir_tout

    codes = list(DEPARTEMENTS)[:departements]
    generateur = Generateur(annee, structures_par_departement(codes, siae_par_departement), graine)
    debut = time.perf_counter()
    administrateur()
    for rang, code in enumerate(codes, start=1):
        generateur.departement(code)
        print(
            f"  {rang:>3}/{len(codes)} département {code} ({generateur.siae_par_departement[code]} SIAE) : "
            f"{generateur.comptes['lignes']:>9} lignes de déclaration "
            f"({time.perf_counter() - debut:.0f} s)",
            flush=True,
        )
    # The statistics first, as the night's refresh finds them: on tables never analysed, PostgreSQL plans the
    # anti-joins of the refresh row by row (minutes per département instead of a second).
    analyser()
    print("Indicateurs matérialisés…", flush=True)
    rafraichi = rafraichir_tout()
    print(f"  {rafraichi.lignes} indicateurs mensuels ({time.perf_counter() - debut:.0f} s)", flush=True)
    analyser()
    return {**generateur.comptes, "secondes": round(time.perf_counter() - debut)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generer", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--departements",
        type=argument_positif,
        default=10,
        help="nombre de départements, dans l'ordre du référentiel (102 : tous)",
    )
    parser.add_argument(
        "--siae-par-departement",
        type=argument_positif,
        default=45,
        help="nombre moyen de SIAE par département, réparties selon la population (45 : environ 4 600 en France)",
    )
    parser.add_argument("--annee", type=int, default=2025, help="l'année mesurée ; l'année d'avant est générée aussi")
    parser.add_argument("--graine", type=int, default=2024)
    parser.add_argument(
        "--reinitialiser", action="store_true", help="supprimer la base du banc d'essai et la recréer d'abord"
    )
    options = parser.parse_args(argv)
    url = installer_django(reinitialiser=options.reinitialiser)
    from django.core.management import call_command

    print(f"Base du banc d'essai : {url}", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    if not base_vide():
        print(
            f"La base contient déjà {departements_generes()} départements : rien n'est généré (--reinitialiser pour "
            "recommencer, ou une autre base par DATABASE_URL)."
        )
        return
    print(
        f"Génération : {options.departements} départements, {options.siae_par_departement} SIAE en moyenne, "
        f"années {options.annee - 1} et {options.annee}…",
        flush=True,
    )
    comptes = generer(options.departements, options.siae_par_departement, options.annee, options.graine)
    print("Généré : " + ", ".join(f"{valeur} {cle}" for cle, valeur in comptes.items()))


if __name__ == "__main__":
    main()
