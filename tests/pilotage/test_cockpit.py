"""The DDETS cockpit on a small département built by hand: every figure is computed here from the rules (spec §3,
§4, §5, §7, §8), then read on the page, in the exports and against `exporter indicateurs`."""

import csv
import datetime as dt
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest
from django.utils import timezone

from aides_au_poste.models import BaremeAideAuPoste
from conventions.models import AnnexeFinanciere
from conventions.queries import annexes_du_departement
from declarations.models import DeclarationMensuelle
from financements.models import LigneFinancement
from indicateurs.models import ObjectifBrsa
from indicateurs.sections import indicateurs
from indicateurs.services import rafraichir_tout
from parcours.models import MotifSortie
from pilotage.cockpit import Cockpit
from siae.models import Siae
from tests.base.formules import PIEGE, verifier_csv, verifier_xlsx
from tests.factories import (
    AnnexeFinanciereFactory,
    LigneDeclarationFactory,
    ParcoursFactory,
    SiaeFactory,
)

pytestmark = pytest.mark.django_db

D = dt.date
ANNEE = 2024
MOIS = [D(ANNEE, m, 1) for m in range(1, 13)]
# Hours declared each month: ACI 273 h × 12 / 1820 = 1.8 ETP; ETTI 160.7 h × 12 / 1607 = 1.2 ETP.
HEURES_ACI, HEURES_ETTI = Decimal("273.00"), Decimal("160.70")
ETP_MOIS_ACI = HEURES_ACI * 12 / 1820
ETP_MOIS_ETTI = HEURES_ETTI * 12 / 1607


def arrondi(valeur, decimales=2) -> Decimal:
    return Decimal(valeur).quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)


def transmise_le(jour: dt.date):
    return timezone.make_aware(dt.datetime(jour.year, jour.month, jour.day, 10))


def declarer(annexe, mois, lignes: dict, transmission):
    """The month's retained declaration, with a line of hours per parcours (`lignes`: {parcours: hours})."""
    declaration = DeclarationMensuelle.objects.create(
        annexe=annexe, mois=mois, version=1, etat="VALIDEE", retenue=True, date_transmission=transmission
    )
    for parcours, heures in lignes.items():
        LigneDeclarationFactory(declaration=declaration, parcours=parcours, heures_travaillees=heures)


def motif(code):
    return MotifSortie.objects.get(code=code)


@pytest.fixture
def departement(siae_a, siae_b, siae_57):
    """Meuse 2024: the ACI Jardins de Verdun (2 ETP conventionnés, 1.8 réalisés: sous-consommation; its December
    declaration sent on 20 January, late) and the ETTI Intérim du Barrois (1 ETP, 1.2 réalisé on the 11 months it
    declared: December missing; sur-consommation). Moselle: an ACI of 10 ETP."""
    annexe_a = AnnexeFinanciereFactory(siae=siae_a, annee=ANNEE, etp_conventionnes=Decimal(2))
    annexe_b = AnnexeFinanciereFactory(siae=siae_b, annee=ANNEE, etp_conventionnes=Decimal(1))
    annexe_57 = AnnexeFinanciereFactory(siae=siae_57, annee=ANNEE, etp_conventionnes=Decimal(10))
    # ACI: a bRSA hire and a salarié hired in 2023 working all year (136.5 h a month each); a hire that leaves
    # after six weeks (not examined, under 3 months); a hire of 2023 that leaves for a CDI in April (examined,
    # durable); a hire of January who dies in September (examined, retrait). An exit of 2023 to unemployment
    # (examined that year, not dynamic).
    a1 = ParcoursFactory(siae=siae_a, date_embauche=D(2024, 1, 1), brsa=True)
    a2 = ParcoursFactory(siae=siae_a, date_embauche=D(2023, 9, 1))
    for embauche, sortie, code in [
        (D(2024, 2, 1), D(2024, 3, 15), "CHOMAGE"),
        (D(2023, 6, 1), D(2024, 4, 30), "CDI"),
        (D(2024, 1, 15), D(2024, 9, 30), "DECES"),
        (D(2022, 1, 3), D(2023, 5, 31), "CHOMAGE"),
    ]:
        ParcoursFactory(siae=siae_a, date_embauche=embauche, date_sortie=sortie, motif_sortie=motif(code))
    b1 = ParcoursFactory(siae=siae_b, date_embauche=D(2024, 1, 1))
    e1 = ParcoursFactory(siae=siae_57, date_embauche=D(2024, 1, 1))
    for mois in MOIS:
        suivant = D(mois.year + mois.month // 12, mois.month % 12 + 1, 1)
        a_temps = transmise_le(suivant.replace(day=10))
        moitie = HEURES_ACI / 2
        decembre_en_retard = a_temps if mois.month < 12 else transmise_le(D(2025, 1, 20))
        declarer(annexe_a, mois, {a1: moitie, a2: moitie}, decembre_en_retard)
        if mois.month < 12:
            declarer(annexe_b, mois, {b1: HEURES_ETTI}, a_temps)
        declarer(annexe_57, mois, {e1: Decimal("150.00")}, a_temps)
    LigneFinancement.objects.create(
        financeur="FSE",
        dispositif="FSE",
        siae=siae_a,
        annee=ANNEE,
        libelle="FSE+ du chantier",
        montant_engage=Decimal("5000.00"),
        montant_verse=Decimal("2000.00"),
        part_variable_max=Decimal("1000.00"),
    )
    # What the declarations' commits and the night do in production: the monthly indicators the curve reads.
    rafraichir_tout()
    return {"a": annexe_a, "b": annexe_b}


def page(client, **parametres):
    requete = "&".join(f"{k}={v}" for k, v in {"annee": ANNEE, **parametres}.items())
    return client.get(f"/pilotage/?{requete}")


def cockpit_55(aujourd_hui=None, type_siae=None):
    annexes = annexes_du_departement("55", ANNEE)
    structures = Siae.objects.filter(departement="55")
    if type_siae:
        annexes, structures = annexes.filter(siae__type=type_siae), structures.filter(type=type_siae)
    return Cockpit(
        annexes,
        structures,
        ANNEE,
        lignes_financement=LigneFinancement.objects.filter(departement="55"),
        aujourd_hui=aujourd_hui,
    )


def socle_attendu(type_, etp):
    """Σ over the months of 2024 of etp × the barème in force on the 1st / 12 (spec §5)."""
    total = Decimal(0)
    for mois in MOIS:
        ligne = BaremeAideAuPoste.objects.filter(type=type_, date_effet__lte=mois).latest("date_effet")
        total += Decimal(etp) * ligne.montant_socle_annuel_par_etp / 12
    return total


class TestBlocs:
    def test_consommation_par_type_et_total(self, departement):
        c = cockpit_55()
        assert c.annee_complete
        lignes = {ligne.cle: ligne for ligne in c.consommation}
        assert list(lignes) == ["ACI", "ETTI", "TOTAL"]
        assert arrondi(lignes["ACI"].etp_conventionnes) == Decimal("2.00")
        assert arrondi(lignes["ACI"].etp_realises) == arrondi(ETP_MOIS_ACI)  # 1.80
        assert arrondi(lignes["ETTI"].etp_realises) == arrondi(11 * ETP_MOIS_ETTI / 12)  # 1.10
        conv, real = Decimal(36), 12 * ETP_MOIS_ACI + 11 * ETP_MOIS_ETTI
        assert arrondi(lignes["TOTAL"].etp_realises) == arrondi(real / 12)  # 2.90
        assert arrondi(lignes["TOTAL"].taux * 100, 1) == arrondi(real / conv * 100, 1)  # 96.7

    def test_courbe_mensuelle_cumulee_sans_projection_une_annee_close(self, departement):
        c = cockpit_55()
        courbe = c.mensuel
        assert courbe.mois == MOIS
        assert arrondi(courbe.cumul_conventionne[2]) == Decimal("9.00")  # 3 ETP × 3 months
        assert arrondi(courbe.cumul_realise[2]) == arrondi(3 * (ETP_MOIS_ACI + ETP_MOIS_ETTI))
        # December: the ETTI declared nothing, the ACI its 1.8.
        assert arrondi(courbe.realises[11]) == arrondi(ETP_MOIS_ACI)
        assert arrondi(courbe.cumul_realise[11]) == arrondi(12 * ETP_MOIS_ACI + 11 * ETP_MOIS_ETTI)
        assert courbe.projection is None
        assert c.projection_etp is None

    def test_projection_en_cours_d_annee(self, departement):
        # On 20 July 2024 June is the last month due: six months realised, projected linearly to December.
        c = cockpit_55(aujourd_hui=D(2024, 7, 20))
        assert c.periode.nombre_de_mois == 6
        cumul_juin = 6 * (ETP_MOIS_ACI + ETP_MOIS_ETTI)  # 18 ETP-mois
        courbe = c.mensuel
        assert arrondi(courbe.cumul_realise[5]) == arrondi(cumul_juin)
        assert courbe.cumul_realise[6] is None
        assert [p is None for p in courbe.projection] == [True] * 5 + [False] * 7
        assert arrondi(courbe.projection[5]) == arrondi(cumul_juin)
        assert arrondi(courbe.projection[8]) == arrondi(cumul_juin * 12 / 6 * 9 / 12)  # 27
        assert arrondi(c.projection_etp) == arrondi(cumul_juin * 12 / 6 / 12)  # 3.00 ETP
        # The declarations followed are those of January to June, all on time.
        assert c.dernier_mois_du == D(2024, 6, 1)
        assert [m.comptes["a_temps"] for m in c.declarations_par_mois] == [2] * 6
        assert c.retards == []

    def test_structures_en_sous_et_sur_consommation(self, departement, siae_a, siae_b):
        c = cockpit_55()
        assert [(s.nom, s.reference.statut) for s in c.hors_norme] == [
            (siae_a.nom, "sous-consommation"),  # 90.0 %
            (siae_b.nom, "sur-consommation"),  # 110.0 %
        ]
        assert c.nombre_par_statut == {"sous_consommation": 1, "conforme": 0, "sur_consommation": 1}
        # A year over: the projection is what was realised, the gap its difference to the conventionné.
        assert arrondi(c.hors_norme[0].ecart_projection_etp) == arrondi(ETP_MOIS_ACI - 2)  # -0.20

    def test_sorties_sur_trois_ans(self, departement):
        c = cockpit_55()
        assert c.annees_de_sorties == [2024, 2023, 2022]
        aci, total = c.sorties
        assert (aci.cle, total.cle) == ("ACI", "TOTAL")
        # 2024: the CDI and the death are examined (the six-week one is not): 1 durable / (2 − 1 retrait).
        assert (aci.courant.examinees, aci.courant.retraits, aci.courant.emploi_durable) == (2, 1, 1)
        assert aci.courant.taux_sorties_dynamiques == Decimal(1)
        # 2023: one exit to unemployment, examined, not dynamic; 2022: none.
        assert dict(aci.par_annee)[2023].examinees == 1
        assert dict(aci.par_annee)[2023].taux_sorties_dynamiques == Decimal(0)
        assert dict(aci.par_annee)[2022].taux_sorties_dynamiques is None

    def test_publics_et_objectif_brsa(self, departement):
        c = cockpit_55()
        lignes = {ligne.cle: ligne for ligne in c.publics}
        assert list(lignes) == ["ACI", "ETTI", "TOTAL"]
        # Salariés with hours in 2024: the ACI's two and the ETTI's one, all women (factory), one bRSA.
        assert (lignes["TOTAL"].publics.salaries, lignes["TOTAL"].publics.brsa) == (3, 1)
        assert (lignes["ACI"].publics.salaries, lignes["ACI"].publics.brsa) == (2, 1)
        assert lignes["TOTAL"].publics.part("femmes") == Decimal(1)
        # Hires of 2024: three in the ACI (one bRSA: 33.3 %, under 40 %), one in the ETTI (none).
        assert (lignes["ACI"].embauches.embauches, lignes["ACI"].embauches.brsa) == (3, 1)
        assert lignes["ACI"].embauches.sous_l_objectif
        assert (lignes["TOTAL"].embauches.embauches, lignes["TOTAL"].embauches.brsa) == (4, 1)
        assert lignes["TOTAL"].embauches.part == Decimal(1) / Decimal(4)

    def test_aides_au_poste_et_financeurs(self, departement):
        c = cockpit_55()
        aci, etti, total = c.aides
        assert arrondi(aci.socle_conventionne) == arrondi(socle_attendu("ACI", 2))
        assert arrondi(etti.socle_conventionne) == arrondi(socle_attendu("ETTI", 1))
        assert arrondi(total.total_conventionne) == arrondi(aci.total_conventionne + etti.total_conventionne)
        financeurs = {t.financeur: t for t in c.financeurs}
        assert list(financeurs) == ["ETAT", "FSE", "TOTAL"]
        # The État: the aides au poste (and their modulation) of the annexes; the FSE+: the line typed.
        assert arrondi(financeurs["ETAT"].engage) == arrondi(total.total_conventionne)
        assert (financeurs["FSE"].engage, financeurs["FSE"].verse) == (Decimal(5000), Decimal(2000))
        assert arrondi(financeurs["TOTAL"].engage) == arrondi(total.total_conventionne + 5000)

    def test_declarations_en_retard_ou_manquantes(self, departement, siae_a, siae_b):
        c = cockpit_55()
        assert c.dernier_mois_du == D(2024, 12, 1)
        assert [m.comptes["a_temps"] for m in c.declarations_par_mois] == [2] * 11 + [0]
        decembre = c.declarations_par_mois[-1]
        assert (decembre.en_retard, decembre.manquantes) == (1, 1)
        assert [(s.siae_nom, s.statut) for s in c.retards] == [(siae_b.nom, "manquante"), (siae_a.nom, "en_retard")]

    def test_filtre_par_type(self, departement):
        c = cockpit_55(type_siae="ACI")
        assert [ligne.cle for ligne in c.consommation] == ["ACI", "TOTAL"]
        assert arrondi(c.total_consommation.etp_conventionnes) == Decimal("2.00")
        assert len(c.siae) == 1


class TestMemesChiffresQueLExport:
    def test_tableaux_identiques_a_exporter_indicateurs(self, departement):
        c = cockpit_55()
        export = indicateurs(ANNEE, "55")
        assert c.tableau("consommation") == export["consommation"]
        assert c.tableau("aides") == export["aides_au_poste"]
        publics = [{k: v for k, v in ligne.items() if k in export["publics"][0]} for ligne in c.tableau("publics")]
        assert publics == export["publics"]
        de_l_annee = [ligne for ligne in c.tableau("sorties") if ligne["annee"] == ANNEE]
        sorties = [{k: v for k, v in ligne.items() if k != "annee"} for ligne in de_l_annee]
        assert sorties == export["sorties"]
        colonnes = ["siret", "nom", "type", "etp_conventionnes", "etp_realises", "taux_consommation"]
        assert [{k: s[k] for k in colonnes} for s in c.tableau("structures")] == [
            {k: s[k] for k in colonnes} for s in sorted(export["siae"], key=lambda s: Decimal(s["taux_consommation"]))
        ]
        chiffres = {ligne["indicateur"]: ligne["valeur"] for ligne in c.tableau("chiffres")}
        assert chiffres["etp_conventionnes"] == export["consommation"][-1]["etp_conventionnes"] == "3.00"
        assert chiffres["taux_consommation"] == export["consommation"][-1]["taux_consommation"] == "96.7"
        assert chiffres["aides_au_poste_total_conventionne"] == export["aides_au_poste"][-1]["total_conventionne"]
        assert chiffres["taux_sorties_dynamiques"] == export["sorties"][-1]["taux_sorties_dynamiques"] == "100.0"
        assert chiffres["structures_conventionnees"] == 2


class TestPage:
    def test_agent_voit_les_blocs_graphiques_et_tableaux(self, departement, agent_55, client_de):
        reponse = page(client_de(agent_55))
        assert reponse.status_code == 200
        html = reponse.content.decode()
        noms = ["consommation", "mensuel", "structures", "sorties", "publics", "aides", "financeurs", "declarations"]
        for nom in noms:
            assert f'id="graphique-{nom}"' in html
            assert f'id="tableau-{nom}"' in html
        # Each chart is an inline SVG with its accessible name.
        assert len(re.findall(r'<svg [^>]*role="img"', html)) == len(noms)
        assert "<title id=" in html
        # Key figures, in French formats.
        assert re.search(r'id="chiffre-etp-conventionnes".*?3,00', html, re.S)
        assert re.search(r'id="chiffre-taux-consommation".*?96,7\xa0%', html, re.S)
        assert re.search(r'id="chiffre-structures".*?>2<', html, re.S)
        assert "Jardins de Verdun" in html and "Intérim du Barrois" in html
        assert "Recyclerie de Metz" not in html
        # The link to the redeployment simulator, with the year and the département.
        assert 'href="/pilotage/redeploiement/?annee=2024&amp;departement=55"' in html

    def test_l_objectif_brsa_est_celui_du_departement(self, departement, agent_55, client_de):
        """The threshold the DDETS sets for its département's year (with its bilan's sections) is the one the
        cockpit draws and compares."""
        assert page(client_de(agent_55)).context["cockpit"].objectif_brsa == Decimal(40)
        ObjectifBrsa.objects.create(departement="55", annee=ANNEE, seuil=Decimal(45))
        reponse = page(client_de(agent_55))
        assert reponse.context["cockpit"].objectif_brsa == Decimal(45)
        # Another département's objective, or another year's, changes nothing here.
        ObjectifBrsa.objects.create(departement="57", annee=ANNEE, seuil=Decimal(30))
        ObjectifBrsa.objects.create(departement="55", annee=ANNEE + 1, seuil=Decimal(30))
        assert page(client_de(agent_55)).context["cockpit"].objectif_brsa == Decimal(45)

    def test_filtre_type_dans_la_page(self, departement, agent_55, client_de):
        html = page(client_de(agent_55), type="ETTI").content.decode()
        assert "Jardins de Verdun" not in html
        assert re.search(r'id="chiffre-etp-conventionnes".*?1,00', html, re.S)

    def test_cdiae_voit_les_chiffres_agreges_sans_personne(self, departement, membre_cdiae_55, client_de):
        reponse = page(client_de(membre_cdiae_55))
        assert reponse.status_code == 200
        html = reponse.content.decode()
        assert re.search(r'id="chiffre-etp-conventionnes".*?3,00', html, re.S)
        # Structures are named; no salarié is (the factory's names are NomNNNN / PrénomNNNN).
        assert "Jardins de Verdun" in html
        assert not re.search(r"Nom\d{4}|Prénom\d{4}", html)
        assert "lien-redeploiement" not in html

    def test_agent_d_un_autre_departement_ne_voit_que_le_sien(self, departement, agent_57, client_de):
        reponse = page(client_de(agent_57), departement="55")
        assert reponse.status_code == 200
        html = reponse.content.decode()
        assert "Jardins de Verdun" not in html
        assert re.search(r'id="chiffre-etp-conventionnes".*?10,00', html, re.S)
        csv_55 = page(client_de(agent_57), departement="55", export="csv", bloc="consommation")
        assert "2,00" not in csv_55.content.decode("utf-8-sig")

    def test_personnel_siae_404(self, departement, personnel_a, client_de):
        assert page(client_de(personnel_a)).status_code == 404
        assert page(client_de(personnel_a), export="csv", bloc="consommation").status_code == 404

    def test_administrateur_choisit_le_departement(self, departement, admin, client_de):
        html = page(client_de(admin), departement="55").content.decode()
        assert re.search(r'id="chiffre-etp-conventionnes".*?3,00', html, re.S)
        national = page(client_de(admin)).content.decode()
        assert re.search(r'id="chiffre-etp-conventionnes".*?13,00', national, re.S)

    def test_annee_sans_declaration_due(self, departement, agent_55, client_de):
        html = page(client_de(agent_55), annee=2099).content.decode()
        assert "Aucune déclaration n'est encore due pour 2099." in html
        assert 'id="tableau-retards"' not in html
        assert re.search(r'id="chiffre-structures".*?>0<', html, re.S)

    def test_cdiae_exporte_les_chiffres_agreges(self, departement, membre_cdiae_55, client_de):
        reponse = page(client_de(membre_cdiae_55), export="csv", bloc="chiffres")
        lignes = list(csv.DictReader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
        chiffres = {ligne["Indicateur"]: (ligne["Valeur"], ligne["Unité"]) for ligne in lignes}
        assert chiffres["ETP réalisés"] == ("2,90", "ETP")
        assert chiffres["Taux de consommation"] == ("96,7", "%")


class TestExports:
    def test_csv_du_bloc_consommation(self, departement, agent_55, client_de):
        reponse = page(client_de(agent_55), export="csv", bloc="consommation")
        assert reponse.status_code == 200
        assert reponse["Content-Type"].startswith("text/csv")
        assert 'filename="cockpit-55-2024-consommation.csv"' in reponse["Content-Disposition"]
        lignes = list(csv.DictReader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
        # French labels, decimal commas, the rate in % as the header says.
        entetes = ("Type", "ETP conventionnés", "ETP réalisés", "Taux de consommation (%)")
        assert lignes == [
            dict(zip(entetes, ("ACI", "2,00", "1,80", "90,0"), strict=True)),
            dict(zip(entetes, ("ETTI", "1,00", "1,10", "110,0"), strict=True)),
            dict(zip(entetes, ("TOTAL", "3,00", "2,90", "96,7"), strict=True)),
        ]

    def test_csv_des_declarations_en_retard(self, departement, agent_55, client_de):
        texte = page(client_de(agent_55), export="csv", bloc="retards").content.decode("utf-8-sig")
        lignes = list(csv.DictReader(io.StringIO(texte), delimiter=";"))
        assert [(ligne["Mois déclaré"], ligne["Statut"]) for ligne in lignes] == [
            ("décembre 2024", "Manquante"),
            ("décembre 2024", "En retard"),
        ]

    def test_xlsx_d_un_bloc_et_de_tout(self, departement, agent_55, client_de):
        reponse = page(client_de(agent_55), export="xlsx", bloc="sorties")
        classeur = openpyxl.load_workbook(io.BytesIO(reponse.content))
        assert classeur.sheetnames == ["Sorties par type"]
        feuille = classeur.active
        entetes = [c.value for c in feuille[2]]
        rangs = [dict(zip(entetes, [c.value for c in r], strict=True)) for r in feuille.iter_rows(min_row=3)]
        aci_2024 = next(r for r in rangs if r["Type"] == "ACI" and r["Année"] == 2024)
        # Numbers a spreadsheet can add up, not text; a rate as its fraction, shown in %.
        assert aci_2024["Sorties examinées"] == 2
        assert aci_2024["Taux de sorties dynamiques"] == 1

        tout = openpyxl.load_workbook(io.BytesIO(page(client_de(agent_55), export="xlsx").content))
        assert tout.sheetnames == [
            "Chiffres clés",
            "Consommation par type",
            "Consommation mensuelle",
            "Structures hors norme",
            "Sorties par type",
            "Publics",
            "Aides au poste",
            "Financements par financeur",
            "Déclarations par mois",
            "Déclarations en retard",
        ]
        structures = tout["Structures hors norme"]
        assert structures["A3"].value == departement["a"].siae.siret  # a SIRET stays text
        assert isinstance(structures["A3"].value, str)

    def test_bloc_ou_format_inconnu(self, departement, agent_55, client_de):
        client = client_de(agent_55)
        assert page(client, export="csv", bloc="inconnu").status_code == 404
        assert page(client, export="pdf", bloc="consommation").status_code == 404
        assert page(client, export="csv").status_code == 404


def structures_supplementaires(nombre: int):
    """More ACI in the 55, each with its annexe, a salarié, an exit and twelve declarations."""
    for i in range(nombre):
        siae = SiaeFactory(aci=True, nom=f"Chantier {i}")
        annexe = AnnexeFinanciereFactory(siae=siae, annee=ANNEE)
        parcours = ParcoursFactory(siae=siae, date_embauche=D(2024, 1, 1), brsa=bool(i % 2))
        ParcoursFactory(siae=siae, date_embauche=D(2024, 1, 1), date_sortie=D(2024, 6, 30), motif_sortie=motif("CDI"))
        for mois in MOIS:
            declarer(annexe, mois, {parcours: Decimal("200.00")}, transmise_le(D(2025, 1, 5)))
    rafraichir_tout()


@pytest.mark.parametrize("supplementaires", [0, 4])
def test_nombre_de_requetes_constant(departement, agent_55, client_de, django_assert_max_num_queries, supplementaires):
    """2 structures, then 6: the same bound (one query is the département's bRSA threshold)."""
    structures_supplementaires(supplementaires)
    assert AnnexeFinanciere.objects.filter(siae__departement="55").count() == 2 + supplementaires
    client = client_de(agent_55)
    with django_assert_max_num_queries(27):
        assert page(client).status_code == 200


def test_un_nom_de_structure_piege_sort_en_texte(departement, agent_55, client_de, siae_a):
    """The structures out of norm and the late declarations name the structure: text in the CSV and the workbook."""
    siae_a.nom = PIEGE
    siae_a.save()
    for bloc in ("structures", "retards"):
        verifier_csv(page(client_de(agent_55), export="csv", bloc=bloc).content)
    verifier_xlsx(page(client_de(agent_55), export="xlsx").content)
