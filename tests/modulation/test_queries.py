"""The criteria data read in SQL (modulation/queries.py) on the département of conftest.py, and the proposal of
its 2025 annexe computed by hand from them; the département's total against its envelope."""

import datetime as dt
from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from aides_au_poste.models import BaremeAideAuPoste
from conventions.models import AnnexeFinanciere
from indicateurs.queries_sorties import embauches_publiques
from indicateurs.regles_sorties import CompteSorties, EmbauchesPubliques
from modulation import queries
from modulation.models import EnveloppeModulation
from siae.models import Siae
from tests.factories import AnnexeFinanciereFactory

pytestmark = pytest.mark.django_db


def proche(valeur, attendu: F) -> bool:
    return abs(F(valeur) - attendu) < F(1, 10**9)


def test_les_donnees_de_2024(departement, siae_a):
    structures = Siae.objects.filter(pk=siae_a.pk)
    # Hires of 2024: P1, P2, P3 (P4 was hired in 2023). P1 is 54 at hire.
    assert embauches_publiques(structures, 2024)[siae_a.pk] == EmbauchesPubliques(
        embauches=3, brsa=1, deld_detld=1, rqth=1, qpv=1, infra_cap=1, cinquante_ans_et_plus=1
    )
    effort = queries.efforts(structures, 2024)[siae_a.pk]
    # Four salariés with hours in 2024; P1 and P2 have an action begun in 2024 (P3's is of 2025, P4's of 2023).
    assert (effort.salaries, effort.salaries_avec_action) == (4, 2)
    assert effort.heures_formation == D(35)
    assert effort.actions == {"FORMATION": 1, "ACCOMPAGNEMENT_SOCIAL": 1}
    # ETP réalisés over the year: 381.67 h × 12 / 1 820 h, over 12 months.
    assert proche(effort.etp_realises, F("381.67") / 1820)
    donnees = queries.donnees_de_l_annee(structures, 2024)
    # Examined exits of 2024: P1 (emploi durable), P2 (other), P4 (sortie positive), all after 3 months or more.
    assert donnees.sorties[siae_a.pk] == CompteSorties(examinees=3, emploi_durable=1, sorties_positives=1)
    objectifs = donnees.objectifs[siae_a.pk]
    assert (objectifs["part_brsa"], objectifs["sorties_dynamiques"], objectifs["emploi_durable"]) == (50, 50, 20)


def test_la_proposition_de_l_annexe_2025(departement):
    proposition = queries.proposition_de(departement)
    assert proposition.annee_reference == 2024
    tiers = F(1, 3)
    # Publics (3 hires, one of each): bRSA against the 2024 annexe's 50 %; DELD/DETLD and infra CAP against 40 %;
    # RQTH and QPV against 10 %, 50 and over against 15 % (beyond the target: 50 + 50 × (1/3 − c) / (1 − c)).
    brsa = 50 * tiers / F(1, 2)
    quarante = 50 * tiers / F(2, 5)
    dix = 50 + 50 * (tiers - F(1, 10)) / F(9, 10)
    quinze = 50 + 50 * (tiers - F(3, 20)) / F(17, 20)
    publics = (2 * brsa + 2 * quarante + dix + dix + quarante + quinze) / 8
    # Effort: 2 of 4 salariés = 50 % (the target: 50); 35 h for 0.21 ETP is beyond 40 h per ETP (100).
    effort = F(50 + 100, 2)
    # Results: 2 dynamic exits of 3 against 50 %, 1 emploi durable of 3 against 20 %.
    resultats = (2 * (50 + 50 * (2 * tiers - F(1, 2)) / F(1, 2)) + (50 + 50 * (tiers - F(1, 5)) / F(4, 5))) / 3
    assert proche(proposition.critere("publics").note, publics)
    assert proposition.critere("effort").note == D(75)
    assert proche(proposition.critere("resultats").note, resultats)
    globale = (publics + effort + resultats) / 3
    assert proche(proposition.note, globale)
    assert F(62) < globale < F(6225, 100)  # 6.2 % → 6 % to the half point
    assert proposition.taux == D("0.06")


def test_sans_annexe_en_2024_les_cibles_par_defaut(siae_b):
    annexe = AnnexeFinanciereFactory(siae=siae_b, annee=2025)
    proposition = queries.proposition_de(annexe)
    assert proposition.taux is None  # no hire, salarié nor exit in 2024
    assert all(i.cible_par_defaut for i in proposition.critere("resultats").indicateurs)
    assert proposition.critere("publics").indicateurs[0].cible == D("0.4")


def socle_de(etp: D, type_: str, annee: int) -> D:
    """Σ over the months of the year of ETP × the barème row in force on the 1st / 12, read by hand."""
    lignes = list(BaremeAideAuPoste.objects.filter(type=type_).order_by("date_effet"))
    total = D(0)
    for mois in range(1, 13):
        premier = dt.date(annee, mois, 1)
        montant = [ligne for ligne in lignes if ligne.date_effet <= premier][-1].montant_socle_annuel_par_etp
        total += etp * montant / 12
    return total


def test_les_lignes_et_le_total_face_a_l_enveloppe(departement, siae_b):
    autre = AnnexeFinanciereFactory(siae=siae_b, annee=2025, taux_modulation=D("0.10"), etp_conventionnes=D("3.50"))
    lignes = queries.lignes_de_modulation(AnnexeFinanciere.objects.filter(date_debut__year=2025))
    assert [ligne.aide.annexe_id for ligne in lignes] == [departement.pk, autre.pk]  # ACI, then ETTI
    aci, etti = (socle_de(D("2.00"), "ACI", 2025), socle_de(D("3.50"), "ETTI", 2025))
    arrondi = lambda m: m.quantize(D("0.01"), rounding="ROUND_HALF_UP")  # noqa: E731
    assert lignes[0].modulation == arrondi(D("0.03") * aci)
    assert lignes[0].modulation_proposee == arrondi(D("0.06") * aci)
    assert lignes[1].modulation == arrondi(D("0.10") * etti)
    assert lignes[1].modulation_proposee is None  # no data for the ETTI in 2024
    totaux = queries.totaux(lignes)
    total = arrondi(D("0.03") * aci) + arrondi(D("0.10") * etti)
    assert totaux.modulation == total
    # At the proposed rates, the ETTI without a proposal counts at its own rate.
    assert totaux.modulation_proposee == arrondi(D("0.06") * aci) + arrondi(D("0.10") * etti)
    assert (totaux.annexes, totaux.sans_proposition, totaux.sans_decision) == (2, 1, 2)

    enveloppe = EnveloppeModulation.objects.create(departement="55", annee=2025, montant=D("1000.00"))
    bilan = queries.bilan_enveloppe(enveloppe, totaux)
    assert bilan.reste == D("1000.00") - total
    assert bilan.depassement == (total > D("1000.00"))
    assert queries.bilan_enveloppe(None, totaux).reste is None
