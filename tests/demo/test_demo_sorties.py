"""The demo's exits, publics at hire, auto-prescriptions and PASS IAE lifecycle: the taux de sorties dynamiques
computed here from the data, by the rules of spec §7 written out again, are the seeds' for 2024 and 2025. On the
session's demo (tests/conftest.py)."""

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db.models import Sum

from conventions.models import AnnexeFinanciere
from declarations.models import LigneDeclaration
from demo.plan import AUJOURD_HUI
from parcours.models import (
    CategorieSortie,
    Decideur,
    Parcours,
    PassIae,
    Prolongation,
    StatutProlongation,
    Suspension,
)
from parcours.regles import age_au, ajouter_mois, fin_pass_iae
from siae.models import Siae

pytestmark = [pytest.mark.django_db, pytest.mark.lent, pytest.mark.usefixtures("demo")]

# Taux de sorties dynamiques in %: seed 000 (Meuse bilan) for 2025, the last complete year; the year before for
# 2024. EI and ETTI are one figure in the bilan.
CIBLES = {
    2024: {"ACI": 48, "AI": 79, "EI": 51, "ETTI": 51},
    2025: {"ACI": 49, "AI": 72, "EI": 56, "ETTI": 56},
}
TOLERANCE = 3
DYNAMIQUES = (CategorieSortie.EMPLOI_DURABLE, CategorieSortie.EMPLOI_TRANSITION, CategorieSortie.SORTIE_POSITIVE)
TYPES_AUTO_PRESCRIPTION = ("ACI", "AI", "EI", "ETTI")


def sorties_de(annee: int) -> dict[str, Counter]:
    """Spec §7, from the data: an exit of the year is examinée when ACI, EI: at least 3 months between hire and
    exit; AI, ETTI: at least 150 hours worked in the parcours (the retained declarations); EITI: always. Counts
    per kind: `examinees` and each category among them."""
    heures = dict(
        LigneDeclaration.objects.filter(declaration__retenue=True)
        .values_list("parcours")
        .annotate(h=Sum("heures_travaillees"))
        .order_by()
    )
    comptes = defaultdict(Counter)
    for parcours in Parcours.objects.filter(date_sortie__year=annee).select_related("siae", "motif_sortie"):
        type_ = parcours.siae.type
        if type_ in ("ACI", "EI"):
            examinee = parcours.date_sortie >= ajouter_mois(parcours.date_embauche, 3)
        elif type_ in ("AI", "ETTI"):
            examinee = heures.get(parcours.pk, 0) >= 150
        else:
            examinee = True
        comptes[type_]["sorties"] += 1
        if examinee:
            comptes[type_]["examinees"] += 1
            comptes[type_][parcours.motif_sortie.categorie] += 1
    return comptes


def taux(comptes: Counter) -> Decimal:
    """(durable + transition + positive) / (examinées − retraits), in %."""
    dynamiques = sum(comptes[c] for c in DYNAMIQUES)
    return Decimal(100 * dynamiques) / (comptes["examinees"] - comptes[CategorieSortie.RETRAIT])


@pytest.mark.parametrize("annee", sorted(CIBLES))
def test_taux_de_sorties_dynamiques_des_annees_closes(annee):
    sorties = sorties_de(annee)
    obtenus = {type_: taux(sorties[type_]) for type_ in CIBLES[annee]}
    for type_, cible in CIBLES[annee].items():
        assert abs(obtenus[type_] - cible) <= TOLERANCE, (annee, obtenus)
    # EI and ETTI together, as the bilan shows them.
    ensemble = sorties["EI"] + sorties["ETTI"]
    assert abs(taux(ensemble) - CIBLES[annee]["EI"]) <= TOLERANCE
    for type_ in CIBLES[annee]:
        # Enough exits for a rate to mean something, most of them examinées.
        assert sorties[type_]["examinees"] >= 25
        assert sorties[type_]["examinees"] >= 0.75 * sorties[type_]["sorties"]
        # Some exits neutralised, and every category represented in the large kinds.
        assert sorties[type_][CategorieSortie.RETRAIT] >= 2
    assert all(sorties["ACI"][c] > 0 for c in CategorieSortie.values)


def test_2026_en_cours_plausible():
    sorties = sorties_de(2026)
    for type_, (bas, haut) in {"ACI": (40, 60), "AI": (60, 85), "EI": (45, 65), "ETTI": (45, 65)}.items():
        assert bas <= taux(sorties[type_]) <= haut
        assert sorties[type_][CategorieSortie.RETRAIT] >= 1
    # The exits of 2026 stop with the last declared month.
    assert not Parcours.objects.filter(date_sortie__gte=dt.date(2026, 11, 1)).exists()


def test_des_sorties_tous_les_mois_des_trois_annees():
    for annee, derniers in ((2024, 12), (2025, 12), (2026, 10)):
        mois = set(Parcours.objects.filter(date_sortie__year=annee).values_list("date_sortie__month", flat=True))
        assert mois == set(range(1, derniers + 1))
        embauches = set(
            Parcours.objects.filter(date_embauche__year=annee).values_list("date_embauche__month", flat=True)
        )
        assert set(range(1, derniers + 1)) <= embauches
    # Similar turnover from one year to the next.
    par_annee = Counter(Parcours.objects.exclude(date_sortie=None).values_list("date_sortie__year", flat=True))
    assert 0.8 < par_annee[2025] / par_annee[2024] < 1.2


def test_retraits_neutralises():
    retraits = Parcours.objects.filter(motif_sortie__categorie=CategorieSortie.RETRAIT)
    for annee in (2024, 2025, 2026):
        assert set(retraits.filter(date_sortie__year=annee).values_list("siae__type", flat=True)) == set(
            TYPES_AUTO_PRESCRIPTION
        )
    assert len(set(retraits.values_list("motif_sortie__code", flat=True))) >= 3
    # Retirement is a positive exit, of people of 60 and over.
    for parcours in Parcours.objects.filter(motif_sortie__code="RETRAITE").select_related("salarie"):
        assert age_au(parcours.salarie.date_naissance, parcours.date_sortie) >= 60


def test_publics_a_l_embauche():
    parcours = list(Parcours.objects.select_related("salarie"))
    part = lambda condition: sum(1 for p in parcours if condition(p)) / len(parcours)  # noqa: E731
    assert 0.37 <= part(lambda p: p.salarie.genre == "F") <= 0.43
    assert 0.40 <= part(lambda p: p.brsa) <= 0.45
    assert 0.05 <= part(lambda p: p.qpv) <= 0.25
    assert 0.2 <= part(lambda p: p.zrr) <= 0.5
    assert 0.05 <= part(lambda p: p.rqth) <= 0.2
    assert part(lambda p: p.duree_chomage == "DELD") > 0.1
    assert part(lambda p: p.duree_chomage == "DETLD") > 0.1
    assert part(lambda p: p.niveau_formation == "SANS") > 0.1
    assert part(lambda p: p.niveau_formation == "INFRA_CAP") > 0.1
    ages = [age_au(p.salarie.date_naissance, p.date_embauche) for p in parcours]
    assert (min(ages), max(ages)) == (18, 62)
    assert 0.1 <= sum(1 for a in ages if a < 26) / len(ages) <= 0.3
    assert 0.1 <= sum(1 for a in ages if a >= 50) / len(ages) <= 0.35


def test_brsa_des_embauches_2025_sous_l_objectif_dans_quelques_structures():
    objectifs = dict(AnnexeFinanciere.objects.filter(date_debut__year=2025).values_list("siae", "objectif_part_brsa"))
    embauches = Parcours.objects.filter(date_embauche__year=2025)
    assert 0.40 <= embauches.filter(brsa=True).count() / embauches.count() <= 0.5
    sous_l_objectif = []
    for siae in Siae.objects.all():
        de_la_structure = embauches.filter(siae=siae)
        part = 100 * de_la_structure.filter(brsa=True).count() / de_la_structure.count()
        if part < 40:
            # Below the seed's 40 % and the annexe's own objective: whichever the check reads, it flags them.
            assert part < objectifs[siae.pk]
            sous_l_objectif.append(siae.type)
    assert 3 <= len(sous_l_objectif) <= 6
    assert len(set(sous_l_objectif)) >= 2
    # Hardly anyone under 25 has the RSA.
    assert embauches.filter(brsa=True).count() > 10 * sum(
        1
        for p in embauches.filter(brsa=True).select_related("salarie")
        if age_au(p.salarie.date_naissance, p.date_embauche) < 25
    )


def test_auto_prescriptions_des_embauches_2025():
    embauches = Parcours.objects.filter(date_embauche__year=2025, siae__type__in=TYPES_AUTO_PRESCRIPTION)
    assert 0.25 <= embauches.filter(auto_prescription=True).count() / embauches.count() <= 0.35
    par_siae = Counter(embauches.filter(auto_prescription=True).values_list("siae", flat=True))
    nombres = [par_siae[siae.pk] for siae in Siae.objects.filter(type__in=TYPES_AUTO_PRESCRIPTION)]
    # Most structures can be drawn by the 2026 contrôle (2 at least); a few cannot.
    assert sum(1 for n in nombres if n >= 2) >= 22
    assert 0 in nombres and 1 in nombres
    assert sum(1 for n in nombres if n < 2) <= 6
    # Other years' hires too (the 2025 contrôle reads 2024's).
    for annee in (2024, 2026):
        autres = Parcours.objects.filter(date_embauche__year=annee)
        assert 0.2 <= autres.filter(auto_prescription=True).count() / autres.count() <= 0.4


def jours(periode) -> int:
    return (periode.date_fin - periode.date_debut).days + 1


def test_suspensions_valides():
    suspensions = list(
        Suspension.objects.select_related("pass_iae", "motif", "siae").order_by("pass_iae", "date_debut")
    )
    assert {s.motif.code for s in suspensions} == {
        "CONTRAT_SUSPENDU_15J", "CONTRAT_ROMPU", "CONTRAT_TERMINE", "SITUATION_CTA", "CONTRAT_PASSERELLE",
    }  # fmt: skip
    par_pass = defaultdict(list)
    for suspension in suspensions:
        motif = suspension.motif
        assert not motif.types_siae or suspension.siae.type in motif.types_siae.split(",")
        assert suspension.date_fin < ajouter_mois(suspension.date_debut, motif.duree_max_mois)
        assert suspension.pass_iae.date_debut <= suspension.date_debut <= suspension.date_fin <= AUJOURD_HUI
        # Made by a structure where the PASS holder has a parcours.
        assert Parcours.objects.filter(pass_iae=suspension.pass_iae, siae=suspension.siae).exists()
        par_pass[suspension.pass_iae].append(suspension)
    assert len(par_pass) >= 5
    assert any(len(s) >= 2 for s in par_pass.values())
    for pass_iae, de_ce_pass in par_pass.items():
        for avant, apres in zip(de_ce_pass, de_ce_pass[1:], strict=False):
            assert apres.date_debut > avant.date_fin  # no overlap
        # The PASS end moves later by their length in days, start and end days included.
        assert pass_iae.date_fin == fin_pass_iae(pass_iae.date_debut, jours_de_suspension=sum(map(jours, de_ce_pass)))
        assert pass_iae.date_fin > fin_pass_iae(pass_iae.date_debut)


def test_prolongations_demandees_accordees_refusees():
    prolongations = list(Prolongation.objects.select_related("pass_iae__salarie", "motif", "siae"))
    assert Counter(p.statut for p in prolongations) == {
        StatutProlongation.ACCORDEE: 2, StatutProlongation.REFUSEE: 1, StatutProlongation.DEMANDEE: 1,
    }  # fmt: skip
    for prolongation in prolongations:
        pass_iae, motif = prolongation.pass_iae, prolongation.motif
        assert not Suspension.objects.filter(pass_iae=pass_iae).exists()
        # The day after the PASS's 24 months, at most 12 months, by whom the motif says, where allowed.
        fin_initiale = fin_pass_iae(pass_iae.date_debut)
        assert prolongation.date_debut == fin_initiale + dt.timedelta(days=1)
        assert prolongation.date_fin < ajouter_mois(prolongation.date_debut, motif.duree_max_decision_mois)
        assert prolongation.decideur == motif.decideur
        assert not motif.types_siae or prolongation.siae.type in motif.types_siae.split(",")
        # Requested from 12 months before the end until 6 months after, and not in the future.
        assert ajouter_mois(fin_initiale, -12) <= prolongation.date_demande <= ajouter_mois(fin_initiale, 6)
        assert prolongation.date_demande <= AUJOURD_HUI
        # For a salarié still in parcours in the structure.
        assert Parcours.objects.filter(pass_iae=pass_iae, siae=prolongation.siae, date_sortie=None).exists()
        if prolongation.statut == StatutProlongation.DEMANDEE:
            assert prolongation.date_decision is None
        else:
            assert prolongation.date_demande <= prolongation.date_decision <= AUJOURD_HUI
        if prolongation.decideur == Decideur.PRESCRIPTEUR:
            assert prolongation.prescripteur_organisation
        # The PASS lasts until a granted prolongation's end; a refused or pending one changes nothing.
        if prolongation.statut == StatutProlongation.ACCORDEE:
            assert pass_iae.date_fin == prolongation.date_fin
        else:
            assert pass_iae.date_fin == fin_initiale

    par_motif = {p.motif.code: p for p in prolongations}
    formation = par_motif["FIN_FORMATION"]
    assert (formation.statut, formation.decideur) == (StatutProlongation.ACCORDEE, Decideur.SIAE)
    assert formation.date_fin_formation and formation.date_fin <= formation.date_fin_formation
    senior = par_motif["SENIOR_50"]
    assert (senior.statut, senior.decideur) == (StatutProlongation.ACCORDEE, Decideur.PRESCRIPTEUR)
    assert senior.prescripteur_organisation and senior.prescripteur_personne
    assert age_au(senior.pass_iae.salarie.date_naissance, senior.date_demande) >= 50
    refusees = [p for p in prolongations if p.statut == StatutProlongation.REFUSEE]
    assert all(len(p.motif_refus) > 30 for p in refusees)
    demandee = next(p for p in prolongations if p.statut == StatutProlongation.DEMANDEE)
    assert demandee.motif.code == "RQTH"
    assert Parcours.objects.filter(pass_iae=demandee.pass_iae, rqth=True).exists()


def test_les_lignes_des_pass_suspendus_ou_prolonges_restent_valides():
    """The PASS IAE is valid on at least one day of each month declared for its holder (spec §3)."""
    passes = set(Suspension.objects.values_list("pass_iae", flat=True)) | set(
        Prolongation.objects.values_list("pass_iae", flat=True)
    )
    lignes = LigneDeclaration.objects.filter(parcours__pass_iae__in=passes).select_related(
        "declaration", "parcours__pass_iae"
    )
    assert lignes.count() > 50
    for ligne in lignes:
        pass_iae, mois = ligne.parcours.pass_iae, ligne.declaration.mois
        assert pass_iae.date_debut <= ajouter_mois(mois, 1) - dt.timedelta(days=1) and pass_iae.date_fin >= mois


def etat() -> dict:
    """What the exits, publics and PASS of the demo are: the rerun test (test_demo.py) compares it."""
    return {
        "taux": {annee: {t: taux(c) for t, c in sorties_de(annee).items()} for annee in (2024, 2025, 2026)},
        "motifs": Counter(Parcours.objects.values_list("motif_sortie__code", flat=True)),
        "auto_prescriptions": set(Parcours.objects.filter(auto_prescription=True).values_list("pk", flat=True)),
        "brsa": set(Parcours.objects.filter(brsa=True).values_list("pk", flat=True)),
        "pass": dict(PassIae.objects.values_list("numero", "date_fin")),
        "suspensions": set(Suspension.objects.values_list("pass_iae", "motif", "date_debut", "date_fin")),
        "prolongations": set(
            Prolongation.objects.values_list("pass_iae", "motif", "statut", "date_debut", "date_fin", "date_decision")
        ),
    }
