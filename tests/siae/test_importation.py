"""`importer siae FILE` and the upload page (formats.md): all or nothing, idempotent, errors `ligne N, colonne C`."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase

from imports.models import Import, StatutImport
from siae.models import Ensemblier, Siae
from tests.factories import SiaeFactory, siret_valide

pytestmark = pytest.mark.django_db

ENTETE = "siret;nom;type;code_postal;commune;departement;ensemblier"
S1, S2, S3 = siret_valide(101, "8"), siret_valide(102, "8"), siret_valide(103, "8")
SIRET_FAUX = S1[:13] + str((int(S1[13]) + 1) % 10)


def csv(*lignes, entete=ENTETE) -> str:
    return "\n".join([entete, *lignes]) + "\n"


FICHIER_VALIDE = csv(
    f"{S1};Jardins de Verdun;ACI;55100;Verdun;55;Ensemblier du Barrois",
    f"{S2};Intérim solidaire;etti;55000;Bar-le-Duc;055;Ensemblier du Barrois",
    f"{S3};Recyclerie de Metz;EI;57000;Metz;57;",
)


@pytest.fixture
def importer(tmp_path):
    """importer(content, name) → (stdout, stderr, exit code) of `manage.py importer siae FILE`."""

    def lancer(contenu, nom="structures.csv", encodage="utf-8"):
        chemin = tmp_path / nom
        chemin.write_bytes(contenu if isinstance(contenu, bytes) else contenu.encode(encodage))
        sortie, erreurs = io.StringIO(), io.StringIO()
        try:
            call_command("importer", "siae", str(chemin), stdout=sortie, stderr=erreurs)
        except SystemExit as fin:
            return sortie.getvalue(), erreurs.getvalue(), fin.code
        return sortie.getvalue(), erreurs.getvalue(), 0

    return lancer


class TestCommande:
    def test_import_reussi(self, importer):
        sortie, erreurs, code = importer(FICHIER_VALIDE)
        assert code == 0, erreurs
        assert sortie.strip() == "structures.csv : 3 créé(s), 0 modifié(s), 0 inchangé(s)."
        assert Siae.objects.count() == 3
        jardins = Siae.objects.get(siret=S1)
        assert (jardins.nom, jardins.type, jardins.departement, jardins.commune) == (
            "Jardins de Verdun", "ACI", "55", "Verdun",
        )  # fmt: skip
        assert Siae.objects.get(siret=S2).type == "ETTI"  # case of the kind does not matter
        assert Siae.objects.get(siret=S2).departement == "55"  # "055" is normalised
        assert Siae.objects.get(siret=S3).ensemblier is None
        ensemblier = Ensemblier.objects.get()
        assert set(ensemblier.siae.values_list("siret", flat=True)) == {S1, S2}

    def test_import_enregistre_dans_le_journal(self, importer):
        importer(FICHIER_VALIDE)
        journal = Import.objects.get()
        assert journal.statut == StatutImport.TERMINE
        assert (journal.nom_fichier, journal.auteur, journal.nb_crees, journal.nb_modifies) == (
            "structures.csv", None, 3, 0,
        )  # fmt: skip
        assert journal.date_fin is not None
        assert journal.departement == ""  # two départements in the file

    def test_reimport_idempotent(self, importer):
        importer(FICHIER_VALIDE)
        avant = list(Siae.objects.order_by("siret").values())
        sortie, _, code = importer(FICHIER_VALIDE)
        assert code == 0
        assert "0 créé(s), 0 modifié(s), 3 inchangé(s)" in sortie
        apres = list(Siae.objects.order_by("siret").values())
        assert apres == avant  # not even date_modification moved
        assert Ensemblier.objects.count() == 1

    def test_modification_detectee(self, importer):
        importer(FICHIER_VALIDE)
        modifie = FICHIER_VALIDE.replace("Jardins de Verdun;ACI;55100;Verdun", "Jardins de la Meuse;ACI;55100;Verdun")
        modifie = modifie.replace("Bar-le-Duc;055;Ensemblier du Barrois", "Bar-le-Duc;055;Nouvel ensemblier")
        sortie, _, code = importer(modifie)
        assert code == 0
        assert "0 créé(s), 2 modifié(s), 1 inchangé(s)" in sortie
        jardins = Siae.objects.get(siret=S1)
        assert (jardins.nom, jardins.type) == ("Jardins de la Meuse", "ACI")
        assert Siae.objects.get(siret=S2).ensemblier.nom == "Nouvel ensemblier"
        journal = Import.objects.latest("date")
        details = {ligne["ligne"]: ligne["details"] for ligne in journal.apercu}
        assert "nom : « Jardins de Verdun » → « Jardins de la Meuse »" in details[2]
        assert "ensemblier : « Ensemblier du Barrois » → « Nouvel ensemblier »" in details[3]

    def test_deux_types_pour_un_siret(self, importer):
        """One employer runs an AI and an EI under one SIRET (the ASP's key is its structure id and the kind): a
        line of a new kind creates that structure beside the other, and the preview says the SIRET is known."""
        importer(FICHIER_VALIDE)
        sortie, _, code = importer(csv(f"{S1};Jardins de Verdun EI;EI;55100;Verdun;55;Ensemblier du Barrois"))
        assert code == 0
        assert "1 créé(s), 0 modifié(s), 0 inchangé(s)" in sortie
        assert sorted(Siae.objects.filter(siret=S1).values_list("type", "nom")) == [
            ("ACI", "Jardins de Verdun"),
            ("EI", "Jardins de Verdun EI"),
        ]
        journal = Import.objects.latest("date")
        assert journal.apercu[0]["details"] == "ce SIRET est déjà celui d'une SIAE ACI"
        # Each line is then matched on (SIRET, type): both unchanged.
        sortie, _, code = importer(
            csv(
                f"{S1};Jardins de Verdun EI;EI;55100;Verdun;55;Ensemblier du Barrois",
                f"{S1};Jardins de Verdun;ACI;55100;Verdun;55;Ensemblier du Barrois",
            )
        )
        assert "0 créé(s), 0 modifié(s), 2 inchangé(s)" in sortie

    def test_siret_avec_espaces(self, importer):
        espace = f"{S1[:3]} {S1[3:6]} {S1[6:9]} {S1[9:]}"
        _, erreurs, code = importer(csv(f"{espace};Jardins;ACI;55100;Verdun;55;"))
        assert code == 0, erreurs
        assert Siae.objects.get().siret == S1

    def test_ensemblier_facultatif(self, importer):
        _, erreurs, code = importer(
            csv(f"{S1};Jardins;ACI;55100;Verdun;55", entete=ENTETE.removesuffix(";ensemblier"))
        )
        assert code == 0, erreurs
        assert Siae.objects.get().ensemblier is None

    def test_windows_1252_et_virgules(self, importer):
        contenu = csv(f"{S1},Régie œuvrée,ACI,55300,Saint-Mihiel,55,", entete=ENTETE.replace(";", ","))
        _, erreurs, code = importer(contenu, encodage="cp1252")
        assert code == 0, erreurs
        assert Siae.objects.get().nom == "Régie œuvrée"

    def test_xlsx(self, importer):
        classeur = openpyxl.Workbook()
        feuille = classeur.active
        feuille.append(ENTETE.split(";"))
        feuille.append([int(S1), "Jardins", "ACI", 55100, "Verdun", 55, None])
        feuille.append([S2, "Atelier", "AI", "55000", "Bar-le-Duc", "55", "Ensemblier"])
        tampon = io.BytesIO()
        classeur.save(tampon)
        sortie, erreurs, code = importer(tampon.getvalue(), nom="structures.xlsx")
        assert code == 0, erreurs
        assert "2 créé(s)" in sortie
        assert Siae.objects.get(siret=S1).code_postal == "55100"
        assert Siae.objects.get(siret=S1).departement == "55"

    def test_xlsx_code_postal_nombre(self, importer):
        """Excel turns 01000 typed in a cell into the number 1000: the leading zero comes back."""
        classeur = openpyxl.Workbook()
        feuille = classeur.active
        feuille.append(ENTETE.split(";"))
        feuille.append([S1, "Atelier de Bourg", "ACI", 1000, "Bourg-en-Bresse", 1, None])
        tampon = io.BytesIO()
        classeur.save(tampon)
        _, erreurs, code = importer(tampon.getvalue(), nom="ain.xlsx")
        assert code == 0, erreurs
        siae = Siae.objects.get()
        assert (siae.code_postal, siae.departement) == ("01000", "01")

    def test_csv_code_postal_court_refuse(self, importer):
        _, erreurs, code = importer(csv(f"{S1};Atelier;ACI;1000;Bourg-en-Bresse;01;"))
        assert code == 1
        assert "ligne 2, colonne code_postal : « 1000 » n'est pas un code postal (5 chiffres)" in erreurs

    @pytest.mark.parametrize(
        ("ligne_fausse", "colonne", "message"),
        [
            (f"{SIRET_FAUX};Fausse;ACI;55100;Verdun;55;", "siret", "SIRET invalide (clé de contrôle incorrecte)"),
            ("1234;Courte;ACI;55100;Verdun;55;", "siret", "le SIRET doit compter exactement 14 chiffres"),
            (f"{S3};Inconnue;SCOP;55100;Verdun;55;", "type", "« SCOP » n'est pas un type de SIAE"),
            (f"{S3};Ailleurs;ACI;55100;Verdun;99;", "departement", "« 99 » n'est pas un code de département"),
            (f"{S3};Sans CP;ACI;551;Verdun;55;", "code_postal", "« 551 » n'est pas un code postal"),
            (f"{S3};;ACI;55100;Verdun;55;", "nom", "le nom est obligatoire"),
            (f"{S1};Doublon;ACI;55100;Verdun;55;", "siret", "SIRET déjà présent ligne 2 pour le type ACI"),
        ],
    )
    def test_une_ligne_fausse_n_enregistre_rien(self, importer, ligne_fausse, colonne, message):
        existante = SiaeFactory(siret=S2, nom="Déjà là")
        fichier = csv(
            f"{S1};Jardins de Verdun;ACI;55100;Verdun;55;Ensemblier",
            f"{S2};Nouveau nom;AI;55000;Bar-le-Duc;55;",
            ligne_fausse,
        )
        sortie, erreurs, code = importer(fichier)
        assert code == 1
        assert sortie == ""
        assert f"ligne 4, colonne {colonne} : {message}" in erreurs
        assert "Fichier refusé : 1 erreur(s), rien n'a été enregistré." in erreurs
        assert Siae.objects.count() == 1
        existante.refresh_from_db()
        assert existante.nom == "Déjà là"
        assert not Ensemblier.objects.exists()
        assert Import.objects.get().statut == StatutImport.REFUSE

    def test_toutes_les_lignes_fausses_sont_listees(self, importer):
        fichier = csv(
            f"{S1};Bonne;ACI;55100;Verdun;55;",
            f"{SIRET_FAUX};Fausse;ACI;55100;Verdun;55;",
            "",
            f"{S3};Autre;XX;55100;Verdun;55;",
        )
        _, erreurs, code = importer(fichier)
        assert code == 1
        assert "ligne 3, colonne siret : SIRET invalide" in erreurs
        assert "ligne 5, colonne type :" in erreurs  # the blank line 4 still counts
        assert "2 erreur(s)" in erreurs
        assert not Siae.objects.exists()

    def test_colonne_absente(self, importer):
        _, erreurs, code = importer(
            csv(f"{S1};Jardins;55100;Verdun;55", entete="siret;nom;code_postal;commune;departement")
        )
        assert code == 1
        assert "ligne 1, colonne type : colonne absente de l'en-tête" in erreurs
        assert not Siae.objects.exists()

    def test_fichier_sans_donnees(self, importer):
        _, erreurs, code = importer(csv())
        assert code == 1
        assert "ligne 1, colonne siret : le fichier ne contient aucune ligne de données" in erreurs

    def test_fichier_illisible(self, importer):
        _, erreurs, code = importer(b"PK\x03\x04 abime", nom="abime.xlsx")
        assert code == 1
        assert "ligne 1, colonne - : le classeur XLSX ne peut pas être ouvert" in erreurs

    def test_fichier_introuvable(self, tmp_path):
        with pytest.raises(CommandError, match="fichier introuvable"):
            call_command("importer", "siae", str(tmp_path / "absent.csv"))

    def test_type_inconnu(self, tmp_path):
        with pytest.raises(CommandError, match="invalid choice"):
            call_command("importer", "licornes", str(tmp_path / "absent.csv"))


def televerser(client, contenu: str, nom="structures.csv"):
    fichier = SimpleUploadedFile(nom, contenu.encode(), content_type="text/csv")
    # The analysis is a task sent once the upload is committed: here, at the end of the request.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/imports/nouveau/", {"type": "siae", "fichier": fichier})


class TestTeleversement:
    def test_apercu_puis_confirmation(self, client_de, agent_55):
        existante = SiaeFactory(siret=S2, nom="Ancien nom", type="AI", commune="Bar-le-Duc", code_postal="55000")
        client = client_de(agent_55)
        fichier = csv(
            f"{S1};Jardins de Verdun;ACI;55100;Verdun;55;",
            f"{S2};Nouveau nom;AI;55000;Bar-le-Duc;55;",
        )
        reponse = televerser(client, fichier)
        journal = Import.objects.get()
        assert reponse.status_code == 302
        assert reponse["Location"] == f"/imports/{journal.pk}/"
        assert journal.statut == StatutImport.ANALYSE
        assert journal.auteur == agent_55
        assert journal.departement == "55"

        apercu = client.get(f"/imports/{journal.pk}/")
        assert apercu.status_code == 200
        page = apercu.content.decode()
        assert "Aperçu : rien n'est encore enregistré" in page
        assert f"Jardins de Verdun ({S1})" in page
        assert "nom : « Ancien nom » → « Nouveau nom »" in page
        assert "Confirmer l'import" in page
        # Nothing written yet.
        assert Siae.objects.count() == 1
        existante.refresh_from_db()
        assert existante.nom == "Ancien nom"

        confirmation = client.post(f"/imports/{journal.pk}/")
        assert confirmation.status_code == 302
        assert confirmation["Location"] == f"/imports/{journal.pk}/"
        journal.refresh_from_db()
        assert journal.statut == StatutImport.TERMINE
        assert (journal.nb_crees, journal.nb_modifies) == (1, 1)
        assert Siae.objects.count() == 2
        existante.refresh_from_db()
        assert existante.nom == "Nouveau nom"
        assert "Import enregistré" in client.get(f"/imports/{journal.pk}/").content.decode()

    def test_confirmer_deux_fois_n_ecrit_qu_une_fois(self, client_de, agent_55):
        client = client_de(agent_55)
        televerser(client, csv(f"{S1};Jardins;ACI;55100;Verdun;55;"))
        journal = Import.objects.get()
        assert client.post(f"/imports/{journal.pk}/").status_code == 302
        assert client.post(f"/imports/{journal.pk}/").status_code == 404  # no longer awaiting confirmation
        assert Siae.objects.count() == 1

    def test_ligne_d_un_autre_departement_refusee(self, client_de, agent_55):
        client = client_de(agent_55)
        reponse = televerser(
            client,
            csv(f"{S1};Jardins;ACI;55100;Verdun;55;", f"{S3};Recyclerie de Metz;EI;57000;Metz;57;"),
        )
        journal = Import.objects.get()
        assert reponse["Location"] == f"/imports/{journal.pk}/"
        assert journal.statut == StatutImport.REFUSE
        assert journal.erreurs == ["ligne 3, colonne departement : vous ne gérez pas le département 57 (Moselle)"]
        page = client.get(f"/imports/{journal.pk}/").content.decode()
        assert "Fichier refusé : rien n'a été enregistré" in page
        assert "ligne 3, colonne departement : vous ne gérez pas le département 57 (Moselle)" in page
        assert client.post(f"/imports/{journal.pk}/").status_code == 404  # a refused import cannot be confirmed
        assert not Siae.objects.exists()

    def test_siae_existante_d_un_autre_departement_refusee(self, client_de, agent_55):
        SiaeFactory(siret=S3, moselle=True)
        televerser(client_de(agent_55), csv(f"{S3};Reprise;ACI;55100;Verdun;55;"))
        journal = Import.objects.get()
        assert journal.statut == StatutImport.REFUSE
        assert journal.erreurs == ["ligne 2, colonne siret : cette SIAE relève du département 57"]
        assert Siae.objects.get(siret=S3).departement == "57"

    def test_ligne_fausse_au_televersement(self, client_de, agent_55):
        televerser(client_de(agent_55), csv(f"{SIRET_FAUX};Fausse;ACI;55100;Verdun;55;"))
        journal = Import.objects.get()
        assert journal.statut == StatutImport.REFUSE
        assert journal.erreurs == ["ligne 2, colonne siret : SIRET invalide (clé de contrôle incorrecte)"]

    def test_mauvaise_extension(self, client_de, agent_55):
        reponse = televerser(client_de(agent_55), csv(), nom="structures.pdf")
        assert reponse.status_code == 200
        assert "Le fichier doit être un CSV ou un XLSX." in reponse.content.decode()
        assert not Import.objects.exists()

    def test_journal_des_imports(self, client_de, agent_55, agent_57, importer):
        televerser(client_de(agent_55), csv(f"{S1};Jardins;ACI;55100;Verdun;55;"), nom="depot-agent.csv")
        importer(csv(f"{S2};Atelier;AI;55000;Bar-le-Duc;55;"), nom="ligne-de-commande.csv")
        importer(csv(f"{S3};Recyclerie;EI;57000;Metz;57;"), nom="moselle.csv")
        page = client_de(agent_55).get("/imports/").content.decode()
        assert "depot-agent.csv" in page
        assert "ligne-de-commande.csv" in page  # the command line's import of the agent's département
        assert "moselle.csv" not in page
        page_57 = client_de(agent_57).get("/imports/").content.decode()
        assert "moselle.csv" in page_57
        assert "depot-agent.csv" not in page_57

    def test_import_d_un_autre_departement_introuvable(self, client_de, agent_55, agent_57):
        televerser(client_de(agent_55), csv(f"{S1};Jardins;ACI;55100;Verdun;55;"))
        journal = Import.objects.get()
        assert client_de(agent_57).get(f"/imports/{journal.pk}/").status_code == 404
        assert client_de(agent_57).post(f"/imports/{journal.pk}/").status_code == 404
        assert journal.__class__.objects.get().statut == StatutImport.ANALYSE
        assert not Siae.objects.exists()
