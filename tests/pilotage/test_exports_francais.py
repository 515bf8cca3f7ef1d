"""Every download of the cockpit and of the list and indicator pages, read back as a French spreadsheet opens it
(issue 14): the CSV with its BOM, ";", French labels and decimal commas; the XLSX with its title row naming the
filters, the header frozen below it, widths set, numbers as numbers with their formats (amounts in €, rates as
fractions in %, months as dates)."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from conventions.models import AnnexeFinanciere
from conventions.services import ajouter_avenant
from pilotage.cockpit import TABLEAUX
from tests.base.formules import PIEGE, verifier_csv, verifier_xlsx
from tests.base.lecture_exports import (
    FORMAT_MOIS,
    FORMAT_MONTANT,
    FORMAT_TAUX,
    feuilles_xlsx,
    lignes_csv,
    rangs_xlsx,
)
from tests.pilotage import test_cockpit

pytestmark = pytest.mark.django_db

# The département built by hand for the cockpit: two structures of the 55, hires, exits, declarations, financing.
departement = test_cockpit.departement


@pytest.fixture
def donnees(departement, agent_55):
    """The cockpit's département, with a co-financing by the Département and an avenant (a line of history)."""
    annexe = departement["a"]
    AnnexeFinanciere.objects.filter(pk=annexe.pk).update(montant_cofinance_cd=Decimal(24000))
    annexe.refresh_from_db()
    ajouter_avenant(annexe, mois_effet=dt.date(2024, 9, 1), etp_conventionnes=Decimal(2), auteur=agent_55)
    return departement


ETP = "#,##0.00"
ENTIER = "#,##0"
# The formats a number of an export may have; "General" never (a bare number, read as it comes).
FORMATS_DE_NOMBRES = {ETP, ENTIER, FORMAT_MONTANT, FORMAT_TAUX, "0"}
FORMATS_DE_DATES = {FORMAT_MOIS, "dd/mm/yyyy", "dd/mm/yyyy hh:mm:ss"}

# (name, URL with its query string without the format, the parameter of the format, formats the XLSX must use,
# a text of the title row). Every table of the cockpit, then every list and indicator page.
COCKPIT = "/pilotage/?annee=2024&departement=55"
FORMATS_DU_COCKPIT = {
    "chiffres": {ETP, FORMAT_TAUX, FORMAT_MONTANT, ENTIER},
    "consommation": {ETP, FORMAT_TAUX},
    "mensuel": {FORMAT_MOIS, ETP},
    "structures": {ETP, FORMAT_TAUX},
    "sorties": {ENTIER, FORMAT_TAUX, "0"},
    "publics": {ENTIER, FORMAT_TAUX},
    "aides": {FORMAT_MONTANT},
    "financeurs": {FORMAT_MONTANT, ENTIER},
    "declarations": {FORMAT_MOIS, ENTIER},
    "retards": {FORMAT_MOIS},
}
EXPORTS = [
    *(
        (f"cockpit {bloc}", f"{COCKPIT}&bloc={bloc}", "export", formats, TABLEAUX[bloc])
        for bloc, formats in FORMATS_DU_COCKPIT.items()
    ),
    ("pages", "/consommation/?annee=2024", "export", {ETP, FORMAT_TAUX}, "Consommation par structure"),
    ("sorties", "/sorties/?annee=2024", "export", {ENTIER, FORMAT_TAUX, "0"}, "Sorties par structure"),
    ("publics", "/publics/?annee=2024", "export", {ENTIER, FORMAT_TAUX}, "Publics par structure"),
    ("structures", "/siae/?type=ACI", "export", set(), "Structures"),
    ("salariés", "/salaries/?siae=SIAE_A", "export", {"dd/mm/yyyy"}, "Salariés en parcours"),
    ("aides au poste", "/aides-au-poste/?annee=2024", "export", {FORMAT_MONTANT}, "Aides au poste"),
    ("cofinancement", "/aides-au-poste/cofinancement/?annee=2024", "export", {FORMAT_MOIS}, "Cofinancement"),
    ("financements", "/financements/departement/2024/?departement=55", "export", {FORMAT_MONTANT}, "Département"),
    ("modulation", "/modulation/export/?annee=2024", "format", {FORMAT_TAUX, FORMAT_MONTANT}, "Modulation"),
    ("historique", "/historique/55/export/?objet=", "format", {"dd/mm/yyyy hh:mm:ss"}, "Historique"),
]
NOMBRE_AVEC_UN_POINT = re.compile(r"^-?\d+\.\d+$")


def _url(url: str, parametre: str, format_: str, siae_a) -> str:
    return f"{url.replace('SIAE_A', str(siae_a.pk))}&{parametre}={format_}"


@pytest.mark.parametrize("nom,url,parametre,formats,titre", EXPORTS, ids=[e[0] for e in EXPORTS])
def test_le_csv_s_ouvre_dans_un_tableur_francais(
    client_de, agent_55, donnees, siae_a, nom, url, parametre, formats, titre
):
    reponse = client_de(agent_55).get(_url(url, parametre, "csv", siae_a))
    assert reponse.status_code == 200, nom
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    lignes = lignes_csv(reponse.content)  # BOM, ";" and French headers
    assert lignes, nom
    cellules = [c for ligne in lignes for c in ligne.values() if c]
    # Decimal commas: no figure with a point, which a French spreadsheet would read as text.
    assert not [c for c in cellules if NOMBRE_AVEC_UN_POINT.match(c)], nom
    if formats & {ETP, FORMAT_TAUX, FORMAT_MONTANT}:
        assert [c for c in cellules if re.fullmatch(r"-?\d+,\d+", c)], nom


@pytest.mark.parametrize("nom,url,parametre,formats,titre", EXPORTS, ids=[e[0] for e in EXPORTS])
def test_le_xlsx_est_type_et_mis_en_page(client_de, agent_55, donnees, siae_a, nom, url, parametre, formats, titre):
    reponse = client_de(agent_55).get(_url(url, parametre, "xlsx", siae_a))
    assert reponse.status_code == 200, nom
    feuilles = feuilles_xlsx(reponse.content)  # title row, frozen header, widths, French headers
    assert any(titre in f["A1"].value for f in feuilles.values()), (nom, [f["A1"].value for f in feuilles.values()])
    utilises = set()
    for feuille in feuilles.values():
        assert feuille.auto_filter.ref.startswith("A2:")
        for rang in rangs_xlsx(feuille):
            for cellule in rang.values():
                if cellule.value is None:
                    continue
                if cellule.data_type == "n":
                    assert cellule.number_format in FORMATS_DE_NOMBRES, (nom, cellule.coordinate)
                    utilises.add(cellule.number_format)
                elif cellule.data_type == "d":
                    assert cellule.number_format in FORMATS_DE_DATES, (nom, cellule.coordinate)
                    utilises.add(cellule.number_format)
                else:
                    # A text never looks like a number a spreadsheet would have added up.
                    assert not NOMBRE_AVEC_UN_POINT.match(str(cellule.value)), (nom, cellule.coordinate)
    assert formats <= utilises, (nom, formats - utilises)


def test_le_titre_dit_les_filtres(client_de, agent_55, departement):
    reponse = client_de(agent_55).get(f"{COCKPIT}&type=ACI&bloc=consommation&export=xlsx")
    (feuille,) = feuilles_xlsx(reponse.content).values()
    assert feuille["A1"].value == "Consommation par type — Année : 2024 ; Département : 55 – Meuse ; Type : ACI"
    reponse = client_de(agent_55).get("/siae/?type=ACI&regie_de_quartier=false&export=xlsx")
    (feuille,) = feuilles_xlsx(reponse.content).values()
    assert feuille["A1"].value == "Structures — Type : Atelier et chantier d'insertion ; Régie de quartier : Non"


def test_tout_le_cockpit_en_un_classeur(client_de, agent_55, departement):
    feuilles = feuilles_xlsx(client_de(agent_55).get(f"{COCKPIT}&export=xlsx").content)
    assert list(feuilles) == list(TABLEAUX.values())
    chiffres = {r["Indicateur"].value: r["Valeur"] for r in rangs_xlsx(feuilles["Chiffres clés"])}
    assert (chiffres["Taux de consommation"].value, chiffres["Taux de consommation"].number_format) == (
        pytest.approx(0.967),
        FORMAT_TAUX,
    )
    assert chiffres["Aides au poste conventionnées"].number_format == FORMAT_MONTANT
    assert chiffres["Structures conventionnées"].value == 2


def test_les_listes_exportent_toutes_leurs_pages_et_rien_d_autre(client_de, agent_55, departement, siae_a):
    """The list of structures and of salariés: every row the filters keep (not the page's 25 or 50), only those
    the user sees, and nothing the page does not show (no NIR, no date of birth)."""
    structures = lignes_csv(client_de(agent_55).get("/siae/?export=csv").content)
    assert {s["Département"] for s in structures} == {"55"}
    assert list(structures[0]) == [
        "Nom",
        "Type",
        "SIRET",
        "Code postal",
        "Commune",
        "Département",
        "Ensemblier",
        "Régie de quartier",
    ]
    salaries = lignes_csv(client_de(agent_55).get("/salaries/?export=csv").content)
    assert salaries and {s["Structure"] for s in salaries} <= {"Jardins de Verdun", "Intérim du Barrois"}
    assert list(salaries[0]) == [
        "Nom",
        "Prénom",
        "PASS IAE",
        "Structure",
        "SIRET",
        "Embauche",
        "Sortie",
        "Motif de sortie",
    ]
    assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4}", s["Embauche"]) for s in salaries)
    assert client_de(agent_55).get("/siae/?export=pdf").status_code == 404
    assert client_de(agent_55).get("/salaries/?export=pdf").status_code == 404


@pytest.mark.parametrize(
    "url", ["/siae/?export=xlsx", "/salaries/?export=xlsx", "/consommation/?annee=2024&export=xlsx"]
)
def test_nombre_de_requetes_constant(client_de, agent_55, departement, siae_a, url, django_assert_max_num_queries):
    from tests.factories import ParcoursFactory, SiaeFactory

    client = client_de(agent_55)
    client.get(url)  # the session, once
    with django_assert_max_num_queries(30) as avant:
        assert client.get(url).status_code == 200
    for i in range(5):
        ParcoursFactory(siae=SiaeFactory(aci=True, nom=f"Chantier {i}", departement="55"))
    with django_assert_max_num_queries(len(avant.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url", ["/siae/", "/salaries/", "/consommation/?annee=2024", "/sorties/?annee=2024", "/publics/?annee=2024"]
)
def test_les_pages_ont_leurs_boutons_d_export(client_de, agent_55, departement, url):
    html = client_de(agent_55).get(url).content.decode()
    assert "export=csv" in html and "export=xlsx" in html
    assert "Exporter CSV" in html and "Exporter XLSX" in html


def test_un_nom_piege_sort_en_texte_des_listes(client_de, agent_55, departement, siae_a):
    siae_a.nom = PIEGE
    siae_a.save()
    for url in ("/siae/", "/salaries/", "/consommation/?annee=2024", "/sorties/?annee=2024", "/publics/?annee=2024"):
        separateur = "&" if "?" in url else "?"
        verifier_csv(client_de(agent_55).get(f"{url}{separateur}export=csv").content)
        verifier_xlsx(client_de(agent_55).get(f"{url}{separateur}export=xlsx").content)


def test_chacun_n_exporte_que_ce_qu_il_voit(client_de, departement, membre_cdiae_55, personnel_a, siae_a):
    """The exports go through the page's scope: the CDIAE never gets the salariés (404, as the list), the staff
    of a structure only their own."""
    assert client_de(membre_cdiae_55).get("/salaries/?export=csv").status_code == 404
    structures = lignes_csv(client_de(personnel_a).get("/siae/?export=csv").content)
    assert [s["SIRET"] for s in structures] == [siae_a.siret]
    salaries = lignes_csv(client_de(personnel_a).get("/salaries/?export=csv").content)
    assert salaries and {s["Structure"] for s in salaries} == {siae_a.nom}
    publics = lignes_csv(client_de(personnel_a).get("/publics/?annee=2024&export=csv").content)
    assert {p["Structure"] for p in publics if p["Section"] == "Publics par structure"} == {siae_a.nom}
