"""The demo's activity: annexes financières, parcours and monthly declarations of département 55, such that the
application's own computation gives the Meuse bilan's 2025 table (seed 000), with 2024 before it and a 2026 under
way. Exits, publics and the PASS lifecycle: test_demo_sorties.py. On the session's demo (tests/conftest.py)."""

import datetime as dt
import re
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db.models import Sum

from aides_au_poste.models import NatureVersement, Versement
from aides_au_poste.queries import aides_des_annexes
from aides_au_poste.regles import arrondi_euro
from base.calendrier import dernier_jour_du_mois, mois_entre
from conventions.models import AnnexeFinanciere, Avenant
from declarations.models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration
from declarations.regles import echeance_declaration
from declarations.services import LigneSaisie, codes_motifs, verifier_lignes
from demo.plan import planifier
from indicateurs.sections import indicateurs
from parcours.models import (
    CategorieSortie,
    Contrat,
    MotifSortie,
    Parcours,
    PassIae,
    Prolongation,
    Salarie,
    StatutProlongation,
    Suspension,
)
from parcours.regles import age_au, chevauche_le_mois, fin_pass_iae
from siae.models import Siae

pytestmark = [pytest.mark.django_db, pytest.mark.lent, pytest.mark.usefixtures("demo")]

# The seed's table, in its order.
TABLEAU_DU_BILAN = [
    {"type": "ACI", "etp_conventionnes": "426.99", "etp_realises": "425.85", "taux_consommation": "99.7"},
    {"type": "AI", "etp_conventionnes": "54.00", "etp_realises": "54.07", "taux_consommation": "100.1"},
    {"type": "ETTI", "etp_conventionnes": "20.00", "etp_realises": "18.12", "taux_consommation": "90.6"},
    {"type": "EI", "etp_conventionnes": "32.00", "etp_realises": "32.83", "taux_consommation": "102.6"},
    {"type": "TOTAL", "etp_conventionnes": "532.99", "etp_realises": "530.87", "taux_consommation": "99.6"},
]
OCTOBRE = dt.date(2026, 10, 1)


def test_le_tableau_2025_du_departement_est_celui_du_bilan():
    assert indicateurs(2025, "55")["consommation"] == TABLEAU_DU_BILAN
    # The hours behind it: ETP réalisés × annual hours of a post, to the cent.
    heures = dict(
        LigneDeclaration.objects.filter(declaration__retenue=True, declaration__mois__year=2025)
        .values_list("declaration__annexe__type")
        .annotate(h=Sum("heures_travaillees"))
        .order_by()
    )
    assert {t: Decimal(h).quantize(Decimal("0.01")) for t, h in heures.items()} == {
        "ACI": Decimal("425.85") * 1820,  # 775 047,00 h
        "AI": Decimal("54.07") * 1607,
        "ETTI": Decimal("18.12") * 1607,
        "EI": Decimal("32.83") * 1607,
    }


def test_les_structures_consomment_diversement():
    siae = indicateurs(2025, "55")["siae"]
    assert len(siae) == 28
    statuts = Counter(s["statut_consommation"] for s in siae)
    assert statuts["sous-consommation"] >= 3
    assert statuts["sur-consommation"] >= 3
    assert statuts["conforme"] >= 3
    assert len({s["taux_consommation"] for s in siae}) > 15


def test_annexes_financieres():
    assert AnnexeFinanciere.objects.count() == 28 * 3
    for annexe in AnnexeFinanciere.objects.select_related("siae"):
        assert re.fullmatch(rf"{annexe.siae.type}055(24|25|26)\d{{4}}A\dM0", annexe.numero)
        assert annexe.etat in (("VALIDE", "CLOTURE") if annexe.date_debut.year == 2024 else ("VALIDE",))
        assert annexe.type == annexe.siae.type
        assert annexe.date_debut == dt.date(annexe.date_debut.year, 1, 1)
        assert annexe.date_fin == dt.date(annexe.date_debut.year, 12, 31)
        assert Decimal(0) <= annexe.taux_modulation <= Decimal("0.10")
        assert annexe.objectif_sorties_dynamiques in (Decimal(55), Decimal(60))
        assert annexe.objectif_emploi_durable in (Decimal(22), Decimal(25))
        assert annexe.objectif_part_brsa is not None
        assert annexe.convention.date_debut <= annexe.date_debut <= annexe.date_fin <= annexe.convention.date_fin
        assert annexe.etp_mensuels.count() == 12
    assert AnnexeFinanciere.objects.filter(siae__type="ACI", date_debut__year=2025).count() == 20
    # 2024: mostly closed after the ASP's last regularisation, a few still valid.
    etats_2024 = Counter(AnnexeFinanciere.objects.filter(date_debut__year=2024).values_list("etat", flat=True))
    assert set(etats_2024) == {"VALIDE", "CLOTURE"}
    assert etats_2024["CLOTURE"] > etats_2024["VALIDE"] > 0
    # Each structure: one convention of three years after another, each annexe in the one covering its year.
    for siae in Siae.objects.all():
        conventions = list(siae.conventions.order_by("date_debut"))
        assert len(conventions) == 2
        for convention in conventions:
            assert (convention.date_debut.month, convention.date_debut.day) == (1, 1)
            assert convention.date_fin == dt.date(convention.date_debut.year + 2, 12, 31)
        assert conventions[1].date_debut == conventions[0].date_fin + dt.timedelta(days=1)
    cofinancees = AnnexeFinanciere.objects.filter(montant_cofinance_cd__gt=0)
    assert cofinancees.count() == 8 * 3  # eight ACI, three years
    assert set(cofinancees.values_list("type", flat=True)) == {"ACI"}
    # The bilan's 400 000 € of Département co-financing, each year.
    for annee in (2025, 2026):
        total = cofinancees.filter(date_debut__year=annee).aggregate(total=Sum("montant_cofinance_cd"))["total"]
        assert total == Decimal("400000")


def test_les_versements_de_l_asp():
    """Closed years are settled to the cent (advances, regularisations, modulation); the year under way has its
    advances through November and the regularisations due by the demo's today."""
    for annee in (2024, 2025):
        for aide in aides_des_annexes(AnnexeFinanciere.objects.filter(date_debut__year=annee)):
            assert arrondi_euro(aide.ecart) == 0, aide.numero
            assert aide.verse_modulation == arrondi_euro(aide.modulation)
    en_cours = aides_des_annexes(AnnexeFinanciere.objects.filter(date_debut__year=2026))
    for aide in en_cours:
        avances = Versement.objects.filter(annexe_id=aide.annexe_id, nature=NatureVersement.AVANCE)
        assert avances.count() == 11  # January to November
        assert {a.montant for a in avances} == {arrondi_euro(aide.socle_conventionne / 12)}
        dates = set(
            Versement.objects.filter(annexe_id=aide.annexe_id, nature=NatureVersement.REGULARISATION).values_list(
                "date", flat=True
            )
        )
        assert dates <= {dt.date(2026, 7, 31), dt.date(2026, 10, 31)}


def test_un_avenant_change_les_etp_en_cours_d_annee_et_l_historique_reste():
    annexe = AnnexeFinanciere.objects.get(numero="ACI055250003A1M0")
    assert list(annexe.avenants.values_list("numero", "mois_effet", "etp_conventionnes")) == [
        ("ACI055250003A0M0", dt.date(2025, 1, 1), Decimal("16.00")),
        ("ACI055250003A1M0", dt.date(2025, 9, 1), Decimal("19.00")),
    ]
    par_mois = dict(annexe.etp_mensuels.values_list("mois", "etp_conventionnes"))
    assert par_mois[dt.date(2025, 8, 1)] == Decimal("16.00")
    assert par_mois[dt.date(2025, 9, 1)] == Decimal("19.00")
    assert Avenant.objects.filter(rang_avenant__gt=0).count() >= 2


def test_salaries_pass_et_contrats():
    assert Salarie.objects.count() > 1500
    assert not Salarie.objects.exclude(nom__startswith="Fictif-").exists()
    suspendus = defaultdict(int)
    for suspension in Suspension.objects.all():
        suspendus[suspension.pass_iae_id] += (suspension.date_fin - suspension.date_debut).days + 1
    prolonges = dict(
        Prolongation.objects.filter(statut=StatutProlongation.ACCORDEE).values_list("pass_iae", "date_fin")
    )
    for pk, numero, debut, fin in PassIae.objects.values_list("pk", "numero", "date_debut", "date_fin"):
        assert re.fullmatch(rf"99999{debut:%y}\d{{5}}", numero)
        # 24 months, pushed by suspensions, extended by a granted prolongation (test_demo_sorties.py).
        assert fin == prolonges.get(pk, fin_pass_iae(debut, jours_de_suspension=suspendus[pk]))
    types = defaultdict(set)
    for siae_type, contrat_type, heures in Contrat.objects.values_list("parcours__siae__type", "type", "heures_hebdo"):
        types[siae_type].add(contrat_type)
        if contrat_type == "CDDI":
            assert 20 <= heures <= 35
    assert types == {"ACI": {"CDDI"}, "EI": {"CDDI"}, "AI": {"CDDU", "MISSION"}, "ETTI": {"MISSION"}}
    # Every parcours ends before its PASS IAE, and its contracts follow each other up to the exit.
    for parcours in Parcours.objects.select_related("pass_iae").prefetch_related("contrats"):
        contrats = sorted(parcours.contrats.all(), key=lambda c: c.date_debut)
        assert contrats[0].date_debut == parcours.date_embauche
        for avant, apres in zip(contrats, contrats[1:], strict=False):
            assert apres.date_debut == avant.date_fin + dt.timedelta(days=1)
        if parcours.date_sortie:
            assert contrats[-1].date_fin == parcours.date_sortie <= parcours.pass_iae.date_fin


def test_publics_a_l_embauche():
    parcours = list(Parcours.objects.select_related("salarie"))
    part = lambda condition: sum(1 for p in parcours if condition(p)) / len(parcours)  # noqa: E731
    assert 0.35 <= part(lambda p: p.salarie.genre == "F") <= 0.45
    assert 0.36 <= part(lambda p: p.brsa) <= 0.46
    assert 0.05 <= part(lambda p: p.qpv) <= 0.25
    assert 0.05 <= part(lambda p: p.rqth) <= 0.2
    assert 0.3 <= part(lambda p: p.duree_chomage in ("DELD", "DETLD")) <= 0.7
    ages = [age_au(p.salarie.date_naissance, p.date_embauche) for p in parcours]
    assert min(ages) == 18
    assert max(ages) == 62


def test_embauches_et_sorties_tout_au_long_de_l_annee():
    embauches_2025 = Counter(
        Parcours.objects.filter(date_embauche__year=2025).values_list("date_embauche__month", flat=True)
    )
    assert set(embauches_2025) == set(range(1, 13))
    sorties = Parcours.objects.exclude(date_sortie=None)
    assert set(sorties.filter(date_sortie__year=2025).values_list("date_sortie__month", flat=True)) == set(
        range(1, 13)
    )
    assert set(sorties.values_list("motif_sortie__categorie", flat=True)) == set(CategorieSortie.values)
    assert {"CDI", "CDD_MOINS_6M", "FORMATION_QUALIFIANTE", "CHOMAGE"} <= set(
        sorties.values_list("motif_sortie__code", flat=True)
    )
    # An exit is the one its declaration line says.
    for parcours in sorties.prefetch_related("lignes_declaration"):
        avec_sortie = [ligne for ligne in parcours.lignes_declaration.all() if ligne.date_sortie]
        assert {(ligne.date_sortie, ligne.motif_sortie_id) for ligne in avec_sortie} == {
            (parcours.date_sortie, parcours.motif_sortie_id)
        }


def test_chaque_ligne_respecte_les_controles_de_la_declaration():
    """Spec §3, through the application's check and written out again here."""
    contrats = defaultdict(list)
    for contrat in Contrat.objects.all():
        contrats[contrat.parcours_id].append(contrat)
    motifs = codes_motifs()
    codes = set(MotifSortie.objects.values_list("code", flat=True))
    par_declaration = defaultdict(list)
    lignes = LigneDeclaration.objects.select_related(
        "declaration", "parcours__salarie", "parcours__pass_iae", "motif_sortie"
    )
    for ligne in lignes:
        mois = ligne.declaration.mois
        fin_du_mois = dernier_jour_du_mois(mois)
        parcours = ligne.parcours
        assert Decimal(0) <= ligne.heures_travaillees <= Decimal(208)
        assert any(chevauche_le_mois(c.date_debut, c.date_fin, mois) for c in contrats[parcours.pk])
        assert parcours.pass_iae.date_debut <= fin_du_mois and parcours.pass_iae.date_fin >= mois
        if ligne.date_sortie:
            assert mois <= ligne.date_sortie <= fin_du_mois
            assert ligne.date_sortie >= parcours.date_embauche
            assert ligne.motif_sortie.code in codes
        else:
            assert ligne.motif_sortie is None
        par_declaration[ligne.declaration].append(
            LigneSaisie(
                parcours,
                ligne.heures_travaillees,
                ligne.date_sortie,
                ligne.motif_sortie.code if ligne.motif_sortie else "",
            )
        )
    assert len(par_declaration) == DeclarationMensuelle.objects.count()
    for declaration, saisies in par_declaration.items():
        verification = verifier_lignes(declaration.mois, saisies, contrats, motifs)
        assert verification.erreurs == [], declaration


def test_2024_est_transmise_et_validee():
    retenues = DeclarationMensuelle.objects.filter(mois__year=2024)
    assert retenues.count() == 28 * 12
    assert set(retenues.values_list("etat", "retenue", "version").distinct()) == {(EtatDeclaration.VALIDEE, True, 1)}
    # The salariés in parcours on 1 January 2025 were hired in 2023 or 2024: their 2024 months are declared.
    restes = Parcours.objects.filter(date_embauche__lt=dt.date(2025, 1, 1)).exclude(
        date_sortie__lt=dt.date(2025, 1, 1)
    )
    assert restes.count() > 500
    for parcours in restes.prefetch_related("lignes_declaration__declaration"):
        assert parcours.date_embauche.year in (2023, 2024)
        premier = max(dt.date(2024, 1, 1), parcours.date_embauche.replace(day=1))
        declares = {ligne.declaration.mois for ligne in parcours.lignes_declaration.all()}
        assert {m for m in declares if m.year == 2024} == set(mois_entre(premier, dt.date(2024, 12, 1)))


def test_2025_est_transmise_et_validee():
    retenues = DeclarationMensuelle.objects.filter(mois__year=2025, retenue=True)
    assert retenues.count() == 28 * 12
    assert set(retenues.values_list("etat", flat=True)) == {EtatDeclaration.VALIDEE}
    # One declaration corrected after its validation: the first version stays, not retained.
    corrigee = DeclarationMensuelle.objects.filter(mois__year=2025, version=2).get()
    premiere = DeclarationMensuelle.objects.get(annexe=corrigee.annexe, mois=corrigee.mois, version=1)
    assert (premiere.etat, premiere.retenue, corrigee.retenue) == (EtatDeclaration.VALIDEE, False, True)
    assert premiere.date_transmission < corrigee.date_transmission
    assert premiere.lignes.count() == corrigee.lignes.count()
    assert (
        premiere.lignes.aggregate(h=Sum("heures_travaillees"))["h"]
        < corrigee.lignes.aggregate(h=Sum("heures_travaillees"))["h"]
    )


def test_2026_en_cours_octobre_en_retard_ou_manquant():
    declarees = DeclarationMensuelle.objects.filter(mois__year=2026, retenue=True)
    for mois in range(1, 10):
        assert declarees.filter(mois__month=mois).count() == 28
    assert not declarees.filter(mois__month__gt=10).exists()
    etats = Counter(declarees.filter(mois__month__lte=9).values_list("etat", flat=True))
    assert etats[EtatDeclaration.VALIDEE] > 0.95 * 28 * 9
    assert etats[EtatDeclaration.TRANSMISE] > 0
    assert etats[EtatDeclaration.A_CORRIGER] == 1
    assert DeclarationMensuelle.objects.get(etat=EtatDeclaration.A_CORRIGER).motif_retour

    octobre = declarees.filter(mois=OCTOBRE)
    echeance = echeance_declaration(OCTOBRE)
    assert echeance == dt.date(2026, 11, 15)
    en_retard = [d for d in octobre if d.date_transmission.date() > echeance]
    a_l_heure = [d for d in octobre if d.date_transmission.date() < echeance]
    assert len(en_retard) >= 2
    assert len(a_l_heure) > 15
    assert len(en_retard) + len(a_l_heure) == octobre.count()
    assert all(d.date_transmission.date() < dt.date(2026, 11, 23) for d in octobre)
    manquantes = Siae.objects.exclude(annexes__declarations__mois=OCTOBRE)
    assert 1 <= manquantes.count() <= 4
    assert octobre.count() == 28 - manquantes.count()
    # Every transmitted declaration has its date; one sent before its month's deadline is not late.
    for declaration in DeclarationMensuelle.objects.all():
        assert declaration.date_transmission is not None
        assert declaration.date_transmission.date() > dernier_jour_du_mois(declaration.mois)


def test_la_demo_est_deterministe():
    types = list(Siae.objects.order_by("siret").values_list("type", flat=True))
    premier, second = planifier(types), planifier(types)
    assert [(e.numero_pass, e.nom, e.date_embauche, e.heures) for e in premier.embauches] == [
        (e.numero_pass, e.nom, e.date_embauche, e.heures) for e in second.embauches
    ]
