"""The trail of changes (docs/decisions.md, « L'historique des changements »): who changed what, when, from which
value to which, on every path that writes; one entry for a whole import; append-only; scoped to the DDETS of the
département; exported in French formats."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from base.historique import TraceImmuable, auteur_des_changements
from conventions.importation import ImportAnnexes
from conventions.services import ajouter_avenant
from historique import queries
from imports.models import TraceImport
from imports.services import executer_import, preparer_import
from tests.base.lecture_exports import feuilles_xlsx, lignes_csv, rangs_xlsx
from tests.factories import AnnexeFinanciereFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db

ANNEE = timezone.localdate().year


def entrees(departement="55", cle=None):
    return queries.detailler(list(queries.entrees(departement, ANNEE, cle)))


def etp_de(entree) -> tuple | None:
    return next(((c.avant, c.apres) for c in entree.changements if c.champ == "ETP conventionnés"), None)


@pytest.fixture
def annexe(siae_a):
    return AnnexeFinanciereFactory(siae=siae_a, annee=2024, etp_conventionnes=Decimal("10"))


@pytest.fixture
def agents_55():
    return (
        UtilisateurFactory(email="import@ddets55.test", first_name="Inès", last_name="Import", agent_ddets="55"),
        UtilisateurFactory(email="service@ddets55.test", first_name="Sacha", last_name="Service", agent_ddets="55"),
    )


def importer_les_annexes(annexe, auteur, lignes: list[str]):
    entete = ";".join(ImportAnnexes.colonnes)
    contenu = "\n".join([entete, *lignes]).encode()
    journal = preparer_import("annexes", "annexes.csv", contenu, auteur)
    assert journal.statut == "ANALYSE", journal.erreurs
    return executer_import(journal)


def test_les_etp_changes_par_le_formulaire_l_import_et_le_service_ont_chacun_leur_auteur(
    client_de, agent_55, agents_55, annexe, siae_a
):
    """The API of the annexes is read-only (/api/v1/annexes/): the paths that write their ETP are the avenant's
    form, the import of annexes, and the avenant service that a task or a command calls."""
    auteur_import, auteur_service = agents_55
    # 1. The form of an avenant, in a web request: the author is the request's user.
    reponse = client_de(agent_55).post(
        f"/annexes/{annexe.pk}/avenant/", {"mois_effet": "2024-09", "etp_conventionnes": "12", "motif": "Extension"}
    )
    assert reponse.status_code == 302
    # 2. A file of annexes, run by the generic import runner as its task does: one entry, its journal's author.
    journal = importer_les_annexes(
        annexe, auteur_import, [f"{annexe.prefixe}A2M0;{siae_a.siret};ACI;2024-10-01;2024-12-31;14;;0;0;VALIDE;;;"]
    )
    assert journal.statut == "TERMINE", journal.erreurs
    # 3. The avenant service, outside any request: its `auteur` is the versions' author.
    ajouter_avenant(annexe, mois_effet=dt.date(2024, 11, 1), etp_conventionnes=Decimal("8"), auteur=auteur_service)
    annexe.refresh_from_db()
    assert annexe.etp_conventionnes == Decimal("8")

    trace = entrees()
    changements_d_etp = [
        (e.auteur, etp_de(e)) for e in trace if e.type_objet == "Annexe financière" and e.nature == "~" and etp_de(e)
    ]
    assert changements_d_etp == [
        # What the service replaced is what the import wrote (14), though the import left no version per row.
        ("Sacha Service", ("14,00", "8,00")),
        ("Claire Test", ("10,00", "12,00")),
    ]
    imports = [e for e in trace if e.nature == "i"]
    assert [(e.auteur, e.objet, e.lien) for e in imports] == [
        (
            "Inès Import",
            "Annexes financières, annexes.csv : 1 création, 0 modification, 0 inchangée",
            f"/imports/{journal.pk}/",
        )
    ]
    assert TraceImport.objects.get().journal == journal
    # The avenants themselves, with their authors.
    avenants = [(e.auteur, e.objet) for e in trace if e.type_objet == "Avenant" and e.nature == "+"]
    assert ("Claire Test", f"{annexe.prefixe}A1M0") in avenants
    assert ("Sacha Service", f"{annexe.prefixe}A3M0") in avenants


def test_une_page_par_departement_a_sa_ddets_seulement(client_de, agent_55, agent_57, membre_cdiae_55, personnel_a):
    annexe = AnnexeFinanciereFactory(siae=personnel_a.adhesions.get().organisation.siae, annee=2024)
    with auteur_des_changements(agent_55):
        ajouter_avenant(annexe, mois_effet=dt.date(2024, 6, 1), etp_conventionnes=Decimal("3"), auteur=agent_55)
    page = client_de(agent_55).get("/historique/55/")
    assert page.status_code == 200
    assert annexe.prefixe in page.content.decode()
    assert client_de(agent_55).get("/historique/").url == "/historique/55/"
    for intrus in (agent_57, membre_cdiae_55, personnel_a):
        assert client_de(intrus).get("/historique/55/").status_code == 404
        assert client_de(intrus).get("/historique/55/export/?format=csv").status_code == 404
    # Agent of the Moselle: the Meuse's changes are not in their trail either.
    assert not [e for e in entrees("57") if annexe.prefixe in e.objet]


def test_l_historique_ne_se_modifie_ni_par_la_page_ni_par_l_administration(client_de, agent_55, admin, annexe):
    version = annexe.historique.first()
    for methode in ("post", "put", "delete"):
        assert getattr(client_de(agent_55), methode)("/historique/55/").status_code == 405
    with pytest.raises(TraceImmuable):
        version.save()
    with pytest.raises(TraceImmuable):
        version.delete()
    with pytest.raises(TraceImmuable):
        annexe.historique.all().update(etp_conventionnes=0)
    with pytest.raises(TraceImmuable):
        type(version).objects.all().delete()
    # The administration shows the entries of the imports, never changes nor deletes them; the versions of the
    # models have no page of their own there.
    client = client_de(admin)
    assert client.get("/admin/imports/traceimport/").status_code == 200
    assert client.get("/admin/imports/traceimport/add/").status_code == 403
    modele = type(version)._meta
    assert client.get(f"/admin/{modele.app_label}/{modele.model_name}/").status_code == 404
    assert annexe.historique.count() == 1


def test_l_export_en_csv_et_xlsx_aux_formats_francais(client_de, agent_55, annexe):
    ajouter_avenant(
        annexe, mois_effet=dt.date(2024, 9, 1), etp_conventionnes=Decimal("1234.5"), motif="=1+1", auteur=agent_55
    )
    client = client_de(agent_55)
    reponse = client.get(f"/historique/55/export/?annee={ANNEE}&format=csv")
    assert reponse["Content-Disposition"] == f'attachment; filename="historique-55-{ANNEE}.csv"'
    lignes = lignes_csv(reponse.content)
    assert list(lignes[0]) == ["Date", "Auteur", "Nature", "Type d'objet", "Objet", "Champ", "Avant", "Après", "Motif"]
    etp = next(
        ligne
        for ligne in lignes
        if ligne["Type d'objet"] == "Annexe financière"
        and ligne["Champ"] == "ETP conventionnés"
        and ligne["Nature"] == "Modification"
    )
    assert (etp["Avant"], etp["Après"], etp["Auteur"]) == ("10,00", "1\u202f234,50", "Claire Test")
    assert dt.datetime.strptime(etp["Date"], "%d/%m/%Y %H:%M:%S").year == ANNEE
    motif = next(ligne for ligne in lignes if ligne["Champ"] == "Motif")
    assert motif["Après"] == "'=1+1"  # a text typed by someone never reaches a spreadsheet as a formula
    feuille = feuilles_xlsx(client.get("/historique/55/export/?format=xlsx").content)["Historique"]
    assert feuille["A1"].value == f"Historique — Année : {ANNEE} ; Département : 55 – Meuse"
    assert all(cellule.data_type != "f" for ligne in feuille.iter_rows() for cellule in ligne)
    rang = rangs_xlsx(feuille)[0]
    # The date a date and time a spreadsheet sorts; the text typed as "=1+1" a quoted text cell.
    assert isinstance(rang["Date"].value, dt.datetime) and rang["Date"].number_format == "dd/mm/yyyy hh:mm:ss"
    piege = next(r["Après"] for r in rangs_xlsx(feuille) if r["Champ"].value == "Motif")
    assert (piege.value, piege.data_type, piege.quotePrefix) == ("=1+1", "s", True)
    # One kind of object only, said in the title row.
    seule = client.get("/historique/55/export/?format=csv&objet=conventions.avenant").content
    assert {ligne["Type d'objet"] for ligne in lignes_csv(seule)} == {"Avenant"}
    classeur = client.get("/historique/55/export/?format=xlsx&objet=conventions.avenant").content
    assert "Objet : Avenant" in feuilles_xlsx(classeur)["Historique"]["A1"].value


def test_la_page_lit_un_nombre_constant_de_requetes(client_de, agent_55, siae_a, django_assert_max_num_queries):
    def page():
        client = client_de(agent_55)
        with django_assert_max_num_queries(60):
            assert client.get("/historique/55/").status_code == 200

    for rang in range(3):
        AnnexeFinanciereFactory(siae=siae_a, annee=2024 + rang)
    page()
    for rang in range(3, 20):
        AnnexeFinanciereFactory(siae=siae_a, annee=2004 + rang)
    page()


@pytest.mark.parametrize("departement", ["55%00", "999", "%2e%2e"])
def test_un_departement_inconnu_repond_404_meme_a_un_administrateur(client_de, admin, departement):
    """An administrator manages every département, not codes that name none: a NUL byte reached PostgreSQL (500)."""
    assert client_de(admin).get(f"/historique/{departement}/").status_code == 404
    assert client_de(admin).get(f"/historique/{departement}/export/?format=csv").status_code == 404
