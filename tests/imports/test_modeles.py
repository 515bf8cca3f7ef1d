"""The templates of each import of a table of rows, and the codes listed on the upload page: written from the
importers themselves, so that a template read back by the import lacks no column."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from imports.modeles import modele_csv, modele_xlsx
from imports.registre import importeur_pour
from imports.services import analyser_fichier
from parcours.regles import erreurs_ligne_declaration, message_motif_inconnu

pytestmark = pytest.mark.django_db

TABLEAUX = ("siae", "annexes", "parcours", "declarations", "versements")


@pytest.mark.parametrize("type_", TABLEAUX)
def test_le_modele_csv_a_les_colonnes_de_l_importeur(type_):
    contenu = modele_csv(type_)
    assert contenu.startswith("\ufeff".encode())  # the BOM: accents read right by a spreadsheet
    entete = contenu.decode("utf-8-sig").strip()
    assert entete.split(";") == importeur_pour(type_).colonnes_du_modele()
    # Read back by the import, it lacks no column: only its data is missing.
    analyse = analyser_fichier(type_, "modele.csv", contenu)
    assert [e.message for e in analyse.erreurs] == ["le fichier ne contient aucune ligne de données"]


@pytest.mark.parametrize("type_", TABLEAUX)
def test_le_modele_xlsx_se_relit(type_):
    contenu = modele_xlsx(type_)
    classeur = openpyxl.load_workbook(io.BytesIO(contenu))
    assert [c.value for c in classeur.worksheets[0][1]] == importeur_pour(type_).colonnes_du_modele()
    analyse = analyser_fichier(type_, "modele.xlsx", contenu)
    assert [e.message for e in analyse.erreurs] == ["le fichier ne contient aucune ligne de données"]


def test_le_modele_xlsx_des_parcours_donne_les_codes():
    classeur = openpyxl.load_workbook(io.BytesIO(modele_xlsx("parcours")))
    codes = {(colonne, code) for colonne, code, _ in classeur["Codes valides"].iter_rows(min_row=2, values_only=True)}
    assert ("type_contrat", "CDDI") in codes
    assert ("niveau_formation", "BAC_PLUS_2") in codes


def test_le_modele_xlsx_des_declarations_donne_les_motifs_de_sortie():
    classeur = openpyxl.load_workbook(io.BytesIO(modele_xlsx("declarations")))
    codes = {(colonne, code) for colonne, code, _ in classeur["Codes valides"].iter_rows(min_row=2, values_only=True)}
    assert ("motif_sortie", "CDI") in codes


def test_les_modeles_se_telechargent_selon_le_role(client_de, agent_55, personnel_a, membre_cdiae_55):
    agent, structure, cdiae = client_de(agent_55), client_de(personnel_a), client_de(membre_cdiae_55)
    reponse = agent.get("/imports/modele/siae.csv")
    assert reponse.status_code == 200
    assert reponse["Content-Disposition"] == 'attachment; filename="modele-import-siae.csv"'
    assert agent.get("/imports/modele/annexes.xlsx").status_code == 200
    assert structure.get("/imports/modele/parcours.xlsx").status_code == 200
    # The registry and the annexes are the DDETS's; the fluxIAE is the ASP's archive; the CDIAE imports nothing.
    assert structure.get("/imports/modele/siae.csv").status_code == 404
    assert agent.get("/imports/modele/fluxiae.csv").status_code == 404
    assert agent.get("/imports/modele/inconnu.csv").status_code == 404
    assert cdiae.get("/imports/modele/parcours.csv").status_code == 404


def test_la_page_d_import_liste_les_modeles_et_les_codes(client_de, personnel_a):
    page = client_de(personnel_a).get("/imports/nouveau/").content.decode()
    assert 'href="/imports/modele/parcours.csv"' in page
    assert 'href="/imports/modele/declarations.xlsx"' in page
    assert "/imports/modele/siae.csv" not in page
    assert "<code>CDDI</code> – CDD d&#x27;insertion" in page
    assert "<code>BAC_PLUS_2</code>" in page
    assert "<code>CDI</code> – Embauche en CDI (hors SIAE)" in page


def test_un_motif_de_sortie_inconnu_dit_les_codes_valides():
    erreurs = erreurs_ligne_declaration(
        mois=dt.date(2026, 3, 1),
        heures=Decimal(100),
        contrat_couvre_le_mois=True,
        pass_debut=dt.date(2025, 1, 1),
        pass_fin=dt.date(2026, 12, 31),
        date_embauche=dt.date(2025, 1, 1),
        date_sortie=dt.date(2026, 3, 20),
        motif_sortie_connu=False,
        motif_sortie_donne=True,
        motifs_valides={"CDI": None, "CDD_6M_PLUS": None},
    )
    assert erreurs == [("motif_sortie", "motif de sortie inconnu (codes valides : CDD_6M_PLUS, CDI)")]
    assert message_motif_inconnu(()) == "motif de sortie inconnu"
