"""Every stored figure equals the live computation, on the session's demo, as built and after each kind of write
going through the services (the refreshes they ask for run when their transaction commits): a declaration
transmitted, a new version of a transmitted one, an avenant changing the ETP conventionnés, an annexe cancelled,
an exit, an import of declarations."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from aides_au_poste.queries import aides_calculees, aides_des_annexes, calculs_gardes
from aides_au_poste.services import ajouter_ligne_bareme
from conventions.models import ETATS_ACTIFS, AnnexeFinanciere, EtatAnnexe, EtpConventionneMensuel
from conventions.services import ajouter_avenant, changer_etat
from declarations.models import DeclarationMensuelle, LigneDeclaration
from declarations.queries import etp_realises_expression
from declarations.services import LigneSaisie, declaration_a_completer, enregistrer_lignes
from imports.services import executer_import, preparer_import
from indicateurs.models import FaitParcours, IndicateurMensuel, PresenceAnnuelle
from indicateurs.queries_sorties import (
    GROUPES,
    embauches_gardees,
    embauches_par,
    publics_par,
    publics_par_en_direct,
    sorties_par,
    sorties_par_en_direct,
)
from modulation.services import decider_modulation
from parcours.models import MotifSortie, Parcours
from parcours.services_pass import enregistrer_sortie
from siae.models import Siae

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

PRECISION = Decimal("1e-12")


def consommation_en_direct() -> dict[tuple, tuple[Decimal, Decimal]]:
    """{(annexe, month): (ETP-mois conventionnés, réalisés)} of the active annexes, from the data itself."""
    conv = {
        (annexe, mois): etp
        for annexe, mois, etp in EtpConventionneMensuel.objects.filter(annexe__etat__in=ETATS_ACTIFS).values_list(
            "annexe_id", "mois", "etp_conventionnes"
        )
    }
    real = {
        (annexe, mois): etp
        for annexe, mois, etp in LigneDeclaration.objects.filter(
            declaration__retenue=True, declaration__annexe__etat__in=ETATS_ACTIFS
        )
        .values_list("declaration__annexe_id", "declaration__mois")
        .annotate(etp=Sum(etp_realises_expression()))
        .order_by()
    }
    return {cle: (conv.get(cle, Decimal(0)), Decimal(real.get(cle) or 0)) for cle in conv.keys() | real.keys()}


def verifier_tout() -> None:
    stockes = {
        (annexe, mois): (conv, real)
        for annexe, mois, conv, real in IndicateurMensuel.objects.values_list(
            "annexe_id", "mois", "etp_conventionnes", "etp_realises"
        )
    }
    en_direct = consommation_en_direct()
    assert stockes.keys() == en_direct.keys()
    for cle, (conv, real) in en_direct.items():
        assert stockes[cle][0] == conv, cle
        assert abs(stockes[cle][1] - real) < PRECISION, cle
    # The amounts of every active annexe's aide au poste, as computed from its months.
    actives = AnnexeFinanciere.objects.filter(etat__in=ETATS_ACTIFS)
    assert actives.filter(aide_calculee__isnull=True).count() == 0
    calculees = {a.annexe_id: a for a in aides_calculees(actives)}
    for aide in aides_des_annexes(actives):
        stockee = calculees[aide.annexe_id]
        assert calculs_gardes(stockee) == calculs_gardes(aide), aide.numero
        assert (stockee.total_conventionne, stockee.verse) == (aide.total_conventionne, aide.verse), aide.numero
    # Every parcours has its facts, and nothing else has.
    assert set(FaitParcours.objects.values_list("pk", flat=True)) == set(Parcours.objects.values_list("pk", flat=True))
    structures = Siae.objects.all()
    annees = sorted(set(PresenceAnnuelle.objects.values_list("annee", flat=True)) | {2023, 2024, 2025, 2026})
    for groupe in GROUPES:
        assert sorties_par(structures, annees, groupe) == sorties_par_en_direct(structures, annees, groupe), groupe
        for annee in annees:
            assert publics_par(structures, annee, groupe) == publics_par_en_direct(structures, annee, groupe), (
                groupe,
                annee,
            )
            assert embauches_gardees(structures, annee, groupe) == embauches_par(structures, annee, groupe), (
                groupe,
                annee,
            )


@pytest.fixture
def apres_commit(django_capture_on_commit_callbacks):
    """Run a write as production does: its refreshes go when it commits."""

    def ecrire(fonction, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fonction(*args, **kwargs)

    return ecrire


def une_declaration_retenue() -> DeclarationMensuelle:
    return (
        DeclarationMensuelle.objects.filter(
            retenue=True, annexe__etat__in=ETATS_ACTIFS, lignes__heures_travaillees__gt=0
        )
        .select_related("annexe")
        .order_by("-mois", "pk")
        .first()
    )


def test_la_demo_telle_que_construite():
    assert IndicateurMensuel.objects.exists() and PresenceAnnuelle.objects.exists()
    verifier_tout()


def test_une_nouvelle_version_d_une_declaration_transmise(apres_commit):
    declaration = une_declaration_retenue()
    annexe, mois = declaration.annexe, declaration.mois
    lignes = list(declaration.lignes.select_related("parcours"))
    # The new version: the first salarié's hours halved, the last one gone.
    saisies = [LigneSaisie(lignes[0].parcours, (lignes[0].heures_travaillees / 2).quantize(Decimal("0.01")))] + [
        LigneSaisie(ligne.parcours, ligne.heures_travaillees) for ligne in lignes[1:-1]
    ]

    def corriger():
        declaration_a_completer(annexe, mois)
        enregistrer_lignes(annexe, mois, saisies, auteur=None, transmettre=True, remplacer=True)

    apres_commit(corriger)
    assert DeclarationMensuelle.objects.filter(annexe=annexe, mois=mois).count() > 1
    verifier_tout()


def test_une_declaration_transmise_pour_un_mois_sans_declaration(apres_commit):
    annexe = AnnexeFinanciere.objects.filter(etat__in=ETATS_ACTIFS).order_by("-date_fin", "pk").first()
    mois = annexe.date_fin.replace(day=1)
    DeclarationMensuelle.objects.filter(annexe=annexe, mois=mois).delete()
    parcours = Parcours.objects.filter(siae=annexe.siae, date_embauche__lte=mois).first()

    def transmettre():
        declaration_a_completer(annexe, mois)
        enregistrer_lignes(
            annexe, mois, [LigneSaisie(parcours, Decimal("151.67"))], auteur=None, transmettre=True, remplacer=True
        )

    apres_commit(transmettre)
    verifier_tout()


def test_un_avenant_et_une_annexe_annulee(apres_commit):
    annexes = list(AnnexeFinanciere.objects.filter(etat=EtatAnnexe.VALIDE).order_by("pk")[:2])
    avenant, annulee = annexes
    apres_commit(
        ajouter_avenant,
        avenant,
        mois_effet=avenant.date_debut.replace(day=1) + dt.timedelta(days=62),
        etp_conventionnes=Decimal("7.25"),
    )
    apres_commit(changer_etat, annulee, EtatAnnexe.ANNULE)
    verifier_tout()


def test_une_sortie(apres_commit):
    declaration = une_declaration_retenue()
    parcours = (
        Parcours.objects.filter(siae=declaration.annexe.siae, date_sortie__isnull=True)
        .order_by("date_embauche")
        .first()
    )
    motif = MotifSortie.objects.filter(actif=True, code="CDI").first()
    date_sortie = max(parcours.date_embauche + dt.timedelta(days=200), declaration.mois)
    apres_commit(enregistrer_sortie, parcours, date_sortie=date_sortie, motif_sortie=motif, aujourd_hui=date_sortie)
    assert FaitParcours.objects.get(pk=parcours.pk).annee_sortie == date_sortie.year
    verifier_tout()


def test_un_import_de_declarations(apres_commit):
    declaration = une_declaration_retenue()
    annexe = declaration.annexe
    ligne = declaration.lignes.select_related("parcours__pass_iae").first()
    # A month the file declares for the first time (replacing a transmitted one needs a confirmed preview). The
    # rows of the month deleted here are refreshed by the import.
    DeclarationMensuelle.objects.filter(annexe=annexe, mois=declaration.mois).delete()
    contenu = (
        "siret;numero_annexe;mois;numero_pass;heures_travaillees\n"
        f"{annexe.siae.siret};{annexe.numero};{declaration.mois:%Y-%m};{ligne.parcours.pass_iae.numero};12\n"
    ).encode()
    journal = preparer_import("declarations", "mois.csv", contenu)
    journal = apres_commit(executer_import, journal)
    assert journal.statut == "TERMINE", journal.erreurs
    verifier_tout()


def test_une_revalorisation_du_bareme(apres_commit):
    annexe = AnnexeFinanciere.objects.filter(etat__in=ETATS_ACTIFS).order_by("-date_fin", "pk").first()
    apres_commit(
        ajouter_ligne_bareme,
        type=annexe.type,
        date_effet=annexe.date_debut.replace(day=1) + dt.timedelta(days=40),
        montant=Decimal("31234.56"),
        source="Arrêté de test",
    )
    verifier_tout()


def test_une_modulation_decidee(apres_commit, agent_55):
    annexe = (
        AnnexeFinanciere.objects.filter(etat__in=[EtatAnnexe.VALIDE, EtatAnnexe.PROVISOIRE]).order_by("pk").first()
    )
    apres_commit(decider_modulation, annexe, Decimal("0.087"), "Effort de formation.", agent_55)
    verifier_tout()
