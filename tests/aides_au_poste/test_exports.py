"""The aides au poste and co-financing tables as CSV and XLSX: the page's rows, to the cent."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl

from aides_au_poste.queries import aides_des_annexes
from aides_au_poste.regles import arrondi_euro
from tests.base.formules import PIEGE, verifier_csv, verifier_xlsx
from tests.factories import AnnexeFinanciereFactory


def test_aides_au_poste_en_csv_et_xlsx(client_de, agent_55, siae_a, siae_57):
    annexe = AnnexeFinanciereFactory(
        siae=siae_a, annee=2025, etp_conventionnes=Decimal("3.5"), taux_modulation=Decimal("0.07")
    )
    AnnexeFinanciereFactory(siae=siae_57, annee=2025)
    (aide,) = aides_des_annexes(type(annexe).objects.filter(pk=annexe.pk))
    client = client_de(agent_55)
    reponse = client.get("/aides-au-poste/", {"annee": 2025, "export": "csv"})
    assert reponse["Content-Disposition"] == 'attachment; filename="aides-au-poste-2025-55.csv"'
    (ligne,) = list(csv.DictReader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
    assert ligne["annexe"] == annexe.numero and ligne["siret"] == siae_a.siret
    assert Decimal(ligne["socle_conventionne"]) == arrondi_euro(aide.socle_conventionne)
    assert Decimal(ligne["modulation"]) == arrondi_euro(Decimal("0.07") * aide.socle_conventionne)
    assert Decimal(ligne["total_conventionne"]) == Decimal(ligne["socle_conventionne"]) + Decimal(ligne["modulation"])
    xlsx = client.get("/aides-au-poste/", {"annee": 2025, "export": "xlsx"})
    feuille = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert feuille.max_row == 2 and feuille["D2"].value == annexe.numero
    assert client.get("/aides-au-poste/", {"annee": 2025, "export": "pdf"}).status_code == 404
    page = client.get("/aides-au-poste/", {"annee": 2025}).content.decode()
    assert "?annee=2025&amp;departement=55&amp;export=csv" in page


def test_cofinancement_mois_par_mois(client_de, membre_cdiae_55, siae_a):
    AnnexeFinanciereFactory(siae=siae_a, annee=2025, montant_cofinance_cd=Decimal("24000"))
    reponse = client_de(membre_cdiae_55).get("/aides-au-poste/cofinancement/", {"annee": 2025, "export": "csv"})
    lignes = list(csv.DictReader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
    assert [ligne["mois"] for ligne in lignes] == [dt.date(2025, m, 1).strftime("%Y-%m") for m in range(1, 13)]
    # January under the April 2024 RSA, April under the April 2025 one: 2 000 € a month / (0,88 × RSA).
    assert (lignes[0]["rsa_forfaitaire"], lignes[3]["rsa_forfaitaire"]) == ("635.71", "646.52")
    assert Decimal(lignes[3]["cible_brsa"]) == round(Decimal(2000) / (Decimal("0.88") * Decimal("646.52")), 2)
    assert lignes[0]["brsa_employes"] == ""  # not declared


def test_un_nom_de_structure_piege_sort_en_texte(client_de, agent_55, siae_a):
    """A structure named as a formula comes out as text in both tables, in both formats."""
    siae_a.nom = PIEGE
    siae_a.save()
    AnnexeFinanciereFactory(siae=siae_a, annee=2025, montant_cofinance_cd=Decimal("24000"))
    client = client_de(agent_55)
    for url in ("/aides-au-poste/", "/aides-au-poste/cofinancement/"):
        verifier_csv(client.get(url, {"annee": 2025, "export": "csv"}).content)
        verifier_xlsx(client.get(url, {"annee": 2025, "export": "xlsx"}).content)
