"""The choices of fluxiae/regles.py, as plain functions: no database (shared/spec/fluxiae.md, docs/fluxiae.md)."""

from decimal import Decimal

import pytest

from fluxiae import regles


@pytest.mark.parametrize(
    ("numero", "departement"),
    [
        ("ACI055250001", "55"),  # 3 characters after the kind; a leading 0 dropped
        ("ai055250002", "55"),  # any case
        (" EI034220001 ", "34"),
        ("ACI02A250001", "2A"),  # Corsica
        ("EITI02B250001", "2B"),
        ("ACI59V250001", "59"),  # the Nord's codes: 59 whatever follows
        ("ETTI590250001", "59"),
        ("ACI971250001", "971"),  # overseas: the 3 characters
        ("EI976250001", "976"),
        ("FDI055250004", "55"),  # FDI too (its AF is ignored later, not here)
        ("ETTI055250001", "55"),  # ETTI and EITI are not read as EI or ETI
        ("EITI055250001", "55"),
        ("XYZ055250001", None),  # an unknown kind
        ("ACI05", None),  # too short
        ("ACIABC250001", None),  # not a département
        ("", None),
    ],
)
def test_departement_de_l_af(numero, departement):
    assert regles.departement_de_l_af(numero) == departement


@pytest.mark.parametrize(
    ("code", "type_"),
    [
        ("ACI_DC", "ACI"),
        ("ACI_MP", "ACI"),  # milieu pénitentiaire: the same kind
        ("EI_MP", "EI"),
        ("AI_DC", "AI"),
        ("ETTI_DC", "ETTI"),
        ("EITI_DC", "EITI"),
        ("aci_dc", "ACI"),
        ("FDI_DC", "FDI"),  # not a SIAE: the importer keeps it apart
        ("ACIPA_DC", None),  # meaning unknown: refused rather than guessed
        ("EIPA_DC", None),
        ("ACI_XX", None),  # an unknown dispositif
        ("ACI", None),
        ("", None),
    ],
)
def test_type_de_mesure(code, type_):
    assert regles.type_de_mesure(code) == type_


@pytest.mark.parametrize(
    ("libelle", "categorie"),
    [
        ("Emploi durable", "EMPLOI_DURABLE"),
        ("EMPLOI DURABLE", "EMPLOI_DURABLE"),
        ("  Emploi   durable ", "EMPLOI_DURABLE"),
        ("Emploi de transition", "EMPLOI_TRANSITION"),
        ("EMPLOI DE TRANSITION", "EMPLOI_TRANSITION"),
        ("Sortie(s) positive(s)", "SORTIE_POSITIVE"),  # the label as issue 11 writes it
        ("SORTIE(S) POSITIVE(S)", "SORTIE_POSITIVE"),
        ("Sorties positives", "SORTIE_POSITIVE"),
        ("Sortie positive", "SORTIE_POSITIVE"),
        ("Autres sorties", "AUTRE"),
        ("autre sortie", "AUTRE"),
        ("Retrait des sorties constatées", "RETRAIT"),
        ("RETRAIT DES SORTIES CONSTATEES", "RETRAIT"),
        ("Retrait des sorties constatÉes", "RETRAIT"),
        ("Émploi durable", "EMPLOI_DURABLE"),
        ("Sorties dynamiques", None),  # unknown: the importer refuses it, naming file, line and value
        ("", None),
    ],
)
def test_categorie_de(libelle, categorie):
    assert regles.categorie_de(libelle) == categorie


@pytest.mark.parametrize(
    ("civilite", "genre"),
    [
        ("MME", "F"),
        ("Mme", "F"),
        ("mme.", "F"),
        ("M.", "M"),
        ("M", "M"),
        (" m. ", "M"),
        ("MLLE", None),
        ("", None),
        (None, None),
    ],
)
def test_genre_de_civilite(civilite, genre):
    assert regles.genre_de_civilite(civilite) == genre


@pytest.mark.parametrize(
    ("code", "brsa"),
    [
        ("OUI-M", True),
        ("OUI-NM", True),
        ("oui-nm", True),
        (" OUI-M ", True),
        ("NON", False),
        ("", False),
        (None, False),
    ],
)
def test_est_brsa(code, brsa):
    assert regles.est_brsa(code) is brsa


@pytest.mark.parametrize(("code", "qpv"), [("QP", True), ("qp", True), ("NQP", False), ("", False), (None, False)])
def test_est_qpv(code, qpv):
    assert regles.est_qpv(code) is qpv


@pytest.mark.parametrize(
    ("texte", "heures"),
    [
        ("35:00", Decimal("35.00")),
        ("26:30", Decimal("26.50")),
        ("20:20", Decimal("20.33")),  # 20 h 20 min, to the hundredth
        ("48:00", Decimal("48.00")),  # the legal maximum
        (" 24:00 ", Decimal("24.00")),
        ("48:01", None),  # aberrant
        ("99:99", None),
        ("00:00", None),
        ("35:60", None),  # malformed
        ("35", None),
        ("24h", None),
        ("-1:00", None),
        ("abc", None),
        ("", None),
        (None, None),
    ],
)
def test_heures_hebdo_jamais_une_erreur(texte, heures):
    assert regles.heures_hebdo(texte) == heures


def test_version_qui_compte():
    # (state, modification rank, row index) of the rows of one AF id.
    assert regles.version_qui_compte([("HISTORISE", 0, 0), ("VALIDE", 1, 1), ("SAISI", 2, 2)]) == 1
    assert regles.version_qui_compte([("SAISI", 2, 0), ("HISTORISE", 0, 1), ("PROVISOIRE", 1, 2)]) == 2
    assert regles.version_qui_compte([("CLOTURE", 3, 0), ("HISTORISE", 2, 1)]) == 0  # a finished year
    # The highest rank among the counted states, whatever the order of the file.
    assert regles.version_qui_compte([("VALIDE", 2, 0), ("VALIDE", 1, 1)]) == 0
    # Only a pending, historised or refused AF: none counts.
    assert regles.version_qui_compte([("SAISI", 0, 0)]) is None
    assert regles.version_qui_compte([("HISTORISE", 0, 0), ("ANNULE", 1, 1), ("REJETE", 2, 2)]) is None
    assert regles.version_qui_compte([]) is None


@pytest.mark.parametrize(
    ("code", "niveau"),
    [
        ("0", "SANS"),
        ("1", "SANS"),
        ("70", "INFRA_CAP"),
        ("60", "INFRA_CAP"),
        ("50", "INFRA_CAP"),
        ("51", "CAP_BEP"),
        ("40", "BAC"),
        ("41", "BAC"),
        ("30", "BAC_PLUS_2"),
        ("20", "BAC_PLUS_3"),
        ("10", "BAC_PLUS_3"),
        ("051", "CAP_BEP"),
        ("99", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_niveau_de_formation(code, niveau):
    assert regles.niveau_de_formation(code) == niveau


@pytest.mark.parametrize(
    ("code", "duree"),
    [("DE 12 À 23 MOIS", "DELD"), ("24 MOIS ET PLUS", "DETLD"), ("MOINS DE 6 MOIS", ""), ("", ""), (None, "")],
)
def test_duree_de_chomage(code, duree):
    assert regles.duree_de_chomage(code) == duree


def test_numero_et_departement_demande():
    assert regles.numero_complet("aci055250001 ", 0, 1) == "ACI055250001A0M1"
    assert [regles.code_departement(c) for c in ("055", "55", "02A", "2a", "971", " 57 ")] == [
        "55",
        "55",
        "2A",
        "2A",
        "971",
        "57",
    ]
