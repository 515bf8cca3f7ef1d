"""The materialised monthly indicators: the same figures as the live queries, rewritten idempotently, refreshed
when a declaration is committed; the consumption curves read from them."""

import contextlib
import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from base.calendrier import Periode
from conventions.models import AnnexeFinanciere, EtatAnnexe
from conventions.services import ajouter_avenant, changer_etat
from declarations.models import EtatDeclaration
from declarations.services import (
    LigneSaisie,
    declaration_a_completer,
    enregistrer_lignes,
    transmettre_declaration,
    valider_declaration,
)
from imports.services import executer_import, preparer_import
from indicateurs.models import IndicateurMensuel
from indicateurs.queries import courbe_de_consommation, courbes_par_structure
from indicateurs.queries_consommation import consommation_mensuelle
from indicateurs.services import rafraichir, rafraichir_departement, rafraichir_tout
from tests.factories import (
    AnnexeFinanciereFactory,
    DeclarationFactory,
    LigneDeclarationFactory,
    ParcoursFactory,
    SiaeFactory,
)

pytestmark = pytest.mark.django_db

JANVIER, FEVRIER, MARS, JUILLET = (dt.date(2024, m, 1) for m in (1, 2, 3, 7))
PRECISION = Decimal("1e-12")


@pytest.fixture
def cas(siae_a, siae_b, django_capture_on_commit_callbacks):
    """Two annexes of 2024 in the Meuse. A (ACI, 1 820 h a post): 2 ETP, 3 from July by an avenant; B (ETTI,
    1 607 h): 1,5 ETP. Declarations written directly (no refresh yet): A January and March, B January."""
    # The annexes' writes ask for their refresh, as in production; here it runs before the declarations exist.
    with django_capture_on_commit_callbacks(execute=True):
        a = AnnexeFinanciereFactory(siae=siae_a, annee=2024, etp_conventionnes=Decimal("2.00"))
        ajouter_avenant(a, mois_effet=JUILLET, etp_conventionnes=Decimal("3.00"))
        b = AnnexeFinanciereFactory(siae=siae_b, annee=2024, etp_conventionnes=Decimal("1.50"))
    p1 = ParcoursFactory(siae=siae_a, date_embauche=JANVIER, brsa=True)
    # Hired on 10 March, left on 25 March, declared with no hour.
    p2 = ParcoursFactory(siae=siae_a, date_embauche=dt.date(2024, 3, 10), date_sortie=dt.date(2024, 3, 25))
    p3 = ParcoursFactory(siae=siae_b, date_embauche=dt.date(2023, 11, 6))
    a_janvier = DeclarationFactory(annexe=a, mois=JANVIER)
    LigneDeclarationFactory(declaration=a_janvier, parcours=p1, heures_travaillees=Decimal("151.67"))
    a_mars = DeclarationFactory(annexe=a, mois=MARS)
    LigneDeclarationFactory(declaration=a_mars, parcours=p1, heures_travaillees=Decimal("100.00"))
    LigneDeclarationFactory(declaration=a_mars, parcours=p2, heures_travaillees=Decimal("0.00"))
    b_janvier = DeclarationFactory(annexe=b, mois=JANVIER)
    LigneDeclarationFactory(declaration=b_janvier, parcours=p3, heures_travaillees=Decimal("80.00"))
    return {"a": a, "b": b, "p1": p1, "p2": p2, "p3": p3, "a_janvier": a_janvier}


def ligne(annexe, mois) -> IndicateurMensuel:
    return IndicateurMensuel.objects.get(annexe=annexe, mois=mois)


def valeurs_des_lignes() -> list[tuple]:
    return list(
        IndicateurMensuel.objects.order_by("annexe", "mois").values_list(
            "pk", "annexe", "mois", "siae", "departement", "type", "etp_conventionnes", "etp_realises"
        )
    )


class TestLesChiffres:
    def test_chaque_mois_calcule_a_la_main(self, cas):
        a, b = cas["a"], cas["b"]
        resultat = rafraichir([a.pk, b.pk])
        # Every month of both annexes has a row: 12 + 12. Those of the conventionné were written when the annexes
        # were: this refresh writes the three months with declarations.
        assert (resultat.annexes, resultat.lignes, resultat.supprimees) == (2, 3, 0)
        assert IndicateurMensuel.objects.count() == 24

        janvier = ligne(a, JANVIER)
        assert (janvier.siae_id, janvier.departement, janvier.type) == (a.siae_id, "55", "ACI")
        assert janvier.etp_conventionnes == Decimal("2.00")
        # 151,67 h × 12 / 1 820 h
        assert abs(janvier.etp_realises - Decimal("1820.04") / Decimal("1820")) < PRECISION

        fevrier = ligne(a, FEVRIER)  # nothing declared: the conventionné alone
        assert (fevrier.etp_conventionnes, fevrier.etp_realises) == (Decimal("2.00"), 0)

        mars = ligne(a, MARS)  # p2's line has no hour
        assert abs(mars.etp_realises - Decimal(1200) / Decimal(1820)) < PRECISION

        assert ligne(a, JUILLET).etp_conventionnes == Decimal("3.00")  # the avenant
        assert ligne(a, dt.date(2024, 6, 1)).etp_conventionnes == Decimal("2.00")

        b_janvier = ligne(b, JANVIER)
        assert (b_janvier.type, b_janvier.etp_conventionnes) == ("ETTI", Decimal("1.50"))
        # 80 h × 12 / 1 607 h
        assert abs(b_janvier.etp_realises - Decimal(960) / Decimal(1607)) < PRECISION

    def test_egaux_aux_requetes_en_direct(self, cas):
        a, b = cas["a"], cas["b"]
        rafraichir_departement("55")
        for annexe in (a, b):
            en_direct = consommation_mensuelle(AnnexeFinanciere.objects.filter(pk=annexe.pk), Periode.annee(2024))
            materialise = {i.mois: i for i in IndicateurMensuel.objects.filter(annexe=annexe)}
            assert [m.mois for m in en_direct] == sorted(materialise)
            for mois in en_direct:
                indicateur = materialise[mois.mois]
                assert indicateur.etp_conventionnes == mois.etp_conventionnes
                assert abs(indicateur.etp_realises - mois.etp_realises) < PRECISION

    def test_un_nombre_fixe_de_requetes(self, cas):
        def requetes(annexe_ids) -> tuple[int, int]:
            with CaptureQueriesContext(connection) as capture:
                rafraichir(annexe_ids)
            upserts = sum(
                1 for q in capture.captured_queries if q["sql"].startswith("INSERT") and "ON CONFLICT" in q["sql"]
            )
            return len(capture.captured_queries), upserts

        # One set-based insertion per materialised table (monthly indicators, parcours facts, presences, publics,
        # exits, hires), beside its update and delete from the same staged rows, whatever the number of annexes and
        # months; the aides au poste of the annexes are written in batches of a thousand
        # (`aides_au_poste.services.calculer_les_aides`).
        deux = requetes([cas["a"].pk, cas["b"].pk])
        assert deux[1] == 6
        for ordre in range(2, 12):
            AnnexeFinanciereFactory(siae=SiaeFactory(), annee=2024, numero=f"ACI055249{ordre:03d}A0M0")
        ids = list(AnnexeFinanciere.objects.values_list("pk", flat=True))
        assert requetes(ids) == deux

    def test_un_second_calcul_n_ecrit_rien(self, cas):
        premier = rafraichir_departement("55")
        assert premier.lignes > 0
        dates = dict(IndicateurMensuel.objects.values_list("pk", "date_calcul"))
        second = rafraichir_departement("55")
        assert (second.lignes, second.supprimees) == (0, 0)
        assert dict(IndicateurMensuel.objects.values_list("pk", "date_calcul")) == dates

    def test_les_annexes_sont_verrouillees_avant_le_calcul(self, cas):
        with CaptureQueriesContext(connection) as requetes:
            rafraichir([cas["b"].pk, cas["a"].pk])
        verrous = [q["sql"] for q in requetes.captured_queries if "FOR UPDATE" in q["sql"]]
        # PostgreSQL: one lock, on the annexes' rows only, taken in the order of their ids before anything is read.
        # SQLite serialises the writers by itself and has no such clause.
        assert len(verrous) == (1 if connection.features.has_select_for_update else 0)
        if verrous:
            lectures = [q["sql"] for q in requetes.captured_queries if not q["sql"].startswith("SAVEPOINT")]
            assert lectures[0] == verrous[0]
            # ORDER BY the id (its position in the select list), then the lock of the annexes' table alone.
            assert verrous[0].endswith('ORDER BY 1 ASC FOR UPDATE OF "conventions_annexefinanciere"')


class TestLesCourbes:
    """`courbe_de_consommation` and `courbes_par_structure`, read from the rows, against the live queries."""

    def test_egale_aux_requetes_en_direct(self, cas):
        rafraichir_tout()
        annexes = AnnexeFinanciere.objects.filter(pk__in=[cas["a"].pk, cas["b"].pk])
        courbe = courbe_de_consommation(annexes, 2024, aujourd_hui=dt.date(2025, 3, 1))  # the year is over
        en_direct = {m.mois: m for m in consommation_mensuelle(annexes, Periode.annee(2024))}
        assert courbe.mois == sorted(en_direct)
        cumul = Decimal(0)
        for point in courbe.par_mois:
            cumul += en_direct[point["mois"]].etp_realises
            assert point["conventionne"] == en_direct[point["mois"]].etp_conventionnes
            assert abs(point["realise"] - en_direct[point["mois"]].etp_realises) < PRECISION
            assert abs(point["cumul_realise"] - cumul) < PRECISION
        # 2 × 6 + 3 × 6 (A) + 1,5 × 12 (B) ETP-mois conventionnés over the year.
        assert courbe.cumul_conventionne[-1] == Decimal("48.00")
        assert courbe.projection is None

    def test_le_realise_jusqu_au_dernier_mois_du_puis_la_projection(self, cas):
        """On 20 April 2024, March is the last month due: January to March réalisé, projected to December."""
        rafraichir_tout()
        courbe = courbe_de_consommation(AnnexeFinanciere.objects.all(), 2024, aujourd_hui=dt.date(2024, 4, 20))
        assert courbe.dernier_mois_realise == MARS
        trimestre = courbe.cumul_realise[2]
        assert abs(trimestre - (Decimal("3020.04") / 1820 + Decimal(960) / 1607)) < PRECISION
        assert courbe.projection[:2] == [None, None]
        assert courbe.projection[-1] == trimestre * 12 / 3
        # On 10 April, March is not due yet: January and February.
        avant = courbe_de_consommation(AnnexeFinanciere.objects.all(), 2024, aujourd_hui=dt.date(2024, 4, 10))
        assert avant.dernier_mois_realise == dt.date(2024, 2, 1)

    def test_une_courbe_par_structure_en_une_requete(self, cas, django_assert_num_queries):
        rafraichir_tout()
        annexes = AnnexeFinanciere.objects.all()
        with django_assert_num_queries(1):
            courbes = courbes_par_structure(annexes, 2024, aujourd_hui=dt.date(2025, 3, 1))
        assert set(courbes) == {cas["a"].siae_id, cas["b"].siae_id}
        for annexe in (cas["a"], cas["b"]):
            seule = courbe_de_consommation(annexes.filter(pk=annexe.pk), 2024, aujourd_hui=dt.date(2025, 3, 1))
            assert courbes[annexe.siae_id] == seule

    def test_une_annee_sans_ligne(self, cas):
        rafraichir_tout()
        courbe = courbe_de_consommation(AnnexeFinanciere.objects.all(), 2030, aujourd_hui=dt.date(2031, 3, 1))
        assert len(courbe.mois) == 12
        assert courbe.cumul_conventionne == [0] * 12 and courbe.cumul_realise == [0] * 12
        assert courbe.projection is None
        assert courbes_par_structure(AnnexeFinanciere.objects.all(), 2030) == {}


class TestIdempotence:
    def test_deux_fois_les_memes_lignes(self, cas):
        rafraichir_tout()
        premiere = valeurs_des_lignes()
        resultat = rafraichir_tout()
        assert valeurs_des_lignes() == premiere  # same ids too: rows are kept in place
        # Nothing changed: nothing is written (no dead rows left behind by a rewrite).
        assert (resultat.lignes, resultat.supprimees) == (0, 0)

    def test_une_annee_seulement(self, cas):
        rafraichir_tout()
        avant = IndicateurMensuel.objects.get(annexe=cas["a"], mois=JANVIER).date_calcul
        resultat = rafraichir_departement("55", annee=2025)
        assert (resultat.lignes, resultat.supprimees) == (0, 0)
        assert IndicateurMensuel.objects.get(annexe=cas["a"], mois=JANVIER).date_calcul == avant

    def test_une_annexe_annulee_perd_ses_lignes(self, cas):
        rafraichir_tout()
        changer_etat(cas["a"], EtatAnnexe.ANNULE)
        resultat = rafraichir([cas["a"].pk])
        assert (resultat.lignes, resultat.supprimees) == (0, 12)
        # The hours of its parcours p1 no longer count: its facts change, its presence in 2024 goes.
        assert resultat.faits == 2
        assert not IndicateurMensuel.objects.filter(annexe=cas["a"]).exists()
        assert IndicateurMensuel.objects.filter(annexe=cas["b"]).count() == 12

    def test_un_mois_sans_donnee_disparait(self, cas):
        rafraichir([cas["a"].pk])
        # A shortened to June by an avenant: its second half has nothing to show any more.
        ajouter_avenant(cas["a"], mois_effet=JANVIER, etp_conventionnes=Decimal("2.00"), date_fin=dt.date(2024, 6, 30))
        resultat = rafraichir([cas["a"].pk])
        # The avenant's write already refreshed the first half (on commit): only the second half is left to go.
        assert (resultat.lignes, resultat.supprimees) == (0, 6)
        assert IndicateurMensuel.objects.filter(annexe=cas["a"]).count() == 6


class TestRafraichissementAuCommit:
    def test_correction_apres_validation(self, cas, django_capture_on_commit_callbacks):
        a, p1 = cas["a"], cas["p1"]
        rafraichir([a.pk, cas["b"].pk])
        with django_capture_on_commit_callbacks(execute=True):
            valider_declaration(cas["a_janvier"])
        assert abs(ligne(a, JANVIER).etp_realises - Decimal("1820.04") / Decimal(1820)) < PRECISION

        with django_capture_on_commit_callbacks(execute=True) as rappels:
            version_2 = declaration_a_completer(a, JANVIER)
            enregistrer_lignes(
                a, JANVIER, [LigneSaisie(p1, Decimal("120.00"))], auteur=None, transmettre=True, remplacer=True
            )
        assert version_2.version == 2
        assert len(rappels) == 1  # lines and transmission: one refresh
        assert abs(ligne(a, JANVIER).etp_realises - Decimal(1440) / Decimal(1820)) < PRECISION  # 120 × 12 / 1 820

    def test_une_transmission_cree_la_ligne_du_mois(self, cas, django_capture_on_commit_callbacks):
        a, avril = cas["a"], dt.date(2024, 4, 1)
        IndicateurMensuel.objects.all().delete()  # from an empty table, to see exactly what is refreshed
        with django_capture_on_commit_callbacks(execute=True):
            declaration = declaration_a_completer(a, avril)
            enregistrer_lignes(
                a, avril, [LigneSaisie(cas["p1"], Decimal("91.00"))], auteur=None, transmettre=False, remplacer=True
            )
            transmettre_declaration(declaration)
            assert not IndicateurMensuel.objects.exists()  # not committed yet: nothing refreshed
        # Only the month touched is refreshed.
        assert list(IndicateurMensuel.objects.values_list("annexe", "mois")) == [(a.pk, avril)]
        assert abs(ligne(a, avril).etp_realises - Decimal("0.6")) < PRECISION  # 91 × 12 / 1 820

    def test_rien_apres_un_retour_en_arriere(self, cas, django_capture_on_commit_callbacks):
        with (
            mock.patch("indicateurs.tasks.rafraichir_indicateurs_task.delay") as envoi,
            django_capture_on_commit_callbacks(execute=True),
            contextlib.suppress(RuntimeError),
            transaction.atomic(),
        ):
            transmettre_declaration(declaration_a_completer(cas["a"], dt.date(2024, 5, 1)))
            raise RuntimeError("annulé")
        envoi.assert_not_called()

    def test_un_broker_en_panne_ne_fait_pas_echouer_la_transmission(self, cas, django_capture_on_commit_callbacks):
        panne = ConnectionError("broker injoignable")
        with (
            mock.patch("indicateurs.tasks.rafraichir_indicateurs_task.delay", side_effect=panne) as envoi,
            django_capture_on_commit_callbacks(execute=True),
        ):
            declaration = transmettre_declaration(declaration_a_completer(cas["a"], dt.date(2024, 5, 1)))
        envoi.assert_called_once_with([cas["a"].pk], ["2024-05-01"])
        declaration.refresh_from_db()
        assert (declaration.etat, declaration.retenue) == (EtatDeclaration.TRANSMISE, True)

    def test_un_import_de_declarations_un_seul_envoi(self, cas, django_capture_on_commit_callbacks):
        a, siae_a = cas["a"], cas["a"].siae
        p1 = cas["p1"]
        contenu = (
            "siret;numero_annexe;mois;numero_pass;heures_travaillees\n"
            f"{siae_a.siret};{a.numero};2024-04;{p1.pass_iae.numero};100\n"
            f"{siae_a.siret};{a.numero};2024-05;{p1.pass_iae.numero};110\n"
            f"{siae_a.siret};{a.numero};2024-06;{p1.pass_iae.numero};120\n"
        ).encode()
        journal = preparer_import("declarations", "mois.csv", contenu)
        with (
            mock.patch("indicateurs.tasks.rafraichir_indicateurs_task.delay") as envoi,
            django_capture_on_commit_callbacks(execute=True),
        ):
            journal = executer_import(journal)
        assert journal.statut == "TERMINE", journal.erreurs
        envoi.assert_called_once_with([a.pk], ["2024-04-01", "2024-05-01", "2024-06-01"])


def test_un_avenant_rafraichit_l_annexe_au_commit(cas, django_capture_on_commit_callbacks):
    a = cas["a"]
    rafraichir([a.pk])
    assert ligne(a, dt.date(2024, 10, 1)).etp_conventionnes == Decimal("3.00")
    with django_capture_on_commit_callbacks(execute=True):
        ajouter_avenant(a, mois_effet=dt.date(2024, 10, 1), etp_conventionnes=Decimal("4.00"))
    assert ligne(a, dt.date(2024, 10, 1)).etp_conventionnes == Decimal("4.00")
    assert ligne(a, JUILLET).etp_conventionnes == Decimal("3.00")
