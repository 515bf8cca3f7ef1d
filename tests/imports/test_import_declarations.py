"""A declarations file over a month already transmitted from the grid (the sequence of the report): the preview
says in French which transmitted month it replaces and which exit it would remove, the import needs the box
ticked, and then opens a version 2, the version 1 kept as it was, the exit kept unless the file removes it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from declarations.models import DeclarationMensuelle, EtatDeclaration
from imports.models import Import, StatutImport
from imports.services import analyser_fichier
from tests.declarations.test_versions import etat_de, novembre_2026  # noqa: F401 (fixture)
from tests.declarations.test_vues import donnees_grille
from tests.factories import DeclarationFactory, LigneDeclarationFactory

pytestmark = pytest.mark.django_db

REMPLACEMENT = "la déclaration de novembre 2026, transmise le 21/11/2026, sera remplacée par une version 2"
SUPPRESSION = "la sortie du 20/11/2026 de Léa Martin serait supprimée"


def fichier(novembre, lea_sortie=None) -> bytes:
    """November's file: Paul Bernard unchanged, Léa Martin from 151,67 h to 100,5 h. `lea_sortie`: the file has the
    exit columns, with these values for Léa (("", "") to leave them empty)."""
    siret, numero = novembre.annexe.siae.siret, novembre.annexe.numero
    paul, lea = novembre.paul.pass_iae.numero, novembre.lea.pass_iae.numero
    if lea_sortie is None:
        return (
            "siret;numero_annexe;mois;numero_pass;heures_travaillees\n"
            f"{siret};{numero};2026-11;{paul};100,50\n"
            f"{siret};{numero};2026-11;{lea};100,5\n"
        ).encode()
    return (
        "siret;numero_annexe;mois;numero_pass;heures_travaillees;date_sortie;motif_sortie\n"
        f"{siret};{numero};2026-11;{paul};100,50;;\n"
        f"{siret};{numero};2026-11;{lea};100,5;{lea_sortie[0]};{lea_sortie[1]}\n"
    ).encode()


def deposer(novembre, contenu: bytes, nom="novembre.csv") -> Import:
    # The analysis is a task sent once the upload is committed: here, at the end of the request.
    with TestCase.captureOnCommitCallbacks(execute=True):
        reponse = novembre.client.post(
            "/imports/nouveau/", {"type": "declarations", "fichier": SimpleUploadedFile(nom, contenu)}
        )
    assert reponse.status_code == 302
    return Import.objects.get(pk=reponse.url.rstrip("/").rsplit("/", 1)[1])


def versions(novembre) -> list[DeclarationMensuelle]:
    return list(DeclarationMensuelle.objects.filter(annexe=novembre.annexe).order_by("version"))


def test_un_fichier_sans_colonnes_de_sortie(novembre_2026, personnel_a):  # noqa: F811
    v1 = novembre_2026.declaration
    avant = etat_de(v1)
    journal = deposer(novembre_2026, fichier(novembre_2026))

    # The preview: the transmitted month it replaces, the hours in French; the file says nothing of the exit.
    apercu = novembre_2026.client.get(f"/imports/{journal.pk}/").content.decode()
    assert REMPLACEMENT in apercu
    assert "151,67 h → 100,50 h" in apercu and "151.67" not in apercu
    assert "serait supprimée" not in apercu
    assert (journal.statut, journal.nb_modifies, journal.nb_inchanges) == (StatutImport.ANALYSE, 1, 1)

    # « Confirmer » alone does not do: the box must be ticked.
    refus = novembre_2026.client.post(f"/imports/{journal.pk}/")
    assert refus.status_code == 200 and refus.context["confirmation"].errors["avertissements_lus"]
    journal.refresh_from_db()
    assert journal.statut == StatutImport.ANALYSE and len(versions(novembre_2026)) == 1

    page = novembre_2026.client.post(f"/imports/{journal.pk}/", {"avertissements_lus": "on"}, follow=True)
    journal.refresh_from_db()
    assert (journal.statut, journal.confirme_par) == (StatutImport.TERMINE, personnel_a)
    assert journal.date_confirmation is not None
    # The journal keeps who confirmed what.
    texte = page.content.decode()
    assert "Import enregistré" in texte and f"par {personnel_a}, après ces avertissements" in texte
    assert REMPLACEMENT in texte

    premiere, seconde = versions(novembre_2026)
    assert premiere.pk == v1.pk and etat_de(v1) == avant and not v1.retenue
    assert (seconde.version, seconde.etat, seconde.retenue) == (2, EtatDeclaration.TRANSMISE, True)
    assert (seconde.creee_par, seconde.transmise_par) == (personnel_a, personnel_a)
    assert seconde.motif_version == f"Import du fichier « novembre.csv » (import n° {journal.pk})"
    assert seconde.date_creation > v1.date_transmission and seconde.date_transmission > v1.date_transmission
    ligne_lea = seconde.lignes.get(parcours=novembre_2026.lea)
    # The exit typed in the grid is still there, on the new version and on the parcours.
    assert (ligne_lea.heures_travaillees, ligne_lea.date_sortie, ligne_lea.motif_sortie.code) == (
        Decimal("100.50"),
        dt.date(2026, 11, 20),
        "CDI",
    )
    novembre_2026.lea.refresh_from_db()
    assert novembre_2026.lea.date_sortie == dt.date(2026, 11, 20)


def test_une_sortie_retiree_par_le_fichier_est_annoncee_et_confirmee(novembre_2026, personnel_a):  # noqa: F811
    v1 = novembre_2026.declaration
    avant = etat_de(v1)
    journal = deposer(novembre_2026, fichier(novembre_2026, lea_sortie=("", "")))
    apercu = novembre_2026.client.get(f"/imports/{journal.pk}/").content.decode()
    assert REMPLACEMENT in apercu and SUPPRESSION in apercu
    assert "151,67 h → 100,50 h ; sortie : 20/11/2026 – Embauche en CDI (hors SIAE) → aucune" in apercu

    novembre_2026.client.post(f"/imports/{journal.pk}/", {"avertissements_lus": "on"})
    journal.refresh_from_db()
    assert journal.statut == StatutImport.TERMINE
    _, seconde = versions(novembre_2026)
    assert seconde.lignes.get(parcours=novembre_2026.lea).date_sortie is None
    novembre_2026.lea.refresh_from_db()
    assert novembre_2026.lea.date_sortie is None
    # Removed from the new version only: the transmitted one still declares it.
    assert etat_de(v1) == avant and v1.lignes.get(parcours=novembre_2026.lea).date_sortie == dt.date(2026, 11, 20)


def test_une_sortie_changee_par_le_fichier_est_montree(novembre_2026):  # noqa: F811
    journal = deposer(novembre_2026, fichier(novembre_2026, lea_sortie=("25/11/2026", "CDI")))
    assert "serait supprimée" not in " ".join(journal.avertissements)
    details = {c["ligne"]: c["details"] for c in journal.apercu}
    assert details[3] == "151,67 h → 100,50 h ; sortie : 20/11/2026 – Embauche en CDI (hors SIAE) → 25/11/2026 – " + (
        "Embauche en CDI (hors SIAE)"
    )


def test_un_changement_survenu_apres_l_apercu_n_est_pas_confirme(novembre_2026):  # noqa: F811
    journal = deposer(novembre_2026, fichier(novembre_2026))
    # Meanwhile, the grid opens a version 2: the file would now replace it by a version 3, which nobody confirmed.
    lignes = [(novembre_2026.paul, "99", "", ""), (novembre_2026.lea, "151,67", "2026-11-20", "CDI")]
    novembre_2026.client.post(novembre_2026.url, donnees_grille(lignes, motif_version="Heures de Paul"))
    novembre_2026.client.post(f"/imports/{journal.pk}/", {"avertissements_lus": "on"})
    journal.refresh_from_db()
    assert journal.statut == StatutImport.REFUSE
    assert any("sera remplacée par une version 3" in e and "n'était pas dans l'aperçu" in e for e in journal.erreurs)
    assert len(versions(novembre_2026)) == 2


def test_reimporter_le_meme_fichier_ne_demande_rien(novembre_2026):  # noqa: F811
    journal = deposer(novembre_2026, fichier(novembre_2026))
    novembre_2026.client.post(f"/imports/{journal.pk}/", {"avertissements_lus": "on"})
    encore = deposer(novembre_2026, fichier(novembre_2026), nom="encore.csv")
    assert (encore.avertissements, encore.nb_modifies, encore.nb_inchanges) == ([], 0, 2)
    assert "avertissements_lus" not in novembre_2026.client.get(f"/imports/{encore.pk}/").content.decode()
    novembre_2026.client.post(f"/imports/{encore.pk}/")
    encore.refresh_from_db()
    assert encore.statut == StatutImport.TERMINE and len(versions(novembre_2026)) == 2


def test_la_ligne_de_commande_affiche_les_avertissements(novembre_2026, tmp_path, capsys):  # noqa: F811
    chemin = tmp_path / "novembre.csv"
    chemin.write_bytes(fichier(novembre_2026, lea_sortie=("", "")))
    call_command("importer", "declarations", str(chemin))
    sortie = capsys.readouterr().out
    assert f"Avertissement : Annexe {novembre_2026.annexe.numero} : {REMPLACEMENT}." in sortie
    assert f"Avertissement : Ligne 3 : {SUPPRESSION}" in sortie
    journal = Import.objects.get(nom_fichier="novembre.csv")
    assert journal.statut == StatutImport.TERMINE and journal.date_confirmation is not None
    assert [v.version for v in versions(novembre_2026)] == [1, 2]


def test_l_apercu_lit_les_versions_en_un_nombre_constant_de_requetes(novembre_2026, personnel_a):  # noqa: F811
    annexe, paul = novembre_2026.annexe, novembre_2026.paul

    def lignes_de(mois: list[int]) -> bytes:
        entete = "siret;numero_annexe;mois;numero_pass;heures_travaillees\n"
        return (
            entete
            + "".join(f"{annexe.siae.siret};{annexe.numero};2026-{m:02d};{paul.pass_iae.numero};80\n" for m in mois)
        ).encode()

    def requetes(contenu: bytes) -> int:
        with CaptureQueriesContext(connection) as capture:
            analyse = analyser_fichier("declarations", "f.csv", contenu, personnel_a)
        assert analyse.valide and analyse.avertissements
        return len(capture)

    for mois in range(5, 11):
        declaration = DeclarationFactory(annexe=annexe, mois=dt.date(2026, mois, 1))
        LigneDeclarationFactory(declaration=declaration, parcours=paul)
    requetes(lignes_de([10]))  # the user's scope, read once and kept on the user
    assert requetes(lignes_de([10])) == requetes(lignes_de([5, 6, 7, 8, 9, 10]))
