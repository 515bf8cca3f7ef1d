"""One employer, two kinds of SIAE under one SIRET (an AI and an EI, case 21 of the fluxIAE cases: the ASP's key is
its structure id and the kind). Through the same imports as the agents': each file finds the right structure, or
refuses the line naming the kinds when it cannot tell; the figures keep the two structures apart."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from bilans.contenu import assembler_bilan
from conventions.importation import ImportAnnexes
from declarations.models import LigneDeclaration
from imports.services import analyser_fichier
from indicateurs.services import rafraichir_tout
from parcours.importation import ImportParcours
from parcours.models import Parcours
from siae.models import Siae
from tests.factories import SiaeFactory, siret_valide

pytestmark = pytest.mark.django_db

S = siret_valide(7, prefixe="55")
ENTETE_ANNEXES = ";".join(ImportAnnexes.colonnes)
ENTETE_PARCOURS = ";".join(ImportParcours.colonnes)

SIAE = f"""siret;nom;type;code_postal;commune;departement;ensemblier
{S};Tremplin association;AI;55100;Verdun;55;Groupe Tremplin
{S};Tremplin entreprise;EI;55100;Verdun;55;Groupe Tremplin
"""

ANNEXES = f"""{ENTETE_ANNEXES}
AI055240001A0M0;{S};AI;2024-01-01;2024-12-31;4;;0;0;VALIDE;;;
EI055240001A0M0;{S};EI;2024-01-01;2024-12-31;2;;0;0;VALIDE;;;
"""


def parcours(type_ana="AI", type_bob="EI") -> str:
    """Ana (bRSA) hired by the AI, Bob by the EI; `type_siae` says which of the SIRET's structures."""
    return f"""{ENTETE_PARCOURS}
999992400001;Alpha;Ana;1990-05-01;F;{S};2024-01-01;2024-01-01;CDDU;20;oui;non;non;non;;;{type_ana}
999992400002;Bravo;Bob;1980-03-01;M;{S};2024-01-01;2024-01-01;CDDI;35;non;non;non;non;;;{type_bob}
"""


DECLARATIONS = f"""siret;numero_annexe;mois;numero_pass;heures_travaillees;date_sortie;motif_sortie
{S};AI055240001A0M0;2024-01;999992400001;80;;
{S};EI055240001A0M0;2024-01;999992400002;120;;
"""


def importer(tmp_path, type_, contenu):
    chemin = tmp_path / f"{type_}.csv"
    chemin.write_text(contenu, encoding="utf-8")
    call_command("importer", type_, str(chemin))


def erreurs(type_, contenu) -> list[str]:
    return [str(e) for e in analyser_fichier(type_, f"{type_}.csv", contenu.encode()).erreurs]


@pytest.fixture
def deux_structures(tmp_path):
    importer(tmp_path, "siae", SIAE)
    importer(tmp_path, "annexes", ANNEXES)
    return {s.type: s for s in Siae.objects.filter(siret=S)}


def test_le_siret_est_unique_par_type():
    SiaeFactory(siret=S, ai=True)
    SiaeFactory(siret=S, ei=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        SiaeFactory(siret=S, ai=True)


def test_l_identifiant_asp_est_unique_par_type():
    """The ASP's structure id is shared by the kinds of one structure, never by two structures of one kind."""
    SiaeFactory(siret=S, ai=True, id_asp=4242)
    SiaeFactory(siret=S, ei=True, id_asp=4242)
    SiaeFactory(ai=True, id_asp=None)
    SiaeFactory(ai=True, id_asp=None)  # no id: no constraint
    with pytest.raises(IntegrityError), transaction.atomic():
        SiaeFactory(ai=True, id_asp=4242)


def test_chaque_annexe_trouve_la_structure_de_son_type(deux_structures):
    assert {a.numero: a.siae for a in deux_structures["AI"].annexes.all()} == {
        "AI055240001A0M0": deux_structures["AI"]
    }
    assert deux_structures["EI"].annexes.get().numero == "EI055240001A0M0"
    ligne = f"ACI055240002A0M0;{S};ACI;2024-01-01;2024-12-31;1;;0;0;VALIDE;;;"
    assert erreurs("annexes", f"{ENTETE_ANNEXES}\n{ligne}\n") == [
        "ligne 2, colonne type : ce SIRET est celui des SIAE AI et EI"
    ]


def test_un_parcours_sans_type_de_structure_est_refuse_en_nommant_les_types(deux_structures):
    assert erreurs("parcours", parcours(type_ana="", type_bob="")) == [
        f"ligne 2, colonne siret : le SIRET {S} est celui de plusieurs SIAE (AI et EI) : précisez laquelle dans la "
        "colonne type_siae",
        f"ligne 3, colonne siret : le SIRET {S} est celui de plusieurs SIAE (AI et EI) : précisez laquelle dans la "
        "colonne type_siae",
    ]
    assert erreurs("parcours", parcours(type_bob="ACI")) == [
        f"ligne 3, colonne type_siae : le SIRET {S} est celui des SIAE AI et EI, pas d'une ACI"
    ]
    assert erreurs("parcours", parcours(type_bob="SCOP")) == [
        "ligne 3, colonne type_siae : « SCOP » n'est pas un type de SIAE (ACI, AI, EI, ETTI, EITI)"
    ]


def test_un_siret_d_une_seule_structure_n_a_pas_besoin_du_type(tmp_path):
    seule = SiaeFactory(siret=S, ai=True)
    ligne = f"999992400001;Alpha;Ana;1990-05-01;F;{S};2024-01-01;2024-01-01;CDDU;20;oui;non;non;non;;;"
    importer(tmp_path, "parcours", f"{ENTETE_PARCOURS}\n{ligne}\n")
    assert Parcours.objects.get().siae == seule


def test_toute_la_chaine_garde_les_deux_structures_a_part(tmp_path, deux_structures):
    importer(tmp_path, "parcours", parcours())
    ai, ei = deux_structures["AI"], deux_structures["EI"]
    assert {p.salarie.prenom: p.siae for p in Parcours.objects.select_related("salarie", "siae")} == {
        "Ana": ai,
        "Bob": ei,
    }
    # Re-importing the same file: the key (PASS, structure, hire) finds each parcours again.
    chemin = tmp_path / "parcours.csv"
    analyse = analyser_fichier("parcours", "parcours.csv", chemin.read_bytes())
    assert [c.action for c in analyse.changements] == ["inchange", "inchange"]

    # Declarations name their annexe: its number says which structure, the SIRET being both's.
    importer(tmp_path, "declarations", DECLARATIONS)
    heures = {
        (ligne.declaration.annexe.siae.type, ligne.parcours.salarie.prenom): ligne.heures_travaillees
        for ligne in LigneDeclaration.objects.select_related("declaration__annexe__siae", "parcours__salarie")
    }
    assert heures == {("AI", "Ana"): Decimal(80), ("EI", "Bob"): Decimal(120)}

    chemin = tmp_path / "indicateurs.json"
    call_command("exporter", "indicateurs", "--annee", "2024", "--departement", "55", "--sortie", str(chemin))
    lignes = {(ligne["siret"], ligne["type"]): ligne for ligne in json.loads(chemin.read_text())["siae"]}
    assert set(lignes) == {(S, "AI"), (S, "EI")}
    assert lignes[S, "AI"]["etp_conventionnes"] == "4.00"
    assert lignes[S, "EI"]["etp_conventionnes"] == "2.00"

    # The bilan's annex: each structure's row with its own hires' share of bRSA (Ana's 100 %, Bob's 0 %), from the
    # figures the imports' commits refresh.
    rafraichir_tout()
    structures = {s.exportee["type"]: s for s in assembler_bilan("55", 2024).structures}
    assert (structures["AI"].embauches, structures["AI"].part_brsa) == (1, Decimal(1))
    assert (structures["EI"].embauches, structures["EI"].part_brsa) == (1, Decimal(0))
