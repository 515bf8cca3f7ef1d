"""The demo's fluxIAE (demo/fluxiae.py), on the session's demo (tests/conftest.py): an archive in the layout the ASP
delivers, which the import recognises as what Pilot'IAE already holds (structures, annexes, salariés, parcours and
contracts adopted, nothing created), whose monthly states become the declarations of source ASP, and whose only
differences are those of October 2026 shown on the « Écarts ASP / déclarations » page. Each test runs in a
transaction rolled back at its end: the shared demo is left as it was."""

import datetime as dt
import gzip
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command

from conventions.models import AnnexeFinanciere, Avenant
from declarations.models import DeclarationMensuelle, EtatDeclaration, SourceDeclaration
from demo.fluxiae import ecrire_flux_de_la_demo
from demo.structures import siret_demo
from fluxiae.colonnes import VUES
from fluxiae.lecture import LecteurVue, fichiers_du_flux
from fluxiae.queries import ecarts
from fluxiae.services import importer_flux
from indicateurs.services import rafraichir_tout
from parcours.models import Contrat, Parcours, PassIae, Salarie
from siae.models import Siae
from tests.demo.test_chiffres_inchanges import comparer, fichier_attendu

pytestmark = [pytest.mark.django_db, pytest.mark.lent, pytest.mark.usefixtures("demo")]

ARCHIVE = "fluxIAE_ITOU_23112026.tar.gz"


def comptes() -> dict[str, int]:
    modeles = (Siae, AnnexeFinanciere, Avenant, Salarie, PassIae, Parcours, Contrat)
    return {modele.__name__: modele.objects.count() for modele in modeles}


def test_une_archive_comme_celle_de_l_asp(tmp_path):
    archive = ecrire_flux_de_la_demo(tmp_path / "a")
    assert archive.name == ARCHIVE
    # A Zip under a tar.gz name, one gzipped file per view read, nothing else.
    with zipfile.ZipFile(archive) as zip_:
        noms = sorted(zip_.namelist())
        assert [nom.split("_")[1] for nom in noms] == sorted(VUES)
        for nom in noms:
            assert nom.startswith("fluxIAE_") and nom.endswith(".csv.gz") and "_23112026_" in nom
            lignes = gzip.decompress(zip_.read(nom)).decode().splitlines()
            vue, colonnes = nom.split("_")[1], len(VUES[nom.split("_")[1]])
            assert lignes[0].startswith(f"DEB{vue}23112026_") and lignes[0].endswith("|" * (colonnes - 1))
            assert lignes[1] == "|".join(c.nom for c in VUES[vue])
            assert lignes[-1] == f"FIN{len(lignes) - 3}" + "|" * (colonnes - 1)
            assert all(ligne.count("|") == colonnes - 1 for ligne in lignes)
            assert '"' not in "".join(lignes)
    # The reader finds every view and reads every row; the same demo gives the same bytes.
    flux = fichiers_du_flux(archive)
    assert set(flux.fichiers) == set(VUES) and not flux.ignores
    for fichier in flux.fichiers.values():
        with LecteurVue(fichier) as lecteur:
            assert sum(1 for _ in lecteur) == lecteur.lues
    assert ecrire_flux_de_la_demo(tmp_path / "b").read_bytes() == archive.read_bytes()


def test_l_import_adopte_la_demo_et_montre_les_ecarts_d_octobre(tmp_path):
    avant = comptes()
    transmises = (
        DeclarationMensuelle.objects.filter(mois__gte=dt.date(2025, 1, 1), mois__lte=dt.date(2026, 10, 1))
        .exclude(etat=EtatDeclaration.BROUILLON)
        .values("annexe_id", "mois")
        .distinct()
        .count()
    )

    bilan = importer_flux(ecrire_flux_de_la_demo(tmp_path), ["55"])

    # Nothing duplicated: every structure, annexe, salarié, parcours and contract is the demo's own, adopted.
    assert comptes() == avant
    vues = bilan.en_donnees()
    for vue in ("Structure", "AnnexeFinanciere", "Salarie", "ContratMission"):
        assert vues[vue]["crees"] == 0, vue
    assert vues["Structure"]["modifies"] == Siae.objects.count()
    assert Siae.objects.filter(id_asp__isnull=False).count() == Siae.objects.count()
    annexes_asp = AnnexeFinanciere.objects.filter(id_asp__isnull=False)
    assert annexes_asp.count() == AnnexeFinanciere.objects.filter(date_debut__year__in=(2025, 2026)).count()
    # An adopted annexe keeps its number, and its prefix from which the avenants typed here are numbered.
    assert all(a.numero.startswith(a.prefixe) and len(a.numero) == len(a.prefixe) + 4 for a in annexes_asp)
    declares = Parcours.objects.filter(lignes_declaration__declaration__source=SourceDeclaration.ASP)
    assert not Contrat.objects.filter(parcours__in=declares, id_asp__isnull=True).exists()
    assert not vues["EtatMensuelIndiv"]["ignores"]

    # One ASP declaration per month transmitted in Pilot'IAE, validated and retained: it is what the ASP pays.
    asp = DeclarationMensuelle.objects.filter(source=SourceDeclaration.ASP)
    assert vues["EtatMensuelIndiv"]["crees"] == asp.count() == transmises
    assert (
        asp.filter(retenue=True, etat=EtatDeclaration.VALIDEE, version_asp=1, etat_asp="VALIDE").count() == transmises
    )

    # The only differences: October 2026 of the first two structures.
    annexes = AnnexeFinanciere.objects.all()
    assert ecarts(annexes, dt.date(2025, 1, 1), dt.date(2025, 12, 1)) == []
    mois = ecarts(annexes, dt.date(2026, 1, 1), dt.date(2026, 12, 1))
    assert [(m.mois, m.annexe_id) for m in mois] == [
        (dt.date(2026, 10, 1), AnnexeFinanciere.objects.get(siae__siret=siret_demo(rang), date_debut__year=2026).pk)
        for rang in (1, 2)
    ]
    for ecart in mois:
        heures = sorted(ligne.ecart_heures for ligne in ecart.lignes if ligne.heures_asp != ligne.heures_pilotiae)
        assert heures == [Decimal(-14), Decimal(7)]
        assert ecart.salaries_asp == ecart.salaries_pilotiae
    sorties = [(ligne.sortie_pilotiae, ligne.sortie_asp) for ligne in mois[0].lignes if ligne.sortie_pilotiae]
    assert len(sorties) == 1 and sorties[0][0] != sorties[0][1]
    assert sorties[0][1].month == 10 and abs((sorties[0][1] - sorties[0][0]).days) == 3
    assert not any(ligne.sortie_pilotiae != ligne.sortie_asp for ligne in mois[1].lignes)

    # No figure of 2024 or 2025 moves: the ASP holds the same hours, and each annexe's ETP over its year.
    rafraichir_tout()
    for annee in (2024, 2025):
        sortie = tmp_path / f"indicateurs_55_{annee}.json"
        call_command(
            "exporter", "indicateurs", "--annee", annee, "--departement", "55", "--format", "json", "--sortie", sortie
        )
        fichier = fichier_attendu(sortie.name)
        comparer(sortie.read_text(encoding="utf-8"), fichier.read_text(encoding="utf-8"), fichier.name)

    # The same flux again changes nothing: the ASP ids are the ones the first import kept.
    bilan = importer_flux(ecrire_flux_de_la_demo(tmp_path / "encore"), ["55"])
    assert all(compte["crees"] == compte["modifies"] == 0 for compte in bilan.en_donnees().values())
    assert comptes() == avant
