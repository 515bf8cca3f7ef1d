"""Once an annexe's modulation has been decided, its rate belongs to the decisions (modulation/services.py): the
annexe's form shows it without letting it change, an import refuses any other rate (the whole file), accepts the
decided one, and an empty cell changes nothing."""

from decimal import Decimal

import pytest
from django.utils import timezone

from conventions.forms import AnnexeForm
from conventions.models import AnnexeFinanciere
from modulation.models import DecisionModulation
from modulation.services import decider_modulation
from tests.conventions.test_departement import ENTETE_ANNEXES, SIAE, A, B, C, importer

pytestmark = pytest.mark.django_db

PREFIXE = "ACI055240001"  # lines 2 (A0M0) and 3 (A1M0) of the file


def annexes(aci="5", avenant=None, ei="0", etp_ei="1,5", ai="0", numero_ai="AI055240001A0M0") -> str:
    """The annexes file of tests/conventions/test_departement.py (Meuse only), with the rates given (in %)."""
    avenant = aci if avenant is None else avenant
    return (
        f"{ENTETE_ANNEXES}\n"
        f"ACI055240001A0M0;{A};ACI;2024-01-01;2024-12-31;2;;{aci};0;VALIDE;60;25;40\n"
        f"ACI055240001A1M0;{A};ACI;2024-07-01;2024-12-31;3;;{avenant};0;VALIDE;60;25;40\n"
        f"EI055240001A0M0;{B};EI;01/03/2024;31/12/2024;{etp_ei};;{ei};0;PROVISOIRE;;;\n"
        f"{numero_ai};{C};AI;2024-01-01;2024-12-31;4;;{ai};0;VALIDE;;;\n"
    )


def taux(prefixe: str = PREFIXE) -> Decimal:
    return AnnexeFinanciere.objects.get(prefixe=prefixe).taux_modulation


def le_jour(decision: DecisionModulation) -> str:
    return f"{timezone.localtime(decision.date):%d/%m/%Y}"


@pytest.fixture
def decidee(tmp_path, agent_55):
    """The département of tests/conventions/test_departement.py, then the 2024 annexe of Chantier A decided at
    4,5 % instead of the 5 % imported."""
    importer(tmp_path, "siae", SIAE)
    importer(tmp_path, "annexes", annexes())
    annexe = AnnexeFinanciere.objects.get(prefixe=PREFIXE)
    return decider_modulation(annexe, Decimal("0.045"), "Effort de formation à poursuivre.", agent_55)


def test_un_autre_taux_est_refuse_et_rien_n_est_ecrit(tmp_path, decidee, capsys):
    assert taux() == Decimal("0.045")
    # The same file as before (5 % on both lines of the decided annexe) with another change: Entreprise B's ETP.
    contenu = annexes(etp_ei="2")
    capsys.readouterr()
    with pytest.raises(SystemExit) as sortie:
        importer(tmp_path, "annexes", contenu, nom="annexes-5.csv")
    assert sortie.value.code == 1
    erreurs = capsys.readouterr().err
    message = (
        f"colonne taux_modulation : le taux est fixé par la décision de modulation du {le_jour(decidee)} "
        "(4,5\u00a0%) ; modifiez-le sur la page de modulation de l'annexe"
    )
    assert f"ligne 2, {message}" in erreurs and f"ligne 3, {message}" in erreurs
    assert "rien n'a été enregistré" in erreurs
    assert taux() == Decimal("0.045")
    assert AnnexeFinanciere.objects.get(prefixe="EI055240001").etp_conventionnes == Decimal("1.5")


@pytest.mark.parametrize("cellule", ["4,5", "4.50", ""])
def test_le_taux_decide_ou_une_cellule_vide_sont_acceptes(tmp_path, decidee, capsys, cellule):
    contenu = annexes(aci="4,5", avenant=cellule)
    capsys.readouterr()
    importer(tmp_path, "annexes", contenu, nom="annexes-45.csv")
    assert "0 créé(s), 0 modifié(s), 4 inchangé(s)" in capsys.readouterr().out
    assert taux() == Decimal("0.045")
    assert DecisionModulation.objects.count() == 1


def test_sans_decision_une_cellule_vide_garde_le_taux(tmp_path, decidee):
    # Entreprise B (no decision): 0 % imported, then 3 %, then an empty cell.
    importer(tmp_path, "annexes", annexes(aci="4,5", ei="3"), nom="3.csv")
    assert taux("EI055240001") == Decimal("0.03")
    importer(tmp_path, "annexes", annexes(aci="", ei=""), nom="vide.csv")
    assert (taux("EI055240001"), taux()) == (Decimal("0.03"), Decimal("0.045"))
    # A new annexe with an empty cell: 0 %.
    importer(tmp_path, "annexes", annexes(aci="", ei="", ai="", numero_ai="AI055240002A0M0"), nom="nouvelle.csv")
    assert taux("AI055240002") == Decimal("0")


def donnees_du_formulaire(annexe: AnnexeFinanciere, taux_pourcent: str) -> dict:
    return {
        "siae": annexe.siae_id,
        "numero": annexe.numero,
        "date_debut": f"{annexe.date_debut:%Y-%m-%d}",
        "date_fin": f"{annexe.date_fin:%Y-%m-%d}",
        "etat": annexe.etat,
        "etp_conventionnes": "3",
        "heures_annuelles_par_etp": "",
        "taux_modulation_pourcent": taux_pourcent,
        "montant_cofinance_cd": "0",
    }


def test_le_formulaire_montre_le_taux_decide_sans_le_laisser_changer(decidee, agent_55):
    annexe = AnnexeFinanciere.objects.get(prefixe=PREFIXE)
    form = AnnexeForm(instance=annexe, user=agent_55)
    champ = form.fields["taux_modulation_pourcent"]
    assert champ.disabled
    assert form.initial["taux_modulation_pourcent"] == Decimal("4.5")
    assert champ.help_text == (
        f"Fixé à 4,5\u00a0% par la décision de modulation du {le_jour(decidee)} : il se modifie sur "
        f'<a href="/modulation/annexe/{annexe.pk}/">la page de modulation de l\'annexe</a>.'
    )
    html = str(form["taux_modulation_pourcent"].as_field_group())
    assert "disabled" in html and f'href="/modulation/annexe/{annexe.pk}/"' in html
    # Whatever is posted, the decided rate is what the form gives.
    form = AnnexeForm(donnees_du_formulaire(annexe, "7"), instance=annexe, user=agent_55)
    assert form.is_valid(), form.errors
    assert form.valeurs()["taux_modulation"] == Decimal("0.045")


def test_sans_decision_le_formulaire_laisse_le_taux_a_l_agent(decidee, agent_55):
    annexe = AnnexeFinanciere.objects.get(prefixe="AI055240001")
    form = AnnexeForm(donnees_du_formulaire(annexe, "2,5"), instance=annexe, user=agent_55)
    assert not form.fields["taux_modulation_pourcent"].disabled
    assert form.initial["taux_modulation_pourcent"] == Decimal("0")
    assert form.is_valid(), form.errors
    assert form.valeurs()["taux_modulation"] == Decimal("0.025")
