"""Loading the ASP's fluxIAE into Pilot'IAE (docs/fluxiae.md): one transaction for the whole flux, refused whole
on the first bad value (`ErreurFlux` names the file, the physical line and the column), idempotent, and never
deleting what was typed in Pilot'IAE.

The order follows the keys: exit motifs (RefMotifSort through RefCategorieSort), the AFs of the départements asked
(the row that counts per `af_id_annexe_financiere`), their structures (one SIAE per ASP structure and kind), the
annexes with their versions, the contracts grouped into parcours with their salariés (one per PASS number), then the
monthly states (EMI), the highest version of each AF and month becoming a declaration of source ASP.
"""

import datetime as dt
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from base.calendrier import mois_entre
from base.rafraichissement import rafraichir_apres_commit
from conventions.models import AnnexeFinanciere, Avenant, EtatAnnexe, EtpConventionneMensuel
from conventions.regles import HEURES_ANNUELLES_PAR_DEFAUT
from conventions.services import convention_pour
from declarations.models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration, SourceDeclaration
from parcours.models import Contrat, MotifSortie, Parcours, PassIae, Salarie, TypeContrat
from siae.models import Siae

from . import regles
from .lecture import ErreurFlux, LecteurVue, fichiers_du_flux
from .models import EtatMensuelLu

ZERO = Decimal(0)
# Rows written per query, and values per IN list; persons loaded together.
LOT = 5000
LOT_DE_PERSONNES = 20_000
CHAMPS_PARCOURS = (
    "date_sortie", "motif_sortie_id", "brsa", "rqth", "qpv", "zrr", "niveau_formation", "duree_chomage",
)  # fmt: skip


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
    annexes: set[int] = field(default_factory=set)

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
    nouveaux, modifies = [], []
    for code, libelle, categorie in voulus.values():
        motif = existants.get(code)
        if motif is None:
            nouveaux.append(MotifSortie(code=code, libelle=libelle, categorie=categorie))
        elif (motif.libelle, motif.categorie) != (libelle, categorie):
            motif.libelle, motif.categorie = libelle, categorie
            modifies.append(motif)
        else:
            compte.noter("inchanges")
    MotifSortie.objects.bulk_create(nouveaux)
    MotifSortie.objects.bulk_update(modifies, ["libelle", "categorie"])
    compte.noter("crees", len(nouveaux))
    compte.noter("modifies", len(modifies))
    motifs = MotifSortie.objects.in_bulk([code for code, _, _ in voulus.values()], field_name="code")
    return {rms_id: motifs[code] for rms_id, (code, _, _) in voulus.items()}


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
    resultat = {}
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
            siae = Siae.objects.create(**valeurs)
            compte.noter("crees")
        elif any(getattr(siae, cle) != valeur for cle, valeur in valeurs.items() if cle != "departement"):
            for cle, valeur in valeurs.items():
                if cle != "departement":  # a structure keeps the département it was registered in
                    setattr(siae, cle, valeur)
            siae.save()
            compte.noter("modifies")
        else:
            compte.noter("inchanges")
        resultat[(structure, type_)] = siae
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
    resultat, a_versionner = {}, []
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
            "siae": siae,
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
            annexe.convention = convention_pour(siae, af.type, af.date_debut, af.date_fin)
            annexe.save()
            compte.noter("crees")
        elif any(getattr(annexe, cle) != valeur for cle, valeur in valeurs.items()):
            for cle, valeur in valeurs.items():
                setattr(annexe, cle, valeur)
            annexe.save()
            compte.noter("modifies")
        else:
            compte.noter("inchanges")
            resultat[af.id_asp] = annexe
            continue
        a_versionner.append((annexe, af))
        bilan.annexes.add(annexe.pk)
        resultat[af.id_asp] = annexe
    _versions(a_versionner)
    return resultat


def _versions(annexes: list[tuple[AnnexeFinanciere, AfDuFlux]]) -> None:
    """The versions of the annexes created or changed, as avenants (their history), and the ETP of the version
    that counts on every month: a fixed number of queries per batch of annexes."""
    for lot in _par_lots(annexes, 1000):
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


# Salariés, parcours, contracts -----------------------------------------------------------------------------------


@dataclass(slots=True)
class ContratDuFlux:
    id_asp: int
    personne: int
    structure: int
    type: str
    rang: int
    embauche: dt.date
    fin: dt.date | None
    sortie: dt.date | None
    motif: int | None
    brsa: bool
    rqth: bool
    niveau: str
    chomage: str
    heures_hebdo: Decimal | None


def lire_contrats(flux, structures: dict, bilan: Bilan) -> list[ContratDuFlux]:
    fichier = flux.fichiers["ContratMission"]
    compte = bilan.vues["ContratMission"]
    ids = {structure for structure, _ in structures}
    contrats = []
    with LecteurVue(fichier, dedoublonner=True) as lecteur:
        indice = lecteur.index_brut("contrat_id_structure")
        lecteur.garder = lambda champs: champs[indice].strip().isdigit() and int(champs[indice]) in ids
        noms = [colonne.nom for colonne in lecteur.colonnes]
        for _numero, valeurs in lecteur:
            v = dict(zip(noms, valeurs, strict=True))
            type_ = regles.type_de_mesure(v["contrat_mesure_disp_code"])
            if (v["contrat_id_structure"], type_) not in structures:
                compte.ignores["mesure sans annexe financière chargée"] += 1
                continue
            fin = v["contrat_date_fin_contrat"]
            if fin is not None and fin < v["contrat_date_embauche"]:
                compte.ignores["contrat qui finit avant de commencer"] += 1
                continue
            contrats.append(
                ContratDuFlux(
                    id_asp=v["contrat_id_ctr"],
                    personne=v["contrat_id_pph"],
                    structure=v["contrat_id_structure"],
                    type=type_,
                    rang=v["contrat_type_contrat"],
                    embauche=v["contrat_date_embauche"],
                    fin=fin,
                    sortie=v["contrat_date_sortie_definitive"],
                    motif=v["contrat_motif_sortie_id"],
                    brsa=regles.est_brsa(v["contrat_salarie_rsa"]),
                    rqth=bool(v["contrat_salarie_rqth"]),
                    niveau=regles.niveau_de_formation(v["contrat_niveau_de_formation_code"]),
                    chomage=regles.duree_de_chomage(v["contrat_salarie_pe_duree_code"]),
                    heures_hebdo=regles.heures_hebdo(v["contrat_duree_hebdo_travail"]),
                )
            )
    return contrats


@dataclass(slots=True)
class Identite:
    """What is kept of a person of the flux: the PASS number, the identity Pilot'IAE already holds for its
    salariés, and the two flags of the address; never the NIR, the address itself or anything else."""

    agrement: str
    nom: str
    prenom: str
    naissance: dt.date
    genre: str
    qpv: bool
    zrr: bool

    def salarie(self) -> dict:
        return {"nom": self.nom, "prenom": self.prenom, "date_naissance": self.naissance, "genre": self.genre}


def lire_salaries(flux, personnes: set[int], bilan: Bilan) -> dict[int, Identite]:
    """One identity per ASP person id of the contracts kept; a person listed with several agréments keeps the last
    one of the file (docs/fluxiae.md)."""
    fichier = flux.fichiers["Salarie"]
    compte = bilan.vues["Salarie"]
    resultat = {}
    with LecteurVue(fichier, dedoublonner=True) as lecteur:
        indice = lecteur.index_brut("salarie_id")
        lecteur.garder = lambda champs: champs[indice].strip().isdigit() and int(champs[indice]) in personnes
        noms = [colonne.nom for colonne in lecteur.colonnes]
        for _numero, valeurs in lecteur:
            v = dict(zip(noms, valeurs, strict=True))
            genre = regles.genre_de_civilite(v["salarie_rci_libelle"])
            # Pilot'IAE holds a salarié with a birth date and a sex; a person the ASP lists without them is not a
            # bad file (the flux has such rows nationally): their parcours are left out, counted with the reason.
            if v["salarie_date_naissance"] is None:
                compte.ignores["date de naissance absente"] += 1
                continue
            if genre is None:
                compte.ignores["civilité ni MME ni M."] += 1
                continue
            resultat[v["salarie_id"]] = Identite(
                agrement=v["salarie_agrement"],
                nom=(v["salarie_nom_usage"] or "")[:150],
                prenom=(v["salarie_prenom"] or "")[:150],
                naissance=v["salarie_date_naissance"],
                genre=genre,
                qpv=regles.est_qpv(v["salarie_adr_qpv_type"]),
                zrr=bool(v["salarie_adr_is_zrr"]),
            )
    return resultat


def _par_lots(valeurs, taille: int = LOT):
    valeurs = list(valeurs)
    for debut in range(0, len(valeurs), taille):
        yield valeurs[debut : debut + taille]


def _en_bloc(queryset, champ: str, valeurs) -> dict:
    """{value: object} of the rows whose `champ` is among `valeurs`, read in batches (a national flux holds a
    million contracts: one IN list per batch keeps each query reasonable on both databases)."""
    resultat = {}
    for lot in _par_lots(set(valeurs)):
        resultat.update((getattr(objet, champ), objet) for objet in queryset.filter(**{f"{champ}__in": lot}))
    return resultat


def charger_parcours(contrats, salaries, structures, motifs, bilan: Bilan) -> dict[int, int]:
    """A parcours is an initial contract and the renewals that follow it, for one person and structure; its salarié
    is the one of the PASS number. All in bulk: a fixed number of queries per batch, whatever the size of the flux.
    Returns the parcours id of each ASP contract id."""
    compte_parcours = bilan.vues["ContratMission"]
    groupes: dict[tuple, list[list[ContratDuFlux]]] = defaultdict(list)
    for contrat in sorted(contrats, key=lambda c: (c.personne, c.structure, c.type, c.embauche, c.rang)):
        cle = (contrat.personne, contrat.structure, contrat.type)
        if contrat.rang == 0 or not groupes[cle]:
            groupes[cle].append([contrat])
        else:
            groupes[cle][-1].append(contrat)
    sans_identite = sum(len(suites) for cle, suites in groupes.items() if cle[0] not in salaries)
    if sans_identite:
        compte_parcours.ignores["personne absente de la vue Salarie"] += sans_identite
    cles = sorted(cle for cle in groupes if cle[0] in salaries)
    par_contrat: dict[int, int] = {}
    # By batches of persons, so that the objects in memory stay bounded whatever the size of the flux.
    for lot in _par_lots(cles, LOT_DE_PERSONNES):
        _charger_lot({cle: groupes[cle] for cle in lot}, salaries, structures, motifs, bilan, par_contrat)
    return par_contrat


def _charger_lot(groupes, salaries, structures, motifs, bilan: Bilan, par_contrat: dict[int, int]) -> None:
    compte_parcours, compte_salaries = bilan.vues["ContratMission"], bilan.vues["Salarie"]

    # Salariés and PASS IAE: one per PASS number.
    identites = {}
    for personne, _, _ in groupes:
        identite = salaries[personne]
        identites[identite.agrement] = identite
    passes = _en_bloc(PassIae.objects.select_related("salarie"), "numero", identites)
    nouveaux, modifies = {}, []
    for numero, identite in identites.items():
        pass_iae = passes.get(numero)
        if pass_iae is None:
            nouveaux[numero] = Salarie(**identite.salarie())
            continue
        salarie = pass_iae.salarie
        if any(getattr(salarie, cle) != valeur for cle, valeur in identite.salarie().items()):
            for cle, valeur in identite.salarie().items():
                setattr(salarie, cle, valeur)
            modifies.append(salarie)
        else:
            compte_salaries.noter("inchanges")
    Salarie.objects.bulk_create(nouveaux.values(), batch_size=LOT)
    Salarie.objects.bulk_update(modifies, ["nom", "prenom", "date_naissance", "genre"], batch_size=LOT)
    PassIae.objects.bulk_create(
        (PassIae(numero=numero, salarie=salarie) for numero, salarie in nouveaux.items()), batch_size=LOT
    )
    compte_salaries.noter("crees", len(nouveaux))
    compte_salaries.noter("modifies", len(modifies))
    passes.update(_en_bloc(PassIae.objects.all(), "numero", nouveaux))

    # Parcours: key (PASS, structure, hire date of the initial contract).
    voulus = {}
    for (personne, structure, type_), suites in groupes.items():
        identite = salaries[personne]
        pass_iae = passes[identite.agrement]
        siae = structures[(structure, type_)]
        for suite in suites:
            premier, dernier = suite[0], suite[-1]
            motif = motifs.get(dernier.motif) if dernier.sortie else None
            voulus[(pass_iae.pk, siae.pk, premier.embauche)] = (
                pass_iae.salarie_id,
                {
                    "date_sortie": dernier.sortie,
                    "motif_sortie_id": motif.pk if motif else None,
                    "brsa": premier.brsa,
                    "rqth": premier.rqth,
                    "qpv": identite.qpv,
                    "zrr": identite.zrr,
                    "niveau_formation": premier.niveau,
                    "duree_chomage": premier.chomage,
                },
                suite,
            )
    existants = {}
    for lot in _par_lots({cle[0] for cle in voulus}):
        for parcours in Parcours.objects.filter(pass_iae_id__in=lot):
            existants[(parcours.pass_iae_id, parcours.siae_id, parcours.date_embauche)] = parcours
    a_creer, a_modifier = [], []
    for cle, (salarie_id, valeurs, _) in voulus.items():
        parcours = existants.get(cle)
        if parcours is None:
            a_creer.append(
                Parcours(salarie_id=salarie_id, pass_iae_id=cle[0], siae_id=cle[1], date_embauche=cle[2], **valeurs)
            )
        elif any(getattr(parcours, champ) != valeur for champ, valeur in valeurs.items()):
            for champ, valeur in valeurs.items():
                setattr(parcours, champ, valeur)
            a_modifier.append(parcours)
        else:
            compte_parcours.noter("inchanges")
    Parcours.objects.bulk_create(a_creer, batch_size=LOT)
    Parcours.objects.bulk_update(a_modifier, list(CHAMPS_PARCOURS), batch_size=LOT)
    compte_parcours.noter("crees", len(a_creer))
    compte_parcours.noter("modifies", len(a_modifier))
    for parcours in a_creer:
        existants[(parcours.pass_iae_id, parcours.siae_id, parcours.date_embauche)] = parcours

    # Contracts, by their ASP id.
    contrats_voulus = {}
    for cle, (_, _, suite) in voulus.items():
        parcours_id = existants[cle].pk
        for contrat in suite:
            par_contrat[contrat.id_asp] = parcours_id
            contrats_voulus[contrat.id_asp] = {
                "parcours_id": parcours_id,
                "type": TypeContrat.MISSION if contrat.type in ("AI", "ETTI") else TypeContrat.CDDI,
                "date_debut": contrat.embauche,
                "date_fin": contrat.sortie or contrat.fin,
                "heures_hebdo": contrat.heures_hebdo,
            }
    connus = _en_bloc(Contrat.objects.all(), "id_asp", contrats_voulus)
    # A contract typed in Pilot'IAE (no ASP id) in the same parcours from the same day is the same contract.
    saisis = {
        (c.parcours_id, c.date_debut): c
        for lot in _par_lots({v["parcours_id"] for v in contrats_voulus.values()})
        for c in Contrat.objects.filter(parcours_id__in=lot, id_asp__isnull=True)
    }
    a_creer, a_modifier = [], []
    for id_asp, valeurs in contrats_voulus.items():
        contrat = connus.get(id_asp) or saisis.pop((valeurs["parcours_id"], valeurs["date_debut"]), None)
        if contrat is None:
            a_creer.append(Contrat(id_asp=id_asp, **valeurs))
        elif contrat.id_asp is None:
            contrat.id_asp = id_asp
            for champ, valeur in valeurs.items():
                setattr(contrat, champ, valeur)
            a_modifier.append(contrat)
        elif any(getattr(contrat, champ) != valeur for champ, valeur in valeurs.items()):
            for champ, valeur in valeurs.items():
                setattr(contrat, champ, valeur)
            a_modifier.append(contrat)
    Contrat.objects.bulk_create(a_creer, batch_size=LOT)
    Contrat.objects.bulk_update(
        a_modifier, ["id_asp", "parcours_id", "type", "date_debut", "date_fin", "heures_hebdo"], batch_size=LOT
    )


# Monthly states ---------------------------------------------------------------------------------------------------


def lire_etats_mensuels(flux, annexes: dict[int, AnnexeFinanciere], par_contrat: dict[int, int], motifs, lot, bilan):
    """Every EMI row of the AFs loaded goes to the staging table with its annexe, month and parcours, in one pass
    over the file (COPY on PostgreSQL). The highest version of each month is chosen in SQL afterwards."""
    fichier = flux.fichiers["EtatMensuelIndiv"]
    compte = bilan.vues["EtatMensuelIndiv"]
    pk_par_af = {af: annexe.pk for af, annexe in annexes.items()}
    pk_par_motif = {rms_id: motif.pk for rms_id, motif in motifs.items()}
    # Exact duplicate rows count once, as in the other views: a repeated EMI row would otherwise add its hours twice
    # to the person's line. Each row carries its hash to the staging table, and the duplicates go there, in SQL.
    with LecteurVue(fichier) as lecteur, _Transit(lot) as transit:
        indice = lecteur.index_brut("emi_afi_id")
        lecteur.garder = lambda champs: champs[indice].strip().isdigit() and int(champs[indice]) in pk_par_af
        positions = [
            lecteur.position(c)
            for c in (
                "emi_afi_id", "emi_sme_annee", "emi_sme_mois", "emi_sme_version", "emi_esm_etat_code", "emi_ctr_id",
                "emi_nb_heures_travail", "emi_date_fin_reelle", "emi_motif_sortie_id", "emi_date_validation",
            )
        ]  # fmt: skip
        sans_contrat = 0
        for numero, v in lecteur:
            af, annee, mois, version, etat, contrat, heures, fin, motif, validation = (v[p] for p in positions)
            if not 1 <= mois <= 12:
                raise ErreurFlux(fichier.nom, numero, "emi_sme_mois", f"mois invalide : {mois}")
            if heures is not None and not ZERO <= heures <= 208:
                raise ErreurFlux(fichier.nom, numero, "emi_nb_heures_travail", f"{heures} h hors de 0 à 208 h")
            parcours = par_contrat.get(contrat)
            if parcours is None:
                sans_contrat += 1
                continue
            motif_pk = pk_par_motif.get(motif) if fin is not None else None
            transit.ecrire(
                (lot, pk_par_af[af], dt.date(annee, mois, 1), version, (etat or "")[:12], parcours, heures or ZERO,
                 fin if motif_pk else None, motif_pk, validation, hash(v))
            )  # fmt: skip
        if sans_contrat:
            compte.ignores["contrat absent de la vue ContratMission"] += sans_contrat
    table = EtatMensuelLu._meta.db_table
    _sql(
        f"""DELETE FROM {table} WHERE lot = %s AND id NOT IN (
            SELECT MIN(id) FROM {table} WHERE lot = %s GROUP BY empreinte, annexe_id, mois, parcours_id, heures
        )""",
        [lot, lot],
    )


class _Transit:
    """Writes staging rows in batches: COPY on PostgreSQL, multi-row inserts elsewhere (SQLite in development)."""

    COLONNES = (
        "lot", "annexe_id", "mois", "version", "etat", "parcours_id", "heures", "date_sortie", "motif_id",
        "validation", "empreinte",
    )  # fmt: skip

    def __init__(self, lot: str):
        self.lot, self.tampon, self.copie, self.contexte = lot, [], None, None

    def __enter__(self):
        if connection.vendor == "postgresql":
            curseur = connection.cursor().cursor
            table = EtatMensuelLu._meta.db_table
            self.contexte = curseur.copy(f"COPY {table} ({', '.join(self.COLONNES)}) FROM STDIN")
            self.copie = self.contexte.__enter__()
        return self

    def ecrire(self, ligne: tuple) -> None:
        if self.copie is not None:
            self.copie.write_row(ligne)
            return
        self.tampon.append(EtatMensuelLu(**dict(zip(self.COLONNES, ligne, strict=True))))
        if len(self.tampon) >= LOT:
            self.vider()

    def vider(self) -> None:
        EtatMensuelLu.objects.bulk_create(self.tampon, batch_size=LOT)
        self.tampon = []

    def __exit__(self, *exc):
        if self.contexte is not None:
            return self.contexte.__exit__(*exc)
        if exc[0] is None:
            self.vider()
        return False


def _sql(requete: str, parametres=()) -> list[tuple]:
    with connection.cursor() as curseur:
        curseur.execute(requete, parametres)
        return curseur.fetchall() if curseur.description else []


def _verifier_les_heures(transit: str, lot: str, fichier: str) -> None:
    """A person's hours of a month, summed over the contracts of their parcours, stay within the legal 208 h: the
    flux is refused otherwise, naming the annexe, the month and the hours (the rows are spread over the file)."""
    depassements = _sql(
        f"""SELECT a.numero, t.mois, SUM(t.heures) FROM {transit} t
        JOIN {AnnexeFinanciere._meta.db_table} a ON a.id = t.annexe_id
        JOIN (SELECT annexe_id, mois, MAX(version) AS version FROM {transit} WHERE lot = %s GROUP BY annexe_id, mois) m
          ON m.annexe_id = t.annexe_id AND m.mois = t.mois AND m.version = t.version
        WHERE t.lot = %s GROUP BY a.numero, t.mois, t.parcours_id HAVING SUM(t.heures) > 208 LIMIT 1""",
        [lot, lot],
    )
    if depassements:
        numero, mois, heures = depassements[0]
        raise ErreurFlux(
            fichier,
            None,
            "emi_nb_heures_travail",
            f"annexe {numero}, {_date(mois):%m/%Y} : {heures} h pour une même personne, plus que les 208 h d'un mois",
        )


def charger_declarations(lot: str, bilan: Bilan, flux_emi: str = "fluxIAE_EtatMensuelIndiv") -> None:
    """Each (annexe, month) at its highest ASP version becomes a declaration of source ASP, the retained one. That
    version already loaded changes nothing (at most it is retained again, when a version typed in Pilot'IAE took
    its place); otherwise a new version is added and the previous ones are kept: never edited in place."""
    compte = bilan.vues["EtatMensuelIndiv"]
    transit = EtatMensuelLu._meta.db_table
    declarations = DeclarationMensuelle._meta.db_table
    lignes = LigneDeclaration._meta.db_table
    # The months read, at their highest version, with their state and validation day.
    mois_lus = {
        (annexe, _date(mois)): (version, etat, _date(validation))
        for annexe, mois, version, etat, validation in _sql(
            f"""SELECT t.annexe_id, t.mois, t.version, MAX(t.etat), MAX(t.validation)
            FROM {transit} t JOIN (
                SELECT annexe_id, mois, MAX(version) AS version FROM {transit} WHERE lot = %s GROUP BY annexe_id, mois
            ) m ON m.annexe_id = t.annexe_id AND m.mois = t.mois AND m.version = t.version
            WHERE t.lot = %s GROUP BY t.annexe_id, t.mois, t.version""",
            [lot, lot],
        )
    }
    existantes = defaultdict(list)
    for lot_annexes in _par_lots({annexe for annexe, _ in mois_lus}):
        for declaration in DeclarationMensuelle.objects.filter(annexe_id__in=lot_annexes).only(
            "pk", "annexe_id", "mois", "version", "source", "version_asp", "retenue"
        ):
            existantes[(declaration.annexe_id, declaration.mois)].append(declaration)
    nouvelles, a_retirer, a_retenir = [], [], []
    for cle, (version, etat, validation) in sorted(mois_lus.items()):
        versions = existantes.get(cle, [])
        derniere_asp = max(
            (d for d in versions if d.source == SourceDeclaration.ASP), key=lambda d: d.version, default=None
        )
        retenue = next((d for d in versions if d.retenue), None)
        if derniere_asp is not None and derniere_asp.version_asp == version:
            if derniere_asp.retenue:
                compte.noter("inchanges")
            else:
                # A version typed in Pilot'IAE since: the ASP's state is the one paid, so it is retained again.
                if retenue is not None:
                    a_retirer.append(retenue.pk)
                a_retenir.append(derniere_asp.pk)
                compte.noter("modifies")
                bilan.annexes.add(cle[0])
            continue
        if retenue is not None:
            a_retirer.append(retenue.pk)
        nouvelles.append(
            DeclarationMensuelle(
                annexe_id=cle[0],
                mois=cle[1],
                version=max((d.version for d in versions), default=0) + 1,
                etat=EtatDeclaration.VALIDEE if etat in regles.ETATS_EMI_VALIDES else EtatDeclaration.TRANSMISE,
                retenue=True,
                source=SourceDeclaration.ASP,
                version_asp=version,
                etat_asp=etat,
                date_transmission=_a_midi(validation) if validation else timezone.now(),
            )
        )
        compte.noter("crees" if derniere_asp is None else "modifies")
        bilan.annexes.add(cle[0])
    _verifier_les_heures(transit, lot, flux_emi)
    # The unique "one retained per month" constraint: release before retaining.
    for ids in _par_lots(a_retirer):
        DeclarationMensuelle.objects.filter(pk__in=ids).update(retenue=False)
    for ids in _par_lots(a_retenir):
        DeclarationMensuelle.objects.filter(pk__in=ids).update(retenue=True)
    DeclarationMensuelle.objects.bulk_create(nouvelles, batch_size=LOT)
    # Their lines, summed per parcours (two contracts of one parcours in a month make one line), in SQL.
    for ids in _par_lots([d.pk for d in nouvelles]):
        marques = ", ".join(["%s"] * len(ids))
        _sql(
            f"""INSERT INTO {lignes} (declaration_id, parcours_id, heures_travaillees, date_sortie, motif_sortie_id)
            SELECT d.id, t.parcours_id, SUM(t.heures), MAX(t.date_sortie), MAX(t.motif_id)
            FROM {declarations} d JOIN {transit} t
              ON t.lot = %s AND t.annexe_id = d.annexe_id AND t.mois = d.mois AND t.version = d.version_asp
            WHERE d.id IN ({marques})
            GROUP BY d.id, t.parcours_id""",
            [lot, *ids],
        )


def _date(valeur):
    """SQLite hands dates back as text from raw SQL."""
    return dt.date.fromisoformat(valeur) if isinstance(valeur, str) else valeur


def _a_midi(jour: dt.date) -> dt.datetime:
    """The ASP gives the day a month was validated: noon of that day, in the project's time zone."""
    return timezone.make_aware(dt.datetime.combine(jour, dt.time(12)))


# The whole flux ---------------------------------------------------------------------------------------------------


def importer_flux(chemin, departements=None, suivre=None) -> Bilan:
    """Load the flux at `chemin` (a folder or the Zip as delivered) for these départements (all when None), all or
    nothing. `suivre(etape, rang, total)` is told where it stands."""
    departements = {regles.code_departement(d) for d in departements} if departements else None
    flux = fichiers_du_flux(chemin)
    lot = uuid.uuid4().hex
    bilan = Bilan(fichiers_ignores=list(flux.ignores))
    etapes = ("motifs", "annexes", "structures", "contrats", "salariés", "états mensuels", "déclarations")

    def noter(rang):
        if suivre is not None:
            suivre(etapes[rang], rang, len(etapes))

    with transaction.atomic():
        noter(0)
        motifs = charger_motifs(flux, bilan)
        noter(1)
        afs = lire_annexes(flux, departements, bilan)
        noter(2)
        structures = charger_structures(flux, afs, bilan)
        annexes = charger_annexes(afs, structures, bilan)
        noter(3)
        contrats = lire_contrats(flux, structures, bilan)
        noter(4)
        salaries = lire_salaries(flux, {c.personne for c in contrats}, bilan)
        par_contrat = charger_parcours(contrats, salaries, structures, motifs, bilan)
        noter(5)
        lire_etats_mensuels(flux, annexes, par_contrat, motifs, lot, bilan)
        noter(6)
        charger_declarations(lot, bilan, flux.fichiers["EtatMensuelIndiv"].nom)
        EtatMensuelLu.objects.filter(lot=lot).delete()
        # One refresh of the indicators for the whole import: the annexes it touched, in one task after the commit.
        for annexe_id in sorted(bilan.annexes):
            rafraichir_apres_commit(annexe_id)
    return bilan
