"""No NIR, no person's postal address, e-mail or phone, no bank field, no pay, no free-text observation of the flux
is in the database after its import (issue 11, personal data): every column of every table is searched for the
values the hand-built flux carries in its real columns (tests/fluxiae/flux.py)."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from fluxiae.services import importer_flux
from tests.fluxiae.flux import (
    DONNEES_PERSONNELLES,
    LIVRAISON,
    PERSONNES,
    SEMAINE_N,
    SEMAINE_N1,
    ecrire_flux,
    texte_du_fichier,
)

pytestmark = pytest.mark.django_db


def valeurs_de_la_base() -> list[tuple[str, str]]:
    """(table, text of a row) for every row of every table of the project and of Django: each column as text."""
    lignes = []
    for modele in apps.get_models():
        if modele._meta.proxy or not modele._meta.managed:
            continue
        colonnes = [champ.attname for champ in modele._meta.concrete_fields]
        for rang in modele._base_manager.values_list(*colonnes):
            lignes.append((modele._meta.db_table, "\x1f".join(str(valeur) for valeur in rang)))
    return lignes


def trouvees(valeurs: list[str]) -> list[tuple[str, str]]:
    base = valeurs_de_la_base()
    return [(valeur, table) for valeur in valeurs for table, texte in base if valeur in texte]


def test_le_flux_porte_bien_ces_donnees_dans_ses_colonnes(tmp_path):
    """The search below means something only if the values are in the files."""
    dossier = ecrire_flux(tmp_path / "n1", SEMAINE_N1)
    textes = "\n".join(texte_du_fichier(dossier, vue, SEMAINE_N1) for vue in LIVRAISON)
    assert [valeur for valeur in DONNEES_PERSONNELLES if valeur not in textes] == []


def test_aucune_donnee_personnelle_interdite_n_est_en_base(tmp_path):
    importer_flux(ecrire_flux(tmp_path / "n", SEMAINE_N), ["55"])
    importer_flux(ecrire_flux(tmp_path / "n1", SEMAINE_N1), ["55"])
    importer_flux(ecrire_flux(tmp_path / "n1", SEMAINE_N1))  # the whole country, the Moselle included

    assert trouvees(DONNEES_PERSONNELLES) == []
    # The search finds what is kept: the PASS number and the identity Pilot'IAE holds for its salariés.
    agrement, nom, prenom, *_ = PERSONNES[504]
    assert {table for _, table in trouvees([agrement, nom, prenom])} >= {"parcours_passiae", "parcours_salarie"}


def test_ni_par_la_commande_ni_dans_son_journal(tmp_path):
    """Through `importer fluxiae` (the whole country), whose journal keeps the counts per view."""
    call_command("importer", "fluxiae", str(ecrire_flux(tmp_path / "n1", SEMAINE_N1)), stdout=io.StringIO())

    assert trouvees(DONNEES_PERSONNELLES) == []
    # A national import: the Moselle's salarié is loaded too, by his PASS number only.
    assert trouvees([PERSONNES[901][0]])
