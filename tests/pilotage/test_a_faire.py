"""The agent's home is a to-do list, département by département: each kind counted by one aggregate query, the
first items named with a link, a constant number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from controle import services as services_controle
from parcours.models import MotifProlongation, Prolongation, StatutProlongation
from pilotage.queries_accueil import taches_de_l_agent
from tests.factories import AnnexeFinanciereFactory, DeclarationFactory, ParcoursFactory

pytestmark = pytest.mark.django_db

AUJOURD_HUI = dt.date(2024, 12, 4)  # October's deadline (15 November) has passed, November's not yet


def transmise_le(jour: dt.date):
    return timezone.make_aware(dt.datetime.combine(jour, dt.time(10)))


@pytest.fixture
def a_faire(siae_a):
    annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2024)  # ends on 31/12/2024
    # October transmitted late (after 15 November), not yet validated; September validated on time.
    DeclarationFactory(annexe=annexe, mois=dt.date(2024, 10, 1), date_transmission=transmise_le(dt.date(2024, 11, 20)))
    DeclarationFactory(
        annexe=annexe, mois=dt.date(2024, 9, 1), etat="VALIDEE", date_transmission=transmise_le(dt.date(2024, 10, 2))
    )
    parcours = ParcoursFactory(siae=siae_a, pass_iae__date_debut=dt.date(2023, 1, 20))
    Prolongation.objects.create(
        pass_iae=parcours.pass_iae,
        siae=siae_a,
        motif=MotifProlongation.objects.get(code="RQTH"),
        date_debut=dt.date(2025, 1, 20),
        date_fin=dt.date(2026, 1, 19),
        statut=StatutProlongation.DEMANDEE,
        date_demande=dt.date(2024, 11, 28),
        decideur="PRESCRIPTEUR",
    )
    return {"annexe": annexe, "parcours": parcours}


def test_les_taches_du_departement(agent_55, a_faire):
    (bloc,) = taches_de_l_agent(agent_55, AUJOURD_HUI)
    assert (bloc.departement, bloc.nom) == ("55", "Meuse")
    taches = {t.cle: t for t in bloc.taches}
    assert taches["a_valider"].nombre == 1
    assert taches["a_valider"].libelle == "1 déclaration transmise à valider"
    # January to October: eight months never transmitted.
    assert taches["manquantes"].nombre == 8
    assert taches["manquantes"].url == "/declarations/?mois=2024-10"
    assert taches["en_retard"].libelle == "1 déclaration d'octobre 2024 transmise en retard"
    prolongation = Prolongation.objects.get()
    assert taches["prolongations"].elements == [
        (
            f"{a_faire['parcours'].salarie} – {a_faire['parcours'].siae.nom}",
            f"/salaries/prolongations/{prolongation.pk}/decision/",
            "demandée le 28/11/2024",
        )
    ]
    # The PASS started on 20/01/2023 ends on 19/01/2025, within three months.
    assert taches["pass"].nombre == 1
    assert taches["pass"].elements[0][1] == f"/salaries/{a_faire['parcours'].salarie_id}/"
    assert taches["annexes"].nombre == 1
    assert taches["annexes"].elements[0][1] == f"/annexes/{a_faire['annexe'].pk}/"
    assert taches["controle"].nombre == 0


def test_un_autre_departement_ne_voit_rien(agent_57, a_faire):
    (bloc,) = taches_de_l_agent(agent_57, AUJOURD_HUI)
    assert bloc.departement == "57"
    assert bloc.total == 0


def test_l_echeance_d_une_campagne_de_controle(agent_55, siae_a):
    campagne = services_controle.creer_campagne(annee=2024, departement="55", auteur=agent_55, graine=1)
    aujourd_hui = campagne.echantillonnage_fin - dt.timedelta(days=10)
    (bloc,) = taches_de_l_agent(agent_55, aujourd_hui)
    (controle,) = [t for t in bloc.taches if t.cle == "controle"]
    assert controle.elements == [
        (
            "Contrôle des embauches 2024 : échantillonnage",
            f"/controle/campagnes/{campagne.pk}/",
            f"fin le {campagne.echantillonnage_fin:%d/%m/%Y}",
        )
    ]


def test_un_nombre_constant_de_requetes(agent_55, siae_a, siae_b, django_assert_max_num_queries):
    for siae in (siae_a, siae_b):
        annexe = AnnexeFinanciereFactory(siae=siae, annee=2024)
        for mois in (8, 9, 10):
            DeclarationFactory(annexe=annexe, mois=dt.date(2024, mois, 1))
        for _ in range(3):
            ParcoursFactory(siae=siae, pass_iae__date_debut=dt.date(2023, 1, 20))
    agent_55.perimetre  # noqa: B018 (read once per request, by the middleware)
    with django_assert_max_num_queries(9):
        (bloc,) = taches_de_l_agent(agent_55, AUJOURD_HUI)
    assert {t.cle: t.nombre for t in bloc.taches}["pass"] == 6


def test_la_page_d_accueil_de_l_agent(client_de, agent_55, a_faire):
    page = client_de(agent_55).get("/").content.decode()
    assert 'id="a-faire"' in page
    assert "à valider" in page
