"""The cockpit's charts: drawn once per version of their figures in the shared cache, by the worker after a
refresh, never again by a request whose figures did not change; the national chart of structures a top list."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.cache import caches

from base import dessins, graphiques
from conventions.models import AnnexeFinanciere
from declarations.models import LigneDeclaration
from indicateurs.services import rafraichir_tout
from pilotage import prechauffage
from pilotage.apps import _apres_une_tache
from pilotage.cockpit import STRUCTURES_DU_GRAPHIQUE, Cockpit
from pilotage.tasks import dessiner_le_cockpit_task
from tests.pilotage.test_cockpit import ANNEE, departement, page  # noqa: F401  (the cockpit's fixture)

pytestmark = pytest.mark.django_db

DESSINS = ("barres", "barres_horizontales", "courbe_consommation")


@pytest.fixture(autouse=True)
def cache_vide():
    caches[graphiques.CACHE].clear()
    yield
    caches[graphiques.CACHE].clear()


class Dessins:
    """The three drawing functions, spied on (they still draw)."""

    def __enter__(self):
        self.espions = [mock.patch.object(dessins, nom, wraps=getattr(dessins, nom)) for nom in DESSINS]
        self.mocks = [espion.start() for espion in self.espions]
        return self

    def __exit__(self, *exc):
        for espion in self.espions:
            espion.stop()

    @property
    def nombre(self) -> int:
        return sum(m.call_count for m in self.mocks)


def test_une_seconde_requete_ne_dessine_pas(departement, agent_55, client_de):  # noqa: F811
    client = client_de(agent_55)
    with Dessins() as premiere:
        assert page(client).status_code == 200
    assert premiere.nombre == 8
    with Dessins() as seconde:
        reponse = page(client)
    assert reponse.status_code == 200
    assert seconde.nombre == 0
    assert reponse.content.count(b'role="img"') == 8


def test_un_rafraichissement_sans_changement_ne_redessine_pas(departement, agent_55, client_de):  # noqa: F811
    client = client_de(agent_55)
    page(client)
    rafraichir_tout()
    with Dessins() as apres:
        page(client)
    assert apres.nombre == 0


def test_des_chiffres_changes_redessinent_seulement_leurs_graphiques(departement, agent_55, client_de):  # noqa: F811
    client = client_de(agent_55)
    page(client)
    ligne = LigneDeclaration.objects.filter(declaration__annexe__siae__departement="55").first()
    ligne.heures_travaillees -= Decimal(50)
    ligne.save()
    rafraichir_tout()
    with Dessins() as apres:
        page(client)
    # The consumption's charts change; the exits, publics, aides, financeurs and declarations' do not.
    assert 1 <= apres.nombre < 8


def test_le_prechauffage_dessine_ce_que_la_page_lira(departement, agent_55, admin, client_de):  # noqa: F811
    assert prechauffage.dessiner_le_cockpit("55", ANNEE) == 8
    assert prechauffage.dessiner_le_cockpit(None, ANNEE) == 8
    with Dessins() as page_agent:
        assert page(client_de(agent_55)).status_code == 200
        assert page(client_de(admin)).status_code == 200
        assert page(client_de(admin), departement="55").status_code == 200
    assert page_agent.nombre == 0


def tache(nom: str, *args):
    return SimpleNamespace(name=f"indicateurs.tasks.{nom}", request=SimpleNamespace(args=list(args)))


def test_apres_un_rafraichissement_le_worker_dessine_les_cockpits_touches(departement, settings):  # noqa: F811
    settings.CELERY_TASK_ALWAYS_EAGER = False
    annexe_55 = AnnexeFinanciere.objects.filter(siae__departement="55").values_list("pk", flat=True).first()
    with mock.patch("pilotage.tasks.dessiner_le_cockpit_task.apply_async") as envoi:
        _apres_une_tache(tache("rafraichir_indicateurs_task", [annexe_55], ["2024-03-01", "2024-04-01"]))
        # A second refresh of the same burst asks for nothing more.
        _apres_une_tache(tache("rafraichir_indicateurs_task", [annexe_55], ["2024-05-01"]))
        _apres_une_tache(tache("rafraichir_departement_task", "57"))
        # Any other task's success is ignored.
        _apres_une_tache(SimpleNamespace(name="declarations.tasks.relancer", request=None))
    demandes = [appel.args[0] for appel in envoi.call_args_list]
    annee = dt.date.today().year
    assert demandes == [("55", 2024), (None, 2024), ("57", annee), (None, annee)]
    assert all(appel.kwargs == {"countdown": prechauffage.DELAI} for appel in envoi.call_args_list)


def test_en_ligne_rien_n_est_prechauffe(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with mock.patch("pilotage.tasks.dessiner_le_cockpit_task.apply_async") as envoi:
        _apres_une_tache(tache("rafraichir_departement_task", "55"))
    envoi.assert_not_called()


def test_la_tache_leve_l_attente_et_dessine(departement):  # noqa: F811
    with mock.patch("pilotage.tasks.dessiner_le_cockpit_task.apply_async") as envoi:
        assert prechauffage.demander_le_dessin("55", ANNEE)
        assert not prechauffage.demander_le_dessin("55", ANNEE)
    envoi.assert_called_once()
    with Dessins() as dessin:
        assert dessiner_le_cockpit_task("55", ANNEE) == 8
    assert dessin.nombre == 8
    # Asked for again once the drawing started.
    with mock.patch("pilotage.tasks.dessiner_le_cockpit_task.apply_async"):
        assert prechauffage.demander_le_dessin("55", ANNEE)


def structure(nom: str, ecart: str | None, statut: str = "sous-consommation"):
    return SimpleNamespace(
        nom=nom,
        siret=nom,
        ecart_projection_etp=None if ecart is None else Decimal(ecart),
        reference=SimpleNamespace(statut=statut, taux=Decimal("0.5")),
    )


def test_le_graphique_des_structures_montre_les_plus_eloignees():
    cockpit = Cockpit(None, None, ANNEE)
    ecarts = [f"-{i}" for i in range(1, 21)] + ["25", "0.5", None]
    cockpit.siae = [structure(f"S{i:02}", e) for i, e in enumerate(ecarts)] + [structure("Z", "3", "conforme")]
    montrees = cockpit.structures_du_graphique
    assert len(montrees) == STRUCTURES_DU_GRAPHIQUE == 15
    assert cockpit.autres_hors_norme == 23 - 15
    # The widest gaps either way, from the most negative to the most positive.
    assert [s.ecart_projection_etp for s in montrees] == [Decimal(-i) for i in range(20, 6, -1)] + [Decimal(25)]


def test_la_page_dit_combien_de_structures_le_graphique_laisse(departement, agent_55, client_de):  # noqa: F811
    with mock.patch("pilotage.cockpit.STRUCTURES_DU_GRAPHIQUE", 1):
        html = page(client_de(agent_55)).content.decode()
    assert (
        "Le graphique montre la structure la plus éloignée de ses ETP conventionnés ; l'autre figure dans le "
        "tableau." in html
    )
