"""The purge of personal data past their retention period (parcours/services_rgpd.py, docs/rgpd.md): who is
anonymised, what is erased and what stays, the trace, the simulation, the command and the monthly task."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from controle import services as services_controle
from controle.models import CampagneControle, Decision, Justificatif, Phase
from declarations.models import LigneDeclaration
from imports.models import Import, StatutImport
from parcours.models import (
    ActionInsertion,
    Contrat,
    MotifProlongation,
    MotifSortie,
    Parcours,
    PassIae,
    Prolongation,
    PurgeDonneesPersonnelles,
    Salarie,
    StatutProlongation,
    TrancheAge,
    TypeActionInsertion,
)
from parcours.regles_rgpd import NOM_ANONYMISE, TEXTE_EFFACE
from parcours.services_rgpd import purger_donnees_personnelles
from parcours.tasks import purger_donnees_personnelles_task
from tests.controle.outils import avancer, pdf
from tests.factories import (
    AnnexeFinanciereFactory,
    DeclarationFactory,
    LigneDeclarationFactory,
    ParcoursFactory,
    SiaeFactory,
)

pytestmark = pytest.mark.django_db

D = dt.date
# 24 months of retention: what ended before 15/01/2025 is past it.
AUJOURD_HUI = D(2027, 1, 15)
LIMITE = D(2025, 1, 15)


def purger(**kwargs):
    return purger_donnees_personnelles(origine="test", aujourd_hui=AUJOURD_HUI, **kwargs)


EMBAUCHE = D(2023, 1, 2)
NAISSANCE = D(1990, 6, 1)


def sorti(date_sortie, embauche=EMBAUCHE, naissance=NAISSANCE, **kwargs):
    """A parcours ended on `date_sortie`, its PASS IAE (24 months from the hire) ended before the limit."""
    return ParcoursFactory(
        date_embauche=embauche,
        date_sortie=date_sortie,
        motif_sortie=MotifSortie.objects.get(code="CDI") if date_sortie else None,
        salarie__date_naissance=naissance,
        pass_iae__date_debut=embauche,
        **kwargs,
    )


def anonymise(parcours) -> bool:
    return Salarie.objects.get(pk=parcours.salarie_id).date_anonymisation is not None


class TestQuiEstAnonymise:
    def test_tout_termine_avant_la_limite(self):
        parcours = sorti(D(2024, 6, 30))
        assert purger().salaries == 1
        assert anonymise(parcours)

    def test_une_sortie_dans_la_duree_de_conservation_garde_tout(self):
        parcours = sorti(D(2025, 1, 15))
        purger()
        assert not anonymise(parcours)

    def test_un_parcours_ouvert_garde_tout(self):
        parcours = sorti(None)
        purger()
        assert not anonymise(parcours)

    def test_un_autre_parcours_recent_garde_tout(self):
        ancien = sorti(D(2023, 6, 30))
        ParcoursFactory(
            salarie=ancien.salarie, pass_iae=ancien.pass_iae, date_embauche=D(2024, 11, 1), date_sortie=None
        )
        purger()
        assert not anonymise(ancien)

    def test_un_pass_encore_en_cours_garde_tout(self):
        # Out in 2023, but the PASS IAE (prolonged) runs until June 2025: a new hire is still possible.
        parcours = sorti(D(2023, 6, 30))
        PassIae.objects.filter(pk=parcours.pass_iae_id).update(date_fin=D(2025, 6, 30))
        purger()
        assert not anonymise(parcours)

    def test_une_seule_fois(self):
        sorti(D(2024, 6, 30))
        assert purger().salaries == 1
        assert purger().salaries == 0
        assert PurgeDonneesPersonnelles.objects.count() == 2


class TestCeQuiEstEfface:
    @pytest.fixture
    def parcours(self):
        parcours = sorti(
            D(2024, 6, 30), embauche=D(2023, 1, 2), naissance=D(1998, 3, 15), brsa=True, rqth=True, qpv=True
        )
        Contrat.objects.filter(parcours=parcours).update(derogation=True, motif_derogation="Raison de santé")
        ActionInsertion.objects.create(
            parcours=parcours,
            type=TypeActionInsertion.PMSMP,
            libelle="Immersion chez M. Dupont, boulanger",
            organisme="Boulangerie Dupont",
            date_debut=D(2023, 3, 1),
            date_fin=D(2023, 3, 15),
            heures=Decimal("70"),
        )
        Prolongation.objects.create(
            pass_iae=parcours.pass_iae,
            siae=parcours.siae,
            motif=MotifProlongation.objects.get(code="RQTH"),
            date_debut=D(2024, 1, 2),
            date_fin=D(2024, 12, 1),
            statut=StatutProlongation.REFUSEE,
            date_demande=D(2023, 12, 1),
            date_decision=D(2023, 12, 10),
            decideur="PRESCRIPTEUR",
            prescripteur_organisation="France Travail Verdun",
            prescripteur_personne="Mme Conseillère",
            motif_refus="Situation familiale de M. Martin",
        )
        annexe = AnnexeFinanciereFactory(siae=parcours.siae, annee=2023)
        LigneDeclarationFactory(declaration=DeclarationFactory(annexe=annexe, mois=D(2023, 2, 1)), parcours=parcours)
        return parcours

    def test_identite_pass_et_textes_libres(self, parcours):
        purger()
        salarie = Salarie.objects.get(pk=parcours.salarie_id)
        assert (salarie.nom, salarie.prenom, salarie.date_naissance) == (NOM_ANONYMISE, "", None)
        assert str(salarie) == f"Salarié anonymisé n° {salarie.pk}"
        pass_iae = PassIae.objects.get(pk=parcours.pass_iae_id)
        assert pass_iae.numero == f"ANON{pass_iae.pk:08d}"
        assert Contrat.objects.get(parcours=parcours).motif_derogation == TEXTE_EFFACE
        action = ActionInsertion.objects.get(parcours=parcours)
        assert (action.libelle, action.organisme) == (TypeActionInsertion.PMSMP.label, "")
        prolongation = Prolongation.objects.get(pass_iae=pass_iae)
        assert (prolongation.prescripteur_personne, prolongation.motif_refus) == ("", TEXTE_EFFACE)

    def test_ce_que_les_chiffres_lisent_reste(self, parcours):
        avant = Parcours.objects.values().get(pk=parcours.pk)
        purger()
        apres = Parcours.objects.values().get(pk=parcours.pk)
        # 24 on the hire date (born 15/03/1998, hired 02/01/2023): the bracket is all that is left of the birth.
        assert apres.pop("tranche_age_embauche") == TrancheAge.MOINS_DE_26
        avant.pop("tranche_age_embauche")
        assert apres == avant
        salarie = Salarie.objects.get(pk=parcours.salarie_id)
        assert salarie.genre == parcours.salarie.genre
        ligne = LigneDeclaration.objects.get(parcours=parcours)
        assert ligne.heures_travaillees == Decimal("100.00")
        action = ActionInsertion.objects.get(parcours=parcours)
        assert (action.date_debut, action.date_fin, action.heures) == (D(2023, 3, 1), D(2023, 3, 15), Decimal(70))

    def test_le_detail_compte_chaque_nature(self, parcours):
        bilan = purger()
        assert bilan.detail == {
            "actions_insertion": 1,
            "contrats_motif_derogation": 1,
            "controles_motif_refus": 0,
            "fichiers_import": 0,
            "justificatifs": 0,
            "parcours": 1,
            "pass_iae": 1,
            "prolongations_motif_refus": 1,
            "prolongations_prescripteur": 1,
            "salaries": 1,
            # The trail's versions of the salarié, their PASS, the prolongation (its two texts): erased too.
            "versions": 4,
            "versions_controles_motif_refus": 0,
        }
        trace = PurgeDonneesPersonnelles.objects.get()
        assert (trace.origine, trace.date_limite, trace.nb_salaries, trace.detail) == (
            "test",
            LIMITE,
            1,
            bilan.detail,
        )
        assert trace.date_limite_imports == D(2026, 7, 15)


@pytest.mark.parametrize(
    ("naissance", "tranche"),
    [
        (D(1997, 1, 3), TrancheAge.MOINS_DE_26),  # 25 on 02/01/2023
        (D(1997, 1, 2), TrancheAge.DE_26_A_49),  # 26 that day
        (D(1973, 1, 3), TrancheAge.DE_26_A_49),  # 49
        (D(1973, 1, 2), TrancheAge.CINQUANTE_ET_PLUS),  # 50
    ],
)
def test_la_tranche_d_age_a_l_embauche(naissance, tranche):
    parcours = sorti(D(2024, 6, 30), embauche=D(2023, 1, 2), naissance=naissance)
    purger()
    assert Parcours.objects.get(pk=parcours.pk).tranche_age_embauche == tranche


class TestControle:
    @pytest.fixture
    def campagne(self, siae_a, agent_55):
        # Three auto-prescribed hires of 2022, out in 2023: the Jardins is drawn with two of them.
        for mois in (1, 2, 3):
            sorti(D(2023, 6, 30), embauche=D(2022, mois, 3), siae=siae_a, auto_prescription=True)
        campagne = services_controle.creer_campagne(annee=2022, departement="55", auteur=agent_55, graine=7)
        campagne = avancer(campagne, Phase.CONTROLE, agent_55)
        embauche = campagne.controles.get().embauches.first()
        services_controle.deposer_justificatif(embauche, pdf(), agent_55)
        services_controle.decider_embauche(embauche, Decision.REFUSEE, agent_55, "Le RSA de M. X n'est pas prouvé")
        return campagne

    def test_une_campagne_en_cours_garde_les_embauches_tirees(self, campagne):
        tirees = set(campagne.controles.get().embauches.values_list("parcours__salarie_id", flat=True))
        purger()
        restants = set(Salarie.objects.filter(date_anonymisation__isnull=True).values_list("pk", flat=True))
        assert tirees == restants and len(tirees) == 2

    def test_une_campagne_close_laisse_purger(self, campagne, django_capture_on_commit_callbacks):
        # Closed (the outcome, sanctions and phases in between are the control's own tests).
        CampagneControle.objects.filter(pk=campagne.pk).update(phase=Phase.CLOTUREE)
        embauche = campagne.controles.get().embauches.get(decision=Decision.REFUSEE)
        fichier = Justificatif.objects.get(embauche=embauche).fichier.name
        assert default_storage.exists(fichier)
        with django_capture_on_commit_callbacks(execute=True):
            bilan = purger()
        assert bilan.salaries == 3
        embauche.refresh_from_db()
        assert embauche.motif_refus == TEXTE_EFFACE and embauche.decision == Decision.REFUSEE
        assert not Justificatif.objects.exists()
        assert not default_storage.exists(fichier)


class TestFichiersDImport:
    @pytest.fixture
    def journaux(self):
        def journal(il_y_a_mois, statut=StatutImport.TERMINE):
            journal = Import(
                type="parcours",
                nom_fichier="embauches.csv",
                statut=statut,
                apercu=[{"ligne": 2, "libelle": "DUPONT Jean", "action": "creation", "details": ""}],
                erreurs=["Ligne 3, colonne numero_pass : « 999991234567 » inconnu"],
            )
            journal.fichier.save("embauches.csv", ContentFile(b"nom;prenom\nDUPONT;Jean\n"), save=False)
            journal.save()
            depot = timezone.make_aware(dt.datetime(2027, 1, 15, 10)) - dt.timedelta(days=31 * il_y_a_mois)
            Import.objects.filter(pk=journal.pk).update(date=depot)
            return journal

        return {"ancien": journal(7), "recent": journal(5), "en_cours": journal(8, StatutImport.EN_COURS)}

    def test_les_fichiers_anciens_sont_effaces(self, journaux, django_capture_on_commit_callbacks):
        fichier = journaux["ancien"].fichier.name
        with django_capture_on_commit_callbacks(execute=True):
            bilan = purger()
        assert bilan.fichiers_import == 1
        ancien = Import.objects.get(pk=journaux["ancien"].pk)
        assert (ancien.fichier.name, ancien.apercu, ancien.erreurs) == ("", [], [])
        assert ancien.donnees_effacees_le is not None
        assert (ancien.nom_fichier, ancien.statut) == ("embauches.csv", StatutImport.TERMINE)
        assert not default_storage.exists(fichier)
        for garde in ("recent", "en_cours"):
            journal = Import.objects.get(pk=journaux[garde].pk)
            assert journal.apercu and journal.donnees_effacees_le is None
            assert default_storage.exists(journal.fichier.name)


def test_la_simulation_compte_sans_rien_changer(siae_a, django_capture_on_commit_callbacks):
    parcours = sorti(D(2024, 6, 30), siae=siae_a)
    journal = Import(type="parcours", nom_fichier="a.csv", statut=StatutImport.TERMINE)
    journal.fichier.save("a.csv", ContentFile(b"x"), save=False)
    journal.save()
    Import.objects.filter(pk=journal.pk).update(date=timezone.make_aware(dt.datetime(2025, 1, 1)))
    with django_capture_on_commit_callbacks(execute=True):
        bilan = purger(simulation=True)
    assert (bilan.salaries, bilan.fichiers_import, bilan.simulation) == (1, 1, True)
    assert not anonymise(parcours)
    assert PassIae.objects.get(pk=parcours.pass_iae_id).numero == parcours.pass_iae.numero
    assert Import.objects.get(pk=journal.pk).donnees_effacees_le is None
    assert default_storage.exists(journal.fichier.name)
    assert not PurgeDonneesPersonnelles.objects.exists()


def test_requetes_en_nombre_constant():
    siae = SiaeFactory()

    def requetes(nombre):
        for _ in range(nombre):
            sorti(D(2024, 6, 30), siae=siae)
        with CaptureQueriesContext(connection) as capture:
            assert purger().salaries == nombre
        return len(capture.captured_queries)

    assert requetes(2) == requetes(9)


class TestCommandeEtTache:
    def test_commande_a_blanc_puis_pour_de_bon(self):
        # Today (the machine's date) minus 24 months: out in 2020, long past.
        parcours = sorti(D(2020, 6, 30), embauche=D(2020, 1, 2))
        sortie = io.StringIO()
        call_command("purger_donnees_personnelles", "--dry-run", stdout=sortie)
        assert "Simulation, rien n'est changé" in sortie.getvalue()
        assert "1 salarié(s) anonymisé(s)" in sortie.getvalue()
        assert not anonymise(parcours)
        sortie = io.StringIO()
        call_command("purger_donnees_personnelles", stdout=sortie)
        assert "Purge enregistrée" in sortie.getvalue()
        assert anonymise(parcours)
        trace = PurgeDonneesPersonnelles.objects.get()
        assert trace.origine.startswith("commande (") and trace.nb_salaries == 1
        # What it prints names nobody.
        assert parcours.salarie.nom not in sortie.getvalue()

    def test_tache_mensuelle(self):
        parcours = sorti(D(2020, 6, 30), embauche=D(2020, 1, 2))
        resultat = purger_donnees_personnelles_task.delay().get()
        assert resultat == {"salaries": 1, "fichiers_import": 0}
        assert json.dumps(resultat).isascii() and parcours.salarie.nom not in json.dumps(resultat)
        assert PurgeDonneesPersonnelles.objects.get().origine == "tâche planifiée mensuelle"
