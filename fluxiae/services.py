"""Loading the ASP's fluxIAE into Pilot'IAE (docs/fluxiae.md): one transaction for the whole flux, refused whole
on the first bad value (`ErreurFlux` names the file, the physical line and the column), idempotent, and never
deleting what was typed in Pilot'IAE.

The order follows the keys: exit motifs (RefMotifSort through RefCategorieSort), the AFs of the départements asked
(the row that counts per `af_id_annexe_financiere`), their structures (one SIAE per ASP structure and kind), the
annexes with their versions, the contracts grouped into parcours with their salariés (one per PASS number), then the
monthly states (EMI), the highest version of each AF and month becoming a declaration of source ASP.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from base.calendrier import mois_entre
from base.rafraichissement import rafraichir_apres_commit
from conventions.models import AnnexeFinanciere, Avenant, EtatAnnexe, EtpConventionneMensuel
from conventions.regles import HEURES_ANNUELLES_PAR_DEFAUT
from conventions.services import conventions_pour
from parcours.models import MotifSortie
from parcours.services import recompter_les_sorties_des_motifs
from siae.models import Siae

from . import regles, services_etats, services_parcours
from .lecture import ErreurFlux, LecteurVue, fichiers_du_flux
from .transit import par_lots, regler_la_transaction, supprimer

ZERO = Decimal(0)
# Rows written per query by the ORM batches (structures, annexes, avenants, monthly ETP).
LOT = 5000


@dataclass
class CompteVue:
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    ignores: Counter = field(default_factory=Counter)

    def noter(self, action: str, n: int = 1) -> None:
        setattr(self, action, getattr(self, action) + n)


@dataclass
class Bilan:
    """What one import did, view by view: what the import journal shows."""

    vues: dict[str, CompteVue] = field(default_factory=lambda: defaultdict(CompteVue))
    fichiers_ignores: list[str] = field(default_factory=list)
    departements: set[str] = field(default_factory=set)
    annexes: set[int] = field(default_factory=set)  # created or restated: every month to refresh
    mois: set[tuple[int, dt.date]] = field(default_factory=set)  # (annexe, month) whose retained declaration changed
    durees: dict[str, float] = field(default_factory=dict)  # seconds of the work not in a step of its own

    def en_donnees(self) -> dict:
        return {
            vue: {"crees": c.crees, "modifies": c.modifies, "inchanges": c.inchanges, "ignores": dict(c.ignores)}
            for vue, c in sorted(self.vues.items())
        }


def _lignes(fichier, garder=None, dedoublonner=True):
    """(line, {column: value}) of a small view, exact duplicates once."""
    with LecteurVue(fichier, garder=garder, dedoublonner=dedoublonner) as lecteur:
        noms = [colonne.nom for colonne in lecteur.colonnes]
        for numero, valeurs in lecteur:
            yield numero, dict(zip(noms, valeurs, strict=True))


# Exit motifs ------------------------------------------------------------------------------------------------------


def charger_motifs(flux, bilan: Bilan) -> dict[int, MotifSortie]:
    """Each RefMotifSort row becomes (or updates) the exit motif `ASP_<rms_id>` in its category."""
    fichier = flux.fichiers["RefCategorieSort"]
    categories = {}
    for numero, v in _lignes(fichier):
        categorie = regles.categorie_de(v["rcs_libelle"])
        if categorie is None:
            raise ErreurFlux(
                fichier.nom, numero, "rcs_libelle", f"catégorie de sortie inconnue : « {v['rcs_libelle']} »"
            )
        categories[v["rcs_id"]] = categorie
    fichier = flux.fichiers["RefMotifSort"]
    voulus = {}
    for numero, v in _lignes(fichier):
        if v["rcs_id"] not in categories:
            raise ErreurFlux(fichier.nom, numero, "rcs_id", f"catégorie {v['rcs_id']} absente de RefCategorieSort")
        voulus[v["rms_id"]] = (f"ASP_{v['rms_id']}", v["rms_libelle"][:255], categories[v["rcs_id"]])
    existants = MotifSortie.objects.in_bulk([code for code, _, _ in voulus.values()], field_name="code")
    compte = bilan.vues["RefMotifSort"]
    nouveaux, modifies, recategorises = [], [], []
    for code, libelle, categorie in voulus.values():
        motif = existants.get(code)
        if motif is None:
            nouveaux.append(MotifSortie(code=code, libelle=libelle, categorie=categorie))
        elif (motif.libelle, motif.categorie) != (libelle, categorie):
            if motif.categorie != categorie:
                recategorises.append(motif.pk)
            motif.libelle, motif.categorie = libelle, categorie
            modifies.append(motif)
        else:
            compte.noter("inchanges")
    MotifSortie.objects.bulk_create(nouveaux)
    MotifSortie.objects.bulk_update(modifies, ["libelle", "categorie"])
    # Every exit counts in its motif's current category: the structures with exits of a moved motif are counted again.
    recompter_les_sorties_des_motifs(recategorises)
    compte.noter("crees", len(nouveaux))
    compte.noter("modifies", len(modifies))
    motifs = MotifSortie.objects.in_bulk([code for code, _, _ in voulus.values()], field_name="code")
    return {rms_id: motifs[code] for rms_id, (code, _, _) in voulus.items()}


# The annexe's fields the flux restates (an annexe found by its ASP id or adopted is updated on these).
CHAMPS_ANNEXE = (
    "id_asp", "numero", "prefixe", "siae", "type", "date_debut", "date_fin", "etat", "etp_conventionnes",
    "heures_annuelles_par_etp", "montant_cofinance_cd", "objectif_sorties_dynamiques", "objectif_emploi_durable",
    "objectif_emploi_transition", "objectif_sorties_positives",
)  # fmt: skip


# Annexes financières ----------------------------------------------------------------------------------------------


@dataclass
class AfDuFlux:
    id_asp: int
    structure: int
    type: str
    departement: str
    prefixe: str  # the AF number with its A<n>: one AF id of the ASP
    numero: str  # with the M<n> of the version that counts
    etat: str
    date_debut: dt.date
    date_fin: dt.date
    etp: Decimal
    heures: Decimal | None
    cofinance: Decimal | None
    objectifs: tuple
    versions: list[tuple[int, Decimal, dt.date]]  # (modification rank, ETP, end) of every version


def lire_annexes(flux, departements: set[str] | None, bilan: Bilan) -> dict[int, AfDuFlux]:
    fichier = flux.fichiers["AnnexeFinanciere"]
    compte = bilan.vues["AnnexeFinanciere"]
    par_af: dict[int, list] = defaultdict(list)
    with LecteurVue(fichier, dedoublonner=True) as lecteur:
        indice_numero = lecteur.index_brut("af_numero_annexe_financiere")

        def garder(champs):
            if departements is None:
                return True
            return regles.departement_de_l_af(champs[indice_numero]) in departements

        lecteur.garder = garder
        noms = [colonne.nom for colonne in lecteur.colonnes]
        position = lecteur.position("af_id_annexe_financiere")
        for numero, valeurs in lecteur:
            par_af[valeurs[position]].append((numero, dict(zip(noms, valeurs, strict=True))))
    resultat = {}
    for af_id, lignes in par_af.items():
        choix = regles.version_qui_compte(
            [
                (v["af_etat_annexe_financiere_code"], v["af_numero_avenant_modification"], i)
                for i, (_, v) in enumerate(lignes)
            ]
        )
        if choix is None:
            compte.ignores["aucune version validée, provisoire ou clôturée"] += 1
            continue
        numero, v = lignes[choix]
        type_ = regles.type_de_mesure(v["af_mesure_dispositif_code"])
        if type_ is None:
            raise ErreurFlux(
                fichier.nom, numero, "af_mesure_dispositif_code", f"mesure inconnue : {v['af_mesure_dispositif_code']}"
            )
        if type_ == regles.MESURE_FDI:
            compte.ignores["FDI : hors des ETP et des aides au poste"] += 1
            continue
        departement = regles.departement_de_l_af(v["af_numero_annexe_financiere"])
        if departement is None:
            raise ErreurFlux(
                fichier.nom,
                numero,
                "af_numero_annexe_financiere",
                f"numéro d'AF illisible : {v['af_numero_annexe_financiere']}",
            )
        if v["af_date_fin_effet"] < v["af_date_debut_effet"]:
            raise ErreurFlux(fichier.nom, numero, "af_date_fin_effet", "la fin de l'AF précède son début")
        prefixe = f"{v['af_numero_annexe_financiere'].strip().upper()}A{v['af_numero_avenant_renouvellement']}"
        resultat[af_id] = AfDuFlux(
            id_asp=af_id,
            structure=v["af_id_structure"],
            type=type_,
            departement=departement,
            prefixe=prefixe,
            numero=f"{prefixe}M{v['af_numero_avenant_modification']}",
            etat=v["af_etat_annexe_financiere_code"],
            date_debut=v["af_date_debut_effet"],
            date_fin=v["af_date_fin_effet"],
            etp=v["af_etp_postes_insertion"] or ZERO,
            heures=v["af_duree_heure_annuel_etp_valeur"],
            cofinance=v["af_mt_cofinance"],
            objectifs=(
                v["af_taux_prev_sorties_dynamiques"],
                v["af_taux_prev_sorties_durable"],
                v["af_taux_prev_sorties_trans"],
                v["af_taux_prev_sorties_positives"],
            ),
            versions=sorted(
                (w["af_numero_avenant_modification"], w["af_etp_postes_insertion"] or ZERO, w["af_date_fin_effet"])
                for _, w in lignes
                if w["af_etat_annexe_financiere_code"] in (*regles.ETATS_COMPTES, regles.ETAT_HISTORISE)
            ),
        )
        bilan.departements.add(departement)
    return resultat


# Structures -------------------------------------------------------------------------------------------------------


def charger_structures(flux, afs: dict[int, AfDuFlux], bilan: Bilan) -> dict[tuple[int, str], Siae]:
    """One SIAE per (ASP structure, kind) among the AFs kept; found by that key, else by (SIRET, kind) when the
    SIRET moved to another ASP id, else created. A structure absent from the flux is left as it is."""
    voulues = {(af.structure, af.type): af.departement for af in afs.values()}
    ids = {structure for structure, _ in voulues}
    fichier = flux.fichiers["Structure"]
    lignes = {}
    for numero, v in _lignes(fichier):
        if v["structure_id_siae"] in ids:
            lignes[v["structure_id_siae"]] = (numero, v)
    compte = bilan.vues["Structure"]
    existantes = {(s.id_asp, s.type): s for s in Siae.objects.filter(id_asp__in=ids)}
    par_siret = {
        (s.siret, s.type): s
        for s in Siae.objects.filter(siret__in={v["structure_siret_actualise"] for _, v in lignes.values()})
    }
    resultat, nouvelles, modifiees = {}, [], []
    for (structure, type_), departement in sorted(voulues.items()):
        if structure not in lignes:
            compte.ignores["structure absente de la vue Structure"] += 1
            continue
        numero, v = lignes[structure]
        siret = v["structure_siret_actualise"]
        if len(siret) != 14 or not siret.isdigit():
            raise ErreurFlux(fichier.nom, numero, "structure_siret_actualise", f"SIRET invalide : {siret}")
        valeurs = {
            "id_asp": structure,
            "siret": siret,
            "nom": v["structure_denomination"][:255],
            "type": type_,
            "departement": departement,
            "code_postal": (v["structure_adresse_admin_cp"] or "").zfill(5)[:5]
            if v["structure_adresse_admin_cp"]
            else "",
            "commune": (v["structure_adresse_admin_commune"] or "")[:120],
        }
        siae = existantes.get((structure, type_)) or par_siret.get((siret, type_))
        if siae is None:
            siae = Siae(**valeurs)
            nouvelles.append(siae)
        elif any(getattr(siae, cle) != valeur for cle, valeur in valeurs.items() if cle != "departement"):
            for cle, valeur in valeurs.items():
                if cle != "departement":  # a structure keeps the département it was registered in
                    setattr(siae, cle, valeur)
            modifiees.append(siae)
        else:
            compte.noter("inchanges")
        resultat[(structure, type_)] = siae
    Siae.objects.bulk_create(nouvelles, batch_size=LOT)
    Siae.objects.bulk_update(modifiees, ["id_asp", "siret", "nom", "type", "code_postal", "commune"], batch_size=LOT)
    compte.noter("crees", len(nouvelles))
    compte.noter("modifies", len(modifiees))
    return resultat


def charger_annexes(afs: dict[int, AfDuFlux], structures: dict, bilan: Bilan) -> dict[int, AnnexeFinanciere]:
    """One annexe per AF id. The version that counts restates the whole AF: its ETP holds for every month of the
    period; the other versions are its history (avenants)."""
    compte = bilan.vues["AnnexeFinanciere"]
    existantes = {a.id_asp: a for a in AnnexeFinanciere.objects.filter(id_asp__in=afs)}
    # An annexe typed in Pilot'IAE before its AF came in the flux is adopted (then keyed on its ASP id): same
    # number without the A/M suffix (Pilot'IAE's `prefixe`), same start, same structure.
    saisies = {
        (a.prefixe, a.date_debut): a
        for a in AnnexeFinanciere.objects.filter(
            id_asp__isnull=True, prefixe__in={af.prefixe.rsplit("A", 1)[0] for af in afs.values()}
        )
    }
    resultat, nouvelles, modifiees = {}, [], []
    for af in afs.values():
        siae = structures.get((af.structure, af.type))
        if siae is None:
            compte.ignores["structure absente de la vue Structure"] += 1
            continue
        dynamiques, durable, transition, positives = af.objectifs
        valeurs = {
            "id_asp": af.id_asp,
            "numero": af.numero,
            # Pilot'IAE's prefix is the number without A/M: the avenants typed here are numbered from it.
            "prefixe": af.prefixe.rsplit("A", 1)[0],
            # The key, not the object: reading `annexe.siae` of a known annexe would cost one query per annexe.
            "siae_id": siae.pk,
            "type": af.type,
            "date_debut": af.date_debut,
            "date_fin": af.date_fin,
            "etat": af.etat if af.etat in EtatAnnexe.values else EtatAnnexe.VALIDE,
            "etp_conventionnes": af.etp,
            "heures_annuelles_par_etp": af.heures or HEURES_ANNUELLES_PAR_DEFAUT[af.type],
            "montant_cofinance_cd": af.cofinance or ZERO,
            "objectif_sorties_dynamiques": dynamiques,
            "objectif_emploi_durable": durable,
            "objectif_emploi_transition": transition,
            "objectif_sorties_positives": positives,
        }
        annexe = existantes.get(af.id_asp)
        if annexe is None:
            saisie = saisies.get((af.prefixe.rsplit("A", 1)[0], af.date_debut))
            # Adopted only when it is the same structure's: a number alone may be another structure's annexe.
            annexe = saisie if saisie is not None and saisie.siae_id == siae.pk else None
        if annexe is None:
            annexe = AnnexeFinanciere(**valeurs)
            annexe.siae = siae
            nouvelles.append((annexe, af))
        elif any(getattr(annexe, cle) != valeur for cle, valeur in valeurs.items()):
            for cle, valeur in valeurs.items():
                setattr(annexe, cle, valeur)
            modifiees.append((annexe, af))
        else:
            compte.noter("inchanges")
        resultat[af.id_asp] = annexe
    conventions = conventions_pour([(a.siae, a.type, a.date_debut, a.date_fin) for a, _ in nouvelles])
    for (annexe, _), convention in zip(nouvelles, conventions, strict=True):
        annexe.convention = convention
    AnnexeFinanciere.objects.bulk_create([annexe for annexe, _ in nouvelles], batch_size=LOT)
    AnnexeFinanciere.objects.bulk_update([annexe for annexe, _ in modifiees], list(CHAMPS_ANNEXE), batch_size=LOT)
    compte.noter("crees", len(nouvelles))
    compte.noter("modifies", len(modifiees))
    bilan.annexes.update(annexe.pk for annexe, _ in (*nouvelles, *modifiees))
    _versions([*nouvelles, *modifiees])
    return resultat


def _versions(annexes: list[tuple[AnnexeFinanciere, AfDuFlux]]) -> None:
    """The versions of the annexes created or changed, as avenants (their history), and the ETP of the version
    that counts on every month: a fixed number of queries per batch of annexes."""
    for lot in par_lots(annexes, 1000):
        ids = [annexe.pk for annexe, _ in lot]
        # Keyed by their ranks, as the annexe's own avenants are: a version the ASP restates is updated, not added.
        connus = {
            (a.annexe_id, a.rang_avenant, a.rang_modification): a for a in Avenant.objects.filter(annexe_id__in=ids)
        }
        nouveaux, modifies, mensuels = [], [], []
        for annexe, af in lot:
            renouvellement = int(af.prefixe.rsplit("A", 1)[1])
            for rang, etp, fin in af.versions:
                valeurs = {"numero": f"{af.prefixe}M{rang}", "mois_effet": af.date_debut.replace(day=1),
                           "etp_conventionnes": etp, "date_fin": fin}  # fmt: skip
                avenant = connus.get((annexe.pk, renouvellement, rang))
                if avenant is None:
                    nouveaux.append(
                        Avenant(annexe=annexe, rang_avenant=renouvellement, rang_modification=rang,
                                motif="Version de l'AF reçue de l'ASP (fluxIAE)", **valeurs)
                    )  # fmt: skip
                elif any(getattr(avenant, cle) != valeur for cle, valeur in valeurs.items()):
                    for cle, valeur in valeurs.items():
                        setattr(avenant, cle, valeur)
                    modifies.append(avenant)
            mensuels.extend(
                EtpConventionneMensuel(annexe=annexe, mois=mois, etp_conventionnes=af.etp)
                for mois in mois_entre(af.date_debut, af.date_fin)
            )
        Avenant.objects.bulk_update(
            modifies, ["numero", "mois_effet", "etp_conventionnes", "date_fin"], batch_size=LOT
        )
        Avenant.objects.bulk_create(nouveaux, batch_size=LOT)
        EtpConventionneMensuel.objects.filter(annexe_id__in=ids).delete()
        EtpConventionneMensuel.objects.bulk_create(mensuels, batch_size=LOT)


# The whole flux ---------------------------------------------------------------------------------------------------


def importer_flux(chemin, departements=None, suivre=None) -> Bilan:
    """Load the flux at `chemin` (a folder or the Zip as delivered) for these départements (all when None), all or
    nothing. `suivre(etape, rang, total)` is told where it stands."""
    departements = {regles.code_departement(d) for d in departements} if departements else None
    flux = fichiers_du_flux(chemin)
    bilan = Bilan(fichiers_ignores=list(flux.ignores))
    etapes = (
        "motifs", "annexes", "structures", "contrats", "salariés", "états mensuels", "déclarations",
        "validation et indicateurs",
    )  # fmt: skip

    def noter(rang):
        if suivre is not None:
            suivre(etapes[rang], rang, len(etapes))

    with transaction.atomic():
        regler_la_transaction()
        noter(0)
        motifs = charger_motifs(flux, bilan)
        noter(1)
        afs = lire_annexes(flux, departements, bilan)
        noter(2)
        structures = charger_structures(flux, afs, bilan)
        annexes = charger_annexes(afs, structures, bilan)
        # The EMI file is read from now on, in the background on PostgreSQL, while the contracts and persons are
        # loaded (it needs only the annexes and the motifs); its rows are staged at "états mensuels".
        etats = services_etats.lire_etats_mensuels(flux, annexes, motifs)
        try:
            noter(3)
            personnes = services_parcours.lire_contrats(flux, structures, motifs, bilan)
            noter(4)
            services_parcours.lire_salaries(flux, personnes, bilan)
            del personnes
            services_parcours.charger_parcours(bilan)
            noter(5)
            services_etats.charger_etats(etats)
        finally:
            etats.abandonner()
        bilan.durees["lecture du fichier EtatMensuelIndiv"] = etats.duree
        noter(6)
        services_etats.charger_declarations(bilan, flux.fichiers["EtatMensuelIndiv"].nom)
        supprimer(*services_parcours.TABLES, *services_etats.TABLES)
        # One refresh of the indicators for the whole import, after the commit: every month of the annexes created
        # or restated, only the months whose retained declaration changed for the others (a weekly flux brings
        # one new month: its annexes need not be recomputed from their first month).
        for annexe_id in sorted(bilan.annexes):
            rafraichir_apres_commit(annexe_id)
        for annexe_id, mois in sorted(bilan.mois):
            if annexe_id not in bilan.annexes:
                rafraichir_apres_commit(annexe_id, mois)
        # What remains is the commit (the database checks the foreign keys of every row written) and the refresh.
        noter(7)
    return bilan
