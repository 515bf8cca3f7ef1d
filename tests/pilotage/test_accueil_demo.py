"""The home pages on the demo's département: the CDIAE member's names no salarié, and shows the same figures as
`exporter indicateurs`; the simulator reads the demo's annexes. On the session's demo (tests/conftest.py)."""

import re

import pytest
from django.test import Client

from base.formats import etp, taux
from comptes.models import Utilisateur
from indicateurs.sections import indicateurs
from parcours.models import Salarie

pytestmark = [pytest.mark.django_db, pytest.mark.lent, pytest.mark.usefixtures("demo")]


def client_de(email: str) -> Client:
    client = Client()
    client.force_login(Utilisateur.objects.get(email=email))
    return client


@pytest.mark.parametrize("annee", [2025, 2026])
def test_le_cdiae_ne_voit_aucun_salarie(annee):
    reponse = client_de("cdiae@pilot-iae.test").get("/", {"annee": annee})
    page = reponse.content.decode()
    salaries = list(Salarie.objects.values_list("prenom", "nom"))
    assert len(salaries) > 1000
    noms = {nom for _, nom in salaries}
    trouves = [nom for nom in noms if re.search(rf"\b{re.escape(nom)}\b", page)]
    assert trouves == []
    assert not [f"{p} {n}" for p, n in salaries if f"{p} {n}" in page or f"{n} {p}" in page]
    # The figures are the département's, as exported.
    exportes = indicateurs(annee, "55")
    chiffres = reponse.context["cdiae"]
    assert [
        {
            "type": c.cle,
            "etp_conventionnes": etp(c.etp_conventionnes),
            "etp_realises": etp(c.etp_realises),
            "taux_consommation": taux(c.taux),
        }
        for c in chiffres.consommation
    ] == exportes["consommation"]
    sorties_totales = next(s for s in exportes["sorties"] if s["type"] == "TOTAL")
    assert taux(chiffres.sorties_totales.taux_sorties_dynamiques) == sorties_totales["taux_sorties_dynamiques"]
    assert chiffres.publics_totaux.publics.salaries == exportes["publics"][-1]["salaries"]


def test_la_structure_de_demonstration_voit_ses_chiffres():
    reponse = client_de("siae@pilot-iae.test").get("/", {"annee": 2025})
    (bloc,) = reponse.context["blocs_siae"]
    exportee = next(s for s in indicateurs(2025, "55")["siae"] if s["siret"] == bloc.siae.siret)
    c = bloc.consommation.reference
    assert (etp(c.etp_conventionnes), etp(c.etp_realises), taux(c.taux)) == (
        exportee["etp_conventionnes"],
        exportee["etp_realises"],
        exportee["taux_consommation"],
    )
    assert taux(bloc.sorties.taux_sorties_dynamiques) == exportee["taux_sorties_dynamiques"]


def test_le_simulateur_sur_les_annexes_de_la_demonstration():
    reponse = client_de("agent.ddets@pilot-iae.test").get("/pilotage/redeploiement/", {"annee": 2025})
    simulation = reponse.context["simulation"]
    assert len(simulation.annexes) == 28
    # 2025 is over: the projection is the réalisé, and the département's is the bilan's 530,87 of 532,99 ETP.
    assert (etp(simulation.total.etp_conventionnes_avant), etp(simulation.total.projection_etp)) == (
        "532.99",
        "530.87",
    )
    assert taux(simulation.total.taux_projete_avant) == "99.6"
    statuts = {s.statut_avant for s in simulation.annexes}
    assert statuts == {"sous-consommation", "conforme", "sur-consommation"}
