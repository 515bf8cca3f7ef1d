"""Files made to break the import: a NUL byte, numbers beyond any field, a 300-character name, a formula without its
value, the same file imported twice at once. Each becomes a French message naming the line and the column (or the
refusal of the second import), on the web and on the command line, never a traceback."""

import io
import threading
from unittest import mock

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from conventions.importation import ImportAnnexes
from imports.importeur import FORMULES_NON_LUES
from imports.lecture import decimal_fr, texte_limite
from imports.models import Import, StatutImport
from imports.services import ECRITURE_CONCURRENTE, executer_import, preparer_import
from parcours.importation import ImportParcours
from parcours.models import PassIae, Salarie
from siae.models import Siae
from tests.factories import PassIaeFactory, siret_valide

pytestmark = pytest.mark.django_db

ENTETE_PARCOURS = ";".join(ImportParcours.colonnes)
ENTETE_SIAE = "siret;nom;type;code_postal;commune;departement;ensemblier"
S1 = siret_valide(301, "8")
NOM_NUL = "Mar\x00tin"


def parcours(siret, *, nom="Martin", heures="26", numero="999992500001"):
    return f"{numero};{nom};Léa;1985-03-14;F;{siret};2024-03-01;2024-03-01;CDDI;{heures};non;non;non;non;;;;"


@pytest.fixture
def importer(tmp_path):
    """importer(type, content) → (stdout, stderr, exit code) of `manage.py importer TYPE FILE`; any exception but
    the command's own exit fails the test (it would print a traceback)."""

    def lancer(type_, contenu: str | bytes, nom="fichier.csv"):
        chemin = tmp_path / nom
        chemin.write_bytes(contenu if isinstance(contenu, bytes) else contenu.encode())
        sortie, erreurs = io.StringIO(), io.StringIO()
        try:
            call_command("importer", type_, str(chemin), stdout=sortie, stderr=erreurs)
        except SystemExit as fin:
            return sortie.getvalue(), erreurs.getvalue(), fin.code
        return sortie.getvalue(), erreurs.getvalue(), 0

    return lancer


# The value parsers ---------------------------------------------------------------------------------------------


def test_un_nombre_qui_ne_tient_pas_dans_son_champ():
    with pytest.raises(ValueError, match="« 1e999999 » est trop grand : 4 chiffres au plus avant la virgule"):
        decimal_fr("1e999999", entiers=4, decimales=2)
    with pytest.raises(ValueError, match="trop grand : 4 chiffres au plus"):
        decimal_fr("1" * 30, entiers=4, decimales=2)
    with pytest.raises(ValueError, match="« 35,125 » a trop de décimales : 2 décimales au plus"):
        decimal_fr("35,125", entiers=4, decimales=2)
    with pytest.raises(ValueError, match="a trop de décimales"):
        decimal_fr(0.1 + 0.2, entiers=4, decimales=2)  # a spreadsheet's float noise is not rounded silently
    assert decimal_fr("151,670", entiers=4, decimales=2) == decimal_fr("151,67")
    assert decimal_fr("9999,99", entiers=4, decimales=2) == decimal_fr("9999.99")
    assert decimal_fr("0,00", entiers=4, decimales=2) == 0
    assert decimal_fr("1e999999") > 0  # without bounds, the number as it is


def test_un_texte_trop_long_est_refuse_pas_coupe():
    assert texte_limite(" Martin ", 6) == "Martin"
    with pytest.raises(ValueError, match="trop long : 300 caractères, 150 au plus"):
        texte_limite("x" * 300, 150)


# On the web ----------------------------------------------------------------------------------------------------


def deposer(client, type_, contenu: bytes, nom="fichier.csv") -> Import:
    # The analysis runs in a task sent once the upload is committed.
    with TestCase.captureOnCommitCallbacks(execute=True):
        reponse = client.post("/imports/nouveau/", {"type": type_, "fichier": SimpleUploadedFile(nom, contenu)})
    assert reponse.status_code == 302
    return Import.objects.get(pk=reponse.url.rstrip("/").rsplit("/", 1)[1])


def test_un_octet_nul_dans_un_nom(client_de, siae_a, personnel_a):
    contenu = f"{ENTETE_PARCOURS}\n{parcours(siae_a.siret, nom=NOM_NUL)}\n".encode()
    journal = deposer(client_de(personnel_a), "parcours", contenu)
    assert journal.statut == StatutImport.REFUSE
    assert journal.erreurs == [
        "ligne 2, colonne nom : caractère de contrôle interdit (U+0000) : retirez-le du fichier"
    ]
    assert "\x00" not in str(journal.apercu) + str(journal.erreurs)
    assert client_de(personnel_a).get(f"/imports/{journal.pk}/").status_code == 200


def test_une_formule_sans_valeur_calculee(client_de, agent_55):
    classeur = openpyxl.Workbook()
    feuille = classeur.active
    feuille.append(ENTETE_SIAE.split(";"))
    # openpyxl writes the formula, not its value (a spreadsheet would store both): its reader sees nothing.
    feuille.append([S1, '=CONCATENATE("Jardins", " de Verdun")', "ACI", "55100", "Verdun", "55", None])
    tampon = io.BytesIO()
    classeur.save(tampon)
    journal = deposer(client_de(agent_55), "siae", tampon.getvalue(), nom="structures.xlsx")
    assert journal.erreurs == [f"ligne 2, colonne nom : {FORMULES_NON_LUES}"]
    assert "obligatoire" not in journal.erreurs[0]


# On the command line -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "contenu", "attendu"),
    [
        (
            "parcours",
            lambda s: f"{ENTETE_PARCOURS}\n{parcours(s.siret, nom=NOM_NUL)}\n",
            "ligne 2, colonne nom : caractère de contrôle interdit (U+0000)",
        ),
        (
            "parcours",
            lambda s: f"{ENTETE_PARCOURS}\n{parcours(s.siret, nom='M' * 300)}\n",
            "ligne 2, colonne nom : trop long : 300 caractères, 150 au plus",
        ),
        (
            "parcours",
            lambda s: f"{ENTETE_PARCOURS}\n{parcours(s.siret, heures='1e999999')}\n",
            "ligne 2, colonne heures_hebdo : « 1e999999 » est trop grand : 2 chiffres au plus avant la virgule",
        ),
        (
            "parcours",
            lambda s: f"{ENTETE_PARCOURS}\n{parcours(s.siret, heures='35,125')}\n",
            "ligne 2, colonne heures_hebdo : « 35,125 » a trop de décimales : 2 décimales au plus",
        ),
        (
            "siae",
            lambda s: f"{ENTETE_SIAE}\n{S1};{'J' * 300};ACI;55100;Verdun;55;\n",
            "ligne 2, colonne nom : trop long : 300 caractères, 255 au plus",
        ),
        (
            "annexes",
            lambda s: (
                f"{';'.join(ImportAnnexes.colonnes)}\n"
                f"ACI055240001A0M0;{s.siret};ACI;2024-01-01;2024-12-31;2;;5;1e12;VALIDE;;;\n"
            ),
            "ligne 2, colonne montant_cofinance_cd : « 1e12 » est trop grand : 10 chiffres au plus avant la virgule",
        ),
        (
            "versements",
            lambda s: "numero_annexe;date;montant;nature\nACI055240001A0M0;2024-03-01;1e30;AVANCE\n",
            "ligne 2, colonne montant : « 1e30 » est trop grand : 10 chiffres au plus avant la virgule",
        ),
    ],
    ids=["nul", "nom-300", "heures-1e999999", "heures-3-decimales", "siae-nom-300", "montant-1e12", "versement-1e30"],
)
def test_la_ligne_de_commande_nomme_la_ligne_et_la_colonne(importer, siae_a, type_, contenu, attendu):
    sortie, erreurs, code = importer(type_, contenu(siae_a))
    assert code == 1
    assert erreurs.splitlines()[0].startswith(attendu), erreurs
    assert "Traceback" not in sortie + erreurs
    assert not Salarie.objects.exists() and Siae.objects.count() == 1


# One file imported twice at once -------------------------------------------------------------------------------


def quinze_embauches(siret) -> bytes:
    lignes = "".join(parcours(siret, numero=f"99999250{n:04d}", nom=f"Nom{n}") + "\n" for n in range(15))
    return f"{ENTETE_PARCOURS}\n{lignes}".encode()


def test_un_import_double_pendant_son_ecriture_n_enregistre_rien_et_le_dit(siae_a, agent_55):
    journal = preparer_import("parcours", "parcours.csv", quinze_embauches(siae_a.siret), agent_55)
    assert journal.nb_crees == 15
    creer = Salarie.objects.bulk_create

    def entre_lecture_et_ecriture(*args, **kwargs):
        # The import has read the PASS numbers (none known) and is about to write: another writes one of them first.
        if not PassIae.objects.exists():
            PassIaeFactory(numero="999992500007")
        return creer(*args, **kwargs)

    with mock.patch.object(Salarie.objects, "bulk_create", entre_lecture_et_ecriture):
        executer_import(journal)
    journal.refresh_from_db()
    # It wrote nothing and says so, rather than claim 15 creations.
    assert (journal.statut, journal.nb_crees, journal.nb_modifies, journal.erreurs) == (
        StatutImport.REFUSE,
        0,
        0,
        [ECRITURE_CONCURRENTE],
    )
    assert not Salarie.objects.filter(nom__startswith="Nom").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="le verrou des imports est celui de PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_deux_imports_identiques_simultanes_passent_l_un_apres_l_autre(siae_a, agent_55):
    contenu = quinze_embauches(siae_a.siret)
    journaux = [preparer_import("parcours", "parcours.csv", contenu, agent_55) for _ in range(2)]
    depart = threading.Barrier(2)

    def executer(journal):
        try:
            depart.wait()
            executer_import(journal)
        finally:
            connection.close()

    fils = [threading.Thread(target=executer, args=(journal,)) for journal in journaux]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    comptes = sorted(
        Import.objects.filter(pk__in=[j.pk for j in journaux]).values_list("statut", "nb_crees", "nb_inchanges")
    )
    # The second read what the first wrote: its 15 lines are unchanged, and its journal says so.
    assert comptes == [(StatutImport.TERMINE, 0, 15), (StatutImport.TERMINE, 15, 0)]
    assert PassIae.objects.count() == 15
