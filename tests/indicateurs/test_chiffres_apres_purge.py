"""The figures of past years do not move when personal data are purged (docs/rgpd.md): `exporter indicateurs`
gives the same file before and after. The ages count from the bracket the parcours kept once the birth date is
erased (indicateurs.queries_sorties.age_a_l_embauche)."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from indicateurs.services import rafraichir_departement
from parcours.models import Genre, MotifSortie, Salarie
from parcours.services_rgpd import purger_donnees_personnelles
from tests.factories import AnnexeFinanciereFactory, DeclarationFactory, LigneDeclarationFactory, ParcoursFactory

pytestmark = pytest.mark.django_db

D = dt.date
EMBAUCHE = D(2024, 1, 2)
# (birth date, sex, bRSA, QPV, exit): ages on the hire date 23, 25 (26 eight days later), 26, 44, 50 and 51.
SALARIES = [
    (D(2000, 5, 1), Genre.FEMME, True, False, D(2024, 6, 28)),
    (D(1998, 1, 10), Genre.HOMME, False, True, D(2024, 5, 31)),
    (D(1998, 1, 2), Genre.FEMME, True, True, D(2024, 4, 30)),
    (D(1980, 2, 1), Genre.HOMME, False, False, D(2024, 6, 28)),
    (D(1974, 1, 2), Genre.FEMME, False, False, D(2024, 3, 29)),
    (D(1972, 6, 1), Genre.HOMME, True, False, None),
]


@pytest.fixture
def annee_2024(siae_a, siae_b):
    motif = MotifSortie.objects.get(code="CDI")
    for siae in (siae_a, siae_b):
        annexe = AnnexeFinanciereFactory(siae=siae, annee=2024)
        declarations = [DeclarationFactory(annexe=annexe, mois=D(2024, mois, 1)) for mois in range(1, 7)]
        for naissance, genre, brsa, qpv, sortie in SALARIES:
            parcours = ParcoursFactory(
                siae=siae,
                date_embauche=EMBAUCHE,
                date_sortie=sortie,
                motif_sortie=motif if sortie else None,
                salarie__date_naissance=naissance,
                salarie__genre=genre,
                pass_iae__date_debut=EMBAUCHE,
                brsa=brsa,
                qpv=qpv,
            )
            for declaration in declarations:
                if sortie is None or declaration.mois <= sortie:
                    LigneDeclarationFactory(
                        declaration=declaration, parcours=parcours, heures_travaillees=Decimal(120)
                    )
    rafraichir_departement("55")


def exporter(tmp_path, annee: int) -> dict:
    sortie = tmp_path / f"indicateurs_{annee}.json"
    call_command(
        "exporter", "indicateurs", "--annee", annee, "--departement", "55", "--format", "json", "--sortie", sortie
    )
    return json.loads(sortie.read_text(encoding="utf-8"))


def test_les_chiffres_des_annees_passees_ne_bougent_pas(annee_2024, tmp_path):
    avant = exporter(tmp_path, 2024)
    # The publics count each age bracket: the comparison below is about something.
    aci = next(ligne for ligne in avant["publics"] if ligne["type"] == "ACI")
    assert (aci["salaries"], aci["moins_26_ans"], aci["50_ans_et_plus"]) == (6, "33.3", "33.3")

    # 24 months after the end of their PASS IAE (01/01/2026), those who are out are anonymised; the one still in
    # parcours keeps their identity.
    bilan = purger_donnees_personnelles(origine="test", aujourd_hui=D(2028, 3, 1))

    assert bilan.salaries == 10
    assert Salarie.objects.filter(date_naissance__isnull=True).count() == 10
    assert exporter(tmp_path, 2024) == avant
