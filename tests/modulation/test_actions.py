"""Insertion actions: their rules (parcours/regles_actions.py), the form on the salarié's page and its scope."""

import datetime as dt
from decimal import Decimal as D

import pytest

from parcours.models import ActionInsertion
from parcours.regles_actions import erreurs_action, fin_max_pmsmp

EMBAUCHE = dt.date(2024, 1, 15)
AUJOURD_HUI = dt.date(2024, 12, 1)


def erreurs(**valeurs) -> list[tuple[str, str]]:
    action = {
        "type": "FORMATION",
        "libelle": "SST",
        "date_debut": dt.date(2024, 3, 1),
        "date_fin": None,
        "heures": D(14),
        "date_embauche": EMBAUCHE,
        "date_sortie": None,
        "aujourd_hui": AUJOURD_HUI,
    }
    return erreurs_action(**(action | valeurs))


def test_une_action_acceptee():
    assert erreurs() == []
    assert erreurs(type="ACCOMPAGNEMENT_SOCIAL", heures=None, date_debut=EMBAUCHE, date_fin=EMBAUCHE) == []


@pytest.mark.parametrize(
    "valeurs,champ,debut_du_message",
    [
        ({"date_debut": dt.date(2024, 1, 14)}, "date_debut", "l'action commence avant l'embauche (15/01/2024)"),
        ({"date_debut": dt.date(2024, 12, 2)}, "date_debut", "une action s'enregistre une fois commencée"),
        (
            {"date_sortie": dt.date(2024, 2, 29), "date_debut": dt.date(2024, 3, 1)},
            "date_debut",
            "le salarié est sorti du parcours le 29/02/2024",
        ),
        ({"date_fin": dt.date(2024, 2, 28)}, "date_fin", "la fin précède le début"),
        ({"heures": None}, "heures", "la durée d'une formation est obligatoire"),
        ({"heures": D(0)}, "heures", "la durée est positive"),
        ({"libelle": "  "}, "libelle", "indiquez l'intitulé"),
        ({"type": "PMSMP", "heures": None}, "date_fin", "une PMSMP a une date de fin"),
        (
            {"type": "PMSMP", "date_fin": dt.date(2024, 4, 1)},
            "date_fin",
            "une PMSMP dure au plus un mois (jusqu'au 31/03/2024)",
        ),
    ],
)
def test_actions_refusees(valeurs, champ, debut_du_message):
    (erreur,) = erreurs(**valeurs)
    assert erreur[0] == champ
    assert erreur[1].startswith(debut_du_message)


def test_une_pmsmp_dure_au_plus_un_mois():
    # 31 January + 1 month is 29 February 2024 (clamped): the PMSMP goes up to the 28th.
    assert fin_max_pmsmp(dt.date(2024, 1, 31)) == dt.date(2024, 2, 28)
    assert fin_max_pmsmp(dt.date(2024, 3, 1)) == dt.date(2024, 3, 31)
    assert erreurs(type="PMSMP", date_debut=dt.date(2024, 3, 1), date_fin=dt.date(2024, 3, 31)) == []


# The salarié's page -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ajouter_une_action_sur_la_page_du_salarie(client_de, personnel_a, parcours_2024):
    p3 = parcours_2024["P3"]
    client = client_de(personnel_a)
    assert client.get(f"/salaries/parcours/{p3.pk}/action/").status_code == 200
    reponse = client.post(
        f"/salaries/parcours/{p3.pk}/action/",
        {
            "type": "FORMATION",
            "libelle": "Remise à niveau",
            "organisme": "GRETA",
            "date_debut": "2024-09-02",
            "date_fin": "2024-10-25",
            "heures": "70,5",
        },
    )
    assert reponse.status_code == 302
    assert reponse["Location"] == f"/salaries/{p3.salarie_id}/#actions-{p3.pk}"
    action = ActionInsertion.objects.get(libelle="Remise à niveau")
    assert (action.parcours, action.heures, action.organisme, action.auteur) == (p3, D("70.5"), "GRETA", personnel_a)
    page = client.get(f"/salaries/{p3.salarie_id}/").content.decode()
    assert "Remise à niveau" in page and "70,50 h" in page
    assert "Actions d'insertion (2)" in page  # with the 2025 training of the fixture


@pytest.mark.django_db
def test_une_action_refusee_revient_sur_le_formulaire(client_de, agent_55, parcours_2024):
    p1 = parcours_2024["P1"]
    reponse = client_de(agent_55).post(
        f"/salaries/parcours/{p1.pk}/action/",
        {"type": "PMSMP", "libelle": "Immersion", "date_debut": "2024-07-01", "date_fin": "2024-07-20"},
    )
    assert reponse.status_code == 200
    assert reponse.context["form"].errors["date_debut"] == ["Début : le salarié est sorti du parcours le 30/06/2024."]
    assert not ActionInsertion.objects.filter(libelle="Immersion", parcours=p1).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["personnel_b", "membre_cdiae_55", "agent_57"])
def test_les_autres_n_ajoutent_ni_ne_suppriment(request, client_de, parcours_2024, role):
    client = client_de(request.getfixturevalue(role))
    p1 = parcours_2024["P1"]
    assert client.get(f"/salaries/parcours/{p1.pk}/action/").status_code == 404
    action = ActionInsertion.objects.get(parcours=p1)
    assert client.post(f"/salaries/actions/{action.pk}/supprimer/").status_code == 404
    assert ActionInsertion.objects.filter(pk=action.pk).exists()


@pytest.mark.django_db
def test_supprimer_une_action(client_de, personnel_a, parcours_2024):
    action = ActionInsertion.objects.get(parcours=parcours_2024["P2"])
    reponse = client_de(personnel_a).post(f"/salaries/actions/{action.pk}/supprimer/")
    assert reponse.status_code == 302
    assert not ActionInsertion.objects.filter(pk=action.pk).exists()
    assert client_de(personnel_a).get(f"/salaries/actions/{action.pk}/supprimer/").status_code in (404, 405)
