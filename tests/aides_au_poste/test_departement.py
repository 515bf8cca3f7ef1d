"""A small département built by hand from CSV files (as tests/conventions/test_departement.py), across the
revaluation of 1 May 2023: every amount of the export, the pages and the API is checked against a value computed
here from the rules of spec §5, not against a stored result."""

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command

from aides_au_poste.models import BaremeAideAuPoste, Versement
from base.formats import montant_fr
from conventions.importation import ImportAnnexes
from conventions.models import AnnexeFinanciere
from parcours.importation import ImportParcours
from tests.factories import siret_valide

pytestmark = pytest.mark.django_db

A, B, C, D = (siret_valide(i, prefixe="55") for i in range(11, 15))
ENTETE_ANNEXES = ";".join(ImportAnnexes.colonnes)
ENTETE_PARCOURS = ";".join(ImportParcours.colonnes)

SIAE = f"""siret;nom;type;code_postal;commune;departement;ensemblier
{A};Chantier A;ACI;55100;Verdun;55;
{B};Entreprise B;EI;55000;Bar-le-Duc;55;
{C};Association C;AI;55200;Commercy;55;
{D};Chantier de Moselle;ACI;57000;Metz;57;
"""

# A: an avenant raises 2 ETP to 3 from July, 5 % modulation. B: 0.5 ETP conventionnés from March for one
# full-time salarié, the over-consumer whose dû is capped, 8 % modulation. C: under-consuming AI.
ANNEXES = f"""{ENTETE_ANNEXES}
ACI055230001A0M0;{A};ACI;2023-01-01;2023-12-31;2;;5;0;VALIDE;;;
ACI055230001A1M0;{A};ACI;2023-07-01;2023-12-31;3;;5;0;VALIDE;;;
EI055230001A0M0;{B};EI;2023-03-01;2023-12-31;0,5;;8;0;VALIDE;;;
AI055230001A0M0;{C};AI;2023-01-01;2023-12-31;4;;0;0;VALIDE;;;
ACI057230001A0M0;{D};ACI;2023-01-01;2023-12-31;10;;0;0;VALIDE;;;
"""

PARCOURS = f"""{ENTETE_PARCOURS}
999992300001;Alpha;Ana;1990-05-01;F;{A};2022-10-01;2023-01-01;CDDI;26;oui;non;non;non;;
999992300002;Bravo;Bob;1966-03-01;M;{A};2023-01-01;2023-01-01;CDDI;35;non;oui;non;oui;;
999992300003;Charlie;Cléo;2001-02-01;F;{B};2023-03-01;2023-03-01;CDDI;35;non;non;non;non;;
999992300004;Delta;Dan;1980-02-01;M;{C};2023-01-01;2023-01-01;CDDU;20;oui;non;oui;non;;
999992300005;Echo;Eve;1975-02-01;F;{D};2023-01-01;2023-01-01;CDDI;30;non;non;non;non;;
"""

DECLARATIONS = [
    (A, "ACI055230001A1M0", 1, 12, ["999992300001", "999992300002"]),
    (B, "EI055230001A0M0", 3, 12, ["999992300003"]),
    (C, "AI055230001A0M0", 1, 12, ["999992300004"]),
    (D, "ACI057230001A0M0", 1, 12, ["999992300005"]),
]
HEURES_BASE = {"999992300001": "110.50", "999992300002": "151.67", "999992300003": "151.67", "999992300004": "80.25"}

# A's initial number (A0M0) is accepted: any version of the annexe.
VERSEMENTS = """numero_annexe;date;montant;nature
ACI055230001A0M0;2023-01-31;3 500,00;AVANCE
ACI055230001A1M0;2023-02-28;3500;AVANCE
ACI055230001A1M0;2023-06-15;-250,50;REGULARISATION
EI055230001A0M0;2023-04-30;400,10;MODULATION
ACI057230001A0M0;2023-01-31;9000;AVANCE
"""

# The barème rows in force in 2023 (spec: shared/data/bareme_aide_au_poste.csv), per kind: before and from May.
TAUX = {
    "ACI": (Decimal("22692"), Decimal("23196")),
    "EI": (Decimal("11819"), Decimal("12081")),
    "AI": (
        Decimal("1536"),
        Decimal("1570"),
    ),
}
HEURES_ANNUELLES = {A: Decimal(1820), B: Decimal(1607), C: Decimal(1607)}
TYPES = {A: "ACI", B: "EI", C: "AI"}
MODULATION = {A: Decimal("0.05"), B: Decimal("0.08"), C: Decimal(0)}
VERSE = {A: Decimal("3500") + Decimal("3500") - Decimal("250.50"), B: Decimal("400.10"), C: Decimal(0)}
# The modulation is not part of the dû: its payments do not settle it.
VERSE_MODULATION = {A: Decimal(0), B: Decimal("400.10"), C: Decimal(0)}


def heures(pass_: str, mois: int) -> Decimal:
    return Decimal(HEURES_BASE.get(pass_, "120")) + Decimal(mois) / 4


def fichier_declarations() -> str:
    lignes = ["siret;numero_annexe;mois;numero_pass;heures_travaillees;date_sortie;motif_sortie"]
    for siret, annexe, premier, dernier, passes in DECLARATIONS:
        for mois in range(premier, dernier + 1):
            for pass_ in passes:
                lignes.append(
                    f"{siret};{annexe};2023-{mois:02d};{pass_};{str(heures(pass_, mois)).replace('.', ',')};;"
                )
    return "\n".join(lignes) + "\n"


def importer(dossier, type_, contenu, nom=None):
    chemin = dossier / (nom or f"{type_}.csv")
    chemin.write_text(contenu, encoding="utf-8")
    call_command("importer", type_, str(chemin))


def exporter(dossier, annee=2023, departement="55"):
    chemin = dossier / "indicateurs.json"
    call_command(
        "exporter", "indicateurs", "--annee", str(annee), "--departement", departement, "--sortie", str(chemin)
    )
    return json.loads(chemin.read_text(encoding="utf-8"))


def deux(valeur: Decimal) -> str:
    return str(valeur.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@pytest.fixture
def departement(tmp_path):
    importer(tmp_path, "siae", SIAE)
    importer(tmp_path, "annexes", ANNEXES)
    importer(tmp_path, "parcours", PARCOURS)
    importer(tmp_path, "declarations", fichier_declarations())
    importer(tmp_path, "versements", VERSEMENTS)
    return tmp_path


def b(type_: str, mois: int) -> Decimal:
    """The montant socle in force on the 1st of the month of 2023."""
    return TAUX[type_][0] if mois < 5 else TAUX[type_][1]


def conventionnes(siret: str) -> dict[int, Decimal]:
    if siret == A:
        return {m: Decimal(2) if m < 7 else Decimal(3) for m in range(1, 13)}
    if siret == B:
        return {m: Decimal("0.5") for m in range(3, 13)}
    return {m: Decimal(4) for m in range(1, 13)}


def realises(siret: str) -> dict[int, Decimal]:
    _, _, premier, dernier, passes = next(d for d in DECLARATIONS if d[0] == siret)
    return {m: sum(heures(p, m) * 12 / HEURES_ANNUELLES[siret] for p in passes) for m in range(premier, dernier + 1)}


def attendu(siret: str) -> dict[str, Decimal]:
    type_ = TYPES[siret]
    socle = sum(etp * b(type_, m) / 12 for m, etp in conventionnes(siret).items())
    du_brut = sum(etp * b(type_, m) / 12 for m, etp in realises(siret).items())
    modulation = MODULATION[siret] * socle
    return {
        "socle_conventionne": socle,
        "modulation": modulation,
        "total_conventionne": socle + modulation,
        "du": min(du_brut, socle),
        "du_brut": du_brut,
        "verse": VERSE[siret],
        "ecart": min(du_brut, socle) - (VERSE[siret] - VERSE_MODULATION[siret]),
    }


CHAMPS = ("socle_conventionne", "modulation", "total_conventionne", "du", "verse")


def test_le_sur_consommateur_est_plafonne_et_les_autres_non():
    assert attendu(B)["du_brut"] > attendu(B)["socle_conventionne"]
    assert attendu(B)["du"] == attendu(B)["socle_conventionne"]
    for siret in (A, C):
        assert attendu(siret)["du_brut"] < attendu(siret)["socle_conventionne"]


def test_l_export_suit_les_regles(departement):
    donnees = exporter(departement)
    aides = {ligne["type"]: ligne for ligne in donnees["aides_au_poste"]}
    assert list(aides) == ["ACI", "AI", "EI", "TOTAL"]
    for siret, type_ in TYPES.items():
        valeurs = attendu(siret)
        assert {c: aides[type_][c] for c in CHAMPS if c != "total_conventionne"} == {
            c: deux(valeurs[c]) for c in CHAMPS if c != "total_conventionne"
        }
    # A total is the sum of its rows as shown, each annexe's amount to the cent (total conventionné: socle and
    # modulation each to the cent).
    par_annexe = {s: {c: Decimal(deux(attendu(s)[c])) for c in CHAMPS} for s in TYPES}
    for s in TYPES:
        par_annexe[s]["total_conventionne"] = par_annexe[s]["socle_conventionne"] + par_annexe[s]["modulation"]
    for champ in CHAMPS:
        assert aides["TOTAL"][champ] == deux(sum(par_annexe[s][champ] for s in TYPES))
    lignes = {ligne["siret"]: ligne for ligne in donnees["siae"]}
    assert set(lignes) == {A, B, C}
    for siret in TYPES:
        valeurs = attendu(siret)
        assert {c: lignes[siret][c] for c in ("socle_conventionne", "modulation", "du")} == {
            c: deux(valeurs[c]) for c in ("socle_conventionne", "modulation", "du")
        }
    # The Moselle payment is not in the 55's figures.
    assert aides["TOTAL"]["verse"] == "7149.60"


def test_la_page_du_departement(client_de, agent_55, departement):
    reponse = client_de(agent_55).get("/aides-au-poste/", {"annee": 2023})
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    total = sum(attendu(s)["total_conventionne"] for s in TYPES)
    assert montant_fr(total) in contenu
    for siret in TYPES:
        valeurs = attendu(siret)
        assert montant_fr(valeurs["du"]) in contenu
        assert montant_fr(valeurs["ecart"]) in contenu
    assert "Chantier de Moselle" not in contenu
    groupes = {g.cle: g for g in reponse.context["par_type"]}
    assert deux(groupes["TOTAL"].ecart) == deux(sum(attendu(s)["ecart"] for s in TYPES))
    assert deux(groupes["EI"].ecart) == deux(attendu(B)["du"])  # its only payment is modulation


def test_la_page_d_une_annexe_explique_chaque_montant(client_de, agent_55, departement):
    annexe = AnnexeFinanciere.objects.get(prefixe="ACI055230001")
    reponse = client_de(agent_55).get(f"/aides-au-poste/annexe/{annexe.pk}/")
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    valeurs = attendu(A)
    for champ in CHAMPS:
        assert montant_fr(valeurs[champ]) in contenu
    assert "arrêté du 28 juillet 2023" in contenu
    assert "en vigueur au 01/05/2023" in contenu and "en vigueur au 01/01/2023" in contenu
    detail = reponse.context["detail"]
    assert [(m.mois.month, m.etp_conventionnes, m.taux) for m in detail] == [
        (m, conventionnes(A)[m], b("ACI", m)) for m in range(1, 13)
    ]
    # The regularisation points: months 5, 8, 11 and the end, each bringing the paid total to the dû so far.
    points = [p for p, _ in reponse.context["regularisations"]]
    assert [p.rang for p in points] == [5, 8, 11, 12]
    avance = valeurs["socle_conventionne"] / 12
    reel = realises(A)
    du_5 = sum(reel[m] * b("ACI", m) / 12 for m in range(1, 6))
    assert deux(points[0].du_cumule) == deux(du_5)
    assert deux(points[0].a_regulariser) == deux(du_5 - 5 * avance)
    assert deux(points[-1].du_cumule) == deux(valeurs["du"])


def test_l_api_donne_les_memes_chiffres(client_de, agent_55, departement):
    client = client_de(agent_55)
    reponse = client.get("/api/v1/aides-au-poste/", {"annee": 2023, "departement": "55"})
    assert reponse.status_code == 200
    donnees = reponse.json()
    assert donnees["par_type"] == exporter(departement)["aides_au_poste"]
    lignes = {ligne["siret"]: ligne for ligne in donnees["siae"]}
    assert lignes[B]["du"] == deux(attendu(B)["socle_conventionne"])
    assert lignes[A]["ecart"] == deux(attendu(A)["du"] - VERSE[A])
    assert client.get("/api/v1/aides-au-poste/", {"departement": "55"}).status_code == 400
    assert client.get("/api/v1/aides-au-poste/", {"annee": 2023, "departement": "57"}).status_code == 404
    versements = client.get("/api/v1/versements/").json()
    assert versements["count"] == 4  # not the Moselle one
    assert (
        client.get("/api/v1/bareme/", {"type": "ACI"}).json()["count"]
        == BaremeAideAuPoste.objects.filter(type="ACI").count()
    )


def test_simulation_d_une_revalorisation(client_de, agent_55, departement):
    """A hypothetical ACI row on 1 May 2023 at 23 500 €: 2023 is past, so all of it is retroactive."""
    reponse = client_de(agent_55).get(
        "/aides-au-poste/revalorisation/", {"type": "ACI", "date_effet": "2023-05-01", "montant": "23500"}
    )
    assert reponse.status_code == 200
    ecart = Decimal("23500") - Decimal("23196")
    attendu_a = sum(ecart * etp / 12 for m, etp in conventionnes(A).items() if m >= 5)
    total = reponse.context["total"]
    assert deux(total.retroactif) == deux(attendu_a) == "557.33"
    assert total.previsionnel == 0
    assert [i.numero for i in reponse.context["impacts"]] == ["ACI055230001A1M0"]  # not the Moselle one
    assert montant_fr(attendu_a) in reponse.content.decode()
    assert BaremeAideAuPoste.objects.filter(montant_socle_annuel_par_etp=Decimal("23500")).count() == 0


def test_une_revalorisation_en_cours_d_annee_se_partage(client_de, agent_55, departement):
    from aides_au_poste.queries import impact_revalorisation
    from aides_au_poste.regles import LigneBareme

    nouvelle = LigneBareme(dt.date(2023, 5, 1), Decimal("23500"))
    impacts = impact_revalorisation(
        AnnexeFinanciere.objects.filter(siae__departement="55"), nouvelle, "ACI", dt.date(2023, 9, 1)
    )
    (impact,) = impacts
    ecart = Decimal("23500") - Decimal("23196")
    assert deux(impact.impact.retroactif) == deux(ecart * (2 + 2 + 3 + 3) / 12)
    assert deux(impact.impact.previsionnel) == deux(ecart * 3 * 4 / 12)


def test_enregistrer_une_ligne_est_reserve_aux_administrateurs(client_de, agent_55, admin, departement):
    donnees = {"type": "ACI", "date_effet": "2026-01-01", "montant": "25000", "source": "arrêté hypothétique"}
    assert client_de(agent_55).post("/aides-au-poste/revalorisation/", donnees).status_code == 404
    assert not BaremeAideAuPoste.objects.filter(date_effet=dt.date(2026, 1, 1), type="ACI").exists()
    simulation = client_de(admin).get("/aides-au-poste/revalorisation/", {**donnees, "source": ""})
    # The simulation is a GET form without the CSRF token; saving is a separate POST form carrying it.
    formulaires = simulation.content.decode().split("<form")
    simuler = next(f for f in formulaires if 'method="get"' in f and 'name="montant"' in f)
    assert "csrfmiddlewaretoken" not in simuler
    enregistrer = next(f for f in formulaires if 'method="post"' in f and "Enregistrer la ligne" in f)
    assert "csrfmiddlewaretoken" in enregistrer and 'name="date_effet" value="2026-01-01"' in enregistrer
    sans_source = client_de(admin).post("/aides-au-poste/revalorisation/", {**donnees, "source": ""})
    assert sans_source.status_code == 200
    # Refused, the simulation stays on screen with the message beside the source.
    assert sans_source.context["simulation"]
    assert "Indiquez l&#x27;arrêté qui fixe le montant." in sans_source.content.decode()
    assert not BaremeAideAuPoste.objects.filter(date_effet=dt.date(2026, 1, 1), type="ACI").exists()
    reponse = client_de(admin).post("/aides-au-poste/revalorisation/", donnees)
    assert reponse.status_code == 302
    ligne = BaremeAideAuPoste.objects.get(date_effet=dt.date(2026, 1, 1), type="ACI")
    assert ligne.montant_socle_annuel_par_etp == Decimal("25000")
    assert ligne.historique.get().history_user == admin


def test_reimporter_les_versements_ne_change_rien(departement, capsys):
    capsys.readouterr()
    importer(departement, "versements", VERSEMENTS, nom="encore.csv")
    assert "0 créé(s), 0 modifié(s), 5 inchangé(s)" in capsys.readouterr().out
    assert Versement.objects.count() == 5
    assert Versement.objects.filter(import_origine__isnull=False).count() == 5


def test_un_fichier_de_versements_avec_une_ligne_fausse_ne_change_rien(departement, capsys):
    contenu = """numero_annexe;date;montant;nature
ACI055230001A1M0;2023-03-31;3500;AVANCE
ACI055230001A1M0;2023-04-30;3500;AVANCEE
EI055230001A0M0;2023-05-31;-10;AVANCE
INCONNU;2023-05-31;10;AVANCE
"""
    capsys.readouterr()
    with pytest.raises(SystemExit) as sortie:
        importer(departement, "versements", contenu, nom="faux.csv")
    assert sortie.value.code == 1
    erreurs = capsys.readouterr().err
    assert "ligne 3, colonne nature : nature inconnue (AVANCE, REGULARISATION, MODULATION)" in erreurs
    assert "ligne 4, colonne montant : seule une régularisation peut être négative" in erreurs
    assert "ligne 5, colonne numero_annexe : aucune annexe de numéro INCONNU" in erreurs
    assert "rien n'a été enregistré" in erreurs
    assert Versement.objects.count() == 5
    assert not Versement.objects.filter(date=dt.date(2023, 3, 31)).exists()
