"""What an entry of the trail says, without the database."""

import datetime as dt
from decimal import Decimal

from base.exports import texte_sans_formule
from conventions.models import AnnexeFinanciere, EtatAnnexe
from historique import regles
from imports.regles import resume_import

CHAMP = AnnexeFinanciere._meta.get_field


def test_une_modification_dit_les_champs_changes_de_quoi_a_quoi():
    avant = {"etp_conventionnes": Decimal("10"), "etat": "VALIDE", "motif": "x"}
    apres = {"etp_conventionnes": Decimal("12.00"), "etat": "VALIDE", "motif": "x"}
    assert regles.differences(list(avant), avant, apres, "~") == [
        ("etp_conventionnes", Decimal("10"), Decimal("12.00"))
    ]


def test_une_creation_dit_ce_qu_elle_remplit_une_suppression_rien():
    apres = {"etp_conventionnes": Decimal("2"), "objectif_part_brsa": None, "motif": "", "actif": False}
    assert regles.differences(list(apres), None, apres, "+") == [("etp_conventionnes", None, Decimal("2"))]
    assert regles.differences(list(apres), None, apres, "-") == []


def test_un_retrait_est_une_modification_qui_remplit_retire_le():
    maintenant = dt.datetime(2026, 12, 4, 10, 30, tzinfo=dt.UTC)
    assert regles.nature_de("~", [("retire_le", None, maintenant)]) == regles.RETRAIT
    assert regles.nature_de("~", [("montant", 1, 2)]) == regles.MODIFICATION
    assert regles.NATURES[regles.RETRAIT] == "Retrait"


def test_les_valeurs_aux_formats_francais():
    assert regles.valeur_lisible(CHAMP("etp_conventionnes"), Decimal("1234.5")) == "1\u202f234,50"
    assert regles.valeur_lisible(CHAMP("taux_modulation"), Decimal("0.045")) == "0,0450"
    assert regles.valeur_lisible(CHAMP("etat"), EtatAnnexe.CLOTURE) == "Clôturée"
    assert regles.valeur_lisible(CHAMP("date_debut"), dt.date(2024, 9, 1)) == "01/09/2024"
    assert regles.valeur_lisible(CHAMP("objectif_part_brsa"), None) == "–"
    assert regles.valeur_lisible(CHAMP("siae"), 7, {(CHAMP("siae").related_model, 7): "Jardins"}) == "Jardins"
    assert regles.valeur_lisible(CHAMP("siae"), 8) == "n° 8"
    assert regles.valeur_stockee(CHAMP("etp_conventionnes"), "12.50") == Decimal("12.50")
    assert regles.valeur_stockee(CHAMP("date_debut"), "2024-09-01") == dt.date(2024, 9, 1)


def test_un_texte_n_arrive_jamais_comme_formule_dans_un_tableur():
    assert texte_sans_formule('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert texte_sans_formule("+33 6") == "'+33 6"
    assert texte_sans_formule("@SUM(A1)") == "'@SUM(A1)"
    assert texte_sans_formule("-1\u202f234,50") == "-1\u202f234,50"
    assert texte_sans_formule("-x") == "'-x"
    assert texte_sans_formule("Extension") == "Extension"


def test_le_resume_d_un_import():
    assert resume_import("Annexes financières", "a.csv", 2, 1, 40) == (
        "Annexes financières, a.csv : 2 créations, 1 modification, 40 inchangées"
    )
