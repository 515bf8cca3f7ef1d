"""The demo's modulation (demo/modulation.py): insertion actions for part of the salariés of 2024–2026, the
2025 and 2026 envelopes, the 2025 decisions at the annexes' own rates, through the modulation's services. On the
session's demo (tests/conftest.py); running it again: tests/demo/test_demo.py."""

from collections import Counter

import pytest

from conventions.models import AnnexeFinanciere
from demo.modulation import ENVELOPPES, RANG_REVISE
from demo.plan import AUJOURD_HUI, planifier
from demo.structures import siret_demo
from indicateurs.queries_sorties import lignes_de_l_annee
from modulation.models import DecisionModulation, EnveloppeModulation
from modulation.queries import lignes_de_modulation
from parcours.models import ActionInsertion, TypeActionInsertion
from parcours.regles_actions import erreurs_action
from siae.models import Siae

pytestmark = [pytest.mark.django_db, pytest.mark.lent, pytest.mark.usefixtures("demo")]


def test_les_actions_suivent_les_regles_de_la_page():
    actions = list(ActionInsertion.objects.select_related("parcours"))
    assert len(actions) > 1000
    for action in actions:
        p = action.parcours
        assert not erreurs_action(
            type=action.type,
            libelle=action.libelle,
            date_debut=action.date_debut,
            date_fin=action.date_fin,
            heures=action.heures,
            date_embauche=p.date_embauche,
            date_sortie=p.date_sortie,
            aujourd_hui=AUJOURD_HUI,
        ), action
    assert set(Counter(a.type for a in actions)) == set(TypeActionInsertion.values)
    assert {a.date_debut.year for a in actions} == {2024, 2025, 2026}


def test_une_part_realiste_des_salaries_a_une_action():
    structures = Siae.objects.filter(departement="55")
    for annee in (2024, 2025):
        salaries = set(lignes_de_l_annee(structures, annee).values_list("parcours__pass_iae", flat=True))
        avec_action = set(
            ActionInsertion.objects.filter(date_debut__year=annee).values_list("parcours__pass_iae", flat=True)
        )
        part = len(salaries & avec_action) / len(salaries)
        assert 0.3 < part < 0.7, (annee, part)


def test_les_decisions_2025_sont_les_taux_des_annexes():
    # By number without its avenant part (an avenant changes the number, not the rate).
    prevus = {a.numero[:-4]: a.valeurs["taux_modulation"] for a in planifier([s.type for s in structures()]).annexes}
    annexes = list(AnnexeFinanciere.objects.filter(date_debut__year=2025))
    assert len(annexes) == 28
    for annexe in annexes:
        # The amounts stay as planned: the latest decision is the annexe's own rate.
        assert annexe.taux_modulation == prevus[annexe.prefixe]
        decisions = list(DecisionModulation.objects.filter(annexe=annexe).order_by("-date", "-pk"))
        assert decisions and decisions[0].taux == annexe.taux_modulation
        # Decided through the service: the annexe knows when, so an import does not silently change the rate.
        assert annexe.taux_modulation_decide_le == decisions[0].date
        assert all(d.commentaire and d.date.year == 2025 for d in decisions)
        assert {d.auteur.email for d in decisions} == {"agent.ddets@pilot-iae.test"}
        assert all(d.annee_reference == 2024 and d.taux_propose is not None for d in decisions)
    revue = AnnexeFinanciere.objects.get(siae__siret=siret_demo(RANG_REVISE), date_debut__year=2025)
    assert revue.decisions_modulation.count() == 2
    assert not DecisionModulation.objects.filter(annexe__date_debut__year__in=(2024, 2026)).exists()


def test_les_propositions_2026_se_distinguent():
    lignes = lignes_de_modulation(AnnexeFinanciere.objects.filter(date_debut__year=2026))
    taux = [ligne.proposition.taux for ligne in lignes]
    assert None not in taux
    assert len(set(taux)) >= 4
    assert all(0 <= t <= 0.10 for t in taux)


def test_les_enveloppes():
    for annee, montant in ENVELOPPES.items():
        enveloppe = EnveloppeModulation.objects.get(departement="55", annee=annee)
        assert enveloppe.montant == montant
        assert list(enveloppe.historique.values_list("montant", flat=True)) == [montant]


def structures():
    return list(Siae.objects.filter(siret__startswith="00055").order_by("siret"))
