"""The bilan of the small 2023 département of tests/financement (three structures, the revaluations of 1 January
and 1 May 2023): the PDF's text carries the figures of `exporter indicateurs`, written the French way, and those
figures are the ones computed here from the rules. One PDF is rendered and read for all the checks."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from aides_au_poste.regles import arrondi_euro
from base.formats import etp_fr, montant_fr
from bilans.contenu import assembler_bilan
from bilans.pdf import pdf_du_bilan
from indicateurs.sections import indicateurs
from indicateurs.services import rafraichir_tout
from tests.aides_au_poste.test_departement import TYPES, A, B, C, attendu, conventionnes, departement  # noqa: F401
from tests.aides_au_poste.test_departement import realises as realises_par_mois

from .outils import lit_le_pdf, normaliser, pages, texte_du_pdf

pytestmark = pytest.mark.django_db

ANNEE = 2023
CHAMPS_AIDES = ("socle_conventionne", "modulation", "total_conventionne", "du", "verse")
CHAMPS_PUBLICS = ("femmes", "brsa", "qpv", "moins_26_ans", "50_ans_et_plus", "rqth", "zrr", "deld_detld", "infra_cap")


@pytest.fixture(autouse=True)
def indicateurs_rafraichis(departement):  # noqa: F811
    """The monthly indicators the consumption curve reads, as the imports' commits and the night refresh them in
    production (a test's transaction never commits)."""
    rafraichir_tout()


def pourcent(valeur) -> str:
    """An exported rate ("98.8") or a Decimal in %, as the PDF writes it."""
    if valeur is None:
        return "–"
    texte = str(Decimal(valeur).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)).replace(".", ",")
    return f"{texte} %"


def montant(valeur) -> str:
    return normaliser(montant_fr(Decimal(valeur)))


@lit_le_pdf
def test_le_pdf_reprend_les_indicateurs_exportes(departement):  # noqa: F811
    exporte = indicateurs(ANNEE, "55")
    document = pdf_du_bilan(assembler_bilan("55", ANNEE))
    texte = texte_du_pdf(document.contenu)

    # The ETP table by kind: the export's rows, and by hand A 2 ETP then 3 from July (30 ETP-mois), C 4 ETP (48),
    # B 0,5 ETP from March (5), over 12 months.
    for ligne in exporte["consommation"]:
        assert (
            f"{ligne['type']} {etp_fr(ligne['etp_conventionnes'])} {etp_fr(ligne['etp_realises'])} "
            f"{pourcent(ligne['taux_consommation'])}"
        ) in texte
    conv = {s: sum(conventionnes(s).values()) for s in TYPES}
    real = {s: sum(realises_par_mois(s).values()) for s in TYPES}
    assert conv == {A: 30, B: 5, C: 48}
    total_conv, total_real = sum(conv.values()), sum(real.values())
    assert etp_fr(total_conv / 12) == "6,92"
    assert f"TOTAL 6,92 {etp_fr(total_real / 12)} {pourcent(total_real / total_conv * 100)}" in texte
    assert f"ACI 2,50 {etp_fr(real[A] / 12)} {pourcent(real[A] / 30 * 100)}" in texte

    # The aides au poste by kind, computed from the barème and the ETP, as exported.
    # Each annexe's amounts count as shown, to the cent; its total conventionné is its socle and modulation shown.
    def affiche(siret):
        valeurs = {c: arrondi_euro(v) for c, v in attendu(siret).items()}
        valeurs["total_conventionne"] = valeurs["socle_conventionne"] + valeurs["modulation"]
        return valeurs

    aides = {ligne["type"]: ligne for ligne in exporte["aides_au_poste"]}
    for siret, type_ in TYPES.items():
        valeurs = affiche(siret)
        ligne = f"{type_} " + " ".join(montant(valeurs[c]) for c in CHAMPS_AIDES)
        assert ligne == f"{type_} " + " ".join(montant(aides[type_][c]) for c in CHAMPS_AIDES)
        assert ligne in texte
    assert "TOTAL " + " ".join(montant(sum(affiche(s)[c] for s in TYPES)) for c in CHAMPS_AIDES) in texte

    # The revaluations met by the 2023 annexes: (new − previous) × ETP conventionnés of the months the row is in
    # force / 12 (the January row until May, when the next one replaces it), all past at the date of the bilan.
    # ACI: 22 289 → 22 692 on January–April (2 ETP: 8 ETP-mois); 22 692 → 23 196 on May–December (22).
    assert f"ACI 01/01/2023 {montant(22692)} {montant(403)} {montant(Decimal(403) * 8 / 12)} {montant(0)}" in texte
    assert f"ACI 01/05/2023 {montant(23196)} {montant(504)} {montant(Decimal(504) * 22 / 12)} {montant(0)}" in texte
    # AI: 1 509 → 1 536 on 16, 1 536 → 1 570 on 32; EI (March on): 11 609 → 11 819 on 1, 11 819 → 12 081 on 4.
    assert f"AI 01/05/2023 {montant(1570)} {montant(34)} {montant(Decimal(34) * 32 / 12)}" in texte
    assert f"EI 01/01/2023 {montant(11819)} {montant(210)} {montant(Decimal(210) * 1 / 12)}" in texte
    total = (
        Decimal(403) * 8 + Decimal(504) * 22 + Decimal(27) * 16 + Decimal(34) * 32 + Decimal(210) * 1 + 262 * 4
    ) / 12
    assert f"TOTAL {montant(total)} {montant(0)}" in texte

    # The publics: four salariés worked in 2023 in the 55, Ana (F, bRSA), Bob (M, 57 ans, QPV, RQTH), Cléo (F,
    # 22 ans), Dan (M, bRSA, ZRR); the Moselle one is not counted.
    total_publics = exporte["publics"][-1]
    assert total_publics["salaries"] == 4
    assert [total_publics[c] for c in ("femmes", "brsa", "qpv", "moins_26_ans")] == ["50.0", "50.0", "25.0", "25.0"]
    assert "TOTAL 4 " + " ".join(pourcent(total_publics[c]) for c in CHAMPS_PUBLICS) in texte

    # The cover, the page numbers, the structures of the département only.
    couverture = pages(texte)[0]
    assert "PRÉFET DE LA MEUSE" in couverture
    assert "Bilan 2023 de l'insertion par" in couverture
    assert "Meuse (55)" in couverture
    assert f"page 2 / {document.pages}" in pages(texte)[1]
    assert f"page {document.pages} / {document.pages}" in texte
    for nom in ("Chantier A", "Entreprise B", "Association C"):
        assert nom in texte
    assert "Chantier de Moselle" not in texte


def test_un_nombre_fixe_de_requetes(departement, django_assert_max_num_queries):  # noqa: F811
    with django_assert_max_num_queries(48):
        assembler_bilan("55", ANNEE)
