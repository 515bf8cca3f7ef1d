"""The home of SIAE staff: one block per structure with its consumption, its declarations to send, its objectives
against results and its aides au poste, every figure computed by hand below; a fixed number of queries whatever
the number of structures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from aides_au_poste.models import NatureVersement, Versement
from aides_au_poste.regles import arrondi_euro
from comptes.models import Membre
from declarations.models import EtatDeclaration
from declarations.queries import statut_echeance
from declarations.regles import echeance_declaration
from indicateurs.services import rafraichir_tout
from parcours.models import MotifSortie
from pilotage.queries_accueil import blocs_siae
from tests.factories import (
    AnnexeFinanciereFactory,
    DeclarationFactory,
    LigneDeclarationFactory,
    OrganisationFactory,
    ParcoursFactory,
    SiaeFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal


def sortie(siae, embauche, date_sortie, motif, brsa=False):
    return ParcoursFactory(
        siae=siae,
        date_embauche=embauche,
        date_sortie=date_sortie,
        motif_sortie=MotifSortie.objects.get(code=motif),
        brsa=brsa,
    )


@pytest.fixture
def annee_2024(siae_a, siae_b):
    """Jardins de Verdun in 2024, and Intérim du Barrois beside it (whose figures must not show)."""
    annexe = AnnexeFinanciereFactory(
        siae=siae_a,
        annee=2024,
        etp_conventionnes=D(5),
        objectif_sorties_dynamiques=D(60),
        objectif_emploi_durable=D(25),
        objectif_part_brsa=D(50),
    )
    # One salarié hired in 2023 works 182 h a month from January to October: 1 820 h × 12 / 1 820 = 12 ETP-mois.
    salarie = ParcoursFactory(siae=siae_a, date_embauche=dt.date(2023, 6, 1))
    for mois in range(1, 11):
        LigneDeclarationFactory(
            declaration__annexe=annexe,
            declaration__mois=dt.date(2024, mois, 1),
            parcours=salarie,
            heures_travaillees=D(182),
        )
    # Exits of 2024 (ACI: examined from 3 months of parcours on).
    sortie(siae_a, dt.date(2023, 6, 1), dt.date(2024, 3, 15), "CDI")  # emploi durable
    sortie(siae_a, dt.date(2023, 9, 1), dt.date(2024, 5, 10), "CDD_MOINS_6M")  # emploi de transition
    sortie(siae_a, dt.date(2024, 1, 8), dt.date(2024, 6, 30), "CHOMAGE", brsa=True)  # autre; a bRSA hire
    sortie(siae_a, dt.date(2024, 2, 1), dt.date(2024, 3, 1), "CDI")  # one month: not examined; a hire
    sortie(siae_a, dt.date(2023, 5, 1), dt.date(2024, 4, 1), "DECES")  # retrait
    Versement.objects.create(annexe=annexe, date=dt.date(2024, 1, 31), montant=D(1000), nature=NatureVersement.AVANCE)
    AnnexeFinanciereFactory(siae=siae_b, annee=2024, etp_conventionnes=D(7))
    # What the declarations' commits and the night do in production: the monthly indicators the curve reads.
    rafraichir_tout()
    return annexe


def test_les_blocs_de_la_structure(client_de, personnel_a, annee_2024):
    reponse = client_de(personnel_a).get("/", {"annee": 2024})
    (bloc,) = reponse.context["blocs_siae"]
    assert bloc.siae.nom == "Jardins de Verdun"
    # Consumption: 60 ETP-mois conventionnés, 12 réalisés over the year: 5,00 and 1,00 ETP, 20 %.
    c = bloc.consommation
    assert (c.reference.etp_conventionnes, c.reference.etp_realises) == (D(5), D(1))
    assert (c.reference.taux, c.reference.statut) == (D("0.2"), "sous-consommation")
    # Exits: 4 examined, 1 retrait, 1 durable + 1 transition: 2 / 3 = 66,7 % (objective 60: +6,7 pts);
    # emploi durable 1 / 3 = 33,3 % (objective 25: +8,3 pts).
    assert (bloc.sorties.examinees, bloc.sorties.retraits, bloc.sorties.sorties_dynamiques) == (4, 1, 2)
    dynamiques, durable, brsa = bloc.objectifs
    assert (dynamiques.objectif, dynamiques.realise) == (D(60), D(2) / D(3))
    assert f"{dynamiques.ecart:.1f}" == "6.7" and not dynamiques.sous_l_objectif
    assert (durable.objectif, durable.realise) == (D(25), D(1) / D(3))
    # Hires of 2024: 2, of which 1 bRSA: 50 % against the annexe's 50 %.
    assert (bloc.embauches.embauches, bloc.embauches.brsa) == (2, 1)
    assert (brsa.objectif, brsa.realise, brsa.ecart) == (D(50), D("0.5"), D(0))
    assert not brsa.objectif_par_defaut and not brsa.sous_l_objectif
    # Aides: socle 5 × (10 × 23 458 + 2 × 23 921) / 12 = 1 412 110 / 12 = 117 675,83 (no modulation);
    # dû 10 months × 1,2 ETP × 23 458 / 12 = 23 458,00; versé 1 000,00; écart 22 458,00.
    (aide,) = bloc.aides
    assert arrondi_euro(aide.total_conventionne) == D("117675.83")
    assert arrondi_euro(aide.du) == D("23458.00")
    assert (aide.verse, arrondi_euro(aide.ecart)) == (D(1000), D("22458.00"))
    page = reponse.content.decode()
    assert "Ma structure" in page
    for texte in (
        "5,00",
        "1,00",
        "20,0\u00a0%",
        "66,7\u00a0%",
        "+6,7&nbsp;pts",
        "33,3\u00a0%",
        "+8,3&nbsp;pts",
        "50,0\u00a0%",
        "117\u202f675,83\u00a0€",
        "23\u202f458,00\u00a0€",
        "1\u202f000,00\u00a0€",
        "22\u202f458,00\u00a0€",
        "4 sorties examinées en 2024 (dont 1 retrait, neutralisé), 2 dynamiques ; 2 embauches, dont 1 de bénéficiaire",
    ):
        assert texte in page, texte
    assert f'href="/aides-au-poste/annexe/{annee_2024.pk}/"' in page
    assert f'href="/dialogue/{annee_2024.pk}/"' in page
    assert "Intérim du Barrois" not in page
    # The year is over: no projection row.
    assert "Projection à fin décembre" not in page


def test_projection_en_cours_d_annee(personnel_a, annee_2024):
    """On 20 July 2024, June's declarations are due: January to June, 6 months of 182 h, 7,2 ETP-mois réalisés
    against 30 conventionnés (24 %); projected 7,2 × 12 / 6 = 14,4 ETP-mois, 1,20 ETP against 5: 24 %."""
    (bloc,) = blocs_siae(personnel_a, personnel_a.perimetre.siae_ids, 2024, aujourd_hui=dt.date(2024, 7, 20))
    assert bloc.periode.nombre_de_mois == 6
    c = bloc.consommation
    assert (c.reference.conv_etp_mois, c.reference.real_etp_mois) == (D(30), D("7.2"))
    assert c.projection_etp == D("1.2")
    assert bloc.taux_projete == D("0.24")
    assert bloc.statut_projete == "sous-consommation"
    # The curve: cumulated réalisé through June (1,2 ETP-mois a month), then the projection to December.
    courbe = bloc.courbe
    assert courbe.cumul_conventionne[-1] == D(60)
    assert courbe.cumul_realise[5] == D("7.2") and courbe.cumul_realise[6] is None
    assert courbe.projection[:5] == [None] * 5
    assert courbe.projection[5] == D("7.2") and courbe.projection[11] == D("14.4")
    assert bloc.graphique.startswith("<svg")


def mois_decale(mois: dt.date, decalage: int) -> dt.date:
    rang = mois.year * 12 + mois.month - 1 + decalage
    return dt.date(rang // 12, rang % 12 + 1, 1)


def test_declarations_a_transmettre(client_de, personnel_a, siae_a):
    """Four months over: sent on time, a draft, sent back for correction, nothing yet."""
    aujourd_hui = timezone.localdate()
    courant = aujourd_hui.replace(day=1)
    debut = mois_decale(courant, -4)
    annexe = AnnexeFinanciereFactory(
        siae=siae_a, date_debut=debut, date_fin=mois_decale(debut, 12) - dt.timedelta(days=1)
    )
    DeclarationFactory(annexe=annexe, mois=debut)  # transmitted on the 10th of the next month
    DeclarationFactory(
        annexe=annexe,
        mois=mois_decale(debut, 1),
        etat=EtatDeclaration.BROUILLON,
        retenue=False,
        date_transmission=None,
    )
    DeclarationFactory(annexe=annexe, mois=mois_decale(debut, 2), etat=EtatDeclaration.A_CORRIGER, retenue=False)
    reponse = client_de(personnel_a).get("/")
    (bloc,) = reponse.context["blocs_siae"]
    a_faire = [(s.mois, s.etat, s.statut) for s in bloc.declarations]
    precedent = mois_decale(courant, -1)
    assert a_faire == [
        (mois_decale(debut, 1), EtatDeclaration.BROUILLON, "manquante"),
        (mois_decale(debut, 2), EtatDeclaration.A_CORRIGER, "a_temps"),
        (precedent, None, statut_echeance(precedent, None, aujourd_hui)),
    ]
    page = reponse.content.decode()
    assert "Déclarations à transmettre" in page
    assert "À corriger" in page and "Corriger" in page and "Reprendre" in page and "Déclarer" in page
    assert f'href="/declarations/saisie/{annexe.pk}/{precedent.year}/{precedent.month}/"' in page
    assert echeance_declaration(precedent).strftime("%d/%m/%Y") in page


def test_toutes_les_declarations_transmises(client_de, personnel_a, annee_2024):
    page = client_de(personnel_a).get("/", {"annee": 2024}).content.decode()
    assert "Toutes les déclarations des mois écoulés sont transmises." in page


def structures_de(utilisateur, nombre: int):
    for _ in range(nombre):
        siae = SiaeFactory()
        annexe = AnnexeFinanciereFactory(siae=siae, annee=2024)
        LigneDeclarationFactory(declaration__annexe=annexe, declaration__mois=dt.date(2024, 3, 1))
        sortie(siae, dt.date(2023, 6, 1), dt.date(2024, 3, 15), "CDI")
        Membre.objects.create(utilisateur=utilisateur, organisation=OrganisationFactory(de_siae=True, siae=siae))
    rafraichir_tout()
    utilisateur.__dict__.pop("_perimetre", None)


def test_un_bloc_par_structure_et_requetes_bornees(client_de, personnel_a, annee_2024, django_assert_max_num_queries):
    client = client_de(personnel_a)
    client.get("/", {"annee": 2024})
    structures_de(personnel_a, 1)
    with django_assert_max_num_queries(26):
        reponse = client.get("/", {"annee": 2024})
    assert len(reponse.context["blocs_siae"]) == 2
    structures_de(personnel_a, 4)
    with django_assert_max_num_queries(26):
        reponse = client.get("/", {"annee": 2024})
    blocs = reponse.context["blocs_siae"]
    assert len(blocs) == 6
    assert "Mes structures" in reponse.content.decode()
    # Each structure its own figures: one exit examined (CDI) in each new one, 2 conventionnés ETP.
    autres = [b for b in blocs if b.siae.nom != "Jardins de Verdun"]
    assert all(b.sorties.examinees == 1 and b.sorties.emploi_durable == 1 for b in autres)
    assert all(b.consommation.reference.etp_conventionnes == D(2) for b in autres)
