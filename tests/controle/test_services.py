"""The writes of the contrôle: the campaign and its sample, the phases, decisions, outcomes, sanctions, proofs."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from controle import services
from controle.models import (
    CampagneControle,
    ChangementPhase,
    ControleEmbauche,
    ControleSiae,
    Decision,
    Justificatif,
    Phase,
    ResultatControle,
    Sanction,
    TypeSanction,
)
from tests.factories import SiaeFactory

from .outils import avancer, embaucher, pdf

pytestmark = pytest.mark.django_db


def decider_tout(controle, decision=Decision.ACCEPTEE, auteur=None):
    for embauche in controle.embauches.all():
        services.decider_embauche(embauche, decision, auteur, "Critères non justifiés")


class TestCreation:
    def test_tirage_sur_les_auto_prescriptions_de_l_annee_et_du_departement(self, agent_55):
        retenue = SiaeFactory(ei=True)
        embaucher(retenue, 3)
        embaucher(SiaeFactory(ei=True), 3, annee=2023)  # another year
        embaucher(SiaeFactory(ei=True), 3, auto_prescription=False)  # prescribed hires
        embaucher(SiaeFactory(eiti=True), 3)  # an EITI is not checked
        embaucher(SiaeFactory(ei=True, moselle=True), 3)  # another département
        campagne = services.creer_campagne(annee=2024, departement="55", auteur=agent_55, graine=5)
        assert campagne.nb_siae_eligibles == 1
        controle = campagne.controles.get()
        assert controle.siae == retenue
        assert controle.nb_auto_prescriptions == 3
        assert controle.embauches.count() == 2
        assert all(e.parcours.siae_id == retenue.pk and e.parcours.auto_prescription for e in controle.embauches.all())
        assert campagne.phase == Phase.ECHANTILLONNAGE
        assert campagne.part_siae == 30
        assert ChangementPhase.objects.filter(campagne=campagne, phase=Phase.ECHANTILLONNAGE).exists()

    def test_graine_enregistree_et_tirage_reproductible(self, agent_55):
        structures = [SiaeFactory() for _ in range(10)]
        for siae in structures:
            embaucher(siae, 14)
        campagne = services.creer_campagne(annee=2024, departement="55", auteur=agent_55, part_siae=40)
        graine = campagne.graine
        assert 0 <= graine < 2**31

        def echantillon(c):
            return {(e.controle.siae_id, e.parcours_id) for e in ControleEmbauche.objects.filter(controle__campagne=c)}

        premier = echantillon(campagne)
        assert len({s for s, _ in premier}) == 4  # 40 % of 10
        assert len(premier) == 4 * 3  # 20 % of 14 = 2.8 → 3
        campagne.delete()
        refait = services.creer_campagne(annee=2024, departement="55", auteur=agent_55, part_siae=40, graine=graine)
        assert echantillon(refait) == premier

    def test_une_campagne_par_annee_et_departement(self, campagne_55, agent_55):
        with pytest.raises(ValidationError, match="existe déjà"):
            services.creer_campagne(annee=2024, departement="55", auteur=agent_55)
        assert CampagneControle.objects.count() == 1

    @pytest.mark.parametrize("part", [19, 41])
    def test_part_hors_bornes(self, agent_55, part):
        with pytest.raises(ValidationError, match="entre 20 et 40"):
            services.creer_campagne(annee=2024, departement="55", auteur=agent_55, part_siae=part)

    def test_calendrier_incoherent(self, agent_55):
        with pytest.raises(ValidationError):
            services.creer_campagne(
                annee=2024,
                departement="55",
                auteur=agent_55,
                calendrier={"controle_debut": dt.date(2025, 4, 2)},  # during the échantillonnage
            )
        assert not CampagneControle.objects.exists()

    def test_aucune_structure_eligible(self, agent_55, siae_a):
        embaucher(siae_a, 1)
        campagne = services.creer_campagne(annee=2024, departement="55", auteur=agent_55)
        assert campagne.nb_siae_eligibles == 0
        assert not campagne.controles.exists()


class TestPhases:
    def test_ordre_des_phases(self, campagne_55, controle_a, agent_55):
        campagne = services.passer_a_la_phase_suivante(campagne_55, agent_55)
        assert campagne.phase == Phase.CONTROLE
        decider_tout(controle_a)
        campagne = services.passer_a_la_phase_suivante(campagne, agent_55)
        assert campagne.phase == Phase.CONTRADICTOIRE
        campagne = services.passer_a_la_phase_suivante(campagne, agent_55)
        assert campagne.phase == Phase.SANCTIONS
        campagne = services.passer_a_la_phase_suivante(campagne, agent_55)
        assert campagne.phase == Phase.CLOTUREE
        assert list(campagne.changements.values_list("phase", flat=True)) == list(Phase.values)
        with pytest.raises(ValidationError, match="clôturée"):
            services.passer_a_la_phase_suivante(campagne, agent_55)

    def test_toutes_acceptees_a_l_ouverture_du_contradictoire(self, campagne_55, controle_a, agent_55):
        campagne = avancer(campagne_55, Phase.CONTROLE)
        decider_tout(controle_a)
        services.passer_a_la_phase_suivante(campagne, agent_55)
        controle_a.refresh_from_db()
        assert controle_a.resultat == ResultatControle.ACCEPTE
        assert controle_a.auteur_resultat == agent_55

    def test_une_embauche_refusee_ou_sans_decision_ouvre_le_contradictoire(self, campagne_55, controle_a, agent_55):
        campagne = avancer(campagne_55, Phase.CONTROLE)
        premiere = controle_a.embauches.first()
        services.decider_embauche(premiere, Decision.ACCEPTEE, agent_55)
        services.passer_a_la_phase_suivante(campagne, agent_55)
        controle_a.refresh_from_db()
        assert controle_a.resultat == ResultatControle.CONTRADICTOIRE

    def test_pas_de_sanctions_sans_resultat_definitif(self, campagne_55, controle_a, agent_55):
        campagne = avancer(campagne_55, Phase.CONTRADICTOIRE)
        with pytest.raises(ValidationError, match="1 structure"):
            services.passer_a_la_phase_suivante(campagne, agent_55)
        campagne.refresh_from_db()
        assert campagne.phase == Phase.CONTRADICTOIRE

    def test_pas_de_cloture_sans_sanction_d_un_controle_refuse(self, campagne_55, controle_a, agent_55):
        campagne = avancer(campagne_55, Phase.CONTRADICTOIRE)
        decider_tout(controle_a, Decision.REFUSEE)
        services.fixer_resultat(controle_a, ResultatControle.REFUSE, agent_55)
        campagne = services.passer_a_la_phase_suivante(campagne, agent_55)
        with pytest.raises(ValidationError, match="sanction"):
            services.passer_a_la_phase_suivante(campagne, agent_55)
        services.ajouter_sanction(controle_a, TypeSanction.AUCUNE, agent_55, motif="Première année du dispositif")
        assert services.passer_a_la_phase_suivante(campagne, agent_55).phase == Phase.CLOTUREE


class TestDecisions:
    def test_refus_motive(self, campagne_55, controle_a, agent_55):
        avancer(campagne_55, Phase.CONTROLE)
        embauche = controle_a.embauches.first()
        with pytest.raises(ValidationError, match="motif du refus"):
            services.decider_embauche(embauche, Decision.REFUSEE, agent_55, "  ")
        services.decider_embauche(embauche, Decision.REFUSEE, agent_55, "Pas de justificatif du RSA")
        embauche.refresh_from_db()
        assert embauche.decision == Decision.REFUSEE
        assert embauche.motif_refus == "Pas de justificatif du RSA"
        assert embauche.decideur == agent_55 and embauche.date_decision

    def test_accepter_efface_le_motif(self, campagne_55, controle_a, agent_55):
        avancer(campagne_55, Phase.CONTROLE)
        embauche = controle_a.embauches.first()
        services.decider_embauche(embauche, Decision.REFUSEE, agent_55, "Incomplet")
        services.decider_embauche(embauche, Decision.ACCEPTEE, agent_55, "Incomplet")
        embauche.refresh_from_db()
        assert embauche.decision == Decision.ACCEPTEE and embauche.motif_refus == ""

    def test_pas_de_decision_pendant_l_echantillonnage(self, controle_a, agent_55):
        with pytest.raises(ValidationError, match="pendant le contrôle"):
            services.decider_embauche(controle_a.embauches.first(), Decision.ACCEPTEE, agent_55)

    def test_pas_de_decision_apres_un_resultat_definitif(self, campagne_55, controle_a, agent_55):
        avancer(campagne_55, Phase.CONTROLE)
        decider_tout(controle_a)
        services.fixer_resultat(controle_a, ResultatControle.ACCEPTE, agent_55)
        with pytest.raises(ValidationError, match="définitif"):
            services.decider_embauche(controle_a.embauches.first(), Decision.REFUSEE, agent_55, "Oubli")


class TestResultat:
    def test_accepte_seulement_si_tout_est_accepte(self, campagne_55, controle_a, agent_55):
        avancer(campagne_55, Phase.CONTROLE)
        services.decider_embauche(controle_a.embauches.first(), Decision.ACCEPTEE, agent_55)
        with pytest.raises(ValidationError, match="toutes les embauches"):
            services.fixer_resultat(controle_a, ResultatControle.ACCEPTE, agent_55)
        decider_tout(controle_a)
        controle = services.fixer_resultat(controle_a, ResultatControle.ACCEPTE, agent_55, " Conforme ")
        assert controle.resultat == ResultatControle.ACCEPTE and controle.commentaire == "Conforme"

    def test_refus_seulement_apres_le_contradictoire(self, campagne_55, controle_a, agent_55):
        campagne = avancer(campagne_55, Phase.CONTROLE)
        decider_tout(controle_a, Decision.REFUSEE)
        with pytest.raises(ValidationError, match="phase contradictoire"):
            services.fixer_resultat(controle_a, ResultatControle.REFUSE, agent_55)
        services.fixer_resultat(controle_a, ResultatControle.CONTRADICTOIRE, agent_55)
        services.passer_a_la_phase_suivante(campagne, agent_55)
        controle = services.fixer_resultat(controle_a, ResultatControle.REFUSE, agent_55, "Deux refus")
        assert controle.resultat == ResultatControle.REFUSE

    def test_pas_de_refus_avec_une_embauche_a_examiner(self, campagne_55, controle_a, agent_55):
        avancer(campagne_55, Phase.CONTRADICTOIRE)
        services.decider_embauche(controle_a.embauches.first(), Decision.REFUSEE, agent_55, "Incomplet")
        assert services.resultats_possibles(controle_a, *services.compter_decisions(controle_a)) == []
        with pytest.raises(ValidationError):
            services.fixer_resultat(controle_a, ResultatControle.REFUSE, agent_55)


class TestSanctions:
    @pytest.fixture
    def refuse(self, campagne_55, controle_a, agent_55):
        avancer(campagne_55, Phase.CONTRADICTOIRE)
        decider_tout(controle_a, Decision.REFUSEE)
        services.fixer_resultat(controle_a, ResultatControle.REFUSE, agent_55)
        services.passer_a_la_phase_suivante(campagne_55, agent_55)
        return ControleSiae.objects.get(pk=controle_a.pk)

    def test_sanctions_completes(self, refuse, agent_55):
        services.ajouter_sanction(refuse, TypeSanction.FORMATION, agent_55)
        retrait = services.ajouter_sanction(
            refuse,
            TypeSanction.RETRAIT_AUTO_PRESCRIPTION,
            agent_55,
            date_debut=dt.date(2025, 9, 1),
            date_fin=dt.date(2026, 8, 31),
        )
        reduction = services.ajouter_sanction(refuse, TypeSanction.REDUCTION_AIDE_AU_POSTE, agent_55, pourcentage=15)
        assert (retrait.date_debut, retrait.date_fin) == (dt.date(2025, 9, 1), dt.date(2026, 8, 31))
        assert reduction.pourcentage == 15
        assert refuse.sanctions.count() == 3

    @pytest.mark.parametrize(
        "type_, valeurs, champ",
        [
            (TypeSanction.AUCUNE, {}, "motif"),
            (TypeSanction.RETRAIT_AUTO_PRESCRIPTION, {"date_debut": dt.date(2025, 9, 1)}, "date_fin"),
            (
                TypeSanction.RETRAIT_AUTO_PRESCRIPTION,
                {"date_debut": dt.date(2025, 9, 1), "date_fin": dt.date(2025, 8, 1)},
                "date_fin",
            ),
            (TypeSanction.REDUCTION_AIDE_AU_POSTE, {"pourcentage": 0}, "pourcentage"),
            (TypeSanction.REDUCTION_AIDE_AU_POSTE, {"pourcentage": 101}, "pourcentage"),
        ],
    )
    def test_sanction_incomplete(self, refuse, agent_55, type_, valeurs, champ):
        with pytest.raises(ValidationError) as erreur:
            services.ajouter_sanction(refuse, type_, agent_55, **valeurs)
        assert champ in erreur.value.message_dict

    def test_aucune_sanction_exclut_les_autres(self, refuse, agent_55):
        services.ajouter_sanction(refuse, TypeSanction.AUCUNE, agent_55, motif="Erreur de bonne foi")
        with pytest.raises(ValidationError, match="Aucune sanction"):
            services.ajouter_sanction(refuse, TypeSanction.FORMATION, agent_55)

    def test_une_sanction_de_chaque_type(self, refuse, agent_55):
        services.ajouter_sanction(refuse, TypeSanction.FORMATION, agent_55)
        with pytest.raises(ValidationError, match="déjà"):
            services.ajouter_sanction(refuse, TypeSanction.FORMATION, agent_55)

    def test_retirer(self, refuse, agent_55, admin):
        """Withdrawn, a sanction leaves the pages and figures but stays, with who withdrew it; the same kind may
        then be decided again."""
        sanction = services.ajouter_sanction(refuse, TypeSanction.FORMATION, agent_55)
        services.retirer_sanction(sanction, admin)
        assert not refuse.sanctions.exists()
        gardee = Sanction.tous.get(pk=sanction.pk)
        assert gardee.retire and gardee.retire_par == admin
        derniere = gardee.historique.first()
        assert (derniere.history_user, derniere.changements["retire_par_id"]) == (admin, [None, admin.pk])
        services.ajouter_sanction(refuse, TypeSanction.FORMATION, agent_55)
        assert refuse.sanctions.count() == 1 and Sanction.tous.filter(controle=refuse).count() == 2

    def test_pas_de_sanction_pour_un_controle_accepte(self, campagne_55, controle_a, agent_55):
        avancer(campagne_55, Phase.CONTROLE)
        decider_tout(controle_a)
        avancer(campagne_55, Phase.SANCTIONS)
        with pytest.raises(ValidationError, match="refusé"):
            services.ajouter_sanction(controle_a, TypeSanction.FORMATION, agent_55)


class TestJustificatifs:
    def test_depot(self, campagne_55, controle_a, personnel_a, settings):
        avancer(campagne_55, Phase.CONTROLE)
        embauche = controle_a.embauches.first()
        justificatif = services.deposer_justificatif(embauche, pdf("diagnostic.pdf"), personnel_a)
        assert justificatif.nom_fichier == "diagnostic.pdf"
        assert justificatif.fichier.name.startswith("controle/justificatifs/")
        assert justificatif.fichier.name.endswith(".pdf") and "diagnostic" not in justificatif.fichier.name
        assert (settings.MEDIA_ROOT / justificatif.fichier.name).read_bytes().startswith(b"%PDF-")

    def test_pas_pendant_l_echantillonnage(self, controle_a, personnel_a):
        with pytest.raises(ValidationError, match="pas attendus"):
            services.deposer_justificatif(controle_a.embauches.first(), pdf(), personnel_a)

    def test_pas_apres_le_resultat_definitif(self, campagne_55, controle_a, agent_55, personnel_a):
        avancer(campagne_55, Phase.CONTROLE)
        decider_tout(controle_a)
        services.fixer_resultat(controle_a, ResultatControle.ACCEPTE, agent_55)
        with pytest.raises(ValidationError, match="pas attendus"):
            services.deposer_justificatif(controle_a.embauches.first(), pdf(), personnel_a)

    def test_pendant_le_contradictoire(self, campagne_55, controle_a, personnel_a):
        avancer(campagne_55, Phase.CONTRADICTOIRE)
        services.deposer_justificatif(controle_a.embauches.first(), pdf(), personnel_a)
        assert Justificatif.objects.count() == 1

    def test_un_faux_pdf_est_refuse(self, campagne_55, controle_a, personnel_a):
        avancer(campagne_55, Phase.CONTROLE)
        with pytest.raises(ValidationError, match="pas un PDF"):
            services.deposer_justificatif(controle_a.embauches.first(), pdf("faux.pdf", b"MZ\x90\x00"), personnel_a)
        assert not Justificatif.objects.exists()
