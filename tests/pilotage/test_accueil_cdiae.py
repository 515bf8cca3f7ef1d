"""The home of a CDIAE member: the département's aggregated figures (computed by hand below), its bilans, links to
the aggregated pages and the cockpit; nothing about a person, and a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from aides_au_poste.regles import arrondi_euro
from bilans.models import BilanCdiae, StatutBilan
from indicateurs.services import rafraichir_tout
from parcours.models import MotifSortie
from tests.factories import AnnexeFinanciereFactory, LigneDeclarationFactory, ParcoursFactory, SiaeFactory

pytestmark = pytest.mark.django_db

D = Decimal


def declarer(annexe, parcours, heures: str, mois: range) -> None:
    for m in mois:
        LigneDeclarationFactory(
            declaration__annexe=annexe,
            declaration__mois=dt.date(2024, m, 1),
            parcours=parcours,
            heures_travaillees=D(heures),
        )


@pytest.fixture
def departement(siae_a, siae_b, siae_57):
    # Jardins de Verdun (ACI, 5 ETP, modulation 5 %): 182 h from January to October, 12 ETP-mois.
    a = AnnexeFinanciereFactory(siae=siae_a, annee=2024, etp_conventionnes=D(5), taux_modulation=D("0.05"))
    declarer(
        a, ParcoursFactory(siae=siae_a, date_embauche=dt.date(2023, 6, 1), salarie__nom="Durand"), "182", range(1, 11)
    )
    for motif in ("CDI", "CHOMAGE"):  # two exits examined, one dynamic
        ParcoursFactory(
            siae=siae_a,
            date_embauche=dt.date(2023, 6, 1),
            date_sortie=dt.date(2024, 5, 31),
            motif_sortie=MotifSortie.objects.get(code=motif),
        )
    # Intérim du Barrois (ETTI, 1 ETP): a bRSA hired in 2024, 160,70 h every month: 12 × 1,2 = 14,4 ETP-mois.
    b = AnnexeFinanciereFactory(siae=siae_b, annee=2024, etp_conventionnes=D(1))
    declarer(b, ParcoursFactory(siae=siae_b, date_embauche=dt.date(2024, 1, 1), brsa=True), "160.70", range(1, 13))
    # The Moselle, which must not count.
    m = AnnexeFinanciereFactory(siae=siae_57, annee=2024, etp_conventionnes=D(3))
    declarer(m, ParcoursFactory(siae=siae_57, date_embauche=dt.date(2024, 2, 1), brsa=True), "100", range(2, 5))
    rafraichir_tout()  # what the writes of production ask for when they commit


def bilan(departement: str, annee: int, statut=StatutBilan.PRET) -> BilanCdiae:
    pret = statut == StatutBilan.PRET
    return BilanCdiae.objects.create(
        departement=departement,
        annee=annee,
        statut=statut,
        progression=100 if pret else 40,
        fichier=f"bilans/{departement}/{annee}/bilan.pdf" if pret else "",
        taille=250_000 if pret else 0,
        pages=14 if pret else 0,
        date_fin=timezone.now() if pret else None,
    )


def test_les_chiffres_du_departement(client_de, membre_cdiae_55, departement):
    reponse = client_de(membre_cdiae_55).get("/", {"annee": 2024})
    chiffres = reponse.context["cdiae"]
    assert chiffres.departement == "55"
    # Consumption: ACI 60 / 12 ETP-mois (5,00 / 1,00 ETP, 20 %), ETTI 12 / 14,4 (1,00 / 1,20, 120 %);
    # the département 72 / 26,4: 6,00 / 2,20 ETP, 36,7 %.
    par_type = {c.cle: c for c in chiffres.consommation}
    assert (par_type["ACI"].taux, par_type["ETTI"].taux) == (D("0.2"), D("1.2"))
    total = chiffres.consommation_totale
    assert (total.etp_conventionnes, total.etp_realises) == (D(6), D("2.2"))
    assert f"{total.taux * 100:.1f}" == "36.7"
    # Exits: two examined (CDI, CHOMAGE), one dynamic: 50 %.
    assert (chiffres.sorties_totales.examinees, chiffres.sorties_totales.taux_sorties_dynamiques) == (2, D("0.5"))
    # Publics: the two salariés who worked (women, as the factory makes them), one bRSA at hire: 100 %, 50 %;
    # one hire in 2024 in the département, a bRSA: 100 % against 40 %.
    publics = chiffres.publics_totaux
    assert (publics.publics.salaries, publics.publics.part("femmes"), publics.publics.part("brsa")) == (2, 1, D("0.5"))
    assert (publics.embauches.embauches, publics.embauches.part) == (1, 1)
    # Aides (annexes starting in 2024):
    # ACI socle 5 × (10 × 23 458 + 2 × 23 921) / 12 = 117 675,8333…, modulation 5 % = 5 883,7916…:
    #   shown 117 675,83 + 5 883,79 = 123 559,62; dû 10 × 1,2 × 23 458 / 12 = 23 458.
    # ETTI socle (10 × 4 688 + 2 × 4 781) / 12 = 4 703,50; dû 10 × 1,2 × 4 688 / 12 + 2 × 1,2 × 4 781 / 12
    #   = 4 688 + 956,20 = 5 644,20, capped at the socle: 4 703,50.
    aides = chiffres.aides_totales
    assert aides.total_conventionne == D("128263.12")  # 123 559,62 + 4 703,50: the sum of the rows shown
    assert arrondi_euro(aides.du) == D("28161.50")
    page = reponse.content.decode()
    for texte in (
        "Meuse (55)",
        "Le département en 2024",
        "36,7\u00a0%",
        "6,00",
        "2,20",
        "50,0\u00a0%",
        "100,0\u00a0%",
        "128\u202f263,12\u00a0€",
        "28\u202f161,50\u00a0€",
    ):
        assert texte in page, texte
    assert "Recyclerie de Metz" not in page


def test_liens_vers_les_pages_agregees_et_le_tableau_de_bord(client_de, membre_cdiae_55, departement):
    page = client_de(membre_cdiae_55).get("/", {"annee": 2024}).content.decode()
    for url in ("/pilotage/", "/consommation/", "/sorties/", "/publics/", "/aides-au-poste/"):
        assert f'href="{url}?annee=2024&amp;departement=55"' in page, url
    # Nothing nominative, and no simulator (a DDETS tool).
    assert 'href="/salaries/' not in page and 'href="/declarations/' not in page
    assert 'href="/pilotage/redeploiement/' not in page
    assert client_de(membre_cdiae_55).get("/pilotage/").status_code == 200


def test_les_bilans_du_departement(client_de, membre_cdiae_55, departement):
    bilan_2023, bilan_2024 = bilan("55", 2023), bilan("55", 2024)
    en_cours = bilan("55", 2025, StatutBilan.EN_COURS)
    moselle = bilan("57", 2024)
    reponse = client_de(membre_cdiae_55).get("/", {"annee": 2024})
    assert reponse.context["bilans"] == [bilan_2024, bilan_2023]
    page = reponse.content.decode()
    assert f'href="/bilans/{bilan_2024.pk}/telecharger/"' in page
    assert "Bilan 2024" in page and "14 pages" in page
    assert f'href="/bilans/{en_cours.pk}/' not in page and f'href="/bilans/{moselle.pk}/' not in page
    assert 'href="/bilans/?departement=55"' in page


def test_sans_bilan(client_de, membre_cdiae_55, departement):
    page = client_de(membre_cdiae_55).get("/", {"annee": 2024}).content.decode()
    assert "Aucun bilan n'a encore été généré pour le département" in page


def test_ni_nom_ni_personne(client_de, membre_cdiae_55, departement):
    page = client_de(membre_cdiae_55).get("/", {"annee": 2024}).content.decode()
    assert "Durand" not in page


def test_un_agent_n_a_pas_le_bloc_du_cdiae(client_de, agent_55, departement):
    reponse = client_de(agent_55).get("/", {"annee": 2024})
    assert reponse.context["cdiae"] is None
    page = reponse.content.decode()
    assert 'href="/pilotage/"' in page and 'href="/pilotage/redeploiement/"' in page


def test_requetes_bornees(client_de, membre_cdiae_55, departement, django_assert_max_num_queries):
    client = client_de(membre_cdiae_55)
    client.get("/", {"annee": 2024})
    with django_assert_max_num_queries(20):
        client.get("/", {"annee": 2024})
    for _ in range(8):
        siae = SiaeFactory()
        annexe = AnnexeFinanciereFactory(siae=siae, annee=2024)
        declarer(annexe, ParcoursFactory(siae=siae, date_embauche=dt.date(2024, 3, 1)), "120", range(3, 6))
    rafraichir_tout()
    with django_assert_max_num_queries(20):
        reponse = client.get("/", {"annee": 2024})
    assert reponse.context["cdiae"].publics_totaux.publics.salaries == 10
