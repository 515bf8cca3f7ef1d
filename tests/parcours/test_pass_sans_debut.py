"""A PASS IAE whose dates are unknown (the ASP's flux gives the number, not always the start): the parcours still
loads and shows, the pages say « inconnue », and every rule that needs the date refuses, saying why, rather than
guess it (parcours/regles_pass.py, services_pass.py, the declaration lines' rule)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from imports.services import analyser_fichier
from parcours import services_pass
from parcours.chronologie import chronologie
from parcours.importation import ImportParcours
from parcours.models import MotifProlongation, MotifSortie, MotifSuspension, PassIae, Suspension, TypeContrat
from parcours.regles import erreurs_ligne_declaration
from parcours.regles_pass import (
    LimitesSuspension,
    Periode,
    decalage_de_la_fin,
    erreurs_cdi_inclusion,
    erreurs_fin_inconnue,
    erreurs_suspension,
    fin_du_pass,
)
from tests.factories import ParcoursFactory, PassIaeFactory

pytestmark = pytest.mark.django_db

D = dt.date
AUJOURD_HUI = timezone.localdate()
HIER = AUJOURD_HUI - dt.timedelta(days=1)
INCONNU = "la date de début du PASS IAE est inconnue : "


@pytest.fixture
def parcours_sans_debut(siae_a):
    return ParcoursFactory(
        siae=siae_a,
        salarie__nom="Martin",
        salarie__prenom="Léa",
        salarie__date_naissance=D(1962, 4, 1),
        pass_iae__numero="999992400077",
        pass_iae__date_debut=None,
        pass_iae__date_fin=None,
        date_embauche=D(2024, 1, 1),
    )


# The rules, without the database -------------------------------------------------------------------------------


def test_les_regles_disent_que_la_date_est_inconnue():
    assert fin_du_pass(None) is None
    assert decalage_de_la_fin(None, None) == dt.timedelta(0)
    assert decalage_de_la_fin(D(2024, 1, 1), D(2026, 1, 10)) == dt.timedelta(days=10)
    motif = LimitesSuspension("Contrat rompu", 36)
    erreurs = erreurs_suspension(
        Periode(D(2025, 1, 1), D(2025, 1, 31)),
        motif,
        type_siae="ACI",
        debut_pass=None,
        fin_pass=None,
        autres=[],
        aujourd_hui=D(2025, 6, 1),
    )
    assert [e.message for e in erreurs] == [
        f"Début : {INCONNU}la suspension ne peut pas être vérifiée ni la fin du PASS reportée."
    ]
    assert [e.message for e in erreurs_fin_inconnue(None)] == [
        f"Fin : {INCONNU}sa fin, que la prolongation suit, ne peut pas être calculée."
    ]
    assert erreurs_fin_inconnue(D(2025, 1, 1)) == []
    cdi = erreurs_cdi_inclusion(
        TypeContrat.CDI_INCLUSION, D(2025, 1, 1), date_naissance=D(1960, 1, 1), debut_parcours_iae=None
    )
    assert [e.message for e in cdi] == [
        f"Début : {INCONNU}les 12 mois de parcours qu'un CDI inclusion suppose ne peuvent pas être vérifiés."
    ]


def test_une_ligne_de_declaration_ne_suppose_pas_le_pass_valide():
    erreurs = erreurs_ligne_declaration(
        mois=D(2025, 1, 1),
        heures=Decimal(100),
        contrat_couvre_le_mois=True,
        pass_debut=None,
        pass_fin=None,
        date_embauche=D(2024, 1, 1),
        date_sortie=None,
        motif_sortie_connu=False,
        motif_sortie_donne=False,
    )
    assert erreurs == [("numero_pass", f"{INCONNU}sa validité ce mois ne peut pas être vérifiée")]


def test_une_date_de_debut_connue_a_toujours_sa_fin():
    with pytest.raises(IntegrityError), transaction.atomic():
        PassIaeFactory(date_debut=D(2024, 1, 1), date_fin=None)
    PassIaeFactory(date_debut=None, date_fin=None)
    PassIaeFactory(date_debut=None, date_fin=D(2026, 1, 1))  # an end given without its start is kept


# The writes ----------------------------------------------------------------------------------------------------


def test_une_suspension_est_refusee(parcours_sans_debut):
    with pytest.raises(ValidationError) as refus:
        services_pass.enregistrer_suspension(
            parcours_sans_debut,
            motif=MotifSuspension.objects.get(code="CONTRAT_ROMPU"),
            date_debut=HIER - dt.timedelta(days=9),
            date_fin=HIER,
        )
    assert refus.value.message_dict == {
        "date_debut": [f"Début : {INCONNU}la suspension ne peut pas être vérifiée ni la fin du PASS reportée."]
    }
    assert not Suspension.objects.exists()


def test_une_prolongation_est_refusee(parcours_sans_debut):
    with pytest.raises(ValidationError) as refus:
        services_pass.demander_prolongation(
            parcours_sans_debut, motif=MotifProlongation.objects.get(code="RQTH"), date_fin=D(2030, 1, 1)
        )
    assert refus.value.message_dict == {
        "date_fin": [f"Fin : {INCONNU}sa fin, que la prolongation suit, ne peut pas être calculée."]
    }


def test_un_contrat_et_une_sortie_s_enregistrent_sans_inventer_de_dates(parcours_sans_debut):
    services_pass.enregistrer_contrat(
        parcours_sans_debut,
        type=TypeContrat.CDDI,
        date_debut=D(2024, 7, 1),
        date_fin=D(2024, 12, 31),
        heures_hebdo=Decimal(26),
    )
    with pytest.raises(ValidationError) as refus:
        services_pass.enregistrer_contrat(
            parcours_sans_debut, type=TypeContrat.CDI_INCLUSION, date_debut=D(2025, 1, 1)
        )
    assert INCONNU in refus.value.message_dict["date_debut"][0]
    services_pass.enregistrer_sortie(
        parcours_sans_debut, date_sortie=HIER, motif_sortie=MotifSortie.objects.get(code="CDI")
    )
    pass_iae = PassIae.objects.get()
    assert (pass_iae.date_debut, pass_iae.date_fin) == (None, None)


# The pages and the API -----------------------------------------------------------------------------------------


def test_la_page_du_salarie_dit_inconnue(client_de, personnel_a, parcours_sans_debut):
    reponse = client_de(personnel_a).get(f"/salaries/{parcours_sans_debut.salarie_id}/")
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert (
        "PASS IAE 999992400077, date de début inconnue, date de fin inconnue : ni suspension ni prolongation ne peut "
        "être enregistrée." in page
    )
    ((_, etapes, _, _),) = reponse.context["parcours"]
    assert [(e.titre, e.date) for e in etapes] == [
        ("Début du PASS IAE", None),
        ("Embauche", D(2024, 1, 1)),
        ("CDD d'insertion", D(2024, 1, 1)),
        ("Fin du PASS IAE", None),
    ]
    assert page.count("<td>inconnue</td>") == 2


def test_la_chronologie_place_les_dates_inconnues_aux_bouts(parcours_sans_debut):
    etapes = chronologie(parcours_sans_debut, [(D(2024, 2, 1), Decimal(100))], [], [])
    assert [e.titre for e in etapes] == [
        "Début du PASS IAE",
        "Embauche",
        "CDD d'insertion",
        "Heures déclarées",
        "Fin du PASS IAE",
    ]


def test_les_formulaires_disent_pourquoi_ils_refusent(client_de, personnel_a, parcours_sans_debut):
    client = client_de(personnel_a)
    base = f"/salaries/parcours/{parcours_sans_debut.pk}"
    page = client.get(f"{base}/suspension/").content.decode()
    assert "PASS IAE 999992400077, date de début inconnue, date de fin inconnue." in page
    reponse = client.post(
        f"{base}/suspension/",
        {
            "motif": MotifSuspension.objects.get(code="CONTRAT_ROMPU").pk,
            "date_debut": f"{HIER - dt.timedelta(days=9):%Y-%m-%d}",
            "date_fin": f"{HIER:%Y-%m-%d}",
        },
    )
    assert reponse.status_code == 200
    assert reponse.context["form"].errors["date_debut"] == [
        f"Début : {INCONNU}la suspension ne peut pas être vérifiée ni la fin du PASS reportée."
    ]
    formulaire = client.get(f"{base}/prolongation/").context["form"]
    assert formulaire.fields["date_fin"].help_text.startswith("La date de début du PASS IAE est inconnue")


def test_l_api_donne_null(client_de, personnel_a, parcours_sans_debut):
    reponse = client_de(personnel_a).get(f"/api/v1/salaries/{parcours_sans_debut.salarie_id}/")
    assert reponse.json()["pass_iae"] == [
        {"numero": "999992400077", "date_debut": None, "date_fin": None, "date_fin_officielle": None}
    ]
    reponse = client_de(personnel_a).get("/api/v1/parcours/")
    (parcours,) = reponse.json()["results"]
    assert parcours["pass_iae"] == {
        "numero": "999992400077",
        "date_debut": None,
        "date_fin": None,
        "date_fin_officielle": None,
    }


# The parcours import, which always gives the start -------------------------------------------------------------


def test_l_import_des_parcours_renseigne_un_debut_inconnu(siae_a, parcours_sans_debut):
    """The file gives the start of a PASS known without it: filled in, and its end computed from it."""
    ligne = f"999992400077;Martin;Léa;1962-04-01;F;{siae_a.siret};2023-12-01;2024-01-01;CDDI;26;non;non;non;non;;;"
    contenu = f"{';'.join(ImportParcours.colonnes)}\n{ligne}\n".encode()
    importeur = ImportParcours()
    analyse = analyser_fichier("parcours", "parcours.csv", contenu)
    assert analyse.valide, analyse.erreurs
    assert [(c.action, c.details) for c in analyse.changements] == [("modification", "date_debut_pass")]
    importeur.appliquer(analyse)
    pass_iae = PassIae.objects.get()
    assert (pass_iae.date_debut, pass_iae.date_fin) == (D(2023, 12, 1), D(2025, 11, 30))
