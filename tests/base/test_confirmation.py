"""The one confirmation pattern (templates/commun/_confirmation.html): a DSFR modal opened by a button that only
JavaScript shows, and the same question in a disclosure without it; every destructive or state-changing form goes
through it."""

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string

GABARITS = Path(__file__).resolve().parents[2] / "templates"

# The forms that destroy or change a state, by template: how many confirmations each holds.
CONFIRMEES = {
    "pilotage/annexe.html": 1,  # the annexe's state (one per reachable state, in a loop)
    "declarations/detail.html": 2,  # validate, send back to the structure
    "controle/controle_siae.html": 3,  # decision on a proof, result, removal of a sanction
    "controle/campagne_detail.html": 1,  # next phase of a campaign
    "financements/projet_detail.html": 4,  # the project's state, one per kind of change
    "financements/ligne_formulaire.html": 1,  # removal of a financing line
    "parcours/_actions.html": 1,  # removal of an action d'insertion
    "modulation/annexe.html": 1,  # the modulation rate decided
    "bilans/liste.html": 1,  # generating a bilan with empty sections
    "aides_au_poste/revalorisation.html": 2,  # a barème row saved (replacing one, or new)
}


# The addresses whose post destroys or decides something.
DESTRUCTRICES = re.compile(r"suppression|retrait|:etat'|projet_etat|:decision'|:resultat'|phase_suivante")


@pytest.mark.parametrize(("gabarit", "nombre"), CONFIRMEES.items())
def test_chaque_action_passe_par_la_confirmation(gabarit, nombre):
    texte = (GABARITS / gabarit).read_text()
    assert texte.count('{% include "commun/_confirmation.html"') == nombre
    # Every form posting to a destructive or state-changing address holds one.
    for formulaire in re.findall(r'<form method="post".*?</form>', texte, flags=re.S):
        if DESTRUCTRICES.search(formulaire.split(">", 1)[0]) or 'value="valider"' in formulaire:
            assert "_confirmation.html" in formulaire, formulaire[:200]


def test_toutes_les_adresses_destructrices_sont_recensees():
    # A new template posting to such an address must be listed above (and confirmed).
    trouves = {
        str(chemin.relative_to(GABARITS))
        for chemin in GABARITS.rglob("*.html")
        if any(DESTRUCTRICES.search(f) for f in re.findall(r'<form method="post"[^>]*>', chemin.read_text()))
    }
    assert trouves <= set(CONFIRMEES)


def test_le_gabarit_rend_la_modale_et_sa_variante_sans_javascript():
    html = render_to_string(
        "commun/_confirmation.html",
        {
            "id": "confirmer-x",
            "libelle": "Supprimer la ligne",
            "titre": "Supprimer cette ligne ?",
            "message": "Elle ne comptera plus.",
            "implications": ["2 mois restent à déclarer.", "Une autre conséquence."],
            "nom": "action",
            "valeur": "supprimer",
        },
    )
    # The button that opens the modal waits for the script, which shows it.
    assert re.search(
        r'<span data-confirmation-declencheur hidden><button type="button"[^>]*aria-controls="confirmer-x"', html
    )
    assert '<dialog id="confirmer-x" class="fr-modal" role="dialog" aria-labelledby="confirmer-x-titre">' in html
    assert html.count('name="action" value="supprimer"') == 2  # in the modal, and in the disclosure
    assert "<noscript>" in html and "<details" in html and "Confirmer : supprimer la ligne" in html
    assert html.count("2 mois restent à déclarer.") == 2
    assert 'src="/static/commun/confirmation.js"' in html


def test_par_defaut_le_bouton_envoie_confirme():
    html = render_to_string("commun/_confirmation.html", {"id": "m", "libelle": "Valider", "titre": "Valider ?"})
    assert html.count('name="confirme" value="1"') == 2 and ">Annuler<" in html
