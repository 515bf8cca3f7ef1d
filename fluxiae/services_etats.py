"""The fluxIAE's monthly states (EMI) become declarations of source ASP, set-based.

Every EMI row of the AFs loaded is streamed into a staging table with its annexe, month and ASP contract id. One
aggregate gives the versions read per annexe and month; Python decides, per month, whether the highest one is new
(a new declaration version, never an edit in place); one more statement sums the hours of the new versions per
parcours into their lines. Exact duplicate rows count once (a hash of the row travels with it).
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from operator import itemgetter

from django.utils import timezone

from conventions.models import AnnexeFinanciere
from declarations.models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration, SourceDeclaration

from . import regles
from .lecture import ErreurFlux, LecteurVue
from .services_parcours import VOULUS
from .transit import Ecriture, Prelecture, analyser, creer, executer, inserer, par_lots, sql

ETATS, NOUVELLES, LIGNES = "fluxiae_etats", "fluxiae_nouvelles", "fluxiae_lignes"
TABLES = (ETATS, NOUVELLES, LIGNES)
ZERO = Decimal(0)
HEURES_MAX = 208


COLONNES_ETATS = ("annexe_id", "mois", "version", "etat", "contrat", "heures", "date_sortie", "motif_id",
                  "validation", "empreinte")  # fmt: skip


def lire_etats_mensuels(flux, annexes: dict[int, AnnexeFinanciere], motifs: dict) -> Prelecture:
    """Every EMI row of the AFs loaded, for the staging table, in one pass over the file: started now (in the
    background on PostgreSQL, while the contracts and persons are loaded), put in the table by `charger_etats`."""
    fichier = flux.fichiers["EtatMensuelIndiv"]
    pk_par_af = {af: annexe.pk for af, annexe in annexes.items()}
    pk_par_motif = {rms_id: motif.pk for rms_id, motif in motifs.items()}

    def produire(ecrire):
        with LecteurVue(fichier) as lecteur:
            indice = lecteur.index_brut("emi_afi_id")
            lecteur.garder = lambda champs: champs[indice].strip().isdigit() and int(champs[indice]) in pk_par_af
            positions = [
                lecteur.position(c)
                for c in (
                    "emi_afi_id", "emi_sme_annee", "emi_sme_mois", "emi_sme_version", "emi_esm_etat_code",
                    "emi_ctr_id", "emi_nb_heures_travail", "emi_date_fin_reelle", "emi_motif_sortie_id",
                    "emi_date_validation",
                )
            ]  # fmt: skip
            choisir = itemgetter(*positions)
            for numero, v in lecteur:
                af, annee, mois, version, etat, contrat, heures, fin, motif, validation = choisir(v)
                if not 1 <= mois <= 12:
                    raise ErreurFlux(fichier.nom, numero, "emi_sme_mois", f"mois invalide : {mois}")
                if heures is not None and not ZERO <= heures <= HEURES_MAX:
                    raise ErreurFlux(fichier.nom, numero, "emi_nb_heures_travail", f"{heures} h hors de 0 à 208 h")
                motif_pk = pk_par_motif.get(motif) if fin is not None else None
                # The hash of the row as read: an exact repetition would otherwise add its hours twice to the line.
                ecrire(
                    (pk_par_af[af], dt.date(annee, mois, 1), version, (etat or "")[:12], contrat, heures or ZERO,
                     fin if motif_pk else None, motif_pk, validation, hash(v))
                )  # fmt: skip

    lecture = Prelecture(ETATS, COLONNES_ETATS, produire)
    lecture.demarrer()
    return lecture


def charger_etats(lecture: Prelecture) -> None:
    """The EMI rows read into the staging table (an error of the file is raised here)."""
    creer(
        ETATS,
        """(annexe_id bigint, mois date, version integer, etat varchar(12), contrat bigint, heures numeric(6, 2),
        date_sortie date, motif_id bigint, validation date, empreinte bigint)""",
    )
    lecture.charger()
    analyser(ETATS)


def charger_declarations(bilan, fichier: str) -> None:
    """Each (annexe, month) at its highest ASP version becomes a declaration of source ASP, the retained one. That
    version already loaded changes nothing (at most it is retained again, when a version typed in Pilot'IAE took
    its place); otherwise a new version is added and the previous ones are kept: never edited in place."""
    compte = bilan.vues["EtatMensuelIndiv"]
    # The versions read per annexe and month, counting only the rows of a contract loaded.
    mois_lus, sans_contrat = {}, 0
    for annexe, mois, version, etat, validation, lignes, orphelines in sql(
        f"""SELECT e.annexe_id, e.mois, e.version, MAX(CASE WHEN v.id_asp IS NOT NULL THEN e.etat END),
            MAX(CASE WHEN v.id_asp IS NOT NULL THEN e.validation END), COUNT(v.id_asp), COUNT(*) - COUNT(v.id_asp)
        FROM {ETATS} e LEFT JOIN {VOULUS} v ON v.id_asp = e.contrat
        GROUP BY e.annexe_id, e.mois, e.version"""
    ):
        sans_contrat += orphelines
        cle = (annexe, _date(mois))
        if lignes and (cle not in mois_lus or mois_lus[cle][0] < version):
            mois_lus[cle] = (version, etat or "", _date(validation))
    if sans_contrat:
        compte.ignores["contrat absent de la vue ContratMission"] += sans_contrat
    existantes = defaultdict(list)
    for annexes in par_lots(sorted({annexe for annexe, _ in mois_lus})):
        for cle in DeclarationMensuelle.objects.filter(annexe_id__in=annexes).values_list(
            "pk", "annexe_id", "mois", "version", "source", "version_asp", "retenue"
        ):
            existantes[(cle[1], cle[2])].append(cle)
    creer(
        NOUVELLES,
        """(annexe_id bigint, mois date, version integer, version_asp integer, etat varchar(10), etat_asp varchar(12),
        date_transmission timestamp with time zone, motif varchar(500), declaration_id bigint)""",
    )
    a_retirer, a_retenir = [], []
    colonnes = ("annexe_id", "mois", "version", "version_asp", "etat", "etat_asp", "date_transmission", "motif")
    with Ecriture(NOUVELLES, colonnes) as nouvelles:
        for cle, (version, etat, validation) in sorted(mois_lus.items()):
            versions = existantes.get(cle, [])
            asp = [d for d in versions if d[4] == SourceDeclaration.ASP]
            derniere_asp = max(asp, key=lambda d: d[3], default=None)
            retenue = next((d for d in versions if d[6]), None)
            if derniere_asp is not None and derniere_asp[5] == version:
                if derniere_asp[6]:
                    compte.noter("inchanges")
                else:
                    # A version typed in Pilot'IAE since: the ASP's state is the one paid, so it is retained again.
                    if retenue is not None:
                        a_retirer.append(retenue[0])
                    a_retenir.append(derniere_asp[0])
                    compte.noter("modifies")
                    bilan.mois.add(cle)
                continue
            if retenue is not None:
                a_retirer.append(retenue[0])
            nouvelles.ecrire(
                (cle[0], cle[1], max((d[3] for d in versions), default=0) + 1, version,
                 EtatDeclaration.VALIDEE if etat in regles.ETATS_EMI_VALIDES else EtatDeclaration.TRANSMISE,
                 etat, _a_midi(validation) if validation else timezone.now(),
                 f"Version {version} de l'état mensuel, reçue de l'ASP (fluxIAE)")
            )  # fmt: skip
            compte.noter("crees" if derniere_asp is None else "modifies")
            bilan.mois.add(cle)
    analyser(NOUVELLES)
    _lignes_des_nouvelles(fichier)
    # The unique "one retained per month" constraint: release before retaining.
    for ids in par_lots(a_retirer):
        DeclarationMensuelle.objects.filter(pk__in=ids).update(retenue=False)
    for ids in par_lots(a_retenir):
        DeclarationMensuelle.objects.filter(pk__in=ids).update(retenue=True)
    _inserer_les_nouvelles()


def _lignes_des_nouvelles(fichier: str) -> None:
    """The lines of the new versions, summed per parcours (two contracts of one parcours in a month make one line),
    checked against the 208 h of a month before anything is written."""
    creer(
        LIGNES,
        f"""AS SELECT e.annexe_id, e.mois, v.parcours_id, SUM(e.heures) AS heures,
            MAX(e.date_sortie) AS date_sortie, MAX(e.motif_id) AS motif_id
        FROM (
            SELECT DISTINCT e.annexe_id, e.mois, e.contrat, e.heures, e.date_sortie, e.motif_id, e.empreinte
            FROM {ETATS} e JOIN {NOUVELLES} n
              ON n.annexe_id = e.annexe_id AND n.mois = e.mois AND n.version_asp = e.version
        ) e JOIN {VOULUS} v ON v.id_asp = e.contrat
        GROUP BY e.annexe_id, e.mois, v.parcours_id""",
    )
    depassements = sql(
        f"""SELECT a.numero, l.mois, l.heures FROM {LIGNES} l
        JOIN {AnnexeFinanciere._meta.db_table} a ON a.id = l.annexe_id
        WHERE l.heures > {HEURES_MAX} ORDER BY a.numero, l.mois LIMIT 1"""
    )
    if depassements:
        numero, mois, heures = depassements[0]
        raise ErreurFlux(
            fichier,
            None,
            "emi_nb_heures_travail",
            f"annexe {numero}, {_date(mois):%m/%Y} : {heures} h pour une même personne, plus que les 208 h d'un mois",
        )


def _inserer_les_nouvelles() -> None:
    declarations = DeclarationMensuelle._meta.db_table
    inserer(
        DeclarationMensuelle,
        {
            "annexe_id": "annexe_id",
            "mois": "mois",
            "version": "version",
            "etat": "etat",
            "retenue": "%s",
            "source": "%s",
            "version_asp": "version_asp",
            "etat_asp": "etat_asp",
            "date_transmission": "date_transmission",
            "motif_version": "motif",
        },  # fmt: skip
        f"FROM {NOUVELLES}",
        colonnes_parametres=[True, SourceDeclaration.ASP],
    )
    executer(
        f"""UPDATE {NOUVELLES} SET declaration_id = d.id FROM {declarations} d
        WHERE d.annexe_id = {NOUVELLES}.annexe_id AND d.mois = {NOUVELLES}.mois AND d.version = {NOUVELLES}.version"""
    )
    inserer(
        LigneDeclaration,
        {
            "declaration_id": "n.declaration_id",
            "parcours_id": "l.parcours_id",
            "heures_travaillees": "l.heures",
            "date_sortie": "l.date_sortie",
            "motif_sortie_id": "l.motif_id",
        },  # fmt: skip
        # In key order: the indexes and the foreign-key checks then walk their pages once.
        f"FROM {LIGNES} l JOIN {NOUVELLES} n ON n.annexe_id = l.annexe_id AND n.mois = l.mois "
        "ORDER BY n.declaration_id, l.parcours_id",
    )


def _date(valeur):
    """SQLite hands dates back as text from raw SQL."""
    return dt.date.fromisoformat(valeur) if isinstance(valeur, str) else valeur


def _a_midi(jour: dt.date) -> dt.datetime:
    """The ASP gives the day a month was validated: noon of that day, in the project's time zone."""
    return timezone.make_aware(dt.datetime.combine(jour, dt.time(12)))
