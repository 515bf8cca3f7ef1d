"""Rules of an import's progress, as plain functions on values."""

from base.formats import nombre_fr

# Below this many lines a file is checked in a blink: its progress is written at the start and the end only.
PAS_MINIMUM = 200


def progression(traitees: int, total: int) -> int:
    """Percentage of the lines done, rounded down: 100 % only once every line is."""
    if total <= 0:
        return 0
    return min(100, traitees * 100 // total)


def pas_de_progression(total: int) -> int:
    """Lines between two writes of the progress: about every 2 % of the file, at least PAS_MINIMUM lines, so a
    large file costs some fifty small updates, not one per line."""
    return max(PAS_MINIMUM, total // 50)


def a_noter(rang: int, total: int) -> bool:
    """Whether the progress is written after the line of this rank (1 to total)."""
    return rang == total or rang % pas_de_progression(total) == 0


def texte_progression(traitees: int, total: int) -> str:
    """« 1 200 lignes sur 5 000 (24 %) »."""
    ligne = "ligne" if total <= 1 else "lignes"
    return f"{nombre_fr(traitees, 0)} {ligne} sur {nombre_fr(total, 0)} ({progression(traitees, total)}\u00a0%)"


LECTURE = "Lecture du fichier"
VERIFICATION = "Vérification des lignes"
ENREGISTREMENT = "Contrôles et enregistrement, tout ou rien"
COMPARAISON = "Comparaison avec les données enregistrées"


def mesurable(traitees: int, total: int) -> bool:
    """Whether a share of the work done can be shown: only while the lines are checked."""
    return total > 0 and traitees < total


def etape(traitees: int, total: int, analyse: bool = False) -> str:
    """What an import being analysed or executed is doing. Past the checking of the lines, the analysis compares
    them with the data; the execution writes them in one transaction, invisible until it commits: the page can
    only say that it is under way."""
    if total == 0:
        return LECTURE
    if mesurable(traitees, total):
        return VERIFICATION
    return COMPARAISON if analyse else ENREGISTREMENT


def etape_d_archive(rang: int, total: int) -> str:
    """What an archive's analysis or loading is doing: « Étape 3 sur 7 », `rang` (0 to total - 1) being the step
    under way, as the importer reports it; before its first report, the archive is being opened."""
    if total <= 0:
        return "Ouverture de l'archive"
    return f"Étape {min(rang + 1, total)} sur {total}"


def texte_progression_archive(faites: int, total: int) -> str:
    """« 2 étapes sur 7 terminées (28 %) »."""
    if total <= 0:
        return ""
    etapes = "étape" if faites <= 1 else "étapes"
    terminees = "terminée" if faites <= 1 else "terminées"
    return f"{faites} {etapes} sur {total} {terminees} ({progression(faites, total)}\u00a0%)"


def _compte(nombre: int, singulier: str, pluriel: str) -> str:
    return f"{nombre_fr(nombre, 0)} {singulier if nombre <= 1 else pluriel}"


def resume_import(type_affiche: str, nom_fichier: str, crees: int, modifies: int, inchanges: int) -> str:
    """The trail's entry for an import: « Annexes financières, annexes.csv : 2 créations, 1 modification,
    40 inchangées »."""
    comptes = ", ".join(
        (
            _compte(crees, "création", "créations"),
            _compte(modifies, "modification", "modifications"),
            _compte(inchanges, "inchangée", "inchangées"),
        )
    )
    return f"{type_affiche}, {nom_fichier} : {comptes}"[:255]
