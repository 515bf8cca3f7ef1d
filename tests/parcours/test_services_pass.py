"""The writes of a PASS IAE's life (parcours/services_pass.py): each checked by the rules, all or nothing, and each
recomputing the PASS's end from all its suspensions and granted prolongations."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from parcours import services_pass
from parcours.models import (
    Contrat,
    MotifProlongation,
    MotifSortie,
    MotifSuspension,
    Prolongation,
    StatutProlongation,
    Suspension,
    TypeContrat,
)
from tests.factories import ParcoursFactory, SiaeFactory

pytestmark = pytest.mark.django_db

D = dt.date
# The PASS starts on 1 October 2023 and ends on 30 September 2025; the hire is on 1 January 2024.
FIN_INITIALE = D(2025, 9, 30)
AUJOURD_HUI = D(2025, 6, 15)


def suspension(code="CONTRAT_ROMPU"):
    return MotifSuspension.objects.get(code=code)


def motif(code):
    return MotifProlongation.objects.get(code=code)


@pytest.fixture
def parcours(siae_a):
    return ParcoursFactory(siae=siae_a, salarie__date_naissance=D(1960, 5, 1), date_embauche=D(2024, 1, 1))


def messages(erreur: ValidationError) -> dict[str, list[str]]:
    return erreur.value.message_dict


def suspendre(parcours, debut, fin, code="CONTRAT_ROMPU", aujourd_hui=AUJOURD_HUI):
    return services_pass.enregistrer_suspension(
        parcours, motif=suspension(code), date_debut=debut, date_fin=fin, aujourd_hui=aujourd_hui
    )


# Suspensions -------------------------------------------------------------------------------------------------


def test_une_suspension_repousse_la_fin_du_pass(parcours, personnel_a):
    s = services_pass.enregistrer_suspension(
        parcours,
        motif=suspension(),
        date_debut=D(2025, 3, 1),
        date_fin=D(2025, 3, 10),
        auteur=personnel_a,
        aujourd_hui=AUJOURD_HUI,
    )
    parcours.pass_iae.refresh_from_db()
    assert parcours.pass_iae.date_fin == FIN_INITIALE + dt.timedelta(days=10)
    assert (s.siae, s.auteur) == (parcours.siae, personnel_a)


def test_une_suspension_refusee_n_ecrit_rien(parcours):
    with pytest.raises(ValidationError) as erreur:
        suspendre(parcours, AUJOURD_HUI + dt.timedelta(days=1), D(2025, 7, 31))
    assert list(messages(erreur)) == ["date_debut"]
    assert messages(erreur)["date_debut"][0].startswith("Début : ")
    assert not Suspension.objects.exists()
    parcours.pass_iae.refresh_from_db()
    assert parcours.pass_iae.date_fin == FIN_INITIALE


def test_les_suspensions_du_pass_ne_se_chevauchent_pas_meme_d_une_autre_structure(parcours, siae_b):
    ailleurs = ParcoursFactory(
        siae=SiaeFactory(ei=True), salarie=parcours.salarie, pass_iae=parcours.pass_iae, date_embauche=D(2025, 1, 6)
    )
    suspendre(ailleurs, D(2025, 3, 1), D(2025, 3, 31))
    with pytest.raises(ValidationError) as erreur:
        suspendre(parcours, D(2025, 3, 15), D(2025, 4, 15))
    assert "chevauche" in messages(erreur)["date_debut"][0]
    suspendre(parcours, D(2025, 4, 1), D(2025, 4, 15))
    parcours.pass_iae.refresh_from_db()
    assert parcours.pass_iae.date_fin == FIN_INITIALE + dt.timedelta(days=31 + 15)


def test_contrat_passerelle_hors_ei_et_aci(siae_b):
    parcours = ParcoursFactory(siae=siae_b, date_embauche=D(2024, 1, 1))  # ETTI
    with pytest.raises(ValidationError) as erreur:
        suspendre(parcours, D(2025, 1, 1), D(2025, 2, 1), code="CONTRAT_PASSERELLE")
    assert "motif" in messages(erreur)


# Prolongations -----------------------------------------------------------------------------------------------


FIN_DEMANDEE, DATE_DEMANDE = D(2026, 9, 30), D(2025, 6, 1)


def demander(parcours, code="RQTH", fin=FIN_DEMANDEE, date_demande=DATE_DEMANDE, **kwargs):
    return services_pass.demander_prolongation(
        parcours, motif=motif(code), date_fin=fin, date_demande=date_demande, aujourd_hui=AUJOURD_HUI, **kwargs
    )


def test_demande_puis_accord_la_fin_devient_celle_de_la_prolongation(parcours):
    demande = demander(parcours, prescripteur_organisation="France Travail Verdun")
    assert (demande.date_debut, demande.date_fin, demande.statut) == (D(2025, 10, 1), D(2026, 9, 30), "DEMANDEE")
    assert (demande.decideur, demande.siae) == ("PRESCRIPTEUR", parcours.siae)
    parcours.pass_iae.refresh_from_db()
    assert parcours.pass_iae.date_fin == FIN_INITIALE  # a request changes nothing yet

    services_pass.accorder_prolongation(
        demande, date_decision=D(2025, 6, 10), prescripteur_personne="Anne Durand", aujourd_hui=AUJOURD_HUI
    )
    demande.refresh_from_db()
    assert (demande.statut, demande.date_decision) == ("ACCORDEE", D(2025, 6, 10))
    assert (demande.prescripteur_organisation, demande.prescripteur_personne) == (
        "France Travail Verdun",
        "Anne Durand",
    )
    parcours.pass_iae.refresh_from_db()
    assert parcours.pass_iae.date_fin == D(2026, 9, 30)


def test_une_demande_en_cours_bloque_la_suivante(parcours):
    demander(parcours)
    with pytest.raises(ValidationError) as erreur:
        demander(parcours, fin=D(2026, 3, 31))
    assert "chevauche" in messages(erreur)["date_fin"][0]


def test_hors_fenetre_de_demande(parcours):
    with pytest.raises(ValidationError) as erreur:
        demander(parcours, date_demande=D(2024, 9, 29))
    assert list(messages(erreur)) == ["date_demande"]
    assert not Prolongation.objects.exists()


def test_pas_de_prolongation_apres_la_sortie(parcours):
    parcours.date_sortie = D(2025, 5, 31)
    parcours.save()
    with pytest.raises(ValidationError) as erreur:
        demander(parcours)
    assert messages(erreur)["parcours"] == [
        "Parcours : le salarié en est sorti le 31/05/2025, avant le début de la prolongation."
    ]


def test_un_prescripteur_qui_accorde_est_nomme(parcours):
    demande = demander(parcours)
    with pytest.raises(ValidationError) as erreur:
        services_pass.accorder_prolongation(demande, aujourd_hui=AUJOURD_HUI)
    assert set(messages(erreur)) == {"prescripteur_organisation", "prescripteur_personne"}
    demande.refresh_from_db()
    assert demande.statut == StatutProlongation.DEMANDEE


def test_un_refus_est_motive_et_ne_change_pas_la_fin(parcours):
    demande = demander(parcours, code="FIN_FORMATION", fin=D(2026, 3, 31), date_fin_formation=D(2026, 3, 31))
    assert demande.decideur == "SIAE" and demande.date_fin_formation == D(2026, 3, 31)
    with pytest.raises(ValidationError) as erreur:
        services_pass.refuser_prolongation(demande, motif_refus=" ", aujourd_hui=AUJOURD_HUI)
    assert list(messages(erreur)) == ["motif_refus"]
    services_pass.refuser_prolongation(demande, motif_refus="La formation est abandonnée.", aujourd_hui=AUJOURD_HUI)
    demande.refresh_from_db()
    assert (demande.statut, demande.motif_refus) == ("REFUSEE", "La formation est abandonnée.")
    parcours.pass_iae.refresh_from_db()
    assert parcours.pass_iae.date_fin == FIN_INITIALE
    with pytest.raises(ValidationError, match="déjà refusée"):
        services_pass.accorder_prolongation(demande, aujourd_hui=AUJOURD_HUI)


def test_la_structure_decide_seule_sans_prescripteur(parcours):
    demande = demander(
        parcours,
        code="FIN_FORMATION",
        fin=D(2026, 3, 31),
        date_fin_formation=D(2026, 6, 30),
        prescripteur_personne="X",
    )
    assert demande.prescripteur_personne == ""
    services_pass.accorder_prolongation(demande, prescripteur_organisation="Y", aujourd_hui=AUJOURD_HUI)
    demande.refresh_from_db()
    assert (demande.statut, demande.prescripteur_organisation) == ("ACCORDEE", "")


def test_les_limites_sont_revues_a_la_decision(parcours):
    demande = demander(parcours)
    MotifProlongation.objects.filter(code="RQTH").update(actif=False)
    with pytest.raises(ValidationError) as erreur:
        services_pass.accorder_prolongation(
            demande, prescripteur_organisation="Cap emploi", prescripteur_personne="B. Martin", aujourd_hui=AUJOURD_HUI
        )
    assert "n'est plus en vigueur" in messages(erreur)["motif"][0]


def test_formation_puis_rqth_le_parcours_s_arrete_a_60_mois(siae_a):
    """R.5132-1-8: the caps count every prolongation of the PASS. A PASS from 1 January 2020 (end 31 December
    2021), 12 months of training prolongation, then RQTH: 24 months are granted, the third year is refused with
    a message saying why, and nothing is written."""
    parcours = ParcoursFactory(
        siae=siae_a,
        salarie__date_naissance=D(1975, 3, 1),
        pass_iae__date_debut=D(2020, 1, 1),
        date_embauche=D(2020, 1, 1),
        rqth=True,
    )
    prescripteur = {"prescripteur_organisation": "Cap emploi Meuse", "prescripteur_personne": "B. Martin"}
    formation = services_pass.demander_prolongation(
        parcours,
        motif=motif("FIN_FORMATION"),
        date_fin=D(2022, 12, 31),
        date_fin_formation=D(2022, 12, 31),
        date_demande=D(2021, 11, 2),
        aujourd_hui=D(2021, 11, 2),
    )
    services_pass.accorder_prolongation(formation, aujourd_hui=D(2021, 11, 5))
    for annee in (2023, 2024):
        demande = services_pass.demander_prolongation(
            parcours,
            motif=motif("RQTH"),
            date_fin=D(annee, 12, 31),
            date_demande=D(annee - 1, 11, 2),
            aujourd_hui=D(annee - 1, 11, 2),
        )
        services_pass.accorder_prolongation(demande, aujourd_hui=D(annee - 1, 11, 20), **prescripteur)
    parcours.pass_iae.refresh_from_db()
    assert parcours.pass_iae.date_fin == D(2024, 12, 31)  # 24 + 12 + 24 = 60 months

    with pytest.raises(ValidationError) as erreur:
        services_pass.demander_prolongation(
            parcours,
            motif=motif("RQTH"),
            date_fin=D(2025, 12, 31),
            date_demande=D(2024, 11, 4),
            aujourd_hui=D(2024, 11, 4),
            prescripteur_organisation="Cap emploi Meuse",
        )
    assert messages(erreur) == {
        "date_fin": [
            "Fin : avec ce motif, les prolongations du PASS IAE, tous motifs confondus, totalisent au plus 36 mois "
            "(1\u202f096 jours depuis le 01/01/2022) ; 1\u202f096 jours sont déjà accordés ou demandés, il en reste 0."
        ]
    }
    assert Prolongation.objects.count() == 3
    # Past 60 months only the motifs without a cap in months remain: a training under way goes on.
    services_pass.demander_prolongation(
        parcours,
        motif=motif("FIN_FORMATION"),
        date_fin=D(2025, 6, 30),
        date_fin_formation=D(2025, 6, 30),
        date_demande=D(2024, 11, 4),
        aujourd_hui=D(2024, 11, 4),
    )


def test_cdi_inclusion_jusqu_a_la_fin_du_contrat(parcours):
    services_pass.enregistrer_contrat(parcours, type=TypeContrat.CDI_INCLUSION, date_debut=D(2025, 1, 1))
    # The CDI has no end: the decision has no bound.
    demande = demander(parcours, code="CDI_INCLUSION_57", fin=D(2030, 5, 31))
    services_pass.accorder_prolongation(demande, aujourd_hui=AUJOURD_HUI)
    parcours.pass_iae.refresh_from_db()
    assert parcours.pass_iae.date_fin == D(2030, 5, 31)


def test_recalcul_depuis_toutes_les_suspensions_et_les_prolongations_accordees(parcours):
    pass_iae = parcours.pass_iae
    suspendre(parcours, D(2025, 1, 1), D(2025, 1, 31))  # 31 days: 31 October 2025
    accordee = demander(parcours, fin=D(2026, 6, 30))
    services_pass.accorder_prolongation(
        accordee, prescripteur_organisation="Cap emploi", prescripteur_personne="B. Martin", aujourd_hui=AUJOURD_HUI
    )
    assert accordee.date_debut == D(2025, 11, 1)
    pass_iae.date_fin = D(2030, 1, 1)
    pass_iae.save()
    assert services_pass.recalculer_fin_du_pass(pass_iae) == D(2026, 6, 30)
    pass_iae.refresh_from_db()
    assert pass_iae.date_fin == D(2026, 6, 30)


# Contracts ---------------------------------------------------------------------------------------------------


def test_un_renouvellement_suit_le_contrat_sans_fin(parcours):
    premier = parcours.contrats.get()
    assert premier.date_fin is None
    services_pass.enregistrer_contrat(
        parcours, type=TypeContrat.CDDI, date_debut=D(2024, 7, 1), date_fin=D(2024, 12, 31), heures_hebdo=Decimal(26)
    )
    premier.refresh_from_db()
    assert premier.date_fin == D(2024, 6, 30)
    assert parcours.contrats.count() == 2
    with pytest.raises(ValidationError) as erreur:
        services_pass.enregistrer_contrat(
            parcours, type=TypeContrat.CDDI, date_debut=D(2024, 12, 1), date_fin=D(2025, 5, 31), heures_hebdo=26
        )
    assert "chevauche" in messages(erreur)["date_debut"][0]


def test_un_cddi_de_4_mois_moins_un_jour_est_refuse_sauf_derogation(parcours):
    valeurs = {"type": TypeContrat.CDDI, "date_debut": D(2025, 1, 1), "date_fin": D(2025, 4, 29), "heures_hebdo": 15}
    with pytest.raises(ValidationError) as erreur:
        services_pass.enregistrer_contrat(parcours, **valeurs)
    assert set(messages(erreur)) == {"date_fin", "heures_hebdo"}
    assert parcours.contrats.count() == 1
    contrat = services_pass.enregistrer_contrat(
        parcours, **valeurs, derogation=True, motif_derogation="Premières heures en chantier"
    )
    assert (contrat.derogation, contrat.motif_derogation) == (True, "Premières heures en chantier")


def test_un_contrat_dans_le_parcours(parcours):
    for debut in (D(2023, 12, 1), D(2025, 7, 1)):
        parcours.date_sortie = D(2025, 6, 30)
        parcours.save()
        with pytest.raises(ValidationError) as erreur:
            services_pass.enregistrer_contrat(
                parcours,
                type=TypeContrat.CDDI,
                date_debut=debut,
                date_fin=debut + dt.timedelta(days=200),
                heures_hebdo=26,
            )
        assert "date_debut" in messages(erreur)


def test_cdi_inclusion_a_57_ans_apres_12_mois_de_pass(parcours):
    # Born on 1 May 1967: 56 until 30 April 2024. The PASS started on 1 October 2023.
    parcours.salarie.date_naissance = D(1967, 5, 1)
    parcours.salarie.save()
    with pytest.raises(ValidationError) as erreur:
        services_pass.enregistrer_contrat(parcours, type=TypeContrat.CDI_INCLUSION, date_debut=D(2024, 4, 30))
    assert set(messages(erreur)) == {"type", "date_debut"}
    contrat = services_pass.enregistrer_contrat(parcours, type=TypeContrat.CDI_INCLUSION, date_debut=D(2024, 10, 1))
    assert Contrat.objects.filter(parcours=parcours, type="CDI_INCLUSION").get() == contrat


# Exits -------------------------------------------------------------------------------------------------------


def test_une_sortie_directe(parcours):
    cdi = MotifSortie.objects.get(code="CDI")
    services_pass.enregistrer_sortie(parcours, date_sortie=D(2025, 5, 31), motif_sortie=cdi, aujourd_hui=AUJOURD_HUI)
    parcours.refresh_from_db()
    assert (parcours.date_sortie, parcours.motif_sortie) == (D(2025, 5, 31), cdi)


def test_une_sortie_avant_l_embauche_ou_dans_le_futur(parcours):
    cdi = MotifSortie.objects.get(code="CDI")
    for date in (D(2023, 12, 31), AUJOURD_HUI + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as erreur:
            services_pass.enregistrer_sortie(parcours, date_sortie=date, motif_sortie=cdi, aujourd_hui=AUJOURD_HUI)
        assert messages(erreur)["date_sortie"][0].startswith("Date de sortie : ")
    services_pass.enregistrer_sortie(parcours, date_sortie=D(2024, 1, 1), motif_sortie=cdi, aujourd_hui=AUJOURD_HUI)
    parcours.refresh_from_db()
    assert parcours.date_sortie == D(2024, 1, 1)
