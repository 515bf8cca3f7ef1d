"""Writes: refused transitions with the period and the gap named, nothing half-saved, FDI caps enforced in the
service and in the database, the FDI line that follows an accorded candidature."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from financements import services
from financements.choix import DecisionFdi, Dispositif, EtatProjet, Financeur
from financements.models import CandidatureFdi, LigneBudgetaire, LigneFinancement, PeriodeBudgetaire, Projet
from tests.factories import SiaeFactory
from tests.financements.factories import (
    AppelAProjetsFactory,
    LigneFinancementFactory,
    ProjetFactory,
    lignes_seed_004,
    projet_seed_004,
)

pytestmark = pytest.mark.django_db


def test_le_budget_du_seed_004_se_depose_puis_se_retient():
    projet = projet_seed_004()
    bilans = services.bilan_du_projet(projet)
    assert [(b.frais_indirects, b.total_charges, b.resultat) for b in bilans] == [
        (D("11060.00"), D("66360"), 0),
        (D("16120.00"), D("96720"), 0),
    ]
    services.changer_etat_projet(projet, EtatProjet.DEPOSE)
    projet = services.changer_etat_projet(projet, EtatProjet.RETENU)
    assert Projet.objects.get(pk=projet.pk).etat == EtatProjet.RETENU


def test_un_budget_desequilibre_ne_se_depose_pas():
    projet = projet_seed_004()
    services.enregistrer_budget(projet, lignes_seed_004(**{"FDI État": ("3000", "4000")}))
    with pytest.raises(ValidationError) as erreur:
        services.changer_etat_projet(projet, EtatProjet.DEPOSE)
    # 2025: produits 66 360 − 1 000 = 65 360.
    assert erreur.value.messages == [
        "Le projet ne peut pas être « déposé » : son budget n'est pas équilibré.",
        "Période « 05 à 12/2025 » : les charges (66\u202f360,00\u00a0€) dépassent les produits "
        "(65\u202f360,00\u00a0€) de 1\u202f000,00\u00a0€.",
    ]
    assert Projet.objects.get(pk=projet.pk).etat == EtatProjet.BROUILLON


def test_transitions_refusees():
    projet = projet_seed_004()
    with pytest.raises(ValidationError, match="« brouillon » ne peut pas passer à « retenu »"):
        services.changer_etat_projet(projet, EtatProjet.RETENU)
    services.changer_etat_projet(projet, EtatProjet.DEPOSE)
    services.changer_etat_projet(projet, EtatProjet.RETENU)
    with pytest.raises(ValidationError, match="« retenu » ne peut pas passer à « brouillon »"):
        services.changer_etat_projet(projet, EtatProjet.BROUILLON)


def test_un_projet_depose_garde_un_budget_equilibre_sinon_rien_n_est_ecrit():
    projet = projet_seed_004()
    services.changer_etat_projet(projet, EtatProjet.DEPOSE)
    avant = sorted(LigneBudgetaire.objects.filter(projet=projet).values_list("pk", "montant"))
    with pytest.raises(ValidationError) as erreur:
        services.enregistrer_budget(projet, lignes_seed_004(**{"Matériel Commercy": ("1200", "500")}))
    # 2026: fonctionnement + 500 → charges + 500 × 1,2 = 600.
    assert erreur.value.messages[1] == (
        "Période « 01 à 12/2026 » : les charges (97\u202f320,00\u00a0€) dépassent les produits "
        "(96\u202f720,00\u00a0€) de 600,00\u00a0€."
    )
    assert sorted(LigneBudgetaire.objects.filter(projet=projet).values_list("pk", "montant")) == avant


def test_retirer_une_periode_retire_ses_montants_et_verifie_l_equilibre():
    projet = projet_seed_004()
    periodes = list(projet.periodes.order_by("ordre"))
    services.changer_etat_projet(projet, EtatProjet.DEPOSE)
    # Keeping only 2026 leaves a balanced budget.
    premiere = periodes[1]
    services.enregistrer_projet(
        projet, [services.SaisiePeriode(premiere.libelle, premiere.debut, premiere.fin, premiere.pk)]
    )
    assert list(PeriodeBudgetaire.objects.filter(projet=projet).values_list("libelle", "ordre")) == [
        ("01 à 12/2026", 1)
    ]
    assert LigneBudgetaire.objects.filter(projet=projet).count() == 12
    assert services.bilan_du_projet(projet)[0].total_charges == D("96720")


def test_budget_refuse_ligne_par_ligne():
    projet = projet_seed_004()
    with pytest.raises(ValidationError) as erreur:
        services.enregistrer_budget(projet, [services.SaisieLigneBudget("PERSONNEL", " ", (D("1"), D("-2")))])
    assert erreur.value.messages == [
        "Ligne 1 : indiquez un libellé.",
        "Ligne 1, période « 01 à 12/2026 » : un montant ne peut pas être négatif.",
    ]
    assert LigneBudgetaire.objects.filter(projet=projet).count() == 24


def test_ligne_de_financement_controlee():
    siae = SiaeFactory()
    for dispositif, financeur, champ in (
        (Dispositif.AIDE_AU_POSTE, Financeur.ETAT, "dispositif"),
        (Dispositif.COFINANCEMENT, Financeur.DEPARTEMENT, "dispositif"),
    ):
        ligne = LigneFinancement(
            financeur=financeur, dispositif=dispositif, siae=siae, annee=2025, libelle="x", montant_engage=D(1)
        )
        with pytest.raises(ValidationError) as erreur:
            services.enregistrer_ligne(ligne)
        assert champ in erreur.value.message_dict
    ligne = LigneFinancement(
        financeur=Financeur.COMMUNE_EPCI,
        dispositif=Dispositif.COFINANCEMENT,
        siae=siae,
        annee=2025,
        libelle="Ville – cofinancement",
        montant_engage=D("5000"),
        montant_verse=D("6000"),
        part_variable_max=D("5000"),
    )
    with pytest.raises(ValidationError) as erreur:
        services.enregistrer_ligne(ligne)
    assert erreur.value.message_dict == {
        "montant_verse": ["Le montant versé (6\u202f000,00\u00a0€) dépasse le montant engagé (5\u202f000,00\u00a0€)."]
    }
    assert not LigneFinancement.objects.exists()
    ligne.montant_verse = D("2500")
    services.enregistrer_ligne(ligne)
    assert (ligne.departement, ligne.siae_concernee_id) == ("55", siae.pk)


def test_la_base_refuse_ce_que_les_regles_refusent():
    siae = SiaeFactory()
    for valeurs in (
        {"montant_engage": D(100), "part_variable_max": D(101)},
        {"montant_engage": D(100), "montant_verse": D(101)},
        {"dispositif": Dispositif.MODULATION, "financeur": Financeur.ETAT},
        {"projet": ProjetFactory()},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            LigneFinancementFactory(siae=siae, **valeurs)
    with pytest.raises(IntegrityError), transaction.atomic():
        LigneFinancementFactory(siae=None, projet=None)


def test_les_lignes_d_un_projet_suivent_son_departement_et_sa_structure():
    projet = projet_seed_004()
    ligne = LigneFinancementFactory(projet=projet, siae=None, fse=True)
    assert (ligne.departement, ligne.siae_concernee_id) == ("55", None)
    siae_57 = SiaeFactory(moselle=True)
    projet.departement, projet.siae_porteuse = "57", siae_57
    periodes = [services.SaisiePeriode(p.libelle, p.debut, p.fin, p.pk) for p in projet.periodes.order_by("ordre")]
    services.enregistrer_projet(projet, periodes)
    ligne.refresh_from_db()
    assert (ligne.departement, ligne.siae_concernee_id) == ("57", siae_57.pk)


def candidature(appel, projet, *montants, decision=DecisionFdi.EN_ATTENTE):
    cout_inv, aide_inv, cout_conseil, aide_conseil = (D(m) for m in montants)
    return CandidatureFdi(
        appel=appel,
        projet=projet,
        cout_eligible_investissement=cout_inv,
        aide_investissement=aide_inv,
        cout_eligible_conseil=cout_conseil,
        aide_conseil=aide_conseil,
        decision=decision,
    )


def test_candidature_aux_plafonds_puis_accordee_devient_une_ligne_fdi():
    appel, projet = AppelAProjetsFactory(annee=2025), ProjetFactory()
    # 70 % × 100 000 = 70 000 and 30 % × 66 666,67 = 20 000,001 → 20 000; total 90 000.
    c = services.enregistrer_candidature(candidature(appel, projet, "100000", "70000", "66666.67", "20000"))
    assert not LigneFinancement.objects.exists()
    c.decision = DecisionFdi.ACCORDEE
    services.enregistrer_candidature(c)
    ligne = LigneFinancement.objects.get()
    assert (ligne.financeur, ligne.dispositif, ligne.annee, ligne.projet_id, ligne.montant_engage) == (
        Financeur.ETAT,
        Dispositif.FDI,
        2025,
        projet.pk,
        D("90000"),
    )
    c.aide_conseil = D("15000")
    services.enregistrer_candidature(c)
    ligne.refresh_from_db()
    assert ligne.montant_engage == D("85000")
    ligne.montant_verse = D("40000")
    services.enregistrer_ligne(ligne)
    c.decision = DecisionFdi.REFUSEE
    with pytest.raises(ValidationError, match="déjà été en partie versée"):
        services.enregistrer_candidature(c)
    assert CandidatureFdi.objects.get().decision == DecisionFdi.ACCORDEE
    with pytest.raises(ValidationError, match="changez la décision"):
        services.supprimer_ligne(ligne)


def test_candidature_au_dela_des_plafonds_refusee_par_champ():
    appel = AppelAProjetsFactory(taux_max_investissement=D("0.50"), plafond_par_projet=D("40000"))
    projet = ProjetFactory()
    with pytest.raises(ValidationError) as erreur:
        services.enregistrer_candidature(candidature(appel, projet, "60000", "36000", "20000", "6000.01"))
    messages = erreur.value.message_dict
    assert messages["aide_investissement"] == [
        "L'aide à l'investissement (36\u202f000,00\u00a0€) dépasse 50,0\u00a0% du coût éligible "
        "(60\u202f000,00\u00a0€) : au plus 30\u202f000,00\u00a0€.",
        "Le total des aides (42\u202f000,01\u00a0€) dépasse le plafond de 40\u202f000,00\u00a0€ par projet.",
    ]
    assert messages["aide_conseil"][0].startswith("L'aide au conseil (6\u202f000,01\u00a0€) dépasse 30,0\u00a0%")
    assert not CandidatureFdi.objects.exists()


def test_candidature_d_un_autre_departement():
    appel, projet = AppelAProjetsFactory(), ProjetFactory(departement="57")
    with pytest.raises(ValidationError) as erreur:
        services.enregistrer_candidature(candidature(appel, projet, "1000", "700", "0", "0"))
    assert erreur.value.message_dict == {"projet": ["Le projet n'est pas du département de l'appel à projets."]}


@pytest.mark.parametrize(
    "montants,contrainte",
    [
        (("100000", "70000.01", "0", "0"), "candidature_investissement_70_pourcent"),
        (("0", "0", "10000", "3000.01"), "candidature_conseil_30_pourcent"),
        (("130000", "90000", "1000", "0.01"), "candidature_plafond_90000"),
    ],
)
def test_la_base_refuse_les_depassements_reglementaires(montants, contrainte):
    appel, projet = AppelAProjetsFactory(), ProjetFactory()
    with pytest.raises(IntegrityError, match=contrainte), transaction.atomic():
        candidature(appel, projet, *montants).save()


def test_les_plafonds_de_l_appel_restent_reglementaires():
    with pytest.raises(ValidationError) as erreur:
        services.enregistrer_appel(AppelAProjetsFactory.build(taux_max_conseil=D("0.35")))
    assert list(erreur.value.message_dict) == ["taux_max_conseil"]
    with pytest.raises(IntegrityError), transaction.atomic():
        AppelAProjetsFactory(plafond_par_projet=D("90000.01"))
    appel, projet = AppelAProjetsFactory(), ProjetFactory()
    services.enregistrer_candidature(candidature(appel, projet, "100000", "70000", "0", "0"))
    appel.taux_max_investissement = D("0.60")
    with pytest.raises(ValidationError, match=projet.nom):
        services.enregistrer_appel(appel)
    appel.refresh_from_db()
    assert appel.taux_max_investissement == D("0.70")


def test_le_plafond_par_projet_compte_les_aides_des_autres_appels():
    projet = ProjetFactory()
    premier, second = AppelAProjetsFactory(annee=2025), AppelAProjetsFactory(annee=2026)
    # First call: 70 % × 100 000 = 70 000 accorded.
    services.enregistrer_candidature(
        candidature(premier, projet, "100000", "70000", "0", "0", decision=DecisionFdi.ACCORDEE)
    )
    # Second call: 20 000 more is within its own cap, and 70 000 + 20 000 = 90 000 within the project's.
    c = services.enregistrer_candidature(candidature(second, projet, "100000", "20000", "50000", "0"))
    c.aide_investissement, c.aide_conseil, c.decision = D("15000"), D("5000.01"), DecisionFdi.ACCORDEE
    with pytest.raises(ValidationError) as erreur:
        services.enregistrer_candidature(c)
    # 90 000 − 70 000 = 20 000 left; 15 000 + 5 000,01 = 20 000,01 asked.
    assert erreur.value.message_dict == {
        "aide_investissement": [
            "Total des aides FDI du projet : 70\u202f000,00\u00a0€ déjà accordés par d'autres appels à projets et "
            "20\u202f000,01\u00a0€ ici dépasseraient le plafond de 90\u202f000,00\u00a0€ par projet ; il reste au "
            "plus 20\u202f000,00\u00a0€ à accorder à ce projet."
        ]
    }
    assert CandidatureFdi.objects.get(pk=c.pk).decision == DecisionFdi.EN_ATTENTE
    assert LigneFinancement.objects.filter(projet=projet).count() == 1
    c.aide_conseil = D("5000")
    services.enregistrer_candidature(c)
    engages = LigneFinancement.objects.filter(projet=projet).order_by("annee").values_list("montant_engage", flat=True)
    assert list(engages) == [D("70000"), D("20000")]
    # Raising the first aid now would take the project past 90 000: refused too, and the first line unchanged.
    premiere = CandidatureFdi.objects.get(appel=premier)
    premiere.aide_investissement = D("70000.01")
    premiere.cout_eligible_investissement = D("110000")
    with pytest.raises(ValidationError) as erreur:
        services.enregistrer_candidature(premiere)
    # 90 000 − 20 000 = 70 000 left; 70 000,01 asked.
    assert erreur.value.message_dict["aide_investissement"][0].endswith(
        "il reste au plus 70\u202f000,00\u00a0€ à accorder à ce projet."
    )
    assert list(engages.all()) == [D("70000"), D("20000")]


def test_une_candidature_en_attente_n_est_pas_comptee():
    projet = ProjetFactory()
    premier, second = AppelAProjetsFactory(annee=2025), AppelAProjetsFactory(annee=2026)
    services.enregistrer_candidature(candidature(premier, projet, "100000", "70000", "0", "0"))
    c = services.enregistrer_candidature(
        candidature(second, projet, "100000", "70000", "0", "0", decision=DecisionFdi.ACCORDEE)
    )
    assert c.ligne_financement.montant_engage == D("70000")


def test_la_siae_porteuse_hors_du_departement_du_projet_est_refusee(siae_57, siae_a):
    projet = ProjetFactory.build(departement="55", siae_porteuse=siae_57)
    periodes = [services.SaisiePeriode("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31))]
    message = (
        "SIAE porteuse : la structure est du département 57, le projet du département 55 ; choisissez une SIAE du "
        "département du projet."
    )
    with pytest.raises(ValidationError) as erreur:
        services.enregistrer_projet(projet, periodes)
    assert erreur.value.message_dict == {"siae_porteuse": [message]}
    assert not Projet.objects.exists() and not PeriodeBudgetaire.objects.exists()
    # A project moved to another département without its carrying structure: refused, the stored one unchanged.
    projet = services.enregistrer_projet(ProjetFactory.build(departement="55", siae_porteuse=siae_a), periodes)
    projet.departement = "57"
    with pytest.raises(ValidationError) as erreur:
        services.enregistrer_projet(projet, periodes)
    assert erreur.value.message_dict["siae_porteuse"] == [
        "SIAE porteuse : la structure est du département 55, le projet du département 57 ; choisissez une SIAE du "
        "département du projet."
    ]
    assert Projet.objects.get(pk=projet.pk).departement == "55"
    # The admin's form calls the model's validation: the same message, on the same field.
    projet.departement = "55"
    projet.siae_porteuse = siae_57
    with pytest.raises(ValidationError) as erreur:
        projet.full_clean()
    assert erreur.value.message_dict == {"siae_porteuse": [message]}


def test_une_ligne_supprimee_reste_avec_qui_l_a_supprimee(agent_55):
    ligne = LigneFinancementFactory()
    services.supprimer_ligne(ligne, agent_55)
    assert not LigneFinancement.objects.filter(pk=ligne.pk).exists()  # out of every page and figure
    gardee = LigneFinancement.tous.get(pk=ligne.pk)
    assert (gardee.retire, gardee.retire_par, gardee.montant_engage) == (True, agent_55, ligne.montant_engage)
    assert gardee.historique.first().history_user == agent_55


def test_une_aide_fdi_retiree_puis_accordee_de_nouveau_reprend_sa_ligne():
    appel, projet = AppelAProjetsFactory(annee=2025), ProjetFactory()
    c = services.enregistrer_candidature(candidature(appel, projet, "100000", "70000", "0", "0"))
    c.decision = DecisionFdi.ACCORDEE
    services.enregistrer_candidature(c)
    ligne = LigneFinancement.objects.get()
    c.decision = DecisionFdi.REFUSEE
    services.enregistrer_candidature(c)
    assert not LigneFinancement.objects.exists() and LigneFinancement.tous.get().retire
    c.decision = DecisionFdi.ACCORDEE
    services.enregistrer_candidature(c)
    assert LigneFinancement.objects.get().pk == ligne.pk
    assert [v.retire_le is None for v in ligne.historique.order_by("history_id")] == [True, False, True]
