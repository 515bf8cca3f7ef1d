"""Importing the ASP's fluxIAE (issue 11, "Done when"): a hand-built flux of the Meuse with every noise of
shared/spec/fluxiae-cases.md gives the figures computed by hand from shared/spec/regles-metier.md; a second import
changes nothing; week N then week N+1 equals week N+1 alone; a corrupted line is refused with its file, physical
line and column, and nothing changes; the `importer fluxiae` command.

The flux is tests/fluxiae/flux.py: its docstring lists the structures, the salariés and their hours.
"""

import datetime as dt
import io
import os
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from aides_au_poste.queries import bareme_par_type
from aides_au_poste.regles import taux_du_mois
from base.calendrier import mois_entre
from conventions.models import AnnexeFinanciere, Avenant, EtpConventionneMensuel
from declarations.models import DeclarationMensuelle, LigneDeclaration, SourceDeclaration
from fluxiae import services_etats, services_parcours
from fluxiae.lecture import ErreurFlux
from fluxiae.services import importer_flux
from fluxiae.transit import Prelecture
from indicateurs.models import FaitParcours, IndicateurMensuel, PresenceAnnuelle
from indicateurs.sections import indicateurs
from indicateurs.services import rafraichir_tout
from parcours.models import Contrat, MotifSortie, Parcours, PassIae, Salarie
from parcours.regles import fin_pass_iae
from siae.models import Siae
from tests.factories import AnnexeFinanciereFactory, SiaeFactory
from tests.fluxiae.flux import (
    AF_ACI,
    AF_AI,
    AF_EI,
    ANCIEN_AGREMENT_ROUSSEL,
    ANNEE,
    HORODATAGES,
    NOM_ACI,
    NOM_AI_EI,
    PERSONNES,
    SALAIRE_BRUT,
    SEMAINE_N,
    SEMAINE_N1,
    SIRET_ACI,
    SIRET_AI_EI,
    ecrire_flux,
    texte_du_fichier,
)

pytestmark = pytest.mark.django_db

MODELES_COMPTES = (
    Siae, AnnexeFinanciere, Avenant, EtpConventionneMensuel, Salarie, PassIae, Parcours, Contrat,
    DeclarationMensuelle, LigneDeclaration, MotifSortie,
)  # fmt: skip


def _agrement(pph: int) -> str:
    return PERSONNES[pph][0]


# The figures, by hand --------------------------------------------------------------------------------------------

# Hours of one ETP: each AF's own `af_duree_heure_annuel_etp_valeur` (the EI's 1505, not the EI default of 1607).
H_ACI, H_AI, H_EI = Decimal(1820), Decimal(1607), Decimal(1505)
# Annual socle per ETP in force every month of 2025 (aides_au_poste/data/bareme_aide_au_poste.csv): ACI and AI
# from 01/11/2024 (arrêté du 4 décembre 2024), EI from 01/01/2025.
SOCLE_ACI, SOCLE_AI, SOCLE_EI = Decimal(23921), Decimal(1619), Decimal(13304)


def _etp(valeur) -> str:
    """An ETP figure as exported: 2 decimals, half-up (regles-metier.md, formats.md)."""
    return str(Decimal(valeur).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _taux(ratio) -> str:
    """A ratio as exported: in %, 1 decimal, half-up."""
    return str((Decimal(ratio) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _euros(montant) -> str:
    return str(Decimal(montant).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def chiffres_attendus(semaine: int) -> dict:
    """`indicateurs(2025, "55")` (what `exporter indicateurs` prints) for the flux of a week, from its rows."""
    # Hours of the retained declarations: per (AF, month) the highest EMI version only (March of the ACI: version 2),
    # a duplicate row once, two contracts of one parcours in a month on one line.
    heures_aci = (
        6 * 120  # Anne PERRIN, January–June (March: 120 h in version 2, not the 100 h of version 1)
        + 3 * 100  # Bruno GARNIER, March–May (March: 100 h in version 2, not 80 h)
        + 9 * 130  # Cédric ROUSSEL, January–September (April: 20 h + 110 h on his two contracts)
        + 9 * 140  # Julie MARCHAL, February–October
    )
    etp_aci = Decimal("2.00")  # M1 VALIDE; not M0 HISTORISE (1.50) nor M2 SAISI (3.00), which is pending
    if semaine == SEMAINE_N1:
        heures_aci += 10 + 140  # October corrected from 140 h to 150 h (EMI version 2), November 140 h
        etp_aci = Decimal("2.50")  # M2 validated, M1 historised
    heures_ai = 8 * 30 + 50 + 50 + Decimal("49.5")  # Emma COLIN January–August; Gérard HUMBERT May–July
    etp_ai = Decimal("0.50")
    # Inès MULLER January–April; Hugo LAMBERT January–October (his January row is twice in the file: once here).
    heures_ei = (70 + 140 + 140 + 60) + 10 * 140
    if semaine == SEMAINE_N1:
        heures_ei += 140  # Hugo LAMBERT, November
    etp_ei = Decimal("1.00")
    heures_ei = Decimal(heures_ei)
    heures_aci = Decimal(heures_aci)

    # Consumption over the whole year 2025 (it is over), in ETP-mois then divided by its 12 months:
    # conv = Σ_m etp_conventionnés(m) = 12 × the AF's ETP; real = Σ_m hours(m) × 12 / annual hours of the AF.
    def consommation(type_, etp, heures, heures_par_etp):
        conv, real = 12 * etp, heures * 12 / heures_par_etp
        return (
            conv,
            real,
            {
                "type": type_,
                "etp_conventionnes": _etp(conv / 12),
                "etp_realises": _etp(real / 12),
                "taux_consommation": _taux(real / conv),
            },
        )

    conv_aci, real_aci, ligne_aci = consommation("ACI", etp_aci, heures_aci, H_ACI)
    conv_ai, real_ai, ligne_ai = consommation("AI", etp_ai, heures_ai, H_AI)
    conv_ei, real_ei, ligne_ei = consommation("EI", etp_ei, heures_ei, H_EI)
    conv, real = conv_aci + conv_ai + conv_ei, real_aci + real_ai + real_ei
    total = {
        "etp_conventionnes": _etp(conv / 12),
        "etp_realises": _etp(real / 12),
        "taux_consommation": _taux(real / conv),
    }

    # Sorties of 2025, examined (ACI, EI: exit on or after hire + 3 months; AI: 150 h in the parcours):
    # ACI: Anne PERRIN (06/01 → 30/06, CDI: emploi durable), Cédric ROUSSEL (01/10/2024 → 30/09, décès: retrait);
    #   not Bruno GARNIER (01/03 → 15/05 < 01/06); week N+1: Julie MARCHAL (01/02 → 30/11, formation: positive).
    # AI: Emma COLIN (240 h, CDD < 6 mois: transition); not Gérard HUMBERT (149.5 h < 150 h).
    # EI: Inès MULLER (15/01 → 15/04, hire + 3 months to the day, chômage: autre).
    def sorties(type_, examinees, retraits, durable, transition, positives):
        dynamiques = durable + transition + positives
        return {
            "type": type_,
            "examinees": examinees,
            "retraits": retraits,
            "emploi_durable": durable,
            "emploi_transition": transition,
            "sorties_positives": positives,
            "autres": examinees - retraits - dynamiques,
            "taux_sorties_dynamiques": _taux(Decimal(dynamiques) / (examinees - retraits)),
            "taux_emploi_durable": _taux(Decimal(durable) / (examinees - retraits)),
        }

    positive_marchal = 1 if semaine == SEMAINE_N1 else 0
    sorties_attendues = [
        sorties("ACI", 2 + positive_marchal, 1, 1, 0, positive_marchal),
        sorties("AI", 1, 0, 0, 1, 0),
        sorties("EI", 1, 0, 0, 0, 0),
        sorties("TOTAL", 4 + positive_marchal, 1, 1, 1, positive_marchal),
    ]

    # Aides au poste of the AFs starting in 2025: socle = Σ_m ETP × b(m) / 12 = ETP × b over 12 months; no
    # modulation (not in the flux, none typed); dû = min(Σ_m ETP réalisés(m) × b(m) / 12, socle)
    # = min(hours × b / annual hours, socle) (the EI is capped); nothing paid. TOTAL: the rows to the cent, summed.
    def aides(etp, heures, heures_par_etp, socle_par_etp):
        socle = Decimal(_euros(etp * socle_par_etp))
        du = Decimal(_euros(min(heures * socle_par_etp / heures_par_etp, socle)))
        return socle, du

    aides_par_type = {
        "ACI": aides(etp_aci, heures_aci, H_ACI, SOCLE_ACI),
        "AI": aides(etp_ai, heures_ai, H_AI, SOCLE_AI),
        "EI": aides(etp_ei, heures_ei, H_EI, SOCLE_EI),
    }
    aides_par_type["TOTAL"] = tuple(sum(valeurs) for valeurs in zip(*aides_par_type.values(), strict=True))
    aides_attendues = [
        {
            "type": type_,
            "socle_conventionne": _euros(socle),
            "modulation": "0.00",
            "total_conventionne": _euros(socle),
            "du": _euros(du),
            "verse": "0.00",
        }
        for type_, (socle, du) in aides_par_type.items()
    ]

    # Publics: salariés with hours in 2025 (distinct PASS), characteristics at hire (the initial contract), ages on
    # the hire date.
    # ACI (4): Anne PERRIN F, 25 at hire, bRSA (OUI-M), QPV; Bruno GARNIER M, 55, RQTH; Cédric ROUSSEL M, 38, bRSA
    #   (OUI-NM on his initial contract, NON on the renewal), DELD, level 50 (infra CAP); Julie MARCHAL F, 34, ZRR,
    #   DETLD, level 51 (CAP).
    # AI (2): Emma COLIN F, 25 (born 01/01/2000, hired 01/01/2025), QPV, level 30; Gérard HUMBERT M, 65, ZRR, level 1
    #   (never schooled: below CAP).
    # EI (2): Hugo LAMBERT M, 49 (50 the next day), bRSA; Inès MULLER F, 25, level 30.
    def publics(type_, salaries, femmes, brsa, qpv, jeunes, seniors, rqth, zrr, deld_detld, infra_cap):
        def part(n):
            return _taux(Decimal(n) / salaries)

        return {
            "type": type_,
            "salaries": salaries,
            "femmes": part(femmes),
            "brsa": part(brsa),
            "qpv": part(qpv),
            "moins_26_ans": part(jeunes),
            "50_ans_et_plus": part(seniors),
            "rqth": part(rqth),
            "zrr": part(zrr),
            "deld_detld": part(deld_detld),
            "infra_cap": part(infra_cap),
        }

    publics_attendus = [
        publics("ACI", 4, femmes=2, brsa=2, qpv=1, jeunes=1, seniors=1, rqth=1, zrr=1, deld_detld=2, infra_cap=1),
        publics("AI", 2, femmes=1, brsa=0, qpv=1, jeunes=1, seniors=1, rqth=0, zrr=1, deld_detld=0, infra_cap=1),
        publics("EI", 2, femmes=1, brsa=1, qpv=0, jeunes=1, seniors=0, rqth=0, zrr=0, deld_detld=0, infra_cap=0),
        publics("TOTAL", 8, femmes=4, brsa=3, qpv=2, jeunes=3, seniors=2, rqth=1, zrr=2, deld_detld=2, infra_cap=2),
    ]
    return {
        "consommation": [ligne_aci, ligne_ai, ligne_ei, {"type": "TOTAL", **total}],
        "sorties": sorties_attendues,
        "aides_au_poste": aides_attendues,
        "publics": publics_attendus,
    }


def chiffres_de_la_base() -> dict:
    # What the pages read once the refreshes the import asks for at its commit have run (a test's transaction
    # never commits): the materialised figures.
    rafraichir_tout()
    donnees = indicateurs(ANNEE, "55")
    return {section: donnees[section] for section in ("consommation", "sorties", "aides_au_poste", "publics")}


def comptes() -> dict[str, int]:
    return {modele.__name__: modele.objects.count() for modele in MODELES_COMPTES}


def exporter(chemin) -> bytes:
    call_command("exporter", "indicateurs", annee=ANNEE, departement="55", format="json", sortie=chemin)
    return chemin.read_bytes()


def etat_des_donnees() -> dict:
    """What the flux wrote that counts, whatever the ids: to compare two databases."""

    def trie(queryset):
        return sorted(queryset, key=repr)

    return {
        "siae": trie(Siae.objects.values_list("id_asp", "type", "siret", "nom", "departement", "code_postal")),
        "annexes": trie(
            AnnexeFinanciere.objects.values_list(
                "id_asp",
                "numero",
                "type",
                "etat",
                "etp_conventionnes",
                "heures_annuelles_par_etp",
                "date_debut",
                "date_fin",
                "montant_cofinance_cd",
                "siae__id_asp",
            )
        ),
        "avenants": trie(Avenant.objects.values_list("numero", "etp_conventionnes", "date_fin")),
        "etp": trie(EtpConventionneMensuel.objects.values_list("annexe__numero", "mois", "etp_conventionnes")),
        "parcours": trie(
            Parcours.objects.values_list(
                "pass_iae__numero",
                "siae__id_asp",
                "siae__type",
                "date_embauche",
                "date_sortie",
                "motif_sortie__code",
                "brsa",
                "qpv",
                "zrr",
                "rqth",
                "niveau_formation",
                "duree_chomage",
            )
        ),
        "contrats": trie(
            Contrat.objects.values_list("id_asp", "parcours__pass_iae__numero", "date_debut", "date_fin")
        ),
        "lignes_retenues": trie(
            LigneDeclaration.objects.filter(declaration__retenue=True).values_list(
                "declaration__annexe__numero",
                "declaration__mois",
                "parcours__pass_iae__numero",
                "heures_travaillees",
                "date_sortie",
                "motif_sortie__code",
            )
        ),
    }


# 1. The hand-built week N ----------------------------------------------------------------------------------------


def test_les_chiffres_du_flux_sont_ceux_calcules_a_la_main(tmp_path):
    bareme = bareme_par_type()
    for mois in mois_entre(dt.date(ANNEE, 1, 1), dt.date(ANNEE, 12, 31)):
        assert (taux_du_mois(bareme["ACI"], mois), taux_du_mois(bareme["AI"], mois)) == (SOCLE_ACI, SOCLE_AI)
        assert taux_du_mois(bareme["EI"], mois) == SOCLE_EI

    bilan = importer_flux(ecrire_flux(tmp_path / "n", SEMAINE_N), ["55"])

    assert chiffres_de_la_base() == chiffres_attendus(SEMAINE_N)
    assert bilan.departements == {"55"}
    assert sorted(bilan.fichiers_ignores) == [
        f"fluxIAE_Missions_{HORODATAGES[SEMAINE_N]}.csv.gz",
        f"fluxIAE_RefDepartement_{HORODATAGES[SEMAINE_N]}.csv",
    ]


def test_le_flux_bruite_est_lu_comme_l_asp_l_entend(tmp_path):
    bilan = importer_flux(ecrire_flux(tmp_path / "n", SEMAINE_N), ["55"])

    # Nothing of the Moselle; the structure without an AF is not created; the AI and the EI share SIRET and ASP id.
    assert sorted(Siae.objects.values_list("id_asp", "type", "siret", "nom", "departement")) == [
        (101, "ACI", SIRET_ACI, NOM_ACI, "55"),
        (102, "AI", SIRET_AI_EI, NOM_AI_EI, "55"),
        (102, "EI", SIRET_AI_EI, NOM_AI_EI, "55"),
    ]
    assert not Salarie.objects.filter(nom="SCHMITT").exists()
    assert not Contrat.objects.filter(id_asp=911).exists()
    assert not AnnexeFinanciere.objects.filter(numero__startswith="ACI057").exists()
    # The FDI AF is kept out, and counted as ignored; only the three SIAE annexes are loaded.
    assert sorted(AnnexeFinanciere.objects.values_list("numero", flat=True)) == [
        "ACI055250001A0M1",
        "AI055250002A0M0",
        "EI055250003A0M0",
    ]
    assert bilan.vues["AnnexeFinanciere"].ignores == {"FDI : hors des ETP et des aides au poste": 1}
    # The pending SAISI modification is ignored: M1's ETP on every month; its history M0 and M1, no M2.
    aci = AnnexeFinanciere.objects.get(id_asp=AF_ACI)
    assert aci.etp_conventionnes == Decimal("2.00")
    assert set(EtpConventionneMensuel.objects.filter(annexe=aci).values_list("etp_conventionnes", flat=True)) == {
        Decimal("2.00")
    }
    assert EtpConventionneMensuel.objects.filter(annexe=aci).count() == 12
    assert list(aci.avenants.values_list("numero", "etp_conventionnes")) == [
        ("ACI055250001A0M0", Decimal("1.50")),
        ("ACI055250001A0M1", Decimal("2.00")),
    ]
    assert AnnexeFinanciere.objects.get(id_asp=AF_EI).heures_annuelles_par_etp == H_EI

    # Two versions of March: one declaration, from version 2, with version 2's hours.
    mars = DeclarationMensuelle.objects.get(annexe=aci, mois=dt.date(ANNEE, 3, 1))
    assert (mars.source, mars.version_asp, mars.retenue) == (SourceDeclaration.ASP, 2, True)
    assert dict(mars.lignes.values_list("parcours__pass_iae__numero", "heures_travaillees")) == {
        _agrement(501): Decimal(120),
        _agrement(502): Decimal(100),
        _agrement(503): Decimal(130),
        _agrement(504): Decimal(140),
    }
    # April of Cédric ROUSSEL: his two contracts make one line; Hugo LAMBERT's duplicated January counts once.
    avril = LigneDeclaration.objects.get(
        declaration__annexe=aci, declaration__mois=dt.date(ANNEE, 4, 1), parcours__pass_iae__numero=_agrement(503)
    )
    assert avril.heures_travaillees == Decimal(130)
    janvier = LigneDeclaration.objects.get(
        declaration__annexe__id_asp=AF_EI,
        declaration__mois=dt.date(ANNEE, 1, 1),
        parcours__pass_iae__numero=_agrement(521),
    )
    assert janvier.heures_travaillees == Decimal(140)

    # A person listed with two agréments keeps the last one; a parcours is the initial contract and its renewal,
    # with the situation at hire of the initial one and the definitive exit of the last one.
    assert not PassIae.objects.filter(numero=ANCIEN_AGREMENT_ROUSSEL).exists()
    roussel = Parcours.objects.get(pass_iae__numero=_agrement(503))
    assert (roussel.date_embauche, roussel.date_sortie, roussel.motif_sortie.code) == (
        dt.date(2024, 10, 1),
        dt.date(ANNEE, 9, 30),
        "ASP_5",
    )
    assert (roussel.brsa, roussel.niveau_formation, roussel.duree_chomage) == (True, "INFRA_CAP", "DELD")
    assert sorted(roussel.contrats.values_list("id_asp", flat=True)) == [603, 604]
    # PASS start dates are not in the flux: unknown, never guessed.
    assert set(PassIae.objects.values_list("date_debut", flat=True)) == {None}
    # The contract that ends before it starts is ignored; dirty weekly hours are no error.
    assert not Contrat.objects.filter(id_asp=623).exists()
    assert bilan.vues["ContratMission"].ignores == {"contrat qui finit avant de commencer": 1}
    assert dict(Contrat.objects.filter(id_asp__in=[601, 603, 605]).values_list("id_asp", "heures_hebdo")) == {
        601: Decimal("26.00"),
        603: None,  # "24h"
        605: None,  # "99:99"
    }
    # The exit motifs, in their categories whatever the case or the accents of the labels.
    assert dict(MotifSortie.objects.filter(code__startswith="ASP_").values_list("code", "categorie")) == {
        "ASP_1": "EMPLOI_DURABLE",
        "ASP_2": "EMPLOI_TRANSITION",
        "ASP_3": "SORTIE_POSITIVE",
        "ASP_4": "AUTRE",
        "ASP_5": "RETRAIT",
    }
    # The staging tables live only during their import.
    for table in (*services_parcours.TABLES, *services_etats.TABLES):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as curseur:
            curseur.execute(f"SELECT 1 FROM {table}")


# 2. The same flux twice ------------------------------------------------------------------------------------------


def test_importer_deux_fois_le_meme_flux_ne_change_rien(tmp_path):
    dossier = ecrire_flux(tmp_path / "n", SEMAINE_N)
    importer_flux(dossier, ["55"])
    avant, donnees = comptes(), etat_des_donnees()

    bilan = importer_flux(dossier, ["55"])

    assert comptes() == avant
    assert etat_des_donnees() == donnees
    vues = ("RefMotifSort", "AnnexeFinanciere", "Structure", "ContratMission", "Salarie", "EtatMensuelIndiv")
    assert {vue: (c.crees, c.modifies) for vue, c in bilan.vues.items()} == dict.fromkeys(vues, (0, 0))
    # Every row read is unchanged: 5 motifs, 3 AFs, 3 structures (kinds), 8 parcours, 8 salariés, 28 months
    # (ACI January–October, AI January–August, EI January–October).
    assert {vue: c.inchanges for vue, c in bilan.vues.items()} == {
        "RefMotifSort": 5,
        "AnnexeFinanciere": 3,
        "Structure": 3,
        "ContratMission": 8,
        "Salarie": 8,
        "EtatMensuelIndiv": 10 + 8 + 10,
    }
    assert not bilan.annexes and not bilan.mois  # nothing to refresh
    assert chiffres_de_la_base() == chiffres_attendus(SEMAINE_N)


# 3. Week N then week N+1 -----------------------------------------------------------------------------------------


def test_la_semaine_suivante_donne_les_chiffres_de_la_semaine_suivante_seule(tmp_path):
    # Typed in Pilot'IAE: a structure and its annexe the ASP does not know.
    saisie = SiaeFactory(nom="Régie saisie dans Pilot'IAE", departement="55")
    annexe_saisie = AnnexeFinanciereFactory(siae=saisie, annee=2024)
    dossier_n1 = ecrire_flux(tmp_path / "n1", SEMAINE_N1)

    # Week N+1 alone into the database as it is (nothing of the flux yet), then undone.
    with transaction.atomic():
        importer_flux(dossier_n1, ["55"])
        export_seule = exporter(tmp_path / "seule.json")
        donnees_seule = etat_des_donnees()
        transaction.set_rollback(True)
    assert not Siae.objects.filter(id_asp__isnull=False).exists()

    importer_flux(ecrire_flux(tmp_path / "n", SEMAINE_N), ["55"])
    # A PASS start typed in Pilot'IAE on a salarié of the flux.
    PassIae.objects.filter(numero=_agrement(504)).update(
        date_debut=dt.date(ANNEE, 2, 1), date_fin=fin_pass_iae(dt.date(ANNEE, 2, 1))
    )
    bilan = importer_flux(dossier_n1, ["55"])

    assert exporter(tmp_path / "suivie.json") == export_seule
    assert etat_des_donnees() == donnees_seule
    assert chiffres_de_la_base() == chiffres_attendus(SEMAINE_N1)
    # What changed: the ACI's AF (M2), Julie MARCHAL's parcours (her exit), November of the ACI and of the EI
    # created, October of the ACI in a new version.
    assert (bilan.vues["AnnexeFinanciere"].modifies, bilan.vues["ContratMission"].modifies) == (1, 1)
    assert (bilan.vues["EtatMensuelIndiv"].crees, bilan.vues["EtatMensuelIndiv"].modifies) == (2, 1)
    octobre = DeclarationMensuelle.objects.filter(annexe__id_asp=AF_ACI, mois=dt.date(ANNEE, 10, 1))
    assert list(octobre.order_by("version").values_list("version", "version_asp", "retenue")) == [
        (1, 1, False),  # the previous version is kept
        (2, 2, True),
    ]
    assert list(AnnexeFinanciere.objects.get(id_asp=AF_ACI).avenants.values_list("numero", flat=True)) == [
        "ACI055250001A0M0",
        "ACI055250001A0M1",
        "ACI055250001A0M2",
    ]
    # Nothing typed in Pilot'IAE is deleted or changed.
    assert Siae.objects.filter(pk=saisie.pk, nom="Régie saisie dans Pilot'IAE").exists()
    assert AnnexeFinanciere.objects.filter(pk=annexe_saisie.pk, etp_conventionnes=Decimal("2.00")).exists()
    assert EtpConventionneMensuel.objects.filter(annexe=annexe_saisie).count() == 12
    assert PassIae.objects.get(numero=_agrement(504)).date_debut == dt.date(ANNEE, 2, 1)


# 4. A corrupted line ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("colonne", "valeur"),
    [("emi_date_fin_reelle", "31/02/2025"), ("emi_nb_heures_travail", "abc")],
)
def test_une_ligne_corrompue_refuse_le_flux_et_rien_ne_change(tmp_path, colonne, valeur):
    importer_flux(ecrire_flux(tmp_path / "n", SEMAINE_N), ["55"])
    avant, donnees, chiffres = comptes(), etat_des_donnees(), exporter(tmp_path / "avant.json")
    dossier = ecrire_flux(tmp_path / "corrompu", SEMAINE_N1, corruption={colonne: valeur})

    with pytest.raises(ErreurFlux) as erreur:
        importer_flux(dossier, ["55"])

    # The line as a text editor shows it, the DEB row being line 1: the newline inside a field of an earlier record
    # counts, the BOM does not.
    texte = texte_du_fichier(dossier, "EtatMensuelIndiv", SEMAINE_N1)
    lignes = texte.split("\n")
    assert lignes[0].startswith("\ufeffDEBEtatMensuelIndiv")
    numero = next(rang for rang, ligne in enumerate(lignes, 1) if f"|{valeur}|" in ligne)
    assert any(ligne.endswith(SALAIRE_BRUT) for ligne in lignes[2 : numero - 1])
    nom = f"fluxIAE_EtatMensuelIndiv_{HORODATAGES[SEMAINE_N1]}.csv.gz"
    assert str(erreur.value) == f"fichier {nom}, ligne {numero}, colonne {colonne} : {erreur.value.message}"
    assert f"« {valeur} »" in erreur.value.message
    assert comptes() == avant
    assert etat_des_donnees() == donnees
    assert exporter(tmp_path / "apres.json") == chiffres


def _corrompre_un_contrat(dossier, semaine) -> str:
    """Replace the hire date of the first contract of the ContratMission file (plain text) by an impossible one;
    the file's name."""
    nom = f"fluxIAE_ContratMission_{HORODATAGES[semaine]}.csv"
    texte = texte_du_fichier(dossier, "ContratMission", semaine)
    entete, premiere, reste = texte.split("\n", 2)
    champs = premiere.split("|")
    champs[entete.split("|").index("contrat_date_embauche")] = "31/02/2025"
    (dossier / nom).write_text("\n".join([entete, "|".join(champs), reste]), encoding="utf-8")
    return nom


def _processus_de_lecture(monkeypatch) -> list[int]:
    """The ids of the reading processes the import forks (PostgreSQL), as they start."""
    lancees, demarrer = [], Prelecture.demarrer

    def demarrer_et_noter(lecture):
        demarrer(lecture)
        if lecture.fils:
            lancees.append(lecture.fils)

    monkeypatch.setattr(Prelecture, "demarrer", demarrer_et_noter)
    return lancees


def _encore_la(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:  # gone and reaped: no process, not even a zombie, has this id
        return False
    return True


@pytest.mark.parametrize("etats_corrompus", [False, True])
def test_une_erreur_d_une_vue_lue_avant_les_etats_mensuels_est_celle_qui_est_dite(
    tmp_path, etats_corrompus, monkeypatch
):
    """The EMI file is read by a process of its own while the contracts are loaded (PostgreSQL): an error in the
    contracts is still the one reported (the files are checked in the same order as without it, the EMI file
    last), the reading process is stopped and reaped, and nothing is written."""
    importer_flux(ecrire_flux(tmp_path / "n", SEMAINE_N), ["55"])
    lectures = _processus_de_lecture(monkeypatch)
    avant, donnees = comptes(), etat_des_donnees()
    corruption = {"emi_nb_heures_travail": "abc"} if etats_corrompus else None
    dossier = ecrire_flux(tmp_path / "corrompu", SEMAINE_N1, corruption=corruption)
    nom = _corrompre_un_contrat(dossier, SEMAINE_N1)

    with pytest.raises(ErreurFlux) as erreur:
        importer_flux(dossier, ["55"])

    assert str(erreur.value).startswith(f"fichier {nom}, ligne 2, colonne contrat_date_embauche : ")
    assert len(lectures) == (1 if connection.vendor == "postgresql" else 0)
    assert not any(_encore_la(pid) for pid in lectures)
    assert comptes() == avant
    assert etat_des_donnees() == donnees


def _chiffres_materialises() -> dict:
    """The rows of the materialised figures, whatever their ids and the time of their computation."""
    return {
        "mensuels": sorted(
            IndicateurMensuel.objects.values_list("annexe__id_asp", "mois", "etp_conventionnes", "etp_realises")
        ),
        "parcours": sorted(
            map(
                repr,
                FaitParcours.objects.values_list(
                    *(c.attname for c in FaitParcours._meta.concrete_fields if c.attname not in ("id", "date_calcul"))
                ),
            )
        ),  # fmt: skip
        "presences": sorted(map(repr, PresenceAnnuelle.objects.values_list("fait_id", "annee", "seul"))),
    }


def test_le_rafraichissement_demande_apres_la_semaine_suivante_egale_un_recalcul_complet(
    tmp_path, django_capture_on_commit_callbacks
):
    """Week N+1 asks for the months whose retained declaration changed (and every month of an AF restated), not
    for every month of every annexe: what it leaves is what a whole recomputation gives."""
    with django_capture_on_commit_callbacks(execute=True):
        importer_flux(ecrire_flux(tmp_path / "n", SEMAINE_N), ["55"])
    with django_capture_on_commit_callbacks(execute=True):
        bilan = importer_flux(ecrire_flux(tmp_path / "n1", SEMAINE_N1), ["55"])
    # November of the ACI and of the EI, October of the ACI in a new version; the ACI's AF restated whole.
    assert {(af, mois) for af, mois in bilan.mois if af not in bilan.annexes} == {
        (AnnexeFinanciere.objects.get(id_asp=AF_EI).pk, dt.date(ANNEE, 11, 1))
    }
    assert bilan.annexes == {AnnexeFinanciere.objects.get(id_asp=AF_ACI).pk}
    apres_import = _chiffres_materialises()
    assert apres_import["mensuels"]

    rafraichir_tout()

    assert _chiffres_materialises() == apres_import


# 8. The command --------------------------------------------------------------------------------------------------


def test_la_commande_importe_et_compte_par_vue(tmp_path):
    sortie = io.StringIO()

    call_command("importer", "fluxiae", str(ecrire_flux(tmp_path / "n", SEMAINE_N)), departement=["55"], stdout=sortie)

    texte = sortie.getvalue()
    for ligne in (
        # 3 AFs of SIAE in the Meuse (ACI, AI, EI), the FDI one ignored; the Moselle's filtered out on reading.
        "AnnexeFinanciere : 3 créé(s), 0 modifié(s), 0 inchangé(s), 1 ignoré(s)",
        "  ignoré(s) : 1 – FDI : hors des ETP et des aides au poste",
        # 8 parcours (Cédric ROUSSEL's two contracts make one), the contract that ends before it starts ignored.
        "ContratMission : 8 créé(s), 0 modifié(s), 0 inchangé(s), 1 ignoré(s)",
        # 28 months: ACI January–October, AI January–August, EI January–October.
        "EtatMensuelIndiv : 28 créé(s), 0 modifié(s), 0 inchangé(s), 0 ignoré(s)",
        "RefMotifSort : 5 créé(s), 0 modifié(s), 0 inchangé(s), 0 ignoré(s)",
        "Salarie : 8 créé(s), 0 modifié(s), 0 inchangé(s), 0 ignoré(s)",
        # One ASP structure per kind: the ACI, the AI and the EI of the same structure.
        "Structure : 3 créé(s), 0 modifié(s), 0 inchangé(s), 0 ignoré(s)",
        f"Fichier ignoré : fluxIAE_Missions_{HORODATAGES[SEMAINE_N]}.csv.gz",
        f"Fichier ignoré : fluxIAE_RefDepartement_{HORODATAGES[SEMAINE_N]}.csv",
    ):
        assert ligne in texte.splitlines(), (ligne, texte)
    assert chiffres_de_la_base() == chiffres_attendus(SEMAINE_N)


def test_la_commande_refuse_un_flux_corrompu(tmp_path):
    dossier = ecrire_flux(tmp_path / "corrompu", SEMAINE_N, corruption={"emi_nb_heures_travail": "abc"})
    sortie, erreurs = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit) as fin:
        call_command("importer", "fluxiae", str(dossier), departement=["55"], stdout=sortie, stderr=erreurs)

    assert fin.value.code == 1
    nom = f"fluxIAE_EtatMensuelIndiv_{HORODATAGES[SEMAINE_N]}.csv.gz"
    assert f"fichier {nom}, ligne " in erreurs.getvalue()
    assert ", colonne emi_nb_heures_travail : « abc »" in erreurs.getvalue()
    assert not Siae.objects.filter(id_asp__isnull=False).exists()
    assert not AnnexeFinanciere.objects.filter(id_asp__in=[AF_ACI, AF_AI, AF_EI]).exists()


def test_un_salarie_anonymise_ne_revient_pas_avec_ses_anciens_contrats(tmp_path):
    """The flux carries old contracts: once a salarié is anonymised (retention over), the next import neither
    brings the identity back nor moves the contracts onto a new parcours, and the figures stay."""
    from parcours.services_rgpd import purger_donnees_personnelles

    dossier = ecrire_flux(tmp_path / "n", SEMAINE_N)
    importer_flux(dossier, ["55"])
    purge = purger_donnees_personnelles(origine="test", aujourd_hui=dt.date(2031, 1, 1))
    assert purge.salaries > 0
    avant, chiffres = comptes(), chiffres_de_la_base()

    bilan = importer_flux(dossier, ["55"])

    assert comptes() == avant
    assert chiffres_de_la_base() == chiffres
    assert Salarie.objects.filter(date_anonymisation__isnull=True).count() == avant["Salarie"] - purge.salaries
    assert bilan.vues["ContratMission"].ignores["salarié anonymisé (durée de conservation échue)"] > 0


def test_un_contrat_connu_garde_son_type_plus_precis(tmp_path):
    """The flux only knows CDDI or mission: a contract whose type was made precise in Pilot'IAE keeps it."""
    dossier = ecrire_flux(tmp_path / "n", SEMAINE_N)
    importer_flux(dossier, ["55"])
    contrat = Contrat.objects.filter(id_asp__isnull=False).order_by("id_asp").first()
    Contrat.objects.filter(pk=contrat.pk).update(type="CDI_INCLUSION")

    importer_flux(dossier, ["55"])

    contrat.refresh_from_db()
    assert contrat.type == "CDI_INCLUSION"
    assert Contrat.objects.exclude(pk=contrat.pk).exclude(type__in=["CDDI", "MISSION"]).count() == 0
