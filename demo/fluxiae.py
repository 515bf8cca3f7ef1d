"""The demo département's fluxIAE: what the ASP would deliver for it, written from the demo's own data, so that an
agent can try the import page (docs/fluxiae.md) in `make run`.

The flux holds the demo's structures, its annexes financières of 2025 and 2026, the contracts and salariés of
the parcours those years declare, and the ASP's monthly states (EMI): the hours the structures declared in
Pilot'IAE from January 2025 to October 2026, one EMI row per declaration line, in version 1, validated. So the
import adopts what Pilot'IAE already holds (structures by SIRET and kind, annexes by number and start, PASS IAE,
parcours, contracts) rather than duplicating it, and loads the monthly states as declarations of source ASP.
Only October 2026 of two structures differs (`ECARTS_HEURES`, `DECALAGE_DE_SORTIE`): what the page « Écarts ASP
/ déclarations » shows.

The ASP's ids are the demo's primary keys (or SIRETs) plus a fixed offset: the same on every `manage.py demo`.
The exit motifs used become RefMotifSort rows; the import turns them into motifs `ASP_<rms_id>` of the same
categories, so the ASP's exits are in those motifs, as with a real flux.
"""

import datetime as dt
import gzip
import io
import zipfile
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import NamedTuple

from django.utils import timezone

from aides_au_poste.models import BaremeAideAuPoste
from base.calendrier import dernier_jour_du_mois
from conventions.models import ETATS_ACTIFS, AnnexeFinanciere, EtpConventionneMensuel
from conventions.regles import HEURES_ANNUELLES_PAR_DEFAUT, analyser_numero_annexe
from declarations.models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration, SourceDeclaration
from demo.plan import AUJOURD_HUI
from demo.structures import NOMBRE_PAR_TYPE, siret_demo
from fluxiae.colonnes import VUES
from fluxiae.regles import NIVEAUX_FORMATION
from parcours.models import CategorieSortie, Contrat, MotifSortie, Parcours, Salarie
from parcours.regles import HEURES_MAX_PAR_MOIS
from siae.models import Siae

# The extraction is the demo's today (a Monday): the flux stops at October 2026, the last month due.
DATE_EXTRACTION = AUJOURD_HUI
PREMIER_MOIS = dt.date(2025, 1, 1)
DERNIER_MOIS = dt.date(2026, 10, 1)
# October 2026 of the first two structures (in SIRET order): the ASP holds other hours for two salariés each, and
# another exit date for one leaver of the first; every other month is the same on both sides.
MOIS_EN_ECART = DERNIER_MOIS
STRUCTURES_EN_ECART = 2
ECARTS_HEURES = (Decimal(7), Decimal(-14))
DECALAGE_DE_SORTIE = dt.timedelta(days=-3)
CENT = Decimal("0.01")

# The ASP's ids: the demo's keys in their own ranges (within a PositiveIntegerField).
ID_STRUCTURE = 5_500_000  # + the SIRET's order number
ID_AF = 55_000_000  # + annexe pk
ID_PERSONNE = 56_000_000  # + salarié pk
ID_CONTRAT = 57_000_000  # + contract pk
ID_MONTANT = 5_500  # + the row's rank in RefMontantIae (exit motifs keep their own pk as rms_id)

CATEGORIES = {
    CategorieSortie.EMPLOI_DURABLE: (1, "Emploi durable"),
    CategorieSortie.EMPLOI_TRANSITION: (2, "Emploi de transition"),
    CategorieSortie.SORTIE_POSITIVE: (3, "Sorties positives"),
    CategorieSortie.AUTRE: (4, "Autres sorties"),
    CategorieSortie.RETRAIT: (5, "Retrait des sorties constatées"),
}
# Pilot'IAE's values → the flux's codes, each read back by fluxiae/regles.py.
NIVEAUX = {niveau: code for code, niveau in reversed(NIVEAUX_FORMATION.items())}
DUREES_CHOMAGE = {"DELD": "DE 12 À 23 MOIS", "DETLD": "24 MOIS ET PLUS"}
CIVILITES = {"F": "MME", "M": "M."}
# RefMesure ids of the kinds (rme_id), as in the real referential.
RME = {"AI": 1, "ACI": 2, "EI": 3, "ETTI": 4, "EITI": 8}
# Time of each file (the ASP exports the views one after the other), the DEB row a little earlier.
HEURES = {
    "Structure": "063002",
    "AnnexeFinanciere": "063115",
    "ContratMission": "063540",
    "Salarie": "064103",
    "EtatMensuelIndiv": "064427",
    "RefMotifSort": "070211",
    "RefCategorieSort": "070212",
    "RefMontantIae": "070214",
}


def _texte(valeur) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "true" if valeur else "false"
    if isinstance(valeur, dt.date):
        return f"{valeur:%d/%m/%Y}"
    if isinstance(valeur, Decimal):
        return format(valeur, "f")
    return str(valeur)


def _heures_hebdo(heures: Decimal | None) -> str:
    """26 → `26:00`, 26.5 → `26:30`, as the flux writes a weekly duration."""
    if heures is None:
        return ""
    minutes = int((heures * 60).to_integral_value())
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _fichier(vue: str, lignes: list[dict]) -> tuple[str, bytes]:
    """A view in the real layout: the `DEB` row padded with `|`, the header, the rows without any quoting, the
    `FIN<n>` row; gzipped, with a fixed time so that the same data gives the same bytes."""
    colonnes = [colonne.nom for colonne in VUES[vue]]
    heure = HEURES[vue]
    vide = "|" * (len(colonnes) - 1)
    texte = io.StringIO()
    texte.write(f"DEB{vue}{DATE_EXTRACTION:%d%m%Y}_{int(heure[:2]) - 1:02d}{heure[2:]}{vide}\n")
    texte.write("|".join(colonnes) + "\n")
    for ligne in lignes:
        texte.write("|".join(_texte(ligne.get(colonne)) for colonne in colonnes) + "\n")
    texte.write(f"FIN{len(lignes)}{vide}\n")
    nom = f"fluxIAE_{vue}_{DATE_EXTRACTION:%d%m%Y}_{heure}.csv"
    moment = dt.datetime(*DATE_EXTRACTION.timetuple()[:3], int(heure[:2]), int(heure[2:4]), tzinfo=dt.UTC)
    contenu = io.BytesIO()
    with gzip.GzipFile(nom, "wb", fileobj=contenu, mtime=int(moment.timestamp())) as compresse:
        compresse.write(texte.getvalue().encode())
    return f"{nom}.gz", contenu.getvalue()


class Ligne(NamedTuple):
    parcours: int
    heures: Decimal
    sortie: dt.date | None
    motif: int | None


class ContratDemo(NamedTuple):
    pk: int
    debut: dt.date
    fin: dt.date | None
    heures_hebdo: Decimal | None
    type: str


def _structures() -> dict[int, tuple[int, Siae]]:
    """siae pk → (ASP id, structure), in SIRET order; the ASP id is the SIRET's order number in its own range."""
    sirets = [siret_demo(rang) for rang in range(1, sum(NOMBRE_PAR_TYPE.values()) + 1)]
    return {
        siae.pk: (ID_STRUCTURE + int(siae.siret[5:13]), siae)
        for siae in Siae.objects.filter(siret__in=sirets).order_by("siret")
    }


def _declarations(annexes) -> dict[tuple[int, dt.date], tuple[int, dt.date]]:
    """(annexe, month) → (declaration, day the ASP validated it) of the version transmitted in Pilot'IAE that the
    ASP holds too: the latest one not a draft (the retained one as the demo builds it, still the same once a flux
    has been imported). The structure declared it to the ASP the day it transmitted it."""
    versions = {}
    for pk, annexe_id, mois, version, transmission in (
        DeclarationMensuelle.objects.filter(
            annexe__in=annexes, source=SourceDeclaration.PILOTIAE, mois__gte=PREMIER_MOIS, mois__lte=DERNIER_MOIS
        )
        .exclude(etat=EtatDeclaration.BROUILLON)
        .values_list("pk", "annexe_id", "mois", "version", "date_transmission")
    ):
        if (annexe_id, mois) not in versions or version > versions[(annexe_id, mois)][0]:
            validation = timezone.localdate(transmission) if transmission else _le_10_du_mois_suivant(mois)
            versions[(annexe_id, mois)] = (version, pk, validation)
    return {cle: (pk, validation) for cle, (_, pk, validation) in versions.items()}


def _le_10_du_mois_suivant(mois: dt.date) -> dt.date:
    return (dernier_jour_du_mois(mois) + dt.timedelta(days=1)).replace(day=10)


def _ecarts_d_octobre(structures, annexes, declarations, lignes, contrats) -> tuple[dict, dict]:
    """What the ASP holds otherwise in October 2026 for the first structures: {(declaration, parcours): hours} for
    two salariés still there in each, {parcours: exit day} for one leaver of the first (another day of the
    month, not before the start of their last contract)."""
    heures, sorties = {}, {}
    for rang, siae_pk in enumerate(list(structures)[:STRUCTURES_EN_ECART]):
        annexe = next(
            (a for a in annexes if a.siae_id == siae_pk and a.date_debut <= MOIS_EN_ECART <= a.date_fin), None
        )
        declaration, _ = declarations.get((annexe.pk, MOIS_EN_ECART), (None, None)) if annexe else (None, None)
        if declaration is None:
            continue
        ecarts = list(ECARTS_HEURES)
        for ligne in lignes[declaration]:
            if ecarts and ligne.sortie is None and 0 <= ligne.heures + ecarts[0] <= HEURES_MAX_PAR_MOIS:
                heures[(declaration, ligne.parcours)] = ligne.heures + ecarts.pop(0)
        for ligne in lignes[declaration] if rang == 0 else []:
            jours = (ligne.sortie + DECALAGE_DE_SORTIE, ligne.sortie - DECALAGE_DE_SORTIE) if ligne.sortie else ()
            jour = next(
                (j for j in jours if j.month == ligne.sortie.month and j >= contrats[ligne.parcours][-1].debut), None
            )
            if jour is not None:
                sorties[ligne.parcours] = jour
                break
    return heures, sorties


def lignes_du_flux() -> dict[str, list[dict]]:
    """The rows of the 8 views ({column: value}), read from the demo in the database."""
    structures = _structures()
    annexes = list(
        AnnexeFinanciere.objects.filter(
            siae_id__in=structures,
            etat__in=ETATS_ACTIFS,
            date_debut__gte=PREMIER_MOIS.replace(month=1),
            date_debut__lte=dt.date(DERNIER_MOIS.year, 12, 31),
        ).order_by("pk")
    )
    etp_par_annexe = _etp_des_annexes(annexes)
    declarations = _declarations(annexes)
    lignes = defaultdict(list)
    for declaration_id, *ligne in (
        LigneDeclaration.objects.filter(declaration_id__in=[pk for pk, _ in declarations.values()])
        .order_by("parcours__salarie__nom", "parcours__salarie__prenom", "parcours_id")
        .values_list("declaration_id", "parcours_id", "heures_travaillees", "date_sortie", "motif_sortie_id")
    ):
        lignes[declaration_id].append(Ligne(*ligne))
    parcours = {
        p["pk"]: p
        for p in Parcours.objects.filter(pk__in={ligne.parcours for du_mois in lignes.values() for ligne in du_mois})
        .order_by("date_embauche", "pk")
        .values(
            "pk",
            "salarie_id",
            "siae_id",
            "pass_iae__numero",
            "date_sortie",
            "motif_sortie_id",
            "brsa",
            "rqth",
            "qpv",
            "zrr",
            "niveau_formation",
            "duree_chomage",
        )  # fmt: skip
    }
    contrats = defaultdict(list)
    for parcours_id, *contrat in (
        Contrat.objects.filter(parcours_id__in=parcours)
        .order_by("parcours_id", "date_debut", "pk")
        .values_list("parcours_id", "pk", "date_debut", "date_fin", "heures_hebdo", "type")
    ):
        contrats[parcours_id].append(ContratDemo(*contrat))
    heures_asp, sorties_asp = _ecarts_d_octobre(structures, annexes, declarations, lignes, contrats)
    # A salarié's PASS number and address flags: those of their latest parcours (the demo gives each one only).
    derniers = {p["salarie_id"]: p for p in parcours.values()}
    motifs = MotifSortie.objects.filter(
        pk__in={ligne.motif for du_mois in lignes.values() for ligne in du_mois}
        | {p["motif_sortie_id"] for p in parcours.values()}
    ).order_by("pk")
    # A motif `ASP_<rms_id>` (a flux already imported) is the ASP's motif <rms_id>: its id again, not a new one.
    rms = {m.pk: int(m.code[4:]) if m.code.startswith("ASP_") and m.code[4:].isdigit() else m.pk for m in motifs}

    etats_mensuels = []
    for (annexe_id, mois), (declaration, validation) in sorted(declarations.items()):
        for ligne in lignes[declaration]:
            fin_du_mois = dernier_jour_du_mois(mois)
            contrat = [c for c in contrats[ligne.parcours] if c.debut <= fin_du_mois] or contrats[ligne.parcours]
            sortie = sorties_asp.get(ligne.parcours, ligne.sortie) if ligne.sortie else None
            etats_mensuels.append(
                {
                    "emi_afi_id": ID_AF + annexe_id,
                    "emi_sme_annee": mois.year,
                    "emi_sme_mois": mois.month,
                    "emi_esm_etat_code": "VALIDE",
                    "emi_sme_version": 1,
                    "emi_pph_id": ID_PERSONNE + parcours[ligne.parcours]["salarie_id"],
                    "emi_ctr_id": ID_CONTRAT + contrat[-1].pk,
                    "emi_nb_heures_travail": heures_asp.get((declaration, ligne.parcours), ligne.heures),
                    "emi_date_fin_reelle": sortie,
                    "emi_motif_sortie_id": rms.get(ligne.motif) if sortie else None,
                    "emi_date_validation": validation,
                }
            )
    return {
        "Structure": [
            {
                "structure_id_siae": id_asp,
                "structure_siret_actualise": siae.siret,
                "structure_siret_signature": siae.siret,
                "structure_denomination": siae.nom,
                "structure_adresse_admin_cp": siae.code_postal,
                "structure_adresse_admin_commune": siae.commune,
            }
            for id_asp, siae in structures.values()
        ],
        "AnnexeFinanciere": [
            _annexe(annexe, structures[annexe.siae_id][0], etp_par_annexe[annexe.pk]) for annexe in annexes
        ],
        "ContratMission": [
            ligne
            for parcours_id, p in sorted(parcours.items())
            for ligne in _contrats(
                p, contrats[parcours_id], structures[p["siae_id"]], sorties_asp.get(parcours_id), rms
            )
        ],
        "Salarie": [
            {
                "salarie_id": ID_PERSONNE + salarie.pk,
                "salarie_agrement": derniers[salarie.pk]["pass_iae__numero"],
                "salarie_nom_usage": salarie.nom,
                "salarie_prenom": salarie.prenom,
                "salarie_date_naissance": salarie.date_naissance,
                "salarie_rci_libelle": CIVILITES[salarie.genre],
                "salarie_adr_qpv_type": "QP" if derniers[salarie.pk]["qpv"] else "NQP",
                "salarie_adr_is_zrr": derniers[salarie.pk]["zrr"],
            }
            for salarie in Salarie.objects.filter(pk__in=derniers).order_by("pk")
        ],
        "EtatMensuelIndiv": etats_mensuels,
        "RefMotifSort": list(
            {
                rms[m.pk]: {
                    "rms_id": rms[m.pk],
                    "rms_code": m.code,
                    "rms_libelle": m.libelle,
                    "rcs_id": CATEGORIES[m.categorie][0],
                }
                for m in motifs
            }.values()
        ),  # fmt: skip
        "RefCategorieSort": [
            {"rcs_id": rcs_id, "rcs_code": rcs_id, "rcs_libelle": libelle} for rcs_id, libelle in CATEGORIES.values()
        ],
        "RefMontantIae": _montants(),
    }


def _etp_des_annexes(annexes) -> dict[int, Decimal]:
    """The ETP of each AF as the ASP holds it: one figure for the AF's whole period, its months' average. An
    avenant typed in Pilot'IAE from a month on (16 ETP, then 19 from September) is, at the ASP, a modification
    restating the year (17 ETP): the same aide au poste over the year."""
    mensuels = defaultdict(list)
    for annexe_id, etp in EtpConventionneMensuel.objects.filter(annexe__in=annexes).values_list(
        "annexe_id", "etp_conventionnes"
    ):
        mensuels[annexe_id].append(etp)
    return {
        annexe.pk: (sum(mensuels[annexe.pk]) / len(mensuels[annexe.pk])).quantize(CENT, ROUND_HALF_UP)
        if mensuels[annexe.pk]
        else annexe.etp_conventionnes
        for annexe in annexes
    }


def _annexe(annexe: AnnexeFinanciere, id_structure: int, etp: Decimal) -> dict:
    """The AF's version that counts, as the annexe stands in Pilot'IAE (its number says its avenant)."""
    parties = analyser_numero_annexe(annexe.numero)
    return {
        "af_id_annexe_financiere": ID_AF + annexe.pk,
        "af_id_avenant_modification": (ID_AF + annexe.pk) * 10 + parties["modification"],
        "af_id_structure": id_structure,
        "af_mesure_dispositif_code": f"{annexe.type}_DC",
        "af_numero_annexe_financiere": parties["prefixe"],
        "af_numero_avenant_renouvellement": parties["avenant"],
        "af_numero_avenant_modification": parties["modification"],
        "af_etat_annexe_financiere_code": annexe.etat,
        "af_date_debut_effet": annexe.date_debut,
        "af_date_fin_effet": annexe.date_fin,
        "af_etp_postes_insertion": etp,
        "af_duree_heure_annuel_etp_valeur": annexe.heures_annuelles_par_etp,
        "af_mt_cofinance": annexe.montant_cofinance_cd,
        "af_taux_prev_sorties_dynamiques": annexe.objectif_sorties_dynamiques,
        "af_taux_prev_sorties_durable": annexe.objectif_emploi_durable,
        "af_taux_prev_sorties_trans": annexe.objectif_emploi_transition,
        "af_taux_prev_sorties_positives": annexe.objectif_sorties_positives,
    }


def _contrats(parcours: dict, contrats: list[ContratDemo], structure: tuple, autre_sortie, rms: dict) -> list[dict]:
    """The parcours' contracts: the first is the initial one (rank 0), the others its renewals; the last carries
    the definitive exit and its motif."""
    id_structure, siae = structure
    lignes = []
    for rang, contrat in enumerate(contrats):
        sortie = (autre_sortie or parcours["date_sortie"]) if rang == len(contrats) - 1 else None
        lignes.append(
            {
                "contrat_id_ctr": ID_CONTRAT + contrat.pk,
                "contrat_id_pph": ID_PERSONNE + parcours["salarie_id"],
                "contrat_id_structure": id_structure,
                "contrat_mesure_disp_code": f"{siae.type}_DC",
                "contrat_type_contrat": rang,
                "contrat_date_embauche": contrat.debut,
                "contrat_date_fin_contrat": contrat.fin,
                "contrat_date_sortie_definitive": sortie,
                "contrat_motif_sortie_id": rms.get(parcours["motif_sortie_id"]) if sortie else None,
                "contrat_salarie_rsa": "OUI-NM" if parcours["brsa"] else "NON",
                "contrat_salarie_rqth": parcours["rqth"],
                "contrat_niveau_de_formation_code": NIVEAUX.get(parcours["niveau_formation"], ""),
                "contrat_salarie_pe_duree_code": DUREES_CHOMAGE.get(parcours["duree_chomage"], ""),
                "contrat_format_contrat_code": contrat.type,
                "contrat_duree_hebdo_travail": _heures_hebdo(contrat.heures_hebdo),
            }
        )
    return lignes


def _montants() -> list[dict]:
    """RefMontantIae: the hours of an ETP of each kind, and the aide au poste per ETP of the barème."""
    lignes = [
        {"rmi_id": ID_MONTANT + rang, "rmi_code": "DUR_AN_ETP", "rmi_valeur": heures, "rme_id": RME[type_],
         "rmi_date_debut_effet": dt.date(2014, 7, 1), "rmi_date_fin_effet": "/"}
        for rang, (type_, heures) in enumerate(HEURES_ANNUELLES_PAR_DEFAUT.items(), start=1)
    ]  # fmt: skip
    bareme = defaultdict(list)
    for type_, debut, montant in BaremeAideAuPoste.objects.order_by("type", "date_effet").values_list(
        "type", "date_effet", "montant_socle_annuel_par_etp"
    ):
        bareme[type_].append((debut, montant))
    for type_, periodes in sorted(bareme.items()):
        for (debut, montant), suivante in zip(periodes, [*periodes[1:], None], strict=True):
            lignes.append(
                {"rmi_id": ID_MONTANT + len(lignes) + 1, "rmi_code": "MT_AN_ETP", "rmi_valeur": montant,
                 "rme_id": RME[type_], "rmi_date_debut_effet": debut,
                 "rmi_date_fin_effet": suivante[0] - dt.timedelta(days=1) if suivante else "/"}
            )  # fmt: skip
    return lignes


def ecrire_flux_de_la_demo(dossier: Path) -> Path:
    """Write the demo's flux into `dossier` as the ASP delivers it: `fluxIAE_ITOU_<JJMMAAAA>.tar.gz`, a Zip (under
    that name) of one gzipped file per view. The same data gives the same bytes. Returns the archive's path."""
    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    archive = dossier / f"fluxIAE_ITOU_{DATE_EXTRACTION:%d%m%Y}.tar.gz"
    vues = lignes_du_flux()
    # Written aside then renamed: an agent never uploads a half-written archive.
    temporaire = archive.with_name(archive.name + ".tmp")
    with zipfile.ZipFile(temporaire, "w") as zip_:
        for vue in VUES:
            nom, contenu = _fichier(vue, vues[vue])
            info = zipfile.ZipInfo(nom, date_time=(*DATE_EXTRACTION.timetuple()[:3], 8, 0, 0))
            info.external_attr = 0o644 << 16
            zip_.writestr(info, contenu, compress_type=zipfile.ZIP_STORED)
    temporaire.replace(archive)
    return archive
