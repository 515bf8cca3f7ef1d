"""The progress of an import being executed: written every few hundred lines, shown and polled on its page."""

from unittest import mock

import pytest
from django.urls import reverse

from imports import services
from imports.importeur import ErreurColonne, Importeur
from imports.lecture import Tableau
from imports.models import Import, StatutImport
from imports.services import executer_import, preparer_import
from imports.tasks import executer_import_task
from siae.models import Siae
from tests.factories import siret_valide

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"  # the French thousands separator
NBSP = "\u00a0"


def fichier_de_structures(nombre: int) -> bytes:
    lignes = ["siret;nom;type;code_postal;commune;departement;ensemblier"]
    lignes += [f"{siret_valide(rang, '7')};Structure {rang};ACI;55100;Verdun;55;" for rang in range(1, nombre + 1)]
    return ("\n".join(lignes) + "\n").encode()


class TestLaProgressionAvance:
    def test_ecrite_toutes_les_200_lignes(self, agent_55):
        journal = preparer_import("siae", "structures.csv", fichier_de_structures(450), agent_55)
        # The analysis checked the 450 lines, as the execution will.
        assert (journal.lignes_total, journal.lignes_traitees, journal.progression) == (450, 450, 100)
        vues_en_base = []
        noter = services.noter_progression

        def noter_et_relire(journal, traitees, total):
            noter(journal, traitees, total)
            # What another connection (the page) reads from now on.
            vues_en_base.append(
                Import.objects.filter(pk=journal.pk).values_list("lignes_traitees", "lignes_total", "progression")[0]
            )

        with mock.patch("imports.services.noter_progression", side_effect=noter_et_relire):
            executer_import_task.delay(journal.pk)
        # 450 lines, every 200 (max(200, 450 // 50)), and the last: 200 / 450 = 44 %, 400 / 450 = 88 %.
        assert vues_en_base == [(0, 450, 0), (200, 450, 44), (400, 450, 88), (450, 450, 100)]
        journal.refresh_from_db()
        assert journal.statut == StatutImport.TERMINE
        assert (journal.lignes_traitees, journal.lignes_total, journal.progression) == (450, 450, 100)
        assert Siae.objects.count() == 450

    def test_un_grand_fichier_par_pas_de_2_pourcent(self):
        class Comptage(Importeur):
            type, colonnes = "comptage", ("valeur",)

            def nettoyer_ligne(self, brut):
                if brut["valeur"] == "x":
                    raise ErreurColonne("valeur", "pas un nombre")
                return brut

            def planifier(self, lignes, analyse):
                analyse.plan = lignes

            def appliquer(self, analyse):
                raise AssertionError("rien n'est écrit à l'analyse")

        importeur, notes = Comptage(), []
        importeur.suivre = lambda traitees, total: notes.append((traitees, total))
        lignes = [(n + 2, {"valeur": "x" if n == 7 else str(n)}) for n in range(12_000)]
        analyse = importeur.analyser(Tableau(["valeur"], lignes))
        # max(200, 12 000 // 50) = 240 lines a step: the start, then 50 steps, the last being the end; a line in
        # error counts as checked.
        assert notes == [(0, 12_000)] + [(240 * k, 12_000) for k in range(1, 51)]
        assert [str(e) for e in analyse.erreurs] == ["ligne 9, colonne valeur : pas un nombre"]

    def test_un_fichier_refuse_a_la_relecture_garde_sa_progression(self, agent_55):
        journal = preparer_import("siae", "structures.csv", fichier_de_structures(3), agent_55)
        Siae.objects.create(
            siret=siret_valide(2, "7"),
            nom="Déjà là",
            type="ACI",
            departement="57",
            code_postal="57000",
            commune="Metz",
        )
        journal = executer_import(journal)
        assert journal.statut == StatutImport.REFUSE
        assert (journal.lignes_traitees, journal.lignes_total, journal.progression) == (3, 3, 100)


@pytest.fixture
def en_cours(agent_55):
    return Import.objects.create(
        type="declarations",
        nom_fichier="declarations-2025.csv",
        auteur=agent_55,
        departement="55",
        statut=StatutImport.EN_COURS,
        lignes_total=5000,
        lignes_traitees=1200,
        progression=24,
    )


class TestLaPage:
    def test_la_page_montre_l_avancement(self, en_cours, agent_55, client_de):
        reponse = client_de(agent_55).get(reverse("imports:detail", args=[en_cours.pk]))
        contenu = reponse.content.decode()
        assert reponse.status_code == 200
        assert "Vérification des lignes" in contenu
        assert f"1{NNBSP}200 lignes sur 5{NNBSP}000 (24{NBSP}%) vérifiées" in contenu
        assert 'max="100" value="24" aria-labelledby="avancement-etape"' in contenu
        assert f'data-url="{reverse("imports:avancement", args=[en_cours.pk])}"' in contenu
        assert "Vous pouvez quitter cette page" in contenu

    def test_l_enregistrement_ne_se_mesure_pas(self, en_cours, agent_55, client_de):
        Import.objects.filter(pk=en_cours.pk).update(lignes_traitees=5000, progression=100)
        contenu = client_de(agent_55).get(reverse("imports:detail", args=[en_cours.pk])).content.decode()
        assert "Contrôles et enregistrement, tout ou rien" in contenu
        # No value: the bar is indeterminate while the single writing transaction runs.
        assert '<progress id="avancement-barre" max="100"  aria-labelledby' in contenu

    def test_le_resultat_reste_sur_la_page(self, en_cours, agent_55, client_de):
        Import.objects.filter(pk=en_cours.pk).update(
            statut=StatutImport.TERMINE, lignes_traitees=5000, progression=100
        )
        contenu = client_de(agent_55).get(reverse("imports:detail", args=[en_cours.pk])).content.decode()
        assert "Import enregistré" in contenu
        assert f"5{NNBSP}000 lignes lues" in contenu
        assert "<progress" not in contenu

    def test_le_point_d_avancement(self, en_cours, agent_55, client_de, django_assert_max_num_queries):
        client = client_de(agent_55)
        url = reverse("imports:avancement", args=[en_cours.pk])
        with django_assert_max_num_queries(4):
            reponse = client.get(url)
        assert reponse["Cache-Control"] == "no-store"
        assert reponse.json() == {
            "statut": "EN_COURS",
            "statut_libelle": "En cours d'enregistrement",
            "etape": "Vérification des lignes",
            "mesurable": True,
            "progression": 24,
            "lignes_traitees": 1200,
            "lignes_total": 5000,
            "texte": f"1{NNBSP}200 lignes sur 5{NNBSP}000 (24{NBSP}%)",
        }

    def test_hors_perimetre_404(self, en_cours, agent_57, membre_cdiae_55, personnel_a, client_de):
        url = reverse("imports:avancement", args=[en_cours.pk])
        for intrus in (agent_57, membre_cdiae_55, personnel_a):
            assert client_de(intrus).get(url).status_code == 404
