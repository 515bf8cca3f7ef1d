"""The declaration pages: the grid of a month, the follow-up of deadlines, validation and send-back."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from declarations.models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration
from parcours.models import Parcours
from tests.factories import AnnexeFinanciereFactory, ParcoursFactory

pytestmark = pytest.mark.django_db

MOIS = dt.date(2024, 3, 1)
URL_GRILLE = "/declarations/saisie/{annexe}/2024/3/"


@pytest.fixture
def annexe(siae_a):
    return AnnexeFinanciereFactory(siae=siae_a, annee=2024, etp_conventionnes=Decimal("2.00"))


@pytest.fixture
def salaries(siae_a):
    return [
        ParcoursFactory(siae=siae_a, date_embauche=dt.date(2024, 1, 8)),
        ParcoursFactory(siae=siae_a, date_embauche=dt.date(2024, 2, 1)),
        # Left in January: not in the March grid.
        ParcoursFactory(siae=siae_a, date_embauche=dt.date(2023, 11, 1), date_sortie=dt.date(2024, 1, 31)),
    ]


def donnees_grille(lignes, action="transmettre", **autres):
    """The POST of the grid; every salarié of the month must have its row, empty hours for no line. `autres`: the
    other fields (the reason of a new version)."""
    donnees = {"lignes-TOTAL_FORMS": str(len(lignes)), "lignes-INITIAL_FORMS": str(len(lignes)), "action": action}
    for i, (parcours, heures, sortie, motif) in enumerate(lignes):
        donnees.update(
            {
                f"lignes-{i}-parcours": parcours.pk,
                f"lignes-{i}-heures": heures,
                f"lignes-{i}-date_sortie": sortie,
                f"lignes-{i}-motif_sortie": motif,
            }
        )
    return {**donnees, **autres}


def test_la_grille_liste_les_salaries_en_parcours_ce_mois(client_de, personnel_a, annexe, salaries):
    reponse = client_de(personnel_a).get(URL_GRILLE.format(annexe=annexe.pk))
    assert reponse.status_code == 200
    rangees = [rangee.parcours for rangee in reponse.context["rangees"]]
    assert rangees == sorted(salaries[:2], key=lambda p: (p.salarie.nom, p.salarie.prenom))


def test_brouillon_puis_transmission(client_de, personnel_a, annexe, salaries):
    client = client_de(personnel_a)
    url = URL_GRILLE.format(annexe=annexe.pk)
    a, b = sorted(salaries[:2], key=lambda p: (p.salarie.nom, p.salarie.prenom))
    reponse = client.post(url, donnees_grille([(a, "100,5", "", ""), (b, "", "", "")], action="brouillon"))
    assert reponse.status_code == 302
    declaration = DeclarationMensuelle.objects.get(annexe=annexe, mois=MOIS)
    assert (declaration.etat, declaration.retenue) == (EtatDeclaration.BROUILLON, False)
    assert list(declaration.lignes.values_list("parcours", "heures_travaillees")) == [(a.pk, Decimal("100.50"))]

    reponse = client.post(url, donnees_grille([(a, "100.50", "", ""), (b, "80", "2024-03-22", "CDD_MOINS_6M")]))
    declaration.refresh_from_db()
    assert reponse.status_code == 302 and reponse.url == f"/declarations/{declaration.pk}/"
    assert (declaration.etat, declaration.retenue, declaration.version) == (EtatDeclaration.TRANSMISE, True, 1)
    assert declaration.date_transmission is not None and declaration.transmise_par == personnel_a
    b.refresh_from_db()
    assert (b.date_sortie, b.motif_sortie.code) == (dt.date(2024, 3, 22), "CDD_MOINS_6M")


def test_une_ligne_fausse_refuse_toute_la_grille(client_de, personnel_a, annexe, salaries):
    a, b = sorted(salaries[:2], key=lambda p: (p.salarie.nom, p.salarie.prenom))
    reponse = client_de(personnel_a).post(
        URL_GRILLE.format(annexe=annexe.pk), donnees_grille([(a, "100", "", ""), (b, "80", "2024-04-02", "CDI")])
    )
    assert reponse.status_code == 200
    assert not DeclarationMensuelle.objects.exists()
    assert not Parcours.objects.filter(date_sortie=dt.date(2024, 4, 2)).exists()
    erreur = reponse.context["erreurs"][0]
    assert b.salarie.nom.upper() in erreur.nom and erreur.champ == "Date de sortie"
    assert "n'est pas dans le mois déclaré" in erreur.message
    assert "rien n'a été enregistré" in reponse.content.decode()


def test_l_agent_valide_puis_la_correction_ouvre_une_version(client_de, personnel_a, agent_55, annexe, salaries):
    a, b = sorted(salaries[:2], key=lambda p: (p.salarie.nom, p.salarie.prenom))
    url = URL_GRILLE.format(annexe=annexe.pk)
    client_de(personnel_a).post(url, donnees_grille([(a, "100", "", ""), (b, "", "", "")]))
    declaration = DeclarationMensuelle.objects.get()
    agent = client_de(agent_55)
    agent.post(f"/declarations/{declaration.pk}/", {"action": "valider"})
    declaration.refresh_from_db()
    assert declaration.etat == EtatDeclaration.VALIDEE

    siae = client_de(personnel_a)
    # Without a reason, nothing is written: a transmitted declaration changes only by a version that says why.
    refus = siae.post(url, donnees_grille([(a, "120", "", ""), (b, "", "", "")]))
    assert refus.status_code == 200 and refus.context["formulaire_version"].errors
    assert LigneDeclaration.objects.get().heures_travaillees == Decimal("100")  # nothing edited in place
    siae.post(url, donnees_grille([(a, "120", "", ""), (b, "", "", "")], motif_version="Heures de mars"))
    versions = list(DeclarationMensuelle.objects.order_by("version").values_list("version", "etat", "retenue"))
    assert versions == [(1, EtatDeclaration.VALIDEE, False), (2, EtatDeclaration.TRANSMISE, True)]


def grille_simple(salaries, heures="10"):
    a, b = sorted(salaries[:2], key=lambda p: (p.salarie.nom, p.salarie.prenom))
    return donnees_grille([(a, heures, "", ""), (b, "", "", "")])


def test_la_liste_changee_entre_l_affichage_et_l_envoi(client_de, personnel_a, annexe, salaries):
    reponse = client_de(personnel_a).post(
        URL_GRILLE.format(annexe=annexe.pk), donnees_grille([(salaries[0], "1", "", "")])
    )
    assert reponse.status_code == 302
    assert not DeclarationMensuelle.objects.exists()


def test_renvoi_a_la_structure_avec_un_motif(client_de, personnel_a, agent_55, annexe, salaries):
    client_de(personnel_a).post(URL_GRILLE.format(annexe=annexe.pk), grille_simple(salaries))
    declaration = DeclarationMensuelle.objects.get()
    agent = client_de(agent_55)
    agent.post(f"/declarations/{declaration.pk}/", {"action": "renvoyer", "motif_retour": ""})
    declaration.refresh_from_db()
    assert declaration.etat == EtatDeclaration.TRANSMISE
    agent.post(f"/declarations/{declaration.pk}/", {"action": "renvoyer", "motif_retour": "Heures de mars manquantes"})
    declaration.refresh_from_db()
    assert (declaration.etat, declaration.motif_retour) == (EtatDeclaration.A_CORRIGER, "Heures de mars manquantes")
    grille = client_de(personnel_a).get(URL_GRILLE.format(annexe=annexe.pk))
    assert "Heures de mars manquantes" in grille.content.decode()


def test_la_structure_ne_valide_pas_sa_declaration(client_de, personnel_a, annexe, salaries):
    client = client_de(personnel_a)
    client.post(URL_GRILLE.format(annexe=annexe.pk), grille_simple(salaries))
    declaration = DeclarationMensuelle.objects.get()
    assert client.post(f"/declarations/{declaration.pk}/", {"action": "valider"}).status_code == 404
    declaration.refresh_from_db()
    assert declaration.etat == EtatDeclaration.TRANSMISE


@pytest.mark.parametrize("role", ["personnel_b", "agent_57", "membre_cdiae_55"])
def test_hors_perimetre_404(request, client_de, role, annexe, salaries):
    client = client_de(request.getfixturevalue(role))
    assert client.get(URL_GRILLE.format(annexe=annexe.pk)).status_code == 404
    declaration = DeclarationMensuelle.objects.create(annexe=annexe, mois=MOIS)
    assert client.get(f"/declarations/{declaration.pk}/").status_code == 404


def test_un_mois_futur_ne_se_declare_pas(client_de, personnel_a, siae_a):
    annee = timezone.localdate().year + 1
    annexe = AnnexeFinanciereFactory(siae=siae_a, annee=annee)
    assert client_de(personnel_a).get(f"/declarations/saisie/{annexe.pk}/{annee}/3/").status_code == 404


class TestSuivi:
    @pytest.fixture
    def trois_structures(self, siae_a, siae_b):
        from tests.factories import SiaeFactory

        siae_c = SiaeFactory(nom="Entreprise C", departement="55")
        annexes = [AnnexeFinanciereFactory(siae=s, annee=2024) for s in (siae_a, siae_b, siae_c)]
        # A on time, B late, C missing.
        for annexe, jour in ((annexes[0], 10), (annexes[1], 20)):
            DeclarationMensuelle.objects.create(
                annexe=annexe,
                mois=MOIS,
                etat=EtatDeclaration.TRANSMISE,
                retenue=True,
                date_transmission=timezone.make_aware(dt.datetime(2024, 4, jour, 9)),
            )
        return annexes

    def test_a_temps_en_retard_manquante(self, client_de, agent_55, trois_structures):
        reponse = client_de(agent_55).get("/declarations/", {"mois": "2024-03"})
        statuts = {s.siae_nom: s.statut for s in reponse.context["lignes"]}
        assert statuts == {
            "Jardins de Verdun": "a_temps",
            "Intérim du Barrois": "en_retard",
            "Entreprise C": "manquante",
        }
        assert reponse.context["comptes"] == {"a_temps": 1, "en_retard": 1, "manquante": 1, "en_cours": 0}

    def test_la_structure_voit_ses_mois(self, client_de, personnel_a, trois_structures):
        reponse = client_de(personnel_a).get("/declarations/", {"annee": "2024"})
        assert {s.siae_nom for s in reponse.context["lignes"]} == {"Jardins de Verdun"}
        assert len(reponse.context["lignes"]) == 12

    def test_le_cdiae_n_y_a_pas_acces(self, client_de, membre_cdiae_55, trois_structures):
        assert client_de(membre_cdiae_55).get("/declarations/").status_code == 404

    def test_nombre_de_requetes_constant(self, client_de, agent_55, trois_structures, django_assert_max_num_queries):
        from tests.factories import SiaeFactory

        client = client_de(agent_55)
        client.get("/declarations/", {"mois": "2024-03"})
        with django_assert_max_num_queries(12):
            client.get("/declarations/", {"mois": "2024-03"})
        for _ in range(15):
            AnnexeFinanciereFactory(siae=SiaeFactory(departement="55"), annee=2024)
        with django_assert_max_num_queries(12):
            reponse = client.get("/declarations/", {"mois": "2024-03"})
        assert len(reponse.context["lignes"]) == 18


def test_une_sortie_enregistree_sur_le_parcours_survit_a_la_grille(client_de, personnel_a, annexe, salaries):
    from parcours.models import MotifSortie

    a, b = sorted(salaries[:2], key=lambda p: (p.salarie.nom, p.salarie.prenom))
    b.date_sortie, b.motif_sortie = dt.date(2024, 3, 20), MotifSortie.objects.get(code="CDI")
    b.save()
    client = client_de(personnel_a)
    grille = client.get(URL_GRILLE.format(annexe=annexe.pk))
    assert grille.context["formset"].forms[1].initial["date_sortie"] == dt.date(2024, 3, 20)
    client.post(URL_GRILLE.format(annexe=annexe.pk), donnees_grille([(a, "10", "", ""), (b, "12", "", "")]))
    b.refresh_from_db()
    assert b.date_sortie == dt.date(2024, 3, 20)


def test_seul_un_agent_du_departement_valide(client_de, siae_a, annexe, salaries):
    from tests.factories import UtilisateurFactory

    # The structure's own staff, also agent in another département, does not validate its own declaration.
    double = UtilisateurFactory(email="double@test.test", personnel_siae=siae_a)
    from comptes.models import Membre, Organisation, TypeOrganisation

    ddets_57, _ = Organisation.objects.get_or_create(
        type=TypeOrganisation.DDETS, departement="57", defaults={"nom": "DDETS 57"}
    )
    Membre.objects.create(utilisateur=double, organisation=ddets_57)
    client = client_de(double)
    client.post(URL_GRILLE.format(annexe=annexe.pk), grille_simple(salaries))
    declaration = DeclarationMensuelle.objects.get()
    assert client.post(f"/declarations/{declaration.pk}/", {"action": "valider"}).status_code == 404
    declaration.refresh_from_db()
    assert declaration.etat == EtatDeclaration.TRANSMISE
