"""A small département built by hand from CSV files, through the same imports as the agents', then exported:
every figure is checked against a value computed here from the rules (spec §4), not against a stored result."""

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command

from conventions.importation import ImportAnnexes
from conventions.models import AnnexeFinanciere, EtpConventionneMensuel
from declarations.models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration
from declarations.services import valider_declaration
from indicateurs.services import rafraichir_tout
from parcours.importation import ImportParcours
from tests.factories import siret_valide

pytestmark = pytest.mark.django_db

A, B, C, D = (siret_valide(i, prefixe="55") for i in range(1, 5))
ENTETE_ANNEXES = ";".join(ImportAnnexes.colonnes)
ENTETE_PARCOURS = ";".join(ImportParcours.colonnes)

SIAE = f"""siret;nom;type;code_postal;commune;departement;ensemblier
{A};Chantier A;ACI;55100;Verdun;55;
{B};Entreprise B;EI;55000;Bar-le-Duc;55;
{C};Association C;AI;55200;Commercy;55;
{D};Chantier de Moselle;ACI;57000;Metz;57;
"""

ANNEXES = f"""{ENTETE_ANNEXES}
ACI055240001A0M0;{A};ACI;2024-01-01;2024-12-31;2;;5;0;VALIDE;60;25;40
ACI055240001A1M0;{A};ACI;2024-07-01;2024-12-31;3;;5;0;VALIDE;60;25;40
EI055240001A0M0;{B};EI;01/03/2024;31/12/2024;1,5;;0;0;PROVISOIRE;;;
AI055240001A0M0;{C};AI;2024-01-01;2024-12-31;4;;0;0;VALIDE;;;
ACI057240001A0M0;{D};ACI;2024-01-01;2024-12-31;10;;0;0;VALIDE;;;
"""

PARCOURS = f"""{ENTETE_PARCOURS}
999992400001;Alpha;Ana;1990-05-01;F;{A};2023-10-01;2024-01-01;CDDI;26;oui;non;non;non;INFRA_CAP;DELD
999992400002;Bravo;Bob;1966-03-01;M;{A};2024-01-01;2024-01-01;CDDI;35;non;oui;non;oui;;
999992400003;Charlie;Cléo;2001-02-01;F;{B};2024-03-01;2024-03-01;CDDI;35;non;non;non;non;;
999992400004;Delta;Dan;1980-02-01;M;{C};2024-01-01;2024-01-01;CDDU;20;oui;non;oui;non;;
999992400005;Echo;Eve;1975-02-01;F;{D};2024-01-01;2024-01-01;CDDI;30;non;non;non;non;;
"""


def heures(siret: str, pass_: str, mois: int) -> Decimal:
    """Hours that vary by person and month, with cents."""
    base = {"999992400001": "110.50", "999992400002": "151.67", "999992400003": "140", "999992400004": "80.25"}
    return Decimal(base.get(pass_, "120")) + Decimal(mois) / 4


DECLARATIONS = [
    (A, "ACI055240001A0M0", 1, 12, ["999992400001", "999992400002"]),
    (B, "EI055240001A0M0", 3, 12, ["999992400003"]),
    (C, "AI055240001A0M0", 1, 12, ["999992400004"]),
    (D, "ACI057240001A0M0", 1, 12, ["999992400005"]),
]


def fichier_declarations(correction: Decimal | None = None) -> str:
    lignes = ["siret;numero_annexe;mois;numero_pass;heures_travaillees;date_sortie;motif_sortie"]
    for siret, annexe, premier, dernier, passes in DECLARATIONS:
        for mois in range(premier, dernier + 1):
            for pass_ in passes:
                h = heures(siret, pass_, mois)
                if correction is not None and (pass_, mois) == ("999992400001", 5):
                    h = correction
                sortie = ";2024-12-20;CDI" if (pass_, mois) == ("999992400002", 12) else ";;"
                lignes.append(f"{siret};{annexe};2024-{mois:02d};{pass_};{str(h).replace('.', ',')}{sortie}")
    return "\n".join(lignes) + "\n"


def importer(tmp_path, type_, contenu, nom=None):
    chemin = tmp_path / (nom or f"{type_}.csv")
    chemin.write_text(contenu, encoding="utf-8")
    call_command("importer", type_, str(chemin))


def exporter(dossier, annee=2024, departement="55"):
    chemin = dossier / "indicateurs.json"
    call_command(
        "exporter", "indicateurs", "--annee", str(annee), "--departement", departement, "--sortie", str(chemin)
    )
    return json.loads(chemin.read_text(encoding="utf-8"))


def deux(valeur: Decimal) -> str:
    return str(valeur.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def un(ratio: Decimal) -> str:
    return str((ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@pytest.fixture
def departement(tmp_path):
    importer(tmp_path, "siae", SIAE)
    importer(tmp_path, "annexes", ANNEXES)
    importer(tmp_path, "parcours", PARCOURS)
    importer(tmp_path, "declarations", fichier_declarations())
    rafraichir_tout()  # what the imports ask for when they commit
    return tmp_path


def attendu_par_siae(correction: Decimal | None = None) -> dict[str, tuple[Decimal, Decimal]]:
    """ETP-mois conventionnés and réalisés of each 55 structure over 2024, from the rules."""
    heures_annuelles = {A: Decimal(1820), B: Decimal(1607), C: Decimal(1607)}
    conv = {
        A: Decimal(2) * 6 + Decimal(3) * 6,  # the avenant raises 2 to 3 ETP from July
        B: Decimal("1.5") * 10,  # March to December
        C: Decimal(4) * 12,
    }
    real = {}
    for siret, _, premier, dernier, passes in DECLARATIONS:
        if siret == D:
            continue
        total = Decimal(0)
        for mois in range(premier, dernier + 1):
            for pass_ in passes:
                h = heures(siret, pass_, mois)
                if correction is not None and (pass_, mois) == ("999992400001", 5):
                    h = correction
                total += h * 12 / heures_annuelles[siret]
        real[siret] = total
    return {s: (conv[s], real[s]) for s in conv}


def verifier_export(donnees, attendus):
    par_type = {"ACI": [A], "EI": [B], "AI": [C]}
    consommation = {ligne["type"]: ligne for ligne in donnees["consommation"]}
    assert list(consommation) == ["ACI", "AI", "EI", "TOTAL"]
    for type_, sirets in par_type.items():
        conv = sum(attendus[s][0] for s in sirets)
        real = sum(attendus[s][1] for s in sirets)
        assert consommation[type_] == {
            "type": type_,
            "etp_conventionnes": deux(conv / 12),
            "etp_realises": deux(real / 12),
            "taux_consommation": un(real / conv),
        }
    conv_total = sum(c for c, _ in attendus.values())
    real_total = sum(r for _, r in attendus.values())
    assert consommation["TOTAL"]["etp_conventionnes"] == deux(conv_total / 12)
    assert consommation["TOTAL"]["etp_realises"] == deux(real_total / 12)
    assert consommation["TOTAL"]["taux_consommation"] == un(real_total / conv_total)
    lignes_siae = {ligne["siret"]: ligne for ligne in donnees["siae"]}
    assert set(lignes_siae) == {A, B, C}  # the Moselle structure is not in the 55 export
    for siret, (conv, real) in attendus.items():
        taux = real / conv
        statut = "sous-consommation" if taux < Decimal("0.95") else "sur-consommation" if taux > 1 else "conforme"
        assert lignes_siae[siret]["etp_conventionnes"] == deux(conv / 12)
        assert lignes_siae[siret]["etp_realises"] == deux(real / 12)
        assert lignes_siae[siret]["taux_consommation"] == un(taux)
        assert lignes_siae[siret]["statut_consommation"] == statut


def test_les_indicateurs_exportes_suivent_les_regles(departement):
    verifier_export(exporter(departement), attendu_par_siae())


def test_l_avenant_change_les_etp_a_partir_de_son_mois(departement):
    annexe = AnnexeFinanciere.objects.get(prefixe="ACI055240001")
    assert annexe.numero == "ACI055240001A1M0"
    mensuels = dict(
        EtpConventionneMensuel.objects.filter(annexe=annexe).values_list("mois__month", "etp_conventionnes")
    )
    assert [mensuels[m] for m in range(1, 13)] == [Decimal(2)] * 6 + [Decimal(3)] * 6
    assert list(annexe.avenants.values_list("numero", flat=True)) == ["ACI055240001A0M0", "ACI055240001A1M0"]


def test_reimporter_les_memes_fichiers_ne_change_rien(departement, capsys):
    avant = LigneDeclaration.objects.count(), DeclarationMensuelle.objects.count()
    capsys.readouterr()
    importer(departement, "declarations", fichier_declarations(), nom="encore.csv")
    importer(departement, "annexes", ANNEXES, nom="annexes-encore.csv")
    sortie = capsys.readouterr().out
    nombre_de_lignes = len(fichier_declarations().splitlines()) - 1
    assert f"0 créé(s), 0 modifié(s), {nombre_de_lignes} inchangé(s)" in sortie
    assert "0 créé(s), 0 modifié(s), 5 inchangé(s)" in sortie
    assert (LigneDeclaration.objects.count(), DeclarationMensuelle.objects.count()) == avant


def test_une_correction_apres_validation_cree_une_version_retenue(departement):
    may = DeclarationMensuelle.objects.get(annexe__prefixe="ACI055240001", mois__month=5)
    valider_declaration(may)
    importer(departement, "declarations", fichier_declarations(correction=Decimal("120.00")), nom="correction.csv")
    versions = DeclarationMensuelle.objects.filter(annexe__prefixe="ACI055240001", mois__month=5).order_by("version")
    assert [(v.version, v.etat, v.retenue) for v in versions] == [
        (1, EtatDeclaration.VALIDEE, False),
        (2, EtatDeclaration.TRANSMISE, True),
    ]
    # The validated version is kept as it was; the figures read the new one.
    assert versions[0].lignes.get(parcours__pass_iae__numero="999992400001").heures_travaillees == Decimal("111.75")
    verifier_export(exporter(departement), attendu_par_siae(correction=Decimal("120.00")))


def test_un_fichier_avec_une_ligne_fausse_ne_change_rien_et_la_nomme(departement, capsys):
    avant = list(LigneDeclaration.objects.order_by("pk").values_list("pk", "heures_travaillees"))
    contenu = fichier_declarations(correction=Decimal("120.00")).splitlines()
    # Line 4 of the file (the header is line 1): 250 hours in a month.
    champs = contenu[3].split(";")
    champs[4] = "250"
    contenu[3] = ";".join(champs)
    capsys.readouterr()
    with pytest.raises(SystemExit) as sortie:
        importer(departement, "declarations", "\n".join(contenu) + "\n", nom="faux.csv")
    assert sortie.value.code == 1
    erreurs = capsys.readouterr().err
    assert "ligne 4, colonne heures_travaillees : 250,00 h dépasse le maximum légal de 208 h dans un mois" in erreurs
    assert "rien n'a été enregistré" in erreurs
    assert list(LigneDeclaration.objects.order_by("pk").values_list("pk", "heures_travaillees")) == avant


def test_l_import_respecte_les_changements_d_etat(departement, capsys):
    importer(
        departement, "annexes", ANNEXES.replace(";VALIDE;60;25;40\n", ";CLOTURE;60;25;40\n", 2), nom="cloture.csv"
    )
    assert AnnexeFinanciere.objects.get(prefixe="ACI055240001").etat == "CLOTURE"
    capsys.readouterr()
    with pytest.raises(SystemExit):
        importer(
            departement, "annexes", ANNEXES.replace(";VALIDE;60;25;40\n", ";BROUILLON;60;25;40\n", 1), nom="b.csv"
        )
    assert (
        "ligne 2, colonne etat : une annexe clôturée ne peut pas passer à l'état « brouillon »"
        in capsys.readouterr().err
    )
    assert AnnexeFinanciere.objects.get(prefixe="ACI055240001").etat == "CLOTURE"
