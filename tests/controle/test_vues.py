"""The pages of the contrôle a posteriori, as a DDETS agent and a structure's staff use them."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from controle import services
from controle.models import (
    CampagneControle,
    ControleEmbauche,
    ControleSiae,
    Decision,
    Justificatif,
    Phase,
    ResultatControle,
    Sanction,
    TypeSanction,
)
from controle.regles import TAILLE_MAX_JUSTIFICATIF, calendrier_par_defaut
from tests.factories import SiaeFactory, UtilisateurFactory

from .outils import PDF, avancer, embaucher, pdf

pytestmark = pytest.mark.django_db


def formulaire_campagne(annee=2024, departement="55", part=30, **dates):
    donnees = {"annee": annee, "departement": departement, "part_siae": part}
    donnees.update({champ: f"{jour:%Y-%m-%d}" for champ, jour in calendrier_par_defaut(annee).items()})
    donnees.update(dates)
    return donnees


def contenu(reponse) -> str:
    return reponse.content.decode()


class TestParcoursComplet:
    def test_une_campagne_de_bout_en_bout(self, client_de, agent_55, personnel_a, siae_a, siae_b, settings):
        embaucher(siae_a, 3)
        embaucher(siae_b, 1)
        embaucher(SiaeFactory(eiti=True), 5)
        agent, structure = client_de(agent_55), client_de(personnel_a)

        # The agent opens the creation page: the seed's calendar is proposed for last year's hires.
        page = agent.get("/controle/campagnes/nouvelle/")
        assert page.status_code == 200
        assert 'value="30"' in contenu(page)
        annee = dt.date.today().year - 1
        assert f'value="{annee + 1}-06-21"' in contenu(page)

        # Creating it draws the sample: the Jardins is the only eligible structure, 2 of its 3 hires.
        reponse = agent.post("/controle/campagnes/nouvelle/", formulaire_campagne())
        campagne = CampagneControle.objects.get()
        assert reponse.status_code == 302 and reponse.url == f"/controle/campagnes/{campagne.pk}/"
        controle = campagne.controles.get()
        assert controle.siae == siae_a and controle.embauches.count() == 2
        page = agent.get(reponse.url)
        assert "1 structure(s) tirée(s) sur 1 éligible(s)" in contenu(page)
        assert "Jardins de Verdun" in contenu(page)
        assert str(campagne.graine) in contenu(page)

        # During the échantillonnage the structure sees nothing.
        assert "Jardins" not in contenu(structure.get("/controle/mes-controles/"))
        assert structure.get(f"/controle/structures/{controle.pk}/").status_code == 404

        # The agent opens the contrôle; the structure sees its hires and sends a proof.
        reponse = agent.post(f"/controle/campagnes/{campagne.pk}/phase-suivante/")
        assert reponse.status_code == 302
        campagne.refresh_from_db()
        assert campagne.phase == Phase.CONTROLE
        assert "Embauches 2024" in contenu(structure.get("/controle/mes-controles/"))
        page = structure.get(f"/controle/structures/{controle.pk}/")
        premiere, seconde = controle.embauches.order_by("parcours__date_embauche", "pk")
        assert page.status_code == 200
        assert premiere.parcours.pass_iae.numero in contenu(page)
        assert "Déposer le justificatif" in contenu(page)
        assert "Enregistrer la décision" not in contenu(page)
        reponse = structure.post(
            f"/controle/embauches/{premiere.pk}/justificatifs/",
            {f"justificatif-{premiere.pk}-fichier": pdf("diagnostic RSA.pdf")},
        )
        assert reponse.status_code == 302
        justificatif = Justificatif.objects.get()
        assert justificatif.nom_fichier == "diagnostic RSA.pdf" and justificatif.auteur == personnel_a
        assert (settings.MEDIA_ROOT / justificatif.fichier.name).exists()

        # The agent downloads it through the scoped view.
        page = agent.get(f"/controle/structures/{controle.pk}/")
        assert "diagnostic RSA.pdf" in contenu(page)
        telechargement = agent.get(f"/controle/justificatifs/{justificatif.pk}/")
        assert telechargement.status_code == 200
        assert telechargement["Content-Type"] == "application/pdf"
        assert "attachment" in telechargement["Content-Disposition"]
        assert b"".join(telechargement.streaming_content) == PDF

        # A refusal needs a reason: the page comes back with the message, nothing is recorded.
        reponse = agent.post(
            f"/controle/embauches/{seconde.pk}/decision/", {f"decision-{seconde.pk}-decision": "REFUSEE"}
        )
        assert reponse.status_code == 200
        assert "Indiquez le motif du refus." in contenu(reponse)
        seconde.refresh_from_db()
        assert seconde.decision == Decision.A_EXAMINER

        # The agent refuses one hire with its reason and accepts the other.
        reponse = agent.post(
            f"/controle/embauches/{seconde.pk}/decision/",
            {f"decision-{seconde.pk}-decision": "REFUSEE", f"decision-{seconde.pk}-motif_refus": "Aucun justificatif"},
        )
        assert reponse.status_code == 302
        reponse = agent.post(
            f"/controle/embauches/{premiere.pk}/decision/", {f"decision-{premiere.pk}-decision": "ACCEPTEE"}
        )
        assert reponse.status_code == 302
        seconde.refresh_from_db()
        assert (seconde.decision, seconde.motif_refus, seconde.decideur) == ("REFUSEE", "Aucun justificatif", agent_55)

        # The structure sees the refusal and its reason.
        assert "Aucun justificatif" in contenu(structure.get(f"/controle/structures/{controle.pk}/"))

        # Outcome during the contrôle: the contradictory phase (a hire is refused), then the phase opens.
        reponse = agent.post(
            f"/controle/structures/{controle.pk}/resultat/",
            {"resultat-resultat": "CONTRADICTOIRE", "resultat-commentaire": "Une embauche sans justificatif"},
        )
        assert reponse.status_code == 302
        agent.post(f"/controle/campagnes/{campagne.pk}/phase-suivante/")
        campagne.refresh_from_db()
        assert campagne.phase == Phase.CONTRADICTOIRE

        # The structure may still send proofs; nothing comes, the agent refuses the control.
        assert "Déposer le justificatif" in contenu(structure.get(f"/controle/structures/{controle.pk}/"))
        reponse = agent.post(
            f"/controle/structures/{controle.pk}/resultat/",
            {"resultat-resultat": "REFUSE", "resultat-commentaire": "Pas de réponse en phase contradictoire"},
        )
        assert reponse.status_code == 302
        controle.refresh_from_db()
        assert controle.resultat == ResultatControle.REFUSE
        assert "Déposer le justificatif" not in contenu(structure.get(f"/controle/structures/{controle.pk}/"))

        # Sanctions: a cut of the aide au poste and a withdrawal of the auto-prescription.
        agent.post(f"/controle/campagnes/{campagne.pk}/phase-suivante/")
        reponse = agent.post(
            f"/controle/structures/{controle.pk}/sanctions/",
            {"sanction-type": "REDUCTION_AIDE_AU_POSTE", "sanction-pourcentage": "10"},
        )
        assert reponse.status_code == 302
        reponse = agent.post(
            f"/controle/structures/{controle.pk}/sanctions/",
            {
                "sanction-type": "RETRAIT_AUTO_PRESCRIPTION",
                "sanction-date_debut": "2025-09-01",
                "sanction-date_fin": "2026-08-31",
            },
        )
        assert reponse.status_code == 302
        assert set(Sanction.objects.values_list("type", "pourcentage")) == {
            ("REDUCTION_AIDE_AU_POSTE", 10),
            ("RETRAIT_AUTO_PRESCRIPTION", None),
        }

        # Closing.
        reponse = agent.post(f"/controle/campagnes/{campagne.pk}/phase-suivante/")
        campagne.refresh_from_db()
        assert campagne.phase == Phase.CLOTUREE
        page = contenu(agent.get(f"/controle/campagnes/{campagne.pk}/"))
        assert "Campagne clôturée le" in page
        assert "Réduction de l&#x27;aide au poste (10 %)" in page
        page = contenu(structure.get(f"/controle/structures/{controle.pk}/"))
        assert "Le résultat de ce contrôle est définitif : refusé." in page
        assert "de 10 %" in page and "du 01/09/2025 au 31/08/2026" in page


class TestCreation:
    def test_departements_de_l_agent_seulement(self, client_de, agent_55):
        page = contenu(client_de(agent_55).get("/controle/campagnes/nouvelle/"))
        assert '<option value="55"' in page and '<option value="57"' not in page
        reponse = client_de(agent_55).post("/controle/campagnes/nouvelle/", formulaire_campagne(departement="57"))
        assert reponse.status_code == 200
        assert not CampagneControle.objects.exists()

    @pytest.mark.parametrize("part", ["19", "41"])
    def test_part_entre_20_et_40(self, client_de, agent_55, part):
        reponse = client_de(agent_55).post("/controle/campagnes/nouvelle/", formulaire_campagne(part=part))
        assert reponse.status_code == 200
        assert not CampagneControle.objects.exists()

    def test_annee_en_cours_refusee(self, client_de, agent_55):
        annee = dt.date.today().year
        reponse = client_de(agent_55).post("/controle/campagnes/nouvelle/", formulaire_campagne(annee=annee))
        assert "On contrôle les embauches d&#x27;une année écoulée." in contenu(reponse)

    def test_calendrier_incoherent(self, client_de, agent_55):
        reponse = client_de(agent_55).post(
            "/controle/campagnes/nouvelle/", formulaire_campagne(controle_fin="2025-05-01")
        )
        assert "La fin d&#x27;une phase ne peut précéder son début." in contenu(reponse)
        assert not CampagneControle.objects.exists()

    def test_doublon(self, client_de, agent_55, campagne_55):
        reponse = client_de(agent_55).post("/controle/campagnes/nouvelle/", formulaire_campagne())
        assert "Une campagne existe déjà pour les embauches 2024" in contenu(reponse)


class TestPhases:
    def test_passage_refuse_avec_message(self, client_de, agent_55, campagne_55):
        avancer(campagne_55, Phase.CONTRADICTOIRE)
        reponse = client_de(agent_55).post(f"/controle/campagnes/{campagne_55.pk}/phase-suivante/", follow=True)
        assert "pas encore de résultat définitif" in contenu(reponse)
        campagne_55.refresh_from_db()
        assert campagne_55.phase == Phase.CONTRADICTOIRE

    def test_get_refuse(self, client_de, agent_55, campagne_55):
        assert client_de(agent_55).get(f"/controle/campagnes/{campagne_55.pk}/phase-suivante/").status_code == 405


class TestJustificatifs:
    @pytest.fixture
    def embauche(self, campagne_55, controle_a):
        avancer(campagne_55, Phase.CONTROLE)
        return controle_a.embauches.first()

    def deposer(self, client, embauche, fichier):
        return client.post(
            f"/controle/embauches/{embauche.pk}/justificatifs/", {f"justificatif-{embauche.pk}-fichier": fichier}
        )

    def test_un_fichier_qui_n_est_pas_un_pdf(self, client_de, personnel_a, embauche):
        fichier = SimpleUploadedFile("bulletin.pdf", b"PK\x03\x04 un tableur renomme", content_type="application/pdf")
        reponse = self.deposer(client_de(personnel_a), embauche, fichier)
        assert reponse.status_code == 200
        assert "Le fichier n&#x27;est pas un PDF" in contenu(reponse)
        assert not Justificatif.objects.exists()

    def test_un_fichier_de_plus_de_5_mo(self, client_de, personnel_a, embauche):
        fichier = SimpleUploadedFile("gros.pdf", PDF + b"0" * TAILLE_MAX_JUSTIFICATIF, content_type="application/pdf")
        reponse = self.deposer(client_de(personnel_a), embauche, fichier)
        assert reponse.status_code == 200
        assert "Le fichier dépasse 5 Mo" in contenu(reponse)
        assert not Justificatif.objects.exists()

    def test_sans_fichier(self, client_de, personnel_a, embauche):
        reponse = client_de(personnel_a).post(f"/controle/embauches/{embauche.pk}/justificatifs/", {})
        assert "Choisissez un fichier PDF." in contenu(reponse)

    def test_fichiers_jamais_servis_par_media_url(self, client_de, personnel_a, agent_55, embauche):
        self.deposer(client_de(personnel_a), embauche, pdf())
        justificatif = Justificatif.objects.get()
        assert client_de(agent_55).get(f"/media/{justificatif.fichier.name}").status_code == 404

    def test_fichier_disparu(self, client_de, personnel_a, agent_55, embauche):
        self.deposer(client_de(personnel_a), embauche, pdf())
        justificatif = Justificatif.objects.get()
        justificatif.fichier.delete(save=False)
        assert client_de(agent_55).get(f"/controle/justificatifs/{justificatif.pk}/").status_code == 404


class TestSanctionsParLesPages:
    @pytest.fixture
    def refuse(self, campagne_55, controle_a, agent_55):
        avancer(campagne_55, Phase.CONTRADICTOIRE)
        for embauche in controle_a.embauches.all():
            services.decider_embauche(embauche, Decision.REFUSEE, agent_55, "Incomplet")
        services.fixer_resultat(controle_a, ResultatControle.REFUSE, agent_55)
        services.passer_a_la_phase_suivante(campagne_55, agent_55)
        return controle_a

    def test_aucune_sanction_sans_motif(self, client_de, agent_55, refuse):
        reponse = client_de(agent_55).post(f"/controle/structures/{refuse.pk}/sanctions/", {"sanction-type": "AUCUNE"})
        assert "Indiquez pourquoi aucune sanction n&#x27;est prise." in contenu(reponse)
        assert not Sanction.objects.exists()

    def test_reduction_hors_bornes(self, client_de, agent_55, refuse):
        reponse = client_de(agent_55).post(
            f"/controle/structures/{refuse.pk}/sanctions/",
            {"sanction-type": "REDUCTION_AIDE_AU_POSTE", "sanction-pourcentage": "150"},
        )
        assert reponse.status_code == 200
        assert not Sanction.objects.exists()

    def test_retrait_d_une_sanction(self, client_de, agent_55, refuse):
        sanction = services.ajouter_sanction(refuse, TypeSanction.FORMATION, agent_55)
        reponse = client_de(agent_55).post(f"/controle/sanctions/{sanction.pk}/retrait/")
        assert reponse.status_code == 302
        assert not Sanction.objects.exists()


def tirer(nombre_siae, embauches_par_siae, agent, departement="55", annee=2024):
    for _ in range(nombre_siae):
        embaucher(SiaeFactory(departement=departement), embauches_par_siae, annee=annee)
    return services.creer_campagne(annee=annee, departement=departement, auteur=agent, part_siae=40, graine=7)


def deposer_partout(campagne, auteur):
    for embauche in ControleEmbauche.objects.filter(controle__campagne=campagne):
        services.deposer_justificatif(embauche, pdf(), auteur)


class TestNombreDeRequetes:
    """Each page's queries do not grow with the number of structures, hires and proofs."""

    def test_liste_des_campagnes(self, client_de, agent_55, django_assert_max_num_queries):
        tirer(2, 2, agent_55, annee=2023)
        client = client_de(agent_55)
        with django_assert_max_num_queries(6):
            assert client.get("/controle/campagnes/").status_code == 200
        for annee in (2020, 2021, 2022, 2024):
            tirer(3, 5, agent_55, annee=annee)
        with django_assert_max_num_queries(6):
            assert client.get("/controle/campagnes/").status_code == 200

    def test_page_d_une_campagne(self, client_de, agent_55, django_assert_max_num_queries):
        petite = avancer(tirer(1, 2, agent_55, annee=2023), Phase.CONTROLE)
        grande = avancer(tirer(12, 25, agent_55), Phase.CONTROLE)
        deposer_partout(grande, None)
        assert grande.controles.count() == 5
        client = client_de(agent_55)
        for campagne in (petite, grande):
            with django_assert_max_num_queries(8):
                assert client.get(f"/controle/campagnes/{campagne.pk}/").status_code == 200

    @pytest.mark.parametrize("phase", [Phase.CONTROLE, Phase.SANCTIONS])
    def test_page_d_un_controle(self, client_de, agent_55, django_assert_max_num_queries, phase):
        petite = tirer(1, 2, agent_55, annee=2023)
        grande = tirer(1, 40, agent_55)
        for campagne in (petite, grande):
            avancer(campagne, Phase.CONTROLE)
            deposer_partout(campagne, None)
            controle = campagne.controles.get()
            if phase == Phase.SANCTIONS:
                avancer(campagne, Phase.CONTRADICTOIRE)
                for embauche in controle.embauches.all():
                    services.decider_embauche(embauche, Decision.REFUSEE, agent_55, "Incomplet")
                services.fixer_resultat(controle, ResultatControle.REFUSE, agent_55)
                avancer(campagne, Phase.SANCTIONS)
                services.ajouter_sanction(controle, TypeSanction.FORMATION, agent_55)
        personnel = {c: UtilisateurFactory(personnel_siae=c.controles.get().siae) for c in (petite, grande)}
        assert ControleEmbauche.objects.filter(controle__campagne=grande).count() == 8
        for campagne in (petite, grande):
            controle = campagne.controles.get()
            for utilisateur in (agent_55, personnel[campagne]):
                client = client_de(utilisateur)
                with django_assert_max_num_queries(11):
                    assert client.get(f"/controle/structures/{controle.pk}/").status_code == 200

    def test_mes_controles(self, client_de, agent_55, django_assert_max_num_queries):
        siae = SiaeFactory()
        embaucher(siae, 30, annee=2023)
        personnel = UtilisateurFactory(personnel_siae=siae)
        avancer(services.creer_campagne(annee=2023, departement="55", auteur=agent_55), Phase.CONTROLE)
        client = client_de(personnel)
        with django_assert_max_num_queries(5):
            assert client.get("/controle/mes-controles/").status_code == 200
        embaucher(siae, 30, annee=2022)
        campagne = avancer(services.creer_campagne(annee=2022, departement="55", auteur=agent_55), Phase.CONTROLE)
        deposer_partout(campagne, personnel)
        with django_assert_max_num_queries(5):
            assert client.get("/controle/mes-controles/").status_code == 200


def test_accueil_redirige_selon_le_role(client_de, agent_55, personnel_a):
    assert client_de(agent_55).get("/controle/").url == "/controle/campagnes/"
    assert client_de(personnel_a).get("/controle/").url == "/controle/mes-controles/"


def test_une_structure_ne_voit_pas_les_autres_structures_tirees(client_de, agent_55, personnel_a, siae_a):
    embaucher(siae_a, 2)
    autres = [SiaeFactory(nom=f"Autre {i}") for i in range(9)]
    for siae in autres:
        embaucher(siae, 2)
    campagne = services.creer_campagne(annee=2024, departement="55", auteur=agent_55, part_siae=40)
    avancer(campagne, Phase.CONTROLE)
    page = contenu(client_de(personnel_a).get("/controle/mes-controles/"))
    assert not any(s.nom in page for s in autres)
    assert ControleSiae.objects.visible_to(personnel_a).filter(siae__in=autres).count() == 0
