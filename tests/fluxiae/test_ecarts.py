"""The "Écarts ASP / déclarations" page (issue 11): a month declared both in Pilot'IAE (the grid: lines recorded
then transmitted) and by the ASP, with other hours, is shown to the DDETS agent of the département, person by
person; the figures retain the ASP's state, the one that is paid; nobody else sees it."""

import datetime as dt
from decimal import Decimal

import pytest

from conventions.models import AnnexeFinanciere
from declarations.models import DeclarationMensuelle, LigneDeclaration, SourceDeclaration
from declarations.services import LigneSaisie, enregistrer_lignes
from fluxiae.services import importer_flux
from parcours.models import Parcours, PassIae
from parcours.regles import fin_pass_iae
from siae.models import Siae
from tests.factories import UtilisateurFactory
from tests.fluxiae.flux import AF_ACI, ANNEE, PERSONNES, SEMAINE_N, SEMAINE_N1, STRUCTURE_MEUSE_ACI, ecrire_flux
from tests.fluxiae.test_import import chiffres_attendus, chiffres_de_la_base

pytestmark = pytest.mark.django_db

URL = f"/fluxiae/ecarts/?annee={ANNEE}"
MARCHAL, ROUSSEL = 504, 503


def parcours_de(pph: int) -> Parcours:
    return Parcours.objects.select_related("salarie", "pass_iae").get(pass_iae__numero=PERSONNES[pph][0])


def declarer_dans_pilotiae(mois: dt.date, lignes: dict[int, tuple], auteur) -> DeclarationMensuelle:
    """As the grid does, `lignes` being {ASP person id: (hours, exit date, exit motif code)}: the PASS starts the
    structure knows (the flux does not give them, and a line needs a valid PASS), then the month's lines recorded
    and transmitted."""
    saisies = []
    for pph, (heures, *sortie) in lignes.items():
        PassIae.objects.filter(numero=PERSONNES[pph][0]).update(
            date_debut=dt.date(2024, 9, 1), date_fin=fin_pass_iae(dt.date(2024, 9, 1))
        )
        saisies.append(LigneSaisie(parcours_de(pph), Decimal(heures), *sortie))
    annexe = AnnexeFinanciere.objects.get(id_asp=AF_ACI)
    declaration, _ = enregistrer_lignes(annexe, mois, saisies, auteur=auteur, transmettre=True, remplacer=True)
    return declaration


def personnel_de_l_aci():
    """A member of the ACI's staff, once the flux has created the structure."""
    return UtilisateurFactory(
        email="personnel@jardins-meuse.test", personnel_siae=Siae.objects.get(id_asp=STRUCTURE_MEUSE_ACI, type="ACI")
    )


def test_un_mois_declare_des_deux_cotes_avec_d_autres_heures(tmp_path, client_de, agent_55):
    importer_flux(ecrire_flux(tmp_path / "n", SEMAINE_N), ["55"])
    # November, typed in Pilot'IAE before the ASP has it: Julie MARCHAL 130 h, no exit.
    novembre = dt.date(ANNEE, 11, 1)
    declarer_dans_pilotiae(novembre, {MARCHAL: ("130",)}, personnel_de_l_aci())
    # Week N+1: the ASP's November says 140 h and her exit on 30/11/2025.
    importer_flux(ecrire_flux(tmp_path / "n1", SEMAINE_N1), ["55"])

    reponse = client_de(agent_55).get(URL)

    assert reponse.status_code == 200
    [ecart] = reponse.context["mois_en_ecart"]
    assert (ecart.numero, ecart.mois) == ("ACI055250001A0M2", novembre)
    [ligne] = ecart.lignes
    assert (ligne.salarie, ligne.heures_pilotiae, ligne.heures_asp) == ("MARCHAL Julie", Decimal(130), Decimal(140))
    assert (ligne.sortie_pilotiae, ligne.sortie_asp) == (None, dt.date(ANNEE, 11, 30))
    page = reponse.content.decode()
    for texte in ("novembre 2025", "MARCHAL Julie", "130,00", "140,00", "10,00", "30/11/2025"):
        assert texte in page, texte

    # The figures retain the ASP's version; the one typed in Pilot'IAE is kept beside it.
    versions = DeclarationMensuelle.objects.filter(annexe__id_asp=AF_ACI, mois=novembre).order_by("version")
    assert list(versions.values_list("version", "source", "retenue")) == [
        (1, SourceDeclaration.PILOTIAE, False),
        (2, SourceDeclaration.ASP, True),
    ]
    assert chiffres_de_la_base() == chiffres_attendus(SEMAINE_N1)


def test_une_correction_saisie_apres_l_asp_cede_a_l_asp_au_flux_suivant(tmp_path, client_de, agent_55):
    dossier = ecrire_flux(tmp_path / "n1", SEMAINE_N1)
    importer_flux(dossier, ["55"])
    # September, validated at the ASP (Cédric ROUSSEL 130 h and his exit, Julie MARCHAL 140 h), corrected in
    # Pilot'IAE: Julie MARCHAL 135 h. It is retained until the ASP's state comes again.
    septembre = dt.date(ANNEE, 9, 1)
    declarer_dans_pilotiae(
        septembre, {ROUSSEL: ("130", dt.date(ANNEE, 9, 30), "ASP_5"), MARCHAL: ("135",)}, personnel_de_l_aci()
    )
    assert LigneDeclaration.objects.get(
        declaration__retenue=True, declaration__mois=septembre, parcours=parcours_de(MARCHAL)
    ).heures_travaillees == Decimal(135)

    bilan = importer_flux(dossier, ["55"])

    assert (bilan.vues["EtatMensuelIndiv"].crees, bilan.vues["EtatMensuelIndiv"].modifies) == (0, 1)
    assert chiffres_de_la_base() == chiffres_attendus(SEMAINE_N1)
    [ecart] = client_de(agent_55).get(URL).context["mois_en_ecart"]
    assert ecart.mois == septembre
    assert [(e.salarie, e.heures_pilotiae, e.heures_asp) for e in ecart.lignes] == [
        ("MARCHAL Julie", Decimal(135), Decimal(140))
    ]


def test_un_mois_que_l_asp_n_a_pas_valide_n_est_jamais_modifie_sur_place(tmp_path, client_de, agent_55):
    """Week N's October is SAISI at the ASP (a declaration transmitted, not validated): a line typed in Pilot'IAE
    opens a version of its own; the ASP's keeps its hours and is retained again by the next import."""
    dossier = ecrire_flux(tmp_path / "n", SEMAINE_N)
    importer_flux(dossier, ["55"])
    octobre = dt.date(ANNEE, 10, 1)
    asp = DeclarationMensuelle.objects.get(annexe__id_asp=AF_ACI, mois=octobre)

    declarer_dans_pilotiae(octobre, {MARCHAL: ("99",)}, personnel_de_l_aci())

    assert list(asp.lignes.values_list("heures_travaillees", flat=True)) == [Decimal(140)]
    assert DeclarationMensuelle.objects.filter(mois=octobre, source=SourceDeclaration.PILOTIAE).count() == 1
    importer_flux(dossier, ["55"])
    assert chiffres_de_la_base() == chiffres_attendus(SEMAINE_N)
    [ecart] = client_de(agent_55).get(URL).context["mois_en_ecart"]
    assert [(e.heures_pilotiae, e.heures_asp) for e in ecart.lignes] == [(Decimal(99), Decimal(140))]


def test_seul_l_agent_du_departement_voit_les_ecarts(tmp_path, client_de, agent_57, membre_cdiae_55):
    importer_flux(ecrire_flux(tmp_path / "n", SEMAINE_N), ["55"])
    personnel = personnel_de_l_aci()
    declarer_dans_pilotiae(dt.date(ANNEE, 11, 1), {MARCHAL: ("130",)}, personnel)
    importer_flux(ecrire_flux(tmp_path / "n1", SEMAINE_N1), ["55"])

    assert client_de(membre_cdiae_55).get(URL).status_code == 404
    assert client_de(personnel).get(URL).status_code == 404
    for url in (URL, f"{URL}&departement=55"):
        reponse = client_de(agent_57).get(url)
        assert reponse.status_code == 200
        assert reponse.context["mois_en_ecart"] == []
        page = reponse.content.decode()
        assert "MARCHAL" not in page
        assert "ACI055250001" not in page
