"""The monthly summary e-mailed to DDETS agents, figures computed by hand."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from base.calendrier import Periode
from comptes.models import Membre
from conventions.queries import annexes_du_departement
from indicateurs.queries_consommation import consommation_par_type
from indicateurs.services import rafraichir_tout
from indicateurs.synthese import messages_de_synthese, syntheses_des_departements
from indicateurs.tasks import envoyer_synthese_mensuelle_task
from tests.factories import (
    AnnexeFinanciereFactory,
    DeclarationFactory,
    LigneDeclarationFactory,
    OrganisationFactory,
    SiaeFactory,
    UtilisateurFactory,
)

pytestmark = pytest.mark.django_db

JANVIER, FEVRIER = dt.date(2024, 1, 1), dt.date(2024, 2, 1)
LE_17_MARS = dt.date(2024, 3, 17)
NBSP = "\u00a0"


def declarer(annexe, mois, heures, transmise_le=None):
    declaration = DeclarationFactory(annexe=annexe, mois=mois)
    if transmise_le:
        declaration.date_transmission = timezone.make_aware(dt.datetime.combine(transmise_le, dt.time(10)))
        declaration.save()
    LigneDeclarationFactory(declaration=declaration, heures_travaillees=Decimal(heures))


@pytest.fixture
def departements(siae_a, siae_b, siae_57):
    """Meuse, 2024. Jardins de Verdun (ACI, 2 ETP, 1 820 h): 182 h in January (1,2 ETP), 200,2 h in February
    (1,32 ETP) sent on 16 March, late. Intérim du Barrois (ETTI, 1 ETP, 1 800 h): 150 h in January (1 ETP),
    February missing. Ressourcerie de Commercy (EI, 1 ETP, 1 800 h): 180 h each month (1,2 ETP).
    Moselle: Recyclerie de Metz, declared on time."""
    commercy = SiaeFactory(nom="Ressourcerie de Commercy", ei=True)
    a = AnnexeFinanciereFactory(siae=siae_a, annee=2024, etp_conventionnes=Decimal("2.00"))
    b = AnnexeFinanciereFactory(
        siae=siae_b, annee=2024, etp_conventionnes=Decimal("1.00"), heures_annuelles_par_etp=Decimal("1800")
    )
    c = AnnexeFinanciereFactory(
        siae=commercy, annee=2024, etp_conventionnes=Decimal("1.00"), heures_annuelles_par_etp=Decimal("1800")
    )
    d = AnnexeFinanciereFactory(siae=siae_57, annee=2024, etp_conventionnes=Decimal("2.00"))
    declarer(a, JANVIER, "182.00")
    declarer(a, FEVRIER, "200.20", transmise_le=dt.date(2024, 3, 16))
    declarer(b, JANVIER, "150.00")
    declarer(c, JANVIER, "180.00")
    declarer(c, FEVRIER, "180.00")
    declarer(d, JANVIER, "182.00")
    declarer(d, FEVRIER, "182.00")
    rafraichir_tout()  # the night before
    return {"a": a, "b": b, "c": c, "d": d}


@pytest.fixture
def destinataires(agent_55, agent_57, membre_cdiae_55, personnel_a):
    UtilisateurFactory(email="parti@ddets.test", agent_ddets="55", is_active=False)
    return agent_55, agent_57


def message_pour(mailoutbox, email):
    (message,) = [m for m in mailoutbox if m.to == [email]]
    return message


class TestLaSynthese:
    def test_un_message_par_agent_actif(self, departements, destinataires, mailoutbox):
        assert envoyer_synthese_mensuelle_task.delay("2024-03-17").get() == 2
        assert sorted(m.to[0] for m in mailoutbox) == ["agent55@ddets.test", "agent57@ddets.test"]

    def test_les_chiffres_de_la_meuse(self, departements, destinataires, mailoutbox):
        envoyer_synthese_mensuelle_task.delay("2024-03-17")
        message = message_pour(mailoutbox, "agent55@ddets.test")
        assert message.subject == "Pilot'IAE – synthèse de février 2024 – Meuse"
        texte = message.body
        a, b = departements["a"], departements["b"]
        attendu = [
            "Bonjour Claire,",
            "Voici la synthèse mensuelle de Pilot'IAE pour février 2024, dernier mois dont les déclarations sont "
            "dues (échéance du 15).",
            "==== Meuse (55) ====",
            # ACI: February 1,32 / 2 = 66 %; January–February (1,2 + 1,32) / 2 = 1,26 ETP for 2: 63 %.
            f"- ACI : 2,00 ETP conventionnés, 1,32 réalisés en février (66,0{NBSP}%) ; "
            f"depuis janvier 2,00 / 1,26 (63,0{NBSP}%)",
            # ETTI: nothing in February; (1 + 0) / 2 = 0,5 ETP for 1.
            f"- ETTI : 1,00 ETP conventionnés, 0,00 réalisés en février (0,0{NBSP}%) ; "
            f"depuis janvier 1,00 / 0,50 (50,0{NBSP}%)",
            f"- EI : 1,00 ETP conventionnés, 1,20 réalisés en février (120,0{NBSP}%) ; "
            f"depuis janvier 1,00 / 1,20 (120,0{NBSP}%)",
            # February 1,32 + 0 + 1,2 = 2,52 for 4; January–February (2,52 + 1 + 2,4) / 2 = 2,96 for 4.
            f"- TOTAL : 4,00 ETP conventionnés, 2,52 réalisés en février (63,0{NBSP}%) ; "
            f"depuis janvier 4,00 / 2,96 (74,0{NBSP}%)",
            "Déclarations de février 2024 : 3 attendues, 1 manquante, 1 en retard",
            f"- manquante : Intérim du Barrois (annexe {b.numero})",
            f"- en retard : Jardins de Verdun (annexe {a.numero}), transmise le 16/03/2024",
            f"Structures en sous-consommation depuis janvier (moins de 95,0{NBSP}%) : 2",
            f"- Intérim du Barrois (ETTI) : 50,0{NBSP}%, 0,50 ETP réalisés pour 1,00 conventionnés",
            f"- Jardins de Verdun (ACI) : 63,0{NBSP}%, 1,26 ETP réalisés pour 2,00 conventionnés",
            f"Structures en sur-consommation depuis janvier (plus de 100,0{NBSP}%) : 1",
            f"- Ressourcerie de Commercy (EI) : 120,0{NBSP}%, 1,20 ETP réalisés pour 1,00 conventionnés",
        ]
        lignes = texte.splitlines()
        positions = [lignes.index(ligne) for ligne in attendu]
        assert positions == sorted(positions)
        assert "Metz" not in texte and "Moselle" not in texte

        html, type_mime = message.alternatives[0]
        assert type_mime == "text/html"
        assert '<td align="right">1,32</td>' in html
        assert f'<td align="right"><strong>74,0{NBSP}%</strong></td>' in html
        assert "<li>Manquante : Intérim du Barrois" in html
        assert "Metz" not in html

    def test_la_moselle_ne_voit_que_la_moselle(self, departements, destinataires, mailoutbox):
        envoyer_synthese_mensuelle_task.delay("2024-03-17")
        texte = message_pour(mailoutbox, "agent57@ddets.test").body
        # 182 h × 12 / 1 820 = 1,2 ETP each month for 2: 60 %.
        assert f"- ACI : 2,00 ETP conventionnés, 1,20 réalisés en février (60,0{NBSP}%)" in texte
        assert "Déclarations de février 2024 : 1 attendue, 0 manquante, 0 en retard" in texte
        assert "- Recyclerie de Metz (ACI) : 60,0" in texte
        for autre in ("Verdun", "Barrois", "Commercy", "Meuse"):
            assert autre not in texte

    def test_un_agent_de_deux_departements(self, departements, mailoutbox):
        agent = UtilisateurFactory(email="interim@ddets.test", agent_ddets="55")
        Membre.objects.create(utilisateur=agent, organisation=OrganisationFactory(departement="57"))
        envoyer_synthese_mensuelle_task.delay("2024-03-17")
        (message,) = mailoutbox
        assert message.subject == "Pilot'IAE – synthèse de février 2024 – Meuse, Moselle"
        assert message.body.index("==== Meuse (55) ====") < message.body.index("==== Moselle (57) ====")

    def test_egale_aux_chiffres_en_direct(self, departements):
        synthese = syntheses_des_departements({"55"}, LE_17_MARS)["55"]
        en_direct = consommation_par_type(annexes_du_departement("55", 2024), Periode(JANVIER, FEVRIER))
        assert [c.cle[0] for c in synthese.types] + ["TOTAL"] == [c.cle for c in en_direct]
        for materialise, direct in zip([*synthese.types, synthese.total], en_direct, strict=True):
            assert materialise.conv_cumul == direct.conv_etp_mois
            assert abs(materialise.real_cumul - direct.real_etp_mois) < Decimal("1e-12")

    def test_requetes_en_nombre_fixe(self, departements, destinataires, django_assert_max_num_queries):
        for rang in range(5):
            AnnexeFinanciereFactory(siae=SiaeFactory(nom=f"Structure en plus {rang}"), annee=2024)
        rafraichir_tout()
        # Agents, consumption by kind, by structure, declarations, départements of the structures, dates.
        with django_assert_max_num_queries(6):
            messages = messages_de_synthese(LE_17_MARS)
        assert len(messages) == 2

    def test_personne_a_prevenir(self, departements, mailoutbox):
        assert envoyer_synthese_mensuelle_task.delay("2024-03-17").get() == 0
        assert mailoutbox == []
