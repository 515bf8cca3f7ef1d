"""The contract rules in the `parcours` import: what the file's columns allow to check (parcours/regles_pass.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from imports.services import analyser_fichier
from parcours import services_pass
from parcours.importation import CONTRATS_PAR_TYPE_DE_SIAE, ImportParcours
from parcours.models import Contrat, MotifProlongation, Parcours
from parcours.regles_pass import CONTRATS_PAR_TYPE_DE_SIAE as REGLE
from tests.factories import ParcoursFactory

pytestmark = pytest.mark.django_db

ENTETE = ";".join(ImportParcours.colonnes)


def analyser(*lignes: str):
    contenu = "\n".join([ENTETE, *lignes]) + "\n"
    return analyser_fichier("parcours", "parcours.csv", contenu.encode("utf-8"))


def ligne(siret, *, numero="999992500001", naissance="1985-03-14", debut_pass="2024-01-01", embauche="2024-01-01",
          type_contrat="CDDI", heures="26"):  # fmt: skip
    return (
        f"{numero};Martin;Léa;{naissance};F;{siret};{debut_pass};{embauche};{type_contrat};{heures};non;non;non;non;;"
    )


def erreurs(analyse) -> list[str]:
    return [str(e) for e in analyse.erreurs]


def test_la_table_des_contrats_vit_dans_les_regles():
    assert CONTRATS_PAR_TYPE_DE_SIAE is REGLE


def test_un_cddi_de_moins_de_20_heures_est_refuse_faute_de_colonne_de_derogation(siae_a):
    analyse = analyser(ligne(siae_a.siret, heures="19,5"))
    assert erreurs(analyse) == [
        "ligne 2, colonne heures_hebdo : un CDDI compte au moins 20 h par semaine, sauf dérogation enregistrée avec "
        "son motif. Le fichier n'a pas de colonne de dérogation : enregistrez ce contrat et sa dérogation sur la page "
        "du salarié."
    ]
    assert analyser(ligne(siae_a.siret, heures="20")).valide


def test_un_cddi_sans_heures_est_refuse(siae_a):
    assert erreurs(analyser(ligne(siae_a.siret, heures=""))) == [
        "ligne 2, colonne heures_hebdo : obligatoires pour un CDDI (au moins 20 h par semaine)."
    ]


def test_la_derogation_enregistree_sur_la_page_vaut_pour_l_import(siae_a):
    parcours = ParcoursFactory(
        siae=siae_a,
        pass_iae__numero="999992500001",
        pass_iae__date_debut=dt.date(2024, 1, 1),
        salarie__nom="Martin",
        salarie__date_naissance=dt.date(1985, 3, 14),
        date_embauche=dt.date(2024, 1, 1),
    )
    Contrat.objects.filter(parcours=parcours).update(
        heures_hebdo=Decimal("15"), derogation=True, motif_derogation="Premières heures en chantier"
    )
    assert analyser(ligne(siae_a.siret, heures="15")).valide


def test_le_type_de_contrat_selon_la_structure(siae_b):
    assert erreurs(analyser(ligne(siae_b.siret))) == [
        "ligne 2, colonne type_contrat : un contrat CDDI n'existe pas en ETTI (possibles : CDI_INCLUSION, MISSION)."
    ]


def test_cdi_inclusion_a_57_ans_apres_12_mois_de_parcours(siae_a):
    trop_jeune = ligne(siae_a.siret, naissance="1968-01-02", embauche="2025-01-01", type_contrat="CDI_INCLUSION")
    assert erreurs(analyser(trop_jeune)) == [
        "ligne 2, colonne type_contrat : un CDI inclusion est réservé aux salariés de 57 ans et plus ; 56 ans le "
        "01/01/2025."
    ]
    trop_tot = ligne(siae_a.siret, naissance="1960-01-01", embauche="2024-12-31", type_contrat="CDI_INCLUSION")
    assert [e.colonne for e in analyser(trop_tot).erreurs] == ["date_embauche"]
    assert analyser(
        ligne(siae_a.siret, naissance="1968-01-01", embauche="2025-01-01", type_contrat="CDI_INCLUSION")
    ).valide


def test_un_pass_prolonge_reste_valide_a_l_import(siae_a):
    parcours = ParcoursFactory(
        siae=siae_a,
        pass_iae__numero="999992500001",
        pass_iae__date_debut=dt.date(2024, 1, 1),
        salarie__nom="Martin",
        salarie__date_naissance=dt.date(1960, 3, 14),
        date_embauche=dt.date(2024, 1, 1),
    )
    embauche_tardive = ligne(
        siae_a.siret, naissance="1960-03-14", embauche="2026-03-01", type_contrat="CDI_INCLUSION", heures=""
    )
    assert [e.colonne for e in analyser(embauche_tardive).erreurs] == ["date_embauche"]  # after 31/12/2025
    services_pass.enregistrer_contrat(parcours, type="CDI_INCLUSION", date_debut=dt.date(2025, 1, 1))
    demande = services_pass.demander_prolongation(
        parcours,
        motif=MotifProlongation.objects.get(code="CDI_INCLUSION_57"),
        date_fin=dt.date(2026, 12, 31),
        date_demande=dt.date(2025, 6, 1),
        aujourd_hui=dt.date(2025, 6, 1),
    )
    services_pass.accorder_prolongation(demande, aujourd_hui=dt.date(2025, 6, 2))
    analyse = analyser(embauche_tardive)
    assert analyse.valide, erreurs(analyse)
    assert Parcours.objects.count() == 1
