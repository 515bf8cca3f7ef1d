"""Decisions (append-only history, the annexe's rate set in the same transaction, only by a DDETS agent of the
département) and the envelope with its history."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from conventions.models import AnnexeFinanciere, EtatAnnexe
from modulation.models import DecisionModulation, EnveloppeModulation
from modulation.services import decider_modulation, fixer_enveloppe

pytestmark = pytest.mark.django_db


def taux_de(annexe) -> D:
    return AnnexeFinanciere.objects.get(pk=annexe.pk).taux_modulation


def test_une_decision_fixe_le_taux_de_l_annexe_et_garde_la_proposition(departement, agent_55):
    decision = decider_modulation(departement, D("0.045"), "  Effort de formation à poursuivre.  ", agent_55)
    assert taux_de(departement) == D("0.045")
    decision.refresh_from_db()
    assert (decision.taux, decision.taux_propose, decision.annee_reference) == (D("0.045"), D("0.06"), 2024)
    assert decision.commentaire == "Effort de formation à poursuivre."
    assert decision.auteur == agent_55
    # The scores as shown (tests/modulation/test_queries.py): publics 47.3, effort 75, results 63.9.
    assert (decision.note_publics, decision.note_effort, decision.note_resultats) == (D("47.3"), D("75.0"), D("63.9"))
    assert decision.donnees["taux_propose"] == "0.06"
    effort = next(c for c in decision.donnees["criteres"] if c["code"] == "effort")
    assert effort["indicateurs"][0] | {"libelle": None} == {
        "code": "salaries_avec_action", "libelle": None, "numerateur": "2", "denominateur": "4", "valeur": "0.5",
        "cible": "0.5", "cible_par_defaut": False, "unite": "part", "note": "50.0", "poids": 1,
    }  # fmt: skip


def test_l_historique_garde_chaque_decision(departement, agent_55, admin):
    premiere = decider_modulation(departement, D("0.045"), "Première décision.", agent_55)
    seconde = decider_modulation(departement, D("0.07"), "Revue après l'avenant.", admin)
    assert list(DecisionModulation.objects.filter(annexe=departement).order_by("-date", "-pk")) == [seconde, premiere]
    premiere.refresh_from_db()
    assert premiere.taux == D("0.045")  # unchanged
    assert taux_de(departement) == D("0.07")


@pytest.mark.parametrize("role", ["agent_57", "membre_cdiae_55", "personnel_a"])
def test_seul_un_agent_du_departement_decide(request, departement, role):
    with pytest.raises(AnnexeFinanciere.DoesNotExist):
        decider_modulation(departement, D("0.05"), "Hors périmètre.", request.getfixturevalue(role))
    assert not DecisionModulation.objects.exists()
    assert taux_de(departement) == D("0.03")


@pytest.mark.parametrize(
    "taux,commentaire,champ,message",
    [
        (D("0.11"), "Trop.", "taux", "Taux décidé : le taux de modulation est compris entre 0 et 10 %."),
        (D("-0.01"), "Négatif.", "taux", "Taux décidé : le taux de modulation est compris entre 0 et 10 %."),
        (D("0.0425"), "Au centième.", "taux", "Taux décidé : le taux se décide au dixième de point"),
        (D("0.05"), "   ", "commentaire", "Commentaire : expliquez la décision"),
    ],
)
def test_valeurs_refusees_rien_n_est_ecrit(departement, agent_55, taux, commentaire, champ, message):
    with pytest.raises(ValidationError) as refus:
        decider_modulation(departement, taux, commentaire, agent_55)
    assert refus.value.message_dict[champ][0].startswith(message)
    assert not DecisionModulation.objects.exists()
    assert taux_de(departement) == D("0.03")


def test_une_annexe_cloturee_ne_change_plus(departement, agent_55):
    AnnexeFinanciere.objects.filter(pk=departement.pk).update(etat=EtatAnnexe.CLOTURE)
    with pytest.raises(ValidationError, match="rouvrez-la"):
        decider_modulation(departement, D("0.05"), "Trop tard.", agent_55)
    assert not DecisionModulation.objects.exists()


def test_rien_a_moitie_enregistre(departement, agent_55, monkeypatch):
    """The annexe's update fails after the decision's row: the transaction leaves neither."""

    def panne(*args, **kwargs):
        raise RuntimeError("panne de la base")

    monkeypatch.setattr(AnnexeFinanciere, "save", panne)
    with pytest.raises(RuntimeError):
        decider_modulation(departement, D("0.05"), "Décision interrompue.", agent_55)
    assert not DecisionModulation.objects.exists()
    assert taux_de(departement) == D("0.03")


def test_la_base_refuse_un_taux_hors_bornes_et_une_decision_sans_commentaire(departement, agent_55):
    from django.db import IntegrityError, transaction

    for valeurs in ({"taux": D("0.12"), "commentaire": "x"}, {"taux": D("0.05"), "commentaire": ""}):
        with pytest.raises(IntegrityError), transaction.atomic():
            DecisionModulation.objects.create(annexe=departement, annee_reference=2024, auteur=agent_55, **valeurs)


def test_l_enveloppe_et_son_historique(agent_55, admin):
    enveloppe = fixer_enveloppe("55", 2025, D("510000"), agent_55, "Notification du BOP 102")
    assert (enveloppe.montant, enveloppe.auteur) == (D("510000.00"), agent_55)
    fixer_enveloppe("55", 2025, D("498500.50"), admin, "Mise en réserve")
    fixer_enveloppe("55", 2025, D("498500.50"), agent_55, "Sans changement")  # same amount: no new version
    enveloppe.refresh_from_db()
    assert (enveloppe.montant, enveloppe.auteur) == (D("498500.50"), admin)
    assert EnveloppeModulation.objects.count() == 1
    assert list(
        enveloppe.historique.order_by("history_date", "history_id").values_list(
            "montant", "history_change_reason", "history_user"
        )
    ) == [(D("510000.00"), "Notification du BOP 102", agent_55.pk), (D("498500.50"), "Mise en réserve", admin.pk)]


@pytest.mark.parametrize("role", ["agent_57", "membre_cdiae_55", "personnel_a"])
def test_l_enveloppe_est_fixee_par_la_ddets_du_departement(request, role):
    with pytest.raises(PermissionDenied):
        fixer_enveloppe("55", 2025, D("1000"), request.getfixturevalue(role))
    assert not EnveloppeModulation.objects.exists()


def test_un_montant_negatif_est_refuse(agent_55):
    with pytest.raises(ValidationError) as refus:
        fixer_enveloppe("55", 2025, D("-1"), agent_55)
    assert refus.value.message_dict["montant"][0].startswith("Montant de l'enveloppe :")
    assert not EnveloppeModulation.objects.exists()


@pytest.mark.parametrize("relectures_manquees", [0, 1])
def test_deux_premieres_saisies_de_l_enveloppe_en_meme_temps(agent_55, admin, relectures_manquees):
    """Another agent saves the first amount of the same envelope at the same time: their row is committed just
    after this save has read that there was none. This save then changes it instead of failing on the unique
    constraint. `relectures_manquees`: how many more reads still miss that row (as a read from a snapshot taken
    before it was committed would)."""
    table = '"modulation_enveloppemodulation"'
    etat = {"concurrente": None, "manquees": 0}

    def course(execute, sql, params, many, context):
        if not (sql.startswith("SELECT") and f"FROM {table}" in sql):
            return execute(sql, params, many, context)
        if etat["concurrente"] is None:
            etat["concurrente"] = EnveloppeModulation.objects.create(
                departement="55", annee=2025, montant=D("500000.00"), auteur=admin
            )
        elif etat["manquees"] < relectures_manquees:
            etat["manquees"] += 1
        else:
            return execute(sql, params, many, context)
        return execute(sql, tuple(0 if p == 2025 else p for p in params), many, context)

    with connection.execute_wrapper(course):
        enveloppe = fixer_enveloppe("55", 2025, D("510000"), agent_55, "Notification du BOP 102")
    assert enveloppe.pk == etat["concurrente"].pk
    assert etat["manquees"] == relectures_manquees
    enveloppe.refresh_from_db()
    assert (enveloppe.montant, enveloppe.auteur) == (D("510000.00"), agent_55)
    assert EnveloppeModulation.objects.count() == 1
    versions = enveloppe.historique.order_by("history_id")
    assert list(versions.values_list("montant", flat=True)) == [D("500000.00"), D("510000.00")]
