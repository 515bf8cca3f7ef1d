"""Files built to stall the site or exhaust the memory of whoever reads them: a 5 KB workbook declaring the whole
sheet (`A1:XFD1048576`), a sheet of a million rows, a zip bomb, a million wrong lines. Each is refused (or read)
in seconds, in less than 200 MB, with a French message naming the line; the upload page never reads a file.

The files are built here, small on disk: the workbook's parts are written as streams of XML into the Zip."""

import signal
import time
import tracemalloc
import zipfile
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from imports.lecture import FichierIllisible, lire_tableau
from imports.limites import Limites
from imports.models import Import, StatutImport
from imports.services import analyser_fichier, analyser_import, deposer_import
from imports.tasks import analyser_import_task
from siae.models import Siae
from tests.factories import siret_valide

MO = 1024**2
MEMOIRE_MAX = 200 * MO
ENTETE_SIAE = ("siret", "nom", "type", "code_postal", "commune", "departement")


def _cellule(colonne: str, numero: int, valeur) -> str:
    if isinstance(valeur, int):
        return f'<c r="{colonne}{numero}"><v>{valeur}</v></c>'
    return f'<c r="{colonne}{numero}" t="inlineStr"><is><t>{valeur}</t></is></c>'


def rang_xml(numero: int, valeurs) -> str:
    cellules = "".join(_cellule(chr(ord("A") + i), numero, v) for i, v in enumerate(valeurs) if v is not None)
    return f'<row r="{numero}">{cellules}</row>'


def classeur(chemin, rangs, dimension: str | None = None, avant: str = "", textes: str | None = None):
    """An XLSX whose first sheet holds `rangs` (an iterable of XML strings, written as they come), and these
    shared strings (`<sst>…</sst>`) when given."""
    with zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/>'
            + (
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'sharedStrings" Target="sharedStrings.xml"/>'
                if textes
                else ""
            )
            + "</Relationships>",
        )
        if textes:
            archive.writestr("xl/sharedStrings.xml", textes)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as feuille:
            feuille.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            if dimension:
                feuille.write(f'<dimension ref="{dimension}"/>'.encode())
            feuille.write(avant.encode() + b"<sheetData>")
            tampon = []
            for rang in rangs:
                tampon.append(rang)
                if len(tampon) == 10_000:
                    feuille.write("".join(tampon).encode())
                    tampon = []
            feuille.write(("".join(tampon) + "</sheetData></worksheet>").encode())
    return chemin


@contextmanager
def au_plus(secondes: int):
    """Fail, rather than hang, when the block runs longer (the unbounded reading took minutes)."""

    def trop_long(*_):
        raise TimeoutError(f"plus de {secondes} s")

    precedent = signal.signal(signal.SIGALRM, trop_long)
    signal.alarm(secondes)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, precedent)


def analyser_en_mesurant(chemin, type_="siae"):
    """The analysis of a file read from disk, with the peak of the memory it allocated and its duration."""
    tracemalloc.start()
    debut = time.monotonic()
    try:
        analyse = analyser_fichier(type_, chemin.name, chemin.read_bytes())
        pic = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return analyse, pic, time.monotonic() - debut


@pytest.fixture
def bombe_de_dimension(tmp_path):
    """A few KB: a header, two structures, the declaration that the sheet fills every cell of Excel, and an empty
    formatted cell in its very last one (XFD1048576), as a spreadsheet leaves when that cell was once touched."""
    rangs = [rang_xml(1, ENTETE_SIAE)] + [
        rang_xml(n, (int(siret_valide(n, "7")), f"Structure {n}", "ACI", 55100, "Verdun", 55)) for n in (2, 3)
    ]
    rangs.append('<row r="1048576"><c r="XFD1048576" s="0"/></row>')
    return classeur(tmp_path / "dimension.xlsx", rangs, dimension="A1:XFD1048576")


class TestLaBombeDeDimension:
    def test_lue_en_un_instant_jusqu_a_sa_derniere_ligne(self, bombe_de_dimension):
        assert bombe_de_dimension.stat().st_size < 5 * 1024
        debut = time.monotonic()
        with au_plus(10):
            tableau = lire_tableau("dimension.xlsx", bombe_de_dimension.read_bytes())
        assert time.monotonic() - debut < 1
        assert tableau.entetes == list(ENTETE_SIAE)
        assert [numero for numero, _ in tableau.lignes] == [2, 3]
        assert tableau.lignes[0][1]["nom"] == "Structure 2" and tableau.lignes[0][1]["code_postal"] == 55100

    @pytest.mark.django_db
    def test_analysee_sans_memoire_ni_attente(self, bombe_de_dimension):
        with au_plus(20):
            analyse, pic, duree = analyser_en_mesurant(bombe_de_dimension)
        assert analyse.valide and analyse.compte("creation") == 2
        assert pic < 20 * MO and duree < 5

    @pytest.mark.django_db
    def test_deposee_deux_fois_sur_la_page_la_requete_ne_la_lit_pas(self, bombe_de_dimension, client_de, agent_55):
        """The upload stores the file and sends the task; the request reads nothing, whatever the file."""
        client = client_de(agent_55)
        with (
            mock.patch("imports.views.analyser_import_task.delay") as tache,
            mock.patch("imports.services.lire_tableau", side_effect=AssertionError("lu pendant la requête")),
        ):
            for _ in range(2):
                with au_plus(10), TestCase.captureOnCommitCallbacks(execute=True):
                    fichier = SimpleUploadedFile("dimension.xlsx", bombe_de_dimension.read_bytes())
                    reponse = client.post("/imports/nouveau/", {"type": "siae", "fichier": fichier})
                assert reponse.status_code == 302
        journaux = list(Import.objects.order_by("pk"))
        assert [j.statut for j in journaux] == [StatutImport.EN_ANALYSE] * 2
        assert [appel.args for appel in tache.call_args_list] == [(j.pk,) for j in journaux]
        # Its page follows the analysis under way.
        page = client.get(f"/imports/{journaux[0].pk}/").content.decode()
        assert "Le fichier est lu et chacune de ses lignes vérifiée" in page and 'id="avancement-import"' in page
        etat = client.get(f"/imports/{journaux[0].pk}/avancement/").json()
        assert (etat["statut"], etat["etape"]) == ("EN_ANALYSE", "Lecture du fichier")
        # The worker's analysis, then the preview.
        with au_plus(20):
            analyser_import_task.delay(journaux[0].pk)
        journaux[0].refresh_from_db()
        assert (journaux[0].statut, journaux[0].nb_crees, journaux[0].lignes_total) == (StatutImport.ANALYSE, 2, 2)
        assert not Siae.objects.exists()


@pytest.mark.django_db
@pytest.mark.lent
def test_une_feuille_d_un_million_de_lignes(tmp_path):
    """A million rows (a few MB on disk): refused at the first line past the limit, in bounded memory."""
    rangs = [rang_xml(1, ("siret",))] + [f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 1_000_002)]
    chemin = classeur(tmp_path / "million.xlsx", rangs)
    assert chemin.stat().st_size < 10 * MO
    with au_plus(60):
        analyse, pic, _ = analyser_en_mesurant(chemin)
    assert [str(e) for e in analyse.erreurs] == [
        "ligne 50002, colonne - : le fichier a plus de 50\u202f000 lignes de données, le nombre accepté : découpez-le "
        "en plusieurs fichiers"
    ]
    assert pic < MEMOIRE_MAX


@pytest.mark.django_db
def test_un_csv_d_un_million_de_lignes(tmp_path):
    chemin = tmp_path / "million.csv"
    chemin.write_bytes(b"siret;nom\n" + b"1;a\n" * 1_000_000)
    with au_plus(30):
        analyse, pic, _ = analyser_en_mesurant(chemin)
    assert [str(e) for e in analyse.erreurs][0].startswith("ligne 50002, colonne - : le fichier a plus de 50\u202f000")
    assert pic < MEMOIRE_MAX


@pytest.mark.django_db
def test_une_bombe_zip_est_refusee_avant_d_etre_decompressee(tmp_path):
    """200 MB of rows squeezed into a few hundred KB: the directory of the Zip tells it before anything is inflated."""
    ligne = rang_xml(2, ("x",) * 6)
    chemin = classeur(tmp_path / "bombe.xlsx", [rang_xml(1, ENTETE_SIAE)] + [ligne] * (200 * MO // len(ligne)))
    assert chemin.stat().st_size < 2 * MO
    with au_plus(10):
        analyse, pic, duree = analyser_en_mesurant(chemin)
    assert [str(e) for e in analyse.erreurs] == [
        "ligne 1, colonne - : le classeur décompressé dépasse 100 Mo : enregistrez seulement la feuille à importer, "
        "ou exportez-la en CSV"
    ]
    assert pic < 10 * MO and duree < 2


@pytest.mark.lent
def test_une_bombe_d_elements_vides_reste_en_memoire_bornee(tmp_path):
    """Under the limits, a sheet of 300,000 empty styled rows and a `<cols>` of 200,000 entries: no element is kept
    once read (openpyxl keeps them all)."""
    colonnes = "<cols>" + '<col min="1" max="1" width="9"/>' * 200_000 + "</cols>"
    rangs = [rang_xml(1, ("siret",))] + [f'<row r="{n}" ht="15" customHeight="1"/>' for n in range(2, 300_002)]
    chemin = classeur(tmp_path / "vide.xlsx", rangs, dimension="A1:XFD1048576", avant=colonnes)
    tracemalloc.start()
    try:
        with au_plus(60):
            tableau = lire_tableau(chemin.name, chemin.read_bytes())
        pic = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert tableau.entetes == ["siret"] and len(tableau.lignes) == 0
    assert pic < 10 * MO


class TestLesLimites:
    def test_une_valeur_au_dela_des_colonnes_acceptees(self, tmp_path):
        rangs = [rang_xml(1, ENTETE_SIAE), '<row r="7"><c r="BA7" t="inlineStr"><is><t>x</t></is></c></row>']
        contenu = classeur(tmp_path / "large.xlsx", rangs).read_bytes()
        with pytest.raises(FichierIllisible) as refus:
            lire_tableau("large.xlsx", contenu)
        assert (refus.value.ligne, refus.value.colonne) == (7, "BA")
        assert refus.value.message == "le fichier a plus de 50 colonnes remplies, le nombre accepté"
        with pytest.raises(FichierIllisible, match="plus de 50 colonnes") as refus:
            lire_tableau("large.csv", ("a;b\n1;2\n" + ";" * 50 + "x\n").encode())
        assert (refus.value.ligne, refus.value.colonne) == (3, "AY")

    def test_des_cellules_vides_au_loin_ne_comptent_pas(self, tmp_path):
        rangs = [rang_xml(1, ("siret", "nom")), '<row r="2"><c r="A2"><v>1</v></c><c r="XFD2" s="0"/></row>']
        tableau = lire_tableau("x.xlsx", classeur(tmp_path / "x.xlsx", rangs).read_bytes())
        assert tableau.lignes == [(2, {"siret": 1, "nom": ""})]

    def test_les_lignes_vides_ne_comptent_pas(self):
        limites = Limites(10 * MO, 2, 50, 100 * MO, 16 * MO, 1000)
        tableau = lire_tableau("f.csv", b"a;b\n1;2\n;\n\n3;4\n", limites=limites)
        assert [n for n, _ in tableau.lignes] == [2, 5]
        with pytest.raises(FichierIllisible, match="plus de 2 lignes") as refus:
            lire_tableau("f.csv", b"a;b\n1;2\n3;4\n5;6\n", limites=limites)
        assert refus.value.ligne == 4

    def test_une_ligne_sans_fin(self):
        limites = Limites(10 * MO, 10, 50, 100 * MO, 16 * MO, 1000)
        with pytest.raises(FichierIllisible, match="la ligne dépasse 1000 caractères") as refus:
            lire_tableau("f.csv", b"a;b\n1;2\n" + b";" * 5000, limites=limites)
        assert refus.value.ligne == 3

    def test_les_textes_partages(self, tmp_path):
        textes = (
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>siret</t></si>'
            "<si><r><t>Jardins </t></r><r><t>de Verdun</t></r><rPh><t>phon</t></rPh></si></sst>"
        )
        rangs = ['<row r="1"><c r="A1" t="s"><v>0</v></c></row>', '<row r="2"><c r="A2" t="s"><v>1</v></c></row>']
        tableau = lire_tableau("x.xlsx", classeur(tmp_path / "x.xlsx", rangs, textes=textes).read_bytes())
        assert tableau.lignes == [(2, {"siret": "Jardins de Verdun"})]

    def test_une_partie_lue_entiere_trop_grosse(self, tmp_path):
        textes = "<sst>" + "<si><t>x</t></si>" * 1_200_000 + "</sst>"
        chemin = classeur(tmp_path / "x.xlsx", [rang_xml(1, ("a",))], textes=textes)
        with pytest.raises(FichierIllisible, match="la partie « xl/sharedStrings.xml » du classeur dépasse 16 Mo"):
            lire_tableau("x.xlsx", chemin.read_bytes())

    @pytest.mark.parametrize("contenu", [b"PK\x03\x04 abime", b"PK\x03\x04" + bytes(range(256)) * 10])
    def test_un_classeur_abime(self, contenu):
        with pytest.raises(FichierIllisible, match="le classeur XLSX ne peut pas être ouvert"):
            lire_tableau("abime.xlsx", contenu)


@pytest.mark.django_db
class TestLeJournal:
    def test_garde_les_200_premieres_erreurs_et_compte_les_autres(self, agent_55, client_de):
        lignes = ["siret;nom;type;code_postal;commune;departement"] + [
            f"x{n};;ACI;55100;Verdun;55" for n in range(1000)
        ]
        journal = analyser_import(deposer_import("siae", "faux.csv", "\n".join(lignes).encode(), agent_55))
        assert journal.statut == StatutImport.REFUSE
        assert (len(journal.erreurs), journal.nb_erreurs, journal.erreurs_non_listees) == (200, 1000, 800)
        page = client_de(agent_55).get(f"/imports/{journal.pk}/").content.decode()
        assert "1\u202f000 erreurs à corriger : les 200 premières sont listées ci-dessous" in page
        assert "… et 800 autres erreurs, non listées" in page
        assert page.count("<li>ligne ") == 200

    def test_un_fichier_trop_gros_n_est_pas_lu(self, agent_55, settings):
        journal = deposer_import("siae", "gros.csv", b"siret;nom\n" + b"1;a\n" * 100, agent_55)
        settings.IMPORTS_TAILLE_MAX = 100
        with mock.patch("django.db.models.fields.files.FieldFile.read", side_effect=AssertionError("lu")):
            journal = analyser_import(journal)
        assert journal.statut == StatutImport.REFUSE
        assert journal.erreurs == ["ligne 1, colonne - : le fichier dépasse 100 octets, la taille acceptée"]

    def test_la_page_refuse_un_fichier_trop_gros(self, agent_55, client_de, settings):
        settings.IMPORTS_TAILLE_MAX = 100
        fichier = SimpleUploadedFile("gros.csv", b"siret;nom\n" + b"1;a\n" * 100)
        reponse = client_de(agent_55).post("/imports/nouveau/", {"type": "siae", "fichier": fichier})
        assert "Le fichier dépasse 100 octets, la taille acceptée." in reponse.content.decode()
        assert not Import.objects.exists()


def test_les_limites_par_defaut():
    limites = Limites.des_reglages()
    assert (limites.taille, limites.lignes, limites.colonnes) == (20 * MO, 50_000, 50)
    assert (limites.xlsx_decompresse, limites.xlsx_partie) == (100 * MO, 16 * MO)
