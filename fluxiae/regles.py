"""How the ASP's fluxIAE becomes Pilot'IAE's data: plain functions on values (docs/fluxiae.md).

Each choice where the flux is silent or ambiguous is a named constant or a small function here, so that changing
it is one edit (docs/decisions.md, "fluxIAE").
"""

import unicodedata
from decimal import Decimal

# AF states. The one that counts for an AF id is in ETATS_COMPTES (a finished year is CLOTURE); a pending
# modification waits in SAISI next to it and is ignored; HISTORISE rows are the older versions, kept as history.
ETATS_COMPTES = ("VALIDE", "PROVISOIRE", "CLOTURE")
ETAT_HISTORISE = "HISTORISE"

# The mesure code gives the kind: `ACI_DC` → ACI, `ACI_MP` (milieu pénitentiaire) → ACI too. FDI is not a SIAE: its
# AFs are kept apart from every ETP and aide au poste. `ACIPA_DC`/`EIPA_DC` are of unknown meaning: refused as
# unknown kinds rather than guessed.
TYPES_SIAE = ("ACI", "AI", "EI", "ETTI", "EITI")
MESURE_FDI = "FDI"

# Exit categories of RefCategorieSort, compared without accents or case (spec §7 of regles-metier).
CATEGORIES = {
    "emploi durable": "EMPLOI_DURABLE",
    "emploi de transition": "EMPLOI_TRANSITION",
    "sortie positive": "SORTIE_POSITIVE",
    "sorties positives": "SORTIE_POSITIVE",
    # Issue 11 names the label "Sortie(s) positive(s)" as the ASP writes it, parentheses included.
    "sortie(s) positive(s)": "SORTIE_POSITIVE",
    "autres sorties": "AUTRE",
    "autre sortie": "AUTRE",
    "retrait des sorties constatees": "RETRAIT",
}

# The state of a monthly declaration in the ASP (EMI) → Pilot'IAE's. The ASP's latest version of a month is the
# one it pays on: it is the retained one, validated or not yet.
ETATS_EMI_VALIDES = ("VALIDE",)


def sans_accents(texte: str) -> str:
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if not unicodedata.combining(c)).casefold().strip()


def categorie_de(libelle: str) -> str | None:
    """The Pilot'IAE exit category of a RefCategorieSort label, None when unknown."""
    return CATEGORIES.get(" ".join(sans_accents(libelle).split()))


def type_de_mesure(code: str) -> str | None:
    """`ACI_DC` → "ACI", `ETTI_MP` → "ETTI", `FDI_DC` → "FDI"; None for a mesure Pilot'IAE does not know."""
    type_, _, dispositif = code.upper().rpartition("_")
    if dispositif not in ("DC", "MP"):
        return None
    if type_ == MESURE_FDI:
        return MESURE_FDI
    return type_ if type_ in TYPES_SIAE else None


def departement_de_l_af(numero_af: str) -> str | None:
    """The département of an AF number (`ACI055220001` → "55", `ACI02A…` → "2A", `ACI59V…` → "59",
    `ACI971…` → "971"): the three characters after the kind, as the Pilotage de l'inclusion reads them."""
    numero = numero_af.strip().upper()
    for type_ in sorted((*TYPES_SIAE, MESURE_FDI), key=len, reverse=True):
        if numero.startswith(type_):
            code = numero[len(type_) : len(type_) + 3]
            break
    else:
        return None
    if len(code) < 3:
        return None
    if code.startswith("0"):
        return code[1:]
    if code.startswith("59"):
        return "59"
    return code if code.isdigit() else None


def numero_complet(prefixe: str, renouvellement: int, modification: int) -> str:
    """`ACI055220001`, 0, 1 → `ACI055220001A0M1`."""
    return f"{prefixe.strip().upper()}A{renouvellement}M{modification}"


def version_qui_compte(versions: list[tuple[str, int, int]]) -> int | None:
    """Among the (state, modification rank, row index) of one AF id, the index of the row that counts: the one in
    a counted state with the highest modification rank; None when none is (a pending or refused AF only)."""
    comptees = [(rang, indice) for etat, rang, indice in versions if etat in ETATS_COMPTES]
    return max(comptees)[1] if comptees else None


def genre_de_civilite(civilite: str | None) -> str | None:
    """`MME` → F, `M.` → M; None when the civilité says neither."""
    code = (civilite or "").strip().upper().rstrip(".")
    return {"MME": "F", "M": "M"}.get(code)


def est_brsa(code_rsa: str | None) -> bool:
    """`OUI-M` (majoré) and `OUI-NM` (non majoré) are bRSA; `NON` and empty are not."""
    return (code_rsa or "").strip().upper().startswith("OUI")


def est_qpv(code: str | None) -> bool:
    return (code or "").strip().upper() == "QP"


# RefNiveauFormation codes (spec fluxiae §6.7) → Pilot'IAE's levels.
NIVEAUX_FORMATION = {
    "0": "SANS",
    "1": "SANS",
    "70": "INFRA_CAP",
    "60": "INFRA_CAP",
    "50": "INFRA_CAP",
    "51": "CAP_BEP",
    "40": "BAC",
    "41": "BAC",
    "30": "BAC_PLUS_2",
    "20": "BAC_PLUS_3",
    "10": "BAC_PLUS_3",
}


def niveau_de_formation(code: str | None) -> str:
    return NIVEAUX_FORMATION.get((code or "").strip().lstrip("0") or ("0" if code else ""), "")


def duree_de_chomage(code: str | None) -> str:
    """RefDureePoleEmploi: 12 to 23 months → DELD, 24 months and more → DETLD, anything else → none."""
    texte = sans_accents(code or "")
    if "24" in texte:
        return "DETLD"
    if "12" in texte:
        return "DELD"
    return ""


def heures_hebdo(texte: str | None) -> Decimal | None:
    """`35:00` → 35, `26:30` → 26.5; the flux's dirty values (aberrant, malformed) give None, never an error."""
    heures, separateur, minutes = (texte or "").strip().partition(":")
    if not separateur or not heures.isdigit() or not minutes.isdigit() or int(minutes) >= 60:
        return None
    valeur = Decimal(int(heures)) + Decimal(int(minutes)) / 60
    return valeur.quantize(Decimal("0.01")) if 0 < valeur <= 48 else None


def code_departement(code: str) -> str:
    """A département as given on the command line or the page: `055` → `55`, `02A` → `2A`, `971` stays."""
    code = code.strip().upper()
    return code[1:] if len(code) == 3 and code.startswith("0") else code
