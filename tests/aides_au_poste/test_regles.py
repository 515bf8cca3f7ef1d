"""The aide au poste rules (spec §5), without a database: every expected value is worked out here by hand."""

import datetime as dt
from decimal import Decimal

from aides_au_poste import regles
from aides_au_poste.regles import LigneBareme

D = Decimal
ACI = [
    LigneBareme(dt.date(2022, 8, 1), D("22289"), "arrêté du 5 décembre 2022"),
    LigneBareme(dt.date(2023, 1, 1), D("22692"), "arrêté du 28 juillet 2023"),
    LigneBareme(dt.date(2023, 5, 1), D("23196"), "arrêté du 28 juillet 2023"),
]


def egal(a: Decimal, b: Decimal) -> bool:
    """Equal up to the last digits of Decimal's 28-digit precision (sums of thirds are not exact)."""
    return abs(a - b) < D("1e-20")


MOIS_2023 = [dt.date(2023, m, 1) for m in range(1, 13)]


def test_la_ligne_en_vigueur_est_celle_du_premier_du_mois():
    assert regles.ligne_en_vigueur(ACI, dt.date(2023, 4, 30)).montant == D("22692")
    assert regles.ligne_en_vigueur(ACI, dt.date(2023, 5, 1)).montant == D("23196")
    assert regles.ligne_en_vigueur(ACI, dt.date(2022, 12, 15)).montant == D("22289")
    assert regles.ligne_en_vigueur(list(reversed(ACI)), dt.date(2023, 6, 1)).montant == D("23196")
    assert regles.ligne_en_vigueur(ACI, dt.date(2022, 7, 1)) is None
    assert regles.taux_du_mois(ACI, dt.date(2022, 7, 1)) == 0
    # A row taking effect on the 15th applies from the next month.
    milieu = [*ACI, LigneBareme(dt.date(2023, 9, 15), D("24000"))]
    assert regles.taux_du_mois(milieu, dt.date(2023, 9, 1)) == D("23196")
    assert regles.taux_du_mois(milieu, dt.date(2023, 10, 1)) == D("24000")


def test_une_annexe_a_cheval_sur_la_revalorisation_du_1er_mai_2023():
    etp = {m: D(2) for m in MOIS_2023}
    socle = regles.socle_conventionne(etp, ACI)
    attendu = D(2) * D("22692") / 12 * 4 + D(2) * D("23196") / 12 * 8
    assert socle == attendu
    assert regles.arrondi_euro(socle) == D("46056.00")  # 15 128 + 30 928
    assert regles.modulation(D("0.05"), socle) == attendu * D("0.05")
    assert regles.arrondi_euro(regles.total_conventionne(socle, D("0.05"))) == D("48358.80")


def test_un_avenant_en_cours_d_annee():
    etp = {m: (D(2) if m.month < 7 else D("3.5")) for m in MOIS_2023}
    attendu = 2 * D("22692") / 12 * 4 + 2 * D("23196") / 12 * 2 + D("3.5") * D("23196") / 12 * 6
    assert regles.socle_conventionne(etp, ACI) == attendu
    assert regles.arrondi_euro(attendu) == D("63453.00")


def test_le_du_est_plafonne_par_le_socle_conventionne():
    conv = {m: D(1) for m in MOIS_2023}
    socle = regles.socle_conventionne(conv, ACI)
    reel = {m: D("1.5") for m in MOIS_2023[:6]}
    # Through March: 3 × 1.5 × 22692 / 12 = 8 509.50, under the socle.
    assert regles.du_cumule(reel, ACI, socle, dt.date(2023, 3, 1)) == D("8509.5")
    non_plafonne = D("1.5") * (D("22692") * 4 + D("23196") * 2) / 12
    assert regles.du_non_plafonne(reel, ACI) == non_plafonne
    assert regles.du_cumule(reel, ACI, socle) == min(non_plafonne, socle)
    # An over-consumer all year long reaches the cap.
    sur = {m: D(2) for m in MOIS_2023}
    assert regles.du_non_plafonne(sur, ACI) > socle
    assert regles.du_cumule(sur, ACI, socle) == socle


def test_avances_et_regularisations():
    conv = {m: D(1) for m in MOIS_2023}
    socle = regles.socle_conventionne(conv, ACI)  # 22692 × 4/12 + 23196 × 8/12 = 23 028
    assert socle == D("23028")
    assert regles.avance_mensuelle(socle) == D("1919")
    reel = {m: D("0.5") for m in MOIS_2023}
    points = regles.points_de_regularisation(MOIS_2023, reel, ACI, socle)
    assert [(p.rang, p.mois.month, p.fin) for p in points] == [
        (5, 5, False),
        (8, 8, False),
        (11, 11, False),
        (12, 12, True),
    ]
    du_5 = D("0.5") * (D("22692") * 4 + D("23196")) / 12
    assert points[0].du_cumule == du_5
    assert points[0].avances == 5 * D("1919")
    assert points[0].a_regulariser == du_5 - 5 * D("1919")
    du_8 = du_5 + D("0.5") * D("23196") * 3 / 12
    assert points[1].deja_regularise == points[0].a_regulariser
    assert points[1].a_regulariser == du_8 - 8 * D("1919") - points[0].a_regulariser
    # After each point the annexe has received exactly what was due so far.
    for point in points:
        assert point.avances + point.deja_regularise + point.a_regulariser == point.du_cumule
    assert points[-1].du_cumule == socle / 2


def test_une_annexe_courte_n_a_que_les_points_qu_elle_atteint():
    mois = MOIS_2023[2:9]  # March to September: 7 months
    points = regles.points_de_regularisation(mois, {}, ACI, D(1000))
    assert [(p.rang, p.mois.month) for p in points] == [(5, 7), (7, 9)]
    assert egal(points[0].a_regulariser, -5 * D(1000) / 12)


def test_l_impact_d_une_ligne_retroactive():
    etp = {m: (D(2) if m.month < 7 else D(3)) for m in MOIS_2023}
    nouvelle = LigneBareme(dt.date(2023, 5, 1), D("23500"), "hypothèse")
    impact = regles.impact_revalorisation(etp, ACI, nouvelle, mois_courant=dt.date(2023, 9, 20))
    assert [m.mois.month for m in impact.mois] == list(range(5, 13))
    ecart = D("23500") - D("23196")
    # May to August before September: retroactive; September to December: forecast.
    assert impact.retroactif == ecart * (2 + 2 + 3 + 3) / 12
    assert impact.previsionnel == ecart * 3 * 4 / 12
    assert impact.total == impact.retroactif + impact.previsionnel


def test_une_ligne_intermediaire_ne_touche_que_les_mois_avant_la_suivante():
    etp = {m: D(1) for m in MOIS_2023}
    nouvelle = LigneBareme(dt.date(2023, 3, 1), D("23000"))
    impact = regles.impact_revalorisation(etp, ACI, nouvelle, mois_courant=dt.date(2024, 1, 1))
    # March and April change (22 692 → 23 000), from May the 1 May row still applies.
    assert egal(impact.retroactif, (D("23000") - D("22692")) * 2 / 12)
    assert impact.previsionnel == 0


def test_une_baisse_est_un_impact_negatif_et_remplace_la_ligne_de_meme_date():
    etp = {m: D(1) for m in MOIS_2023}
    nouvelle = LigneBareme(dt.date(2023, 5, 1), D("23000"))
    impact = regles.impact_revalorisation(etp, ACI, nouvelle, mois_courant=dt.date(2023, 1, 1))
    assert impact.retroactif == 0
    assert egal(impact.previsionnel, (D("23000") - D("23196")) * 8 / 12)


def test_arrondi_a_la_moitie_superieure():
    assert regles.arrondi_euro(D("0.005")) == D("0.01")
    assert regles.arrondi_euro(D("2.344999")) == D("2.34")
