"""The aides au poste and co-financing tables as CSV and XLSX: the page's rows, to the cent."""

import datetime as dt
from decimal import Decimal

from aides_au_poste.queries import aides_des_annexes
from aides_au_poste.regles import arrondi_euro
from tests.base.formules import PIEGE, verifier_csv, verifier_xlsx
from tests.base.lecture_exports import FORMAT_MOIS, FORMAT_MONTANT, feuilles_xlsx, lignes_csv, nombre_fr, rangs_xlsx
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
    (ligne,) = lignes_csv(reponse.content)
    assert ligne["Annexe"] == annexe.numero and ligne["SIRET"] == siae_a.siret
    assert nombre_fr(ligne["Socle conventionné (€)"]) == arrondi_euro(aide.socle_conventionne)
    assert nombre_fr(ligne["Modulation (€)"]) == arrondi_euro(Decimal("0.07") * aide.socle_conventionne)
    assert nombre_fr(ligne["Total conventionné (€)"]) == nombre_fr(ligne["Socle conventionné (€)"]) + nombre_fr(
        ligne["Modulation (€)"]
    )
    xlsx = client.get("/aides-au-poste/", {"annee": 2025, "export": "xlsx"})
    (feuille,) = feuilles_xlsx(xlsx.content).values()
    assert feuille["A1"].value == "Aides au poste 2025 — Année : 2025 ; Département : 55 – Meuse"
    (rang,) = rangs_xlsx(feuille)
    assert rang["Annexe"].value == annexe.numero
    assert rang["Socle conventionné"].value == float(arrondi_euro(aide.socle_conventionne))
    assert rang["Socle conventionné"].number_format == FORMAT_MONTANT
    assert client.get("/aides-au-poste/", {"annee": 2025, "export": "pdf"}).status_code == 404
    page = client.get("/aides-au-poste/", {"annee": 2025}).content.decode()
    assert "?annee=2025&amp;departement=55&amp;export=csv" in page


def test_cofinancement_mois_par_mois(client_de, membre_cdiae_55, siae_a):
    AnnexeFinanciereFactory(siae=siae_a, annee=2025, montant_cofinance_cd=Decimal("24000"))
    reponse = client_de(membre_cdiae_55).get("/aides-au-poste/cofinancement/", {"annee": 2025, "export": "csv"})
    lignes = lignes_csv(reponse.content)
    assert [ligne["Mois"] for ligne in lignes][:2] == ["janvier 2025", "février 2025"] and len(lignes) == 12
    # January under the April 2024 RSA, April under the April 2025 one: 2 000 € a month / (0,88 × RSA).
    assert (lignes[0]["RSA forfaitaire (€)"], lignes[3]["RSA forfaitaire (€)"]) == ("635,71", "646,52")
    cible = round(Decimal(2000) / (Decimal("0.88") * Decimal("646.52")), 2)
    assert nombre_fr(lignes[3]["Cible (bRSA par mois)"]) == cible
    assert lignes[0]["bRSA employés"] == ""  # not declared
    xlsx = client_de(membre_cdiae_55).get("/aides-au-poste/cofinancement/", {"annee": 2025, "export": "xlsx"})
    rangs = rangs_xlsx(next(iter(feuilles_xlsx(xlsx.content).values())))
    assert rangs[3]["Mois"].value == dt.datetime(2025, 4, 1) and rangs[3]["Mois"].number_format == FORMAT_MOIS


def test_un_nom_de_structure_piege_sort_en_texte(client_de, agent_55, siae_a):
    """A structure named as a formula comes out as text in both tables, in both formats."""
    siae_a.nom = PIEGE
    siae_a.save()
    AnnexeFinanciereFactory(siae=siae_a, annee=2025, montant_cofinance_cd=Decimal("24000"))
    client = client_de(agent_55)
    for url in ("/aides-au-poste/", "/aides-au-poste/cofinancement/"):
        verifier_csv(client.get(url, {"annee": 2025, "export": "csv"}).content)
        verifier_xlsx(client.get(url, {"annee": 2025, "export": "xlsx"}).content)
