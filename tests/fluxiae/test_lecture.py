"""The fluxIAE reader (fluxiae/lecture.py): containers, layout, values, allow-list (fluxiae-cases.md 1–15).

No database: every flux is built in `tmp_path`, in the real layout (DEB row, header, `|`, FIN row).
"""

import datetime as dt
import gzip
import io
import pickle
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from fluxiae import lecture
from fluxiae.colonnes import VUES, VUES_REQUISES, Colonne
from fluxiae.lecture import ErreurFlux, FichierFlux, LecteurVue, fichiers_du_flux

HORODATAGE = "03122026_063000"
NIR = "1840555123456"  # a fake NIR: it must never come out of the reader

# Headers as the ASP writes them: the allow-listed columns among others, not in the allow-list's order.
ENTETES = {vue: [colonne.nom for colonne in colonnes] for vue, colonnes in VUES.items()}
ENTETES["EtatMensuelIndiv"] = [
    "emi_date_creation",
    "emi_date_modification",
    "emi_afi_id",
    "emi_sme_mois",
    "emi_sme_annee",
    "emi_esm_etat_id",
    "emi_esm_etat_code",
    "emi_sme_version",
    "emi_date_validation",
    "emi_pph_id",
    "emi_ctr_id",
    "emi_nb_heures_travail",
    "emi_nb_mission",
    "emi_nb_heures_facturees",
    "emi_mt_salaire_brut",
    "emi_salarie_tjs_accomp",
    "emi_part_etp",
    "emi_date_fin_reelle",
    "emi_motif_sortie_id",
    "emi_motif_sortie_code",
    "emi_dsm_id",
    "emi_coefficient_degressive",
]
ENTETES["Salarie"] = [
    "salarie_id",
    "salarie_nir",
    "salarie_agrement",
    "salarie_nom_usage",
    "salarie_prenom",
    "salarie_date_naissance",
    "salarie_rci_libelle",
    "salarie_adr_libelle_voie",
    "salarie_adr_qpv_type",
    "salarie_adr_is_zrr",
]
ENTETES["AnnexeFinanciere"] = [*ENTETES["AnnexeFinanciere"], "af_nb_banques numeric", "af_duree_collective_hebdo"]

EXEMPLES = {
    "Structure": {
        "structure_id_siae": "719",
        "structure_siret_actualise": "00012345600012",
        "structure_denomination": "Les Jardins de Meuse",
        "structure_adresse_admin_cp": "55100",
        "structure_adresse_admin_commune": "Verdun",
        "structure_adresse_admin_code_insee": "55545",
    },
    "AnnexeFinanciere": {
        "af_id_annexe_financiere": "1001",
        "af_id_avenant_modification": "5001",
        "af_id_structure": "719",
        "af_mesure_dispositif_code": "ACI_DC",
        "af_numero_annexe_financiere": "ACI055240001",
        "af_numero_avenant_renouvellement": "0",
        "af_numero_avenant_modification": "1",
        "af_numero_convention": "055 010124 ACI 00001",
        "af_etat_annexe_financiere_code": "VALIDE",
        "af_date_debut_effet": "01/01/2024",
        "af_date_fin_effet": "31/12/2024",
        "af_etp_postes_insertion": "8.86",
        "af_duree_heure_annuel_etp_valeur": "1820.00",
        "af_montant_unitaire_annuel_valeur": "21096.00",
        "af_montant_total_annuel": "186910.56",
        "af_mt_cofinance": "6036.21",
        "af_nb_banques numeric": "77",
        "af_duree_collective_hebdo": "35:00",
    },
    "ContratMission": {
        "contrat_id_ctr": "3001",
        "contrat_id_pph": "4001",
        "contrat_id_structure": "719",
        "contrat_mesure_disp_code": "ACI_DC",
        "contrat_type_contrat": "0",
        "contrat_date_embauche": "01/03/2024",
        "contrat_salarie_rsa": "OUI-NM",
        "contrat_salarie_rqth": "false",
        "contrat_duree_hebdo_travail": "26:00",
    },
    "Salarie": {
        "salarie_id": "4001",
        "salarie_nir": NIR,
        "salarie_agrement": "999992400001",
        "salarie_nom_usage": "Martin",
        "salarie_prenom": "Anne",
        "salarie_date_naissance": "14/07/1990",
        "salarie_rci_libelle": "MME",
        "salarie_adr_libelle_voie": "12 rue des Tilleuls",
        "salarie_adr_qpv_type": "QP",
        "salarie_adr_is_zrr": "true",
    },
    "EtatMensuelIndiv": {
        "emi_date_creation": "02/04/2024 10:15:00",
        "emi_afi_id": "1001",
        "emi_sme_mois": "3",
        "emi_sme_annee": "2024",
        "emi_esm_etat_id": "3",
        "emi_esm_etat_code": "VALIDE",
        "emi_sme_version": "1",
        "emi_date_validation": "05/04/2024",
        "emi_pph_id": "4001",
        "emi_ctr_id": "3001",
        "emi_nb_heures_travail": "112",
        "emi_mt_salaire_brut": "1234.56",
        "emi_dsm_id": "7001",
    },
    "RefMotifSort": {"rms_id": "1", "rms_code": "01", "rms_libelle": "CDI", "rcs_id": "1"},
    "RefCategorieSort": {"rcs_id": "1", "rcs_code": "1", "rcs_libelle": "Emploi durable"},
    "RefMontantIae": {
        "rmi_id": "11",
        "rmi_code": "DUR_AN_ETP",
        "rmi_valeur": "1820.00",
        "rme_id": "2",
        "rmi_date_debut_effet": "01/01/2021",
        "rmi_date_fin_effet": "/",
    },
}


def rang(vue: str, entete: list[str] | None = None, **valeurs: str) -> str:
    """One data row of `vue`: the example values, changed by `valeurs`; other columns empty."""
    donnees = EXEMPLES[vue] | valeurs
    return "|".join(donnees.get(nom, "") for nom in entete or ENTETES[vue])


def texte_flux(vue: str, rangs: list[str], *, entete=None, deb=True, fin: int | str | None = "compte") -> str:
    """A whole file: `DEB` row, header, rows, `FIN<n>` row (padded with empty fields like the ASP's)."""
    entete = entete or ENTETES[vue]
    bourrage = "|" * (len(entete) - 1)
    lignes = [f"DEB{vue}{HORODATAGE}{bourrage}"] if deb else []
    lignes += ["|".join(entete), *rangs]
    if fin == "compte":
        lignes.append(f"FIN{len(rangs)}{bourrage}")
    elif fin is not None:
        lignes.append(f"FIN{fin}{bourrage}")
    return "\n".join(lignes) + "\n"


def zip_d_un_fichier(nom: str, contenu: bytes) -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(nom, contenu)
    return tampon.getvalue()


def chiffrer(contenu_zip: bytes, methode: int | None = None) -> bytes:
    """Mark every entry of a Zip as encrypted (flag bit 0), as ZipCrypto or AES would; the stdlib cannot
    encrypt, and the reader must refuse on the flag alone."""
    octets = bytearray(contenu_zip)
    for signature, decalage_drapeaux, decalage_methode in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        position = octets.find(signature)
        while position != -1:
            octets[position + decalage_drapeaux] |= 1
            if methode is not None:
                octets[position + decalage_methode : position + decalage_methode + 2] = methode.to_bytes(2, "little")
            position = octets.find(signature, position + 4)
    return bytes(octets)


def nom_de(vue: str, extension: str = ".csv.gz") -> str:
    return f"fluxIAE_{vue}_{HORODATAGE}{extension}"


def ecrire(dossier: Path, vue: str, texte: str, sorte: str = "texte", nom: str | None = None) -> Path:
    """Write a view file compressed as `sorte` ("texte", "gzip", "zip"), named as the ASP does."""
    contenu = texte.encode("utf-8")
    if sorte == "gzip":
        contenu = gzip.compress(contenu)
    elif sorte == "zip":
        contenu = zip_d_un_fichier(nom_de(vue, ".csv"), contenu)
    chemin = dossier / (nom or nom_de(vue, ".csv" if sorte == "texte" else ".csv.gz"))
    chemin.write_bytes(contenu)
    return chemin


def fichier(chemin: Path, vue: str) -> FichierFlux:
    return FichierFlux(vue, chemin.name, chemin.stat().st_size, chemin)


def lire(tmp_path: Path, vue: str, texte: str, sorte: str = "texte", **options):
    """Every (numero, valeurs) of a view file, and the reader (for its counters)."""
    with LecteurVue(fichier(ecrire(tmp_path, vue, texte, sorte), vue), **options) as lecteur:
        return list(lecteur), lecteur


def valeurs_par_nom(vue: str, valeurs: tuple) -> dict:
    return dict(zip([colonne.nom for colonne in VUES[vue]], valeurs, strict=True))


def erreur(tmp_path: Path, vue: str, texte: str, **options) -> str:
    with pytest.raises(ErreurFlux) as exc:
        lire(tmp_path, vue, texte, **options)
    return str(exc.value)


def ecrire_flux(dossier: Path, sortes: dict[str, str] | None = None) -> Path:
    """A folder holding one valid file per required view."""
    dossier.mkdir(exist_ok=True)
    for vue in VUES_REQUISES:
        ecrire(dossier, vue, texte_flux(vue, [rang(vue)]), (sortes or {}).get(vue, "gzip"))
    return dossier


def archive_zip(chemin: Path, membres: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as archive:
        for nom, contenu in membres.items():
            archive.writestr(nom, contenu)
    return chemin


# The allow-list ---------------------------------------------------------------------------------------------------


class TestColonnes:
    def test_les_huit_vues_sont_requises(self):
        assert set(VUES_REQUISES) == {
            "Structure",
            "AnnexeFinanciere",
            "ContratMission",
            "Salarie",
            "EtatMensuelIndiv",
            "RefMotifSort",
            "RefCategorieSort",
            "RefMontantIae",
        }

    def test_aucune_colonne_sensible_dans_la_liste(self):
        noms = {colonne.nom for colonnes in VUES.values() for colonne in colonnes}
        for sensible in ("nir", "adr_libelle_voie", "telephone", "bban", "bic", "observations", "iban"):
            assert not [nom for nom in noms if sensible in nom], sensible

    def test_un_type_inconnu_est_refuse(self):
        with pytest.raises(ValueError, match="type de colonne inconnu : texte_libre"):
            Colonne("x", "texte_libre")


# Finding the files ------------------------------------------------------------------------------------------------


class TestFichiersDuFlux:
    def test_dossier_de_fichiers_gz_et_texte_et_fichiers_ignores(self, tmp_path):
        dossier = ecrire_flux(tmp_path / "flux", {"Structure": "texte", "RefMotifSort": "texte"})
        ecrire(dossier, "Missions", texte_flux("Structure", []), "gzip")
        (dossier / "LISEZMOI.txt").write_text("notes")
        (dossier / "sous-dossier").mkdir()
        flux = fichiers_du_flux(dossier)
        assert set(flux.fichiers) == set(VUES_REQUISES)
        assert flux.fichiers["Structure"].nom == "fluxIAE_Structure_03122026_063000.csv"
        assert flux.fichiers["Salarie"].nom == "fluxIAE_Salarie_03122026_063000.csv.gz"
        assert flux.fichiers["Salarie"].taille == (dossier / "fluxIAE_Salarie_03122026_063000.csv.gz").stat().st_size
        assert flux.ignores == ["LISEZMOI.txt", "fluxIAE_Missions_03122026_063000.csv.gz", "sous-dossier/"]
        assert flux.date == dt.date(2026, 12, 3)
        # Plain and gzip files read alike.
        for vue in ("Structure", "Salarie"):
            with LecteurVue(flux.fichiers[vue]) as lecteur:
                assert [numero for numero, _ in lecteur] == [3]

    def test_archive_zip_livree_sous_un_nom_en_tar_gz(self, tmp_path):
        dossier = ecrire_flux(tmp_path / "flux")
        membres = {f"export/{chemin.name}": chemin.read_bytes() for chemin in dossier.iterdir()}
        membres["export/fluxIAE_RefDepartement_03122026_063000.csv.gz"] = b"ignored"
        archive = archive_zip(tmp_path / "fluxIAE_ITOU_03122026.tar.gz", membres)
        flux = fichiers_du_flux(archive)
        assert set(flux.fichiers) == set(VUES_REQUISES)
        assert flux.ignores == ["export/fluxIAE_RefDepartement_03122026_063000.csv.gz"]
        emi = flux.fichiers["EtatMensuelIndiv"]
        assert (emi.chemin, emi.membre) == (archive, "export/fluxIAE_EtatMensuelIndiv_03122026_063000.csv.gz")
        with LecteurVue(emi) as lecteur:
            (numero, valeurs), *_ = list(lecteur)
        assert numero == 3
        assert valeurs_par_nom("EtatMensuelIndiv", valeurs)["emi_afi_id"] == 1001

    def test_un_csv_gz_qui_est_un_zip(self, tmp_path):
        # Seen in the ASP's deliveries: a pkzip archive under a `.csv.gz` name, in a folder or in the archive.
        dossier = ecrire_flux(tmp_path / "flux", {"Structure": "zip"})
        with LecteurVue(fichiers_du_flux(dossier).fichiers["Structure"]) as lecteur:
            assert [valeurs_par_nom("Structure", v)["structure_id_siae"] for _, v in lecteur] == [719]
        archive = archive_zip(
            tmp_path / "flux.zip", {chemin.name: chemin.read_bytes() for chemin in dossier.iterdir()}
        )
        with LecteurVue(fichiers_du_flux(archive).fichiers["Structure"]) as lecteur:
            assert [valeurs_par_nom("Structure", v)["structure_siret_actualise"] for _, v in lecteur] == [
                "00012345600012"
            ]

    def test_un_csv_gz_en_texte_clair_est_lu(self, tmp_path):
        chemin = ecrire(tmp_path, "RefCategorieSort", texte_flux("RefCategorieSort", [rang("RefCategorieSort")]))
        chemin = chemin.rename(tmp_path / nom_de("RefCategorieSort"))
        with LecteurVue(fichier(chemin, "RefCategorieSort")) as lecteur:
            assert [v for _, v in lecteur] == [(1, "1", "Emploi durable")]

    @pytest.mark.parametrize("methode, procede", [(None, "ZipCrypto"), (99, "Zip AES")])
    def test_un_membre_zip_chiffre_est_refuse(self, tmp_path, methode, procede):
        dossier = ecrire_flux(tmp_path / "flux")
        contenu = zip_d_un_fichier("f.csv", texte_flux("Salarie", [rang("Salarie")]).encode())
        (dossier / nom_de("Salarie")).write_bytes(chiffrer(contenu, methode))
        with pytest.raises(ErreurFlux) as exc:
            fichiers_du_flux(dossier)
        assert str(exc.value) == (
            f"fichier fluxIAE_Salarie_03122026_063000.csv.gz : fichier chiffré ({procede}) : "
            "déchiffrez-le avant de l'importer"
        )

    def test_un_membre_chiffre_de_l_archive_est_refuse(self, tmp_path):
        dossier = ecrire_flux(tmp_path / "flux")
        archive = archive_zip(
            tmp_path / "flux.zip", {chemin.name: chemin.read_bytes() for chemin in dossier.iterdir()}
        )
        archive.write_bytes(chiffrer(archive.read_bytes(), 99))
        with pytest.raises(ErreurFlux, match=r"fichier fluxIAE_\w+_03122026_063000\.csv\.gz : fichier chiffré \(Zip"):
            fichiers_du_flux(archive)

    def test_un_membre_7zip_est_refuse(self, tmp_path):
        dossier = ecrire_flux(tmp_path / "flux")
        (dossier / nom_de("EtatMensuelIndiv")).write_bytes(b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 40)
        with pytest.raises(ErreurFlux) as exc:
            fichiers_du_flux(dossier)
        assert str(exc.value).startswith(
            "fichier fluxIAE_EtatMensuelIndiv_03122026_063000.csv.gz : format 7-Zip non pris en charge"
        )

    def test_deux_fichiers_pour_une_vue_et_une_vue_absente(self, tmp_path):
        dossier = ecrire_flux(tmp_path / "flux")
        ecrire(dossier, "Salarie", texte_flux("Salarie", []), "texte", nom="fluxIAE_Salarie_10122026_063000.csv")
        (dossier / nom_de("RefMontantIae")).unlink()
        (dossier / nom_de("Structure")).unlink()
        with pytest.raises(ErreurFlux) as exc:
            fichiers_du_flux(dossier)
        assert str(exc.value) == (
            "fichier flux : plusieurs fichiers pour la vue Salarie : fluxIAE_Salarie_03122026_063000.csv.gz, "
            "fluxIAE_Salarie_10122026_063000.csv ; vue(s) absente(s) du flux : Structure, RefMontantIae"
        )

    def test_ni_dossier_ni_zip(self, tmp_path):
        chemin = tmp_path / "fluxIAE_ITOU.tar.gz"
        chemin.write_bytes(gzip.compress(b"tar"))
        with pytest.raises(ErreurFlux, match="fichier fluxIAE_ITOU.tar.gz : archive gzip ou tar non prise en charge"):
            fichiers_du_flux(chemin)
        with pytest.raises(ErreurFlux, match="chemin introuvable"):
            fichiers_du_flux(tmp_path / "absent")

    def test_gzip_tronque(self, tmp_path):
        contenu = gzip.compress(texte_flux("RefMotifSort", [rang("RefMotifSort")] * 2000).encode())
        chemin = tmp_path / nom_de("RefMotifSort")
        chemin.write_bytes(contenu[: len(contenu) // 2])
        with (
            pytest.raises(ErreurFlux, match=r"fichier fluxIAE_RefMotifSort_03122026_063000\.csv\.gz : fichier comp"),
            LecteurVue(fichier(chemin, "RefMotifSort")) as lecteur,
        ):
            list(lecteur)


# Layout of a file -------------------------------------------------------------------------------------------------


class TestMiseEnPage:
    def test_ligne_deb_presente_ou_absente(self, tmp_path):
        rangs = [rang("RefMotifSort"), rang("RefMotifSort", rms_id="2")]
        avec, lecteur = lire(tmp_path, "RefMotifSort", texte_flux("RefMotifSort", rangs))
        assert [numero for numero, _ in avec] == [3, 4]
        assert lecteur.ligne_deb == "DEBRefMotifSort03122026_063000"
        assert (lecteur.ligne_entete, lecteur.ligne_fin, lecteur.fin_annoncee) == (2, 5, 2)
        sans, lecteur = lire(tmp_path, "RefMotifSort", texte_flux("RefMotifSort", rangs, deb=False))
        assert [numero for numero, _ in sans] == [2, 3]
        assert lecteur.ligne_deb is None
        assert [v for _, v in avec] == [v for _, v in sans] == [(1, "01", "CDI", 1), (2, "01", "CDI", 1)]

    @pytest.mark.parametrize("deb", [True, False])
    def test_bom(self, tmp_path, deb):
        texte = "\ufeff" + texte_flux("RefCategorieSort", [rang("RefCategorieSort")], deb=deb)
        lignes, _ = lire(tmp_path, "RefCategorieSort", texte, "gzip")
        assert lignes == [(3 if deb else 2, (1, "1", "Emploi durable"))]

    def test_crlf(self, tmp_path):
        texte = texte_flux("RefCategorieSort", [rang("RefCategorieSort", rcs_libelle="Emploi durable")])
        lignes, lecteur = lire(tmp_path, "RefCategorieSort", texte.replace("\n", "\r\n"))
        assert lignes == [(3, (1, "1", "Emploi durable"))]
        assert lecteur.fin_annoncee == 1

    def test_fin_juste_et_fin_faux(self, tmp_path):
        rangs = [rang("RefMotifSort", rms_id=str(i)) for i in range(1, 4)]
        lignes, lecteur = lire(tmp_path, "RefMotifSort", texte_flux("RefMotifSort", rangs, fin=3))
        assert (len(lignes), lecteur.lues, lecteur.fin_annoncee) == (3, 3, 3)
        message = erreur(tmp_path, "RefMotifSort", texte_flux("RefMotifSort", rangs, fin=4))
        assert message == (
            "fichier fluxIAE_RefMotifSort_03122026_063000.csv, ligne 6 : "
            "FIN annonce 4 lignes, le fichier en contient 3"
        )

    def test_fin_sans_nombre_et_fichier_sans_fin(self, tmp_path):
        rangs = [rang("RefMotifSort")]
        _, lecteur = lire(tmp_path, "RefMotifSort", texte_flux("RefMotifSort", rangs, fin=""))
        assert (lecteur.lues, lecteur.ligne_fin, lecteur.fin_annoncee) == (1, 4, None)
        _, lecteur = lire(tmp_path, "RefMotifSort", texte_flux("RefMotifSort", rangs, fin=None))
        assert (lecteur.lues, lecteur.ligne_fin) == (1, None)

    def test_fin_compte_les_doublons_et_les_lignes_ecartees(self, tmp_path):
        rangs = [rang("RefMotifSort")] * 2 + [rang("RefMotifSort", rms_id="9")]
        lignes, lecteur = lire(
            tmp_path,
            "RefMotifSort",
            texte_flux("RefMotifSort", rangs, fin=3),
            dedoublonner=True,
            garder=lambda champs: champs[0] != "9",
        )
        assert [v[0] for _, v in lignes] == [1]
        assert (lecteur.lues, lecteur.doublons, lecteur.ecartees) == (3, 1, 1)

    def test_une_ligne_apres_fin_est_une_erreur(self, tmp_path):
        texte = texte_flux("RefMotifSort", [rang("RefMotifSort")]) + "\n" + rang("RefMotifSort") + "\n"
        assert erreur(tmp_path, "RefMotifSort", texte).endswith("ligne 6 : ligne après la ligne FIN")

    def test_lignes_vides_ignorees(self, tmp_path):
        texte = texte_flux("RefMotifSort", [rang("RefMotifSort"), "", rang("RefMotifSort", rms_id="2")]) + "\n\n"
        lignes, lecteur = lire(tmp_path, "RefMotifSort", texte.replace("FIN3", "FIN2"))
        assert [numero for numero, _ in lignes] == [3, 5]
        assert lecteur.lues == 2

    def test_un_guillemet_seul_n_avale_pas_les_lignes_suivantes(self, tmp_path):
        rangs = [
            rang("Structure", structure_id_siae="1", structure_denomination='"AIEHPAD'),
            rang("Structure", structure_id_siae="2", structure_denomination="Atelier"),
            rang("Structure", structure_id_siae="3", structure_denomination='Le "Relais'),
        ]
        lignes, _ = lire(tmp_path, "Structure", texte_flux("Structure", rangs))
        assert [(numero, v[0], v[3]) for numero, v in lignes] == [
            (3, 1, '"AIEHPAD'),
            (4, 2, "Atelier"),
            (5, 3, 'Le "Relais'),
        ]

    def test_retour_a_la_ligne_dans_un_champ(self, tmp_path):
        coupe = rang("Structure", structure_id_siae="1", structure_denomination="Les Jardins")
        debut, fin = coupe.split("Les Jardins")
        rangs = [
            debut + "Les Jardins\n" + fin,  # the PA case: a field ending with a newline, just before `|`
            rang("Structure", structure_id_siae="2", structure_adresse_admin_commune="Bar-le-\nDuc"),
            rang("Structure", structure_id_siae="3", structure_denomination="Atelier\ndu\nVal"),
            rang("Structure", structure_id_siae="4"),
        ]
        lignes, lecteur = lire(tmp_path, "Structure", texte_flux("Structure", rangs))
        assert [(numero, v[0], v[3], v[5]) for numero, v in lignes] == [
            (3, 1, "Les Jardins", "Verdun"),
            (5, 2, "Les Jardins de Meuse", "Bar-le-Duc"),
            (7, 3, "AtelierduVal", "Verdun"),
            (10, 4, "Les Jardins de Meuse", "Verdun"),
        ]
        assert lecteur.lues == 4

    def test_champs_en_trop(self, tmp_path):
        texte = texte_flux("RefMotifSort", [rang("RefMotifSort"), rang("RefMotifSort", rms_libelle="CDI|CDD")])
        assert erreur(tmp_path, "RefMotifSort", texte) == (
            "fichier fluxIAE_RefMotifSort_03122026_063000.csv, ligne 4 : 5 champs au lieu des 4 de l'en-tête"
        )

    def test_enregistrement_incomplet(self, tmp_path):
        texte = texte_flux("RefMotifSort", [rang("RefMotifSort"), "2|01"], fin=None)
        assert erreur(tmp_path, "RefMotifSort", texte).endswith(
            "ligne 4 : enregistrement incomplet en fin de fichier : 2 champs au lieu des 4 de l'en-tête"
        )
        # A short row followed by a full one cannot be glued to it: the error points at the short row.
        texte = texte_flux("RefMotifSort", ["2|01", rang("RefMotifSort")])
        assert "ligne 3 : 5 champs au lieu des 4 de l'en-tête (enregistrement commencé ligne 3" in erreur(
            tmp_path, "RefMotifSort", texte
        )

    def test_fichier_vide(self, tmp_path):
        assert erreur(tmp_path, "RefMotifSort", "") == (
            "fichier fluxIAE_RefMotifSort_03122026_063000.csv : fichier vide : aucune ligne d'en-tête"
        )

    def test_texte_non_utf8(self, tmp_path):
        chemin = tmp_path / nom_de("RefMotifSort", ".csv")
        texte = texte_flux("RefMotifSort", [rang("RefMotifSort"), rang("RefMotifSort", rms_libelle="Retraité")])
        chemin.write_bytes(texte.encode("cp1252"))
        with pytest.raises(ErreurFlux) as exc, LecteurVue(fichier(chemin, "RefMotifSort")) as lecteur:
            list(lecteur)
        assert (exc.value.ligne, exc.value.message) == (4, "texte non encodé en UTF-8")

    def test_blocs_minuscules(self, tmp_path, monkeypatch):
        # CRLF, a BOM, accents and records cut anywhere between two blocks read as with one block.
        rangs = [
            rang("Structure", structure_id_siae=str(i), structure_denomination="Église Saint-Étienne") for i in (1, 2)
        ]
        rangs.insert(1, rang("Structure", structure_id_siae="9", structure_adresse_admin_commune="Bar-le-\nDuc"))
        texte = "\ufeff" + texte_flux("Structure", rangs).replace("\n", "\r\n")
        attendu, _ = lire(tmp_path, "Structure", texte)
        monkeypatch.setattr(lecture, "TAILLE_BLOC", 3)
        lignes, lecteur = lire(tmp_path, "Structure", texte, "gzip")
        assert lignes == attendu
        assert [(numero, v[0], v[3], v[5]) for numero, v in lignes] == [
            (3, 1, "Église Saint-Étienne", "Verdun"),
            (4, 9, "Les Jardins de Meuse", "Bar-le-Duc"),
            (6, 2, "Église Saint-Étienne", "Verdun"),
        ]
        assert lecteur.fin_annoncee == 3


# Header -----------------------------------------------------------------------------------------------------------


class TestEntete:
    def test_colonne_obligatoire_absente(self, tmp_path):
        entete = [nom for nom in ENTETES["EtatMensuelIndiv"] if nom not in ("emi_sme_mois", "emi_pph_id")]
        texte = texte_flux("EtatMensuelIndiv", [rang("EtatMensuelIndiv", entete)], entete=entete)
        with pytest.raises(ErreurFlux) as exc:
            lire(tmp_path, "EtatMensuelIndiv", texte)
        assert (exc.value.fichier, exc.value.ligne, exc.value.colonne) == (
            "fluxIAE_EtatMensuelIndiv_03122026_063000.csv",
            2,
            "emi_sme_mois",
        )
        assert str(exc.value) == (
            "fichier fluxIAE_EtatMensuelIndiv_03122026_063000.csv, ligne 2, colonne emi_sme_mois : colonne absente "
            "de l'en-tête (absentes aussi : emi_pph_id)"
        )

    def test_colonnes_inconnues_ignorees_et_nom_a_espace(self, tmp_path):
        entete = ENTETES["AnnexeFinanciere"] + ["af_colonne_nouvelle"]
        texte = texte_flux(
            "AnnexeFinanciere", [rang("AnnexeFinanciere", entete, af_colonne_nouvelle="x")], entete=entete
        )
        lignes, lecteur = lire(tmp_path, "AnnexeFinanciere", texte)
        assert "af_nb_banques numeric" in lecteur.entete
        valeurs = valeurs_par_nom("AnnexeFinanciere", lignes[0][1])
        assert "x" not in lignes[0][1]
        assert "77" not in lignes[0][1] and 77 not in lignes[0][1]  # af_nb_banques numeric is not read
        assert valeurs["af_numero_annexe_financiere"] == "ACI055240001"
        assert valeurs["af_montant_total_annuel"] == Decimal("186910.56")

    def test_colonne_facultative_absente_vaut_none(self, tmp_path):
        entete = [nom for nom in ENTETES["EtatMensuelIndiv"] if nom != "emi_date_fin_reelle"]
        texte = texte_flux("EtatMensuelIndiv", [rang("EtatMensuelIndiv", entete)], entete=entete)
        lignes, lecteur = lire(tmp_path, "EtatMensuelIndiv", texte)
        assert lecteur.colonnes_absentes == ("emi_date_fin_reelle",)
        assert lignes[0][1][lecteur.position("emi_date_fin_reelle")] is None
        assert lignes[0][1][lecteur.position("emi_nb_heures_travail")] == Decimal("112")

    def test_entete_en_majuscules_et_espaces(self, tmp_path):
        entete = [f" {nom.upper()} " for nom in ENTETES["RefCategorieSort"]]
        lignes, _ = lire(
            tmp_path, "RefCategorieSort", texte_flux("RefCategorieSort", ["4|04|Autres sorties"], entete=entete)
        )
        assert lignes == [(3, (4, "04", "Autres sorties"))]

    def test_colonne_lue_en_double(self, tmp_path):
        entete = [*ENTETES["RefCategorieSort"], "rcs_id"]
        message = erreur(tmp_path, "RefCategorieSort", texte_flux("RefCategorieSort", ["1|1|x|1"], entete=entete))
        assert message.endswith("ligne 2, colonne rcs_id : colonne en double dans l'en-tête")

    def test_position_et_index_brut(self, tmp_path):
        chemin = ecrire(tmp_path, "EtatMensuelIndiv", texte_flux("EtatMensuelIndiv", [rang("EtatMensuelIndiv")]))
        lecteur = LecteurVue(fichier(chemin, "EtatMensuelIndiv"))
        assert lecteur.position("emi_sme_mois") == 2
        with pytest.raises(KeyError, match="colonne non lue dans la vue EtatMensuelIndiv : emi_mt_salaire_brut"):
            lecteur.position("emi_mt_salaire_brut")
        with pytest.raises(RuntimeError):
            lecteur.index_brut("emi_afi_id")
        with lecteur:
            assert lecteur.index_brut("emi_afi_id") == 2
            assert lecteur.index_brut("emi_mt_salaire_brut") == 14  # raw fields include unread columns
            with pytest.raises(ErreurFlux, match="ligne 2, colonne emi_inconnue : colonne absente de l'en-tête"):
                lecteur.index_brut("emi_inconnue")


# Values -----------------------------------------------------------------------------------------------------------


class TestValeurs:
    def test_une_ligne_emi_complete(self, tmp_path):
        lignes, lecteur = lire(
            tmp_path, "EtatMensuelIndiv", texte_flux("EtatMensuelIndiv", [rang("EtatMensuelIndiv")])
        )
        assert lecteur.noms == tuple(colonne.nom for colonne in VUES["EtatMensuelIndiv"])
        assert lignes == [
            (3, (1001, 2024, 3, "VALIDE", 1, 4001, 3001, Decimal("112"), None, None, dt.date(2024, 4, 5), 7001))
        ]

    def test_dates_jour_en_premier_et_date_heure(self, tmp_path):
        rangs = [
            rang("ContratMission", contrat_date_embauche="01/07/2018", contrat_date_fin_contrat="30/06/2019 00:00:00"),
            rang(
                "ContratMission", contrat_date_embauche="29/02/2024", contrat_date_sortie_definitive="15/03/2024 17:42"
            ),
        ]
        lignes, lecteur = lire(tmp_path, "ContratMission", texte_flux("ContratMission", rangs))
        dates = [
            tuple(
                v[lecteur.position(nom)]
                for nom in ("contrat_date_embauche", "contrat_date_fin_contrat", "contrat_date_sortie_definitive")
            )
            for _, v in lignes
        ]
        assert dates == [
            (dt.date(2018, 7, 1), dt.date(2019, 6, 30), None),
            (dt.date(2024, 2, 29), None, dt.date(2024, 3, 15)),
        ]

    def test_date_invalide(self, tmp_path):
        rangs = [rang("AnnexeFinanciere"), rang("AnnexeFinanciere", af_date_fin_effet="31/02/2024")]
        assert erreur(tmp_path, "AnnexeFinanciere", texte_flux("AnnexeFinanciere", rangs)) == (
            "fichier fluxIAE_AnnexeFinanciere_03122026_063000.csv, ligne 4, colonne af_date_fin_effet : "
            "« 31/02/2024 » n'est pas une date JJ/MM/AAAA valide"
        )

    @pytest.mark.parametrize("valeur", ["2024-02-01", "1/2/2024", "01/02/24", "01/02/2024 25:00:00", "01.02.2024"])
    def test_formats_de_date_refuses(self, tmp_path, valeur):
        texte = texte_flux("ContratMission", [rang("ContratMission", contrat_date_fin_contrat=valeur)])
        assert erreur(tmp_path, "ContratMission", texte).endswith(
            f"ligne 3, colonne contrat_date_fin_contrat : « {valeur} » n'est pas une date JJ/MM/AAAA valide"
        )

    def test_barre_oblique_fin_ouverte_seulement_pour_les_referentiels(self, tmp_path):
        lignes, _ = lire(tmp_path, "RefMontantIae", texte_flux("RefMontantIae", [rang("RefMontantIae")]))
        assert lignes == [(3, (11, "DUR_AN_ETP", Decimal("1820.00"), 2, dt.date(2021, 1, 1), None))]
        texte = texte_flux("ContratMission", [rang("ContratMission", contrat_date_fin_contrat="/")])
        assert "« / » n'est pas une date JJ/MM/AAAA valide" in erreur(tmp_path, "ContratMission", texte)

    def test_booleens(self, tmp_path):
        rangs = [rang("Salarie", salarie_adr_is_zrr=valeur) for valeur in ("true", "false", "TRUE", "False", "")]
        lignes, lecteur = lire(tmp_path, "Salarie", texte_flux("Salarie", rangs))
        assert [v[lecteur.position("salarie_adr_is_zrr")] for _, v in lignes] == [True, False, True, False, None]

    @pytest.mark.parametrize("valeur", ["oui", "1", "vrai", "t"])
    def test_booleen_invalide(self, tmp_path, valeur):
        texte = texte_flux("ContratMission", [rang("ContratMission", contrat_salarie_rqth=valeur)])
        assert erreur(tmp_path, "ContratMission", texte) == (
            "fichier fluxIAE_ContratMission_03122026_063000.csv, ligne 3, colonne contrat_salarie_rqth : "
            f"« {valeur} » n'est pas un booléen (true ou false)"
        )

    def test_decimaux(self, tmp_path):
        rangs = [
            rang("EtatMensuelIndiv", emi_nb_heures_travail=valeur) for valeur in ("12", "12.5", "151.67", "0", "")
        ]
        lignes, lecteur = lire(tmp_path, "EtatMensuelIndiv", texte_flux("EtatMensuelIndiv", rangs))
        heures = [v[lecteur.position("emi_nb_heures_travail")] for _, v in lignes]
        assert heures == [Decimal("12"), Decimal("12.5"), Decimal("151.67"), Decimal("0"), None]
        assert all(isinstance(h, Decimal) for h in heures[:4])

    @pytest.mark.parametrize("valeur", ["12,5", "NaN", "Infinity", "1e3", "12.", "douze"])
    def test_decimal_invalide(self, tmp_path, valeur):
        texte = texte_flux("EtatMensuelIndiv", [rang("EtatMensuelIndiv", emi_nb_heures_travail=valeur)])
        assert erreur(tmp_path, "EtatMensuelIndiv", texte).endswith(
            f"ligne 3, colonne emi_nb_heures_travail : « {valeur} » n'est pas un nombre décimal (séparateur « . »)"
        )

    def test_entier_invalide_et_obligatoire_absent(self, tmp_path):
        texte = texte_flux("EtatMensuelIndiv", [rang("EtatMensuelIndiv", emi_pph_id="40A1")])
        assert erreur(tmp_path, "EtatMensuelIndiv", texte).endswith(
            "ligne 3, colonne emi_pph_id : « 40A1 » n'est pas un nombre entier"
        )
        texte = texte_flux("EtatMensuelIndiv", [rang("EtatMensuelIndiv", emi_afi_id="")])
        assert erreur(tmp_path, "EtatMensuelIndiv", texte).endswith(
            "ligne 3, colonne emi_afi_id : valeur obligatoire absente"
        )
        texte = texte_flux("Structure", [rang("Structure", structure_denomination="   ")])
        assert erreur(tmp_path, "Structure", texte).endswith(
            "ligne 3, colonne structure_denomination : valeur obligatoire absente"
        )

    def test_mois(self, tmp_path):
        rangs = [rang("EtatMensuelIndiv", emi_sme_mois=mois) for mois in ("1", "09", "12")]
        lignes, _ = lire(tmp_path, "EtatMensuelIndiv", texte_flux("EtatMensuelIndiv", rangs))
        assert [v[2] for _, v in lignes] == [1, 9, 12]
        texte = texte_flux("EtatMensuelIndiv", [rang("EtatMensuelIndiv", emi_sme_mois="13")])
        assert erreur(tmp_path, "EtatMensuelIndiv", texte) == (
            "fichier fluxIAE_EtatMensuelIndiv_03122026_063000.csv, ligne 3, colonne emi_sme_mois : "
            "« 13 » n'est pas un mois (1 à 12)"
        )

    def test_codes_gardent_les_zeros_en_tete(self, tmp_path):
        rangs = [
            rang(
                "Structure",
                structure_siret_actualise="00012345600012",
                structure_adresse_admin_cp="01000",
                structure_adresse_admin_code_insee="2A004",
            )
        ]
        lignes, _ = lire(tmp_path, "Structure", texte_flux("Structure", rangs))
        valeurs = valeurs_par_nom("Structure", lignes[0][1])
        assert (
            valeurs["structure_siret_actualise"],
            valeurs["structure_adresse_admin_cp"],
            valeurs["structure_adresse_admin_code_insee"],
        ) == ("00012345600012", "01000", "2A004")
        texte = texte_flux("RefMotifSort", [rang("RefMotifSort", rms_code="007")])
        assert lire(tmp_path, "RefMotifSort", texte)[0] == [(3, (1, "007", "CDI", 1))]

    def test_texte_sale_jamais_en_erreur(self, tmp_path):
        rangs = [
            rang("ContratMission", contrat_duree_hebdo_travail=valeur) for valeur in ("35:00", "35h", " 9999:99 ", "")
        ]
        lignes, lecteur = lire(tmp_path, "ContratMission", texte_flux("ContratMission", rangs))
        assert [v[lecteur.position("contrat_duree_hebdo_travail")] for _, v in lignes] == [
            "35:00",
            "35h",
            "9999:99",
            None,
        ]

    def test_une_erreur_apres_une_valeur_en_cache(self, tmp_path):
        # The cached converters remember good values only: a bad one after good ones is still refused.
        rangs = [rang("EtatMensuelIndiv", emi_date_validation="05/04/2024")] * 3
        rangs.append(rang("EtatMensuelIndiv", emi_date_validation="05/13/2024"))
        message = erreur(tmp_path, "EtatMensuelIndiv", texte_flux("EtatMensuelIndiv", rangs))
        assert message.endswith(
            "ligne 6, colonne emi_date_validation : « 05/13/2024 » n'est pas une date JJ/MM/AAAA valide"
        )


# Filtering and duplicates -----------------------------------------------------------------------------------------


class TestFiltrage:
    def test_doublons_exacts_comptes_une_fois(self, tmp_path):
        rangs = [
            rang("AnnexeFinanciere"),
            rang("AnnexeFinanciere", af_id_avenant_modification="5002"),
            rang("AnnexeFinanciere"),
            rang("AnnexeFinanciere", af_duree_collective_hebdo="26:00"),  # differs only in a column not read
        ]
        texte = texte_flux("AnnexeFinanciere", rangs)
        lignes, lecteur = lire(tmp_path, "AnnexeFinanciere", texte, dedoublonner=True)
        assert [(numero, v[1]) for numero, v in lignes] == [(3, 5001), (4, 5002), (6, 5001)]
        assert (lecteur.lues, lecteur.doublons) == (4, 1)
        lignes, lecteur = lire(tmp_path, "AnnexeFinanciere", texte)
        assert (len(lignes), lecteur.doublons) == (4, 0)

    def test_garder_filtre_les_champs_bruts_avant_conversion(self, tmp_path):
        rangs = [
            rang("AnnexeFinanciere", af_numero_annexe_financiere="ACI055240001"),
            # Another département's row with a bad date: filtered out before conversion, so no error.
            rang("AnnexeFinanciere", af_numero_annexe_financiere="ACI057240001", af_date_fin_effet="31/02/2024"),
            rang("AnnexeFinanciere", af_numero_annexe_financiere="EI055240002"),
        ]
        chemin = ecrire(tmp_path, "AnnexeFinanciere", texte_flux("AnnexeFinanciere", rangs))
        vus = []
        with LecteurVue(fichier(chemin, "AnnexeFinanciere")) as lecteur:
            indice = lecteur.index_brut("af_numero_annexe_financiere")

            def garder(champs):
                vus.append(champs[indice])
                return "055" in champs[indice]

            lecteur.garder = garder
            lignes = list(lecteur)
        assert vus == ["ACI055240001", "ACI057240001", "EI055240002"]
        assert [(numero, v[4]) for numero, v in lignes] == [(3, "ACI055240001"), (5, "EI055240002")]
        assert (lecteur.lues, lecteur.ecartees) == (3, 1)

    def test_garder_donne_au_constructeur(self, tmp_path):
        rangs = [rang("RefMotifSort", rms_id=str(i)) for i in range(1, 6)]
        lignes, lecteur = lire(
            tmp_path, "RefMotifSort", texte_flux("RefMotifSort", rangs), garder=lambda champs: int(champs[0]) % 2
        )
        assert [v[0] for _, v in lignes] == [1, 3, 5]
        assert lecteur.ecartees == 2


# Personal data ----------------------------------------------------------------------------------------------------


class TestListeAutorisee:
    def test_le_nir_ne_sort_jamais_du_lecteur(self, tmp_path):
        rangs = [rang("Salarie"), rang("Salarie", salarie_id="4002", salarie_nir=NIR[:-1] + "9")]
        chemin = ecrire(tmp_path, "Salarie", texte_flux("Salarie", rangs), "gzip")
        with LecteurVue(fichier(chemin, "Salarie"), dedoublonner=True) as lecteur:
            lignes = list(lecteur)
            assert lecteur.index_brut("salarie_nir") == 1  # in the raw fields, for `garder` only
        produit = repr(lignes) + repr(vars(lecteur))
        assert len(lignes) == 2
        assert NIR not in produit and NIR[:-1] + "9" not in produit
        assert "Tilleuls" not in produit  # the postal address is not read either
        assert "salarie_nir" not in lecteur.noms
        assert valeurs_par_nom("Salarie", lignes[0][1]) == {
            "salarie_id": 4001,
            "salarie_agrement": "999992400001",
            "salarie_nom_usage": "Martin",
            "salarie_prenom": "Anne",
            "salarie_date_naissance": dt.date(1990, 7, 14),
            "salarie_rci_libelle": "MME",
            "salarie_adr_qpv_type": "QP",
            "salarie_adr_is_zrr": True,
        }

    def test_une_erreur_ne_cite_pas_les_colonnes_non_lues(self, tmp_path):
        texte = texte_flux("Salarie", [rang("Salarie", salarie_date_naissance="31/02/1990")])
        message = erreur(tmp_path, "Salarie", texte)
        assert "colonne salarie_date_naissance" in message
        assert NIR not in message and "Tilleuls" not in message


# Limits and errors ------------------------------------------------------------------------------------------------


class TestLimites:
    def test_ligne_trop_longue(self, tmp_path, settings):
        settings.FLUXIAE_LONGUEUR_MAX_LIGNE = 60
        rangs = [rang("RefMotifSort"), rang("RefMotifSort", rms_libelle="x" * 80)]
        assert erreur(tmp_path, "RefMotifSort", texte_flux("RefMotifSort", rangs)).endswith(
            "ligne 4 : ligne de plus de 60 caractères (réglage FLUXIAE_LONGUEUR_MAX_LIGNE)"
        )

    def test_enregistrement_sur_plusieurs_lignes_trop_long(self, tmp_path, settings):
        settings.FLUXIAE_LONGUEUR_MAX_LIGNE = 40
        texte = texte_flux("RefMotifSort", ["1|01|" + "\n".join(["x" * 30] * 3) + "|1"])
        assert erreur(tmp_path, "RefMotifSort", texte).endswith(
            "ligne 3 : ligne de plus de 40 caractères (réglage FLUXIAE_LONGUEUR_MAX_LIGNE)"
        )

    def test_trop_d_enregistrements(self, tmp_path, settings):
        settings.FLUXIAE_LIGNES_MAX = 2
        rangs = [rang("RefMotifSort", rms_id=str(i)) for i in range(1, 4)]
        assert erreur(tmp_path, "RefMotifSort", texte_flux("RefMotifSort", rangs)).endswith(
            "ligne 5 : plus de 2 enregistrements (réglage FLUXIAE_LIGNES_MAX)"
        )

    def test_reglages_par_defaut_sans_django_configure(self, monkeypatch):
        from django.core.exceptions import ImproperlyConfigured

        class NonConfigure:
            def __getattr__(self, nom):
                raise ImproperlyConfigured(nom)

        monkeypatch.setattr(lecture, "settings", NonConfigure())
        assert lecture._reglage("FLUXIAE_LIGNES_MAX", 50_000_000) == 50_000_000

    def test_erreur_flux_texte_et_serialisation(self):
        erreur_complete = ErreurFlux("f.csv.gz", 12, "emi_sme_mois", "« 13 » n'est pas un mois (1 à 12)")
        assert (
            str(erreur_complete)
            == "fichier f.csv.gz, ligne 12, colonne emi_sme_mois : « 13 » n'est pas un mois (1 à 12)"
        )
        assert str(ErreurFlux("f.csv.gz", message="fichier vide")) == "fichier f.csv.gz : fichier vide"
        assert str(ErreurFlux("f.csv.gz", 3, None, "trop")) == "fichier f.csv.gz, ligne 3 : trop"
        copie = pickle.loads(pickle.dumps(erreur_complete))
        assert (copie.fichier, copie.ligne, copie.colonne, copie.message) == (
            "f.csv.gz",
            12,
            "emi_sme_mois",
            "« 13 » n'est pas un mois (1 à 12)",
        )

    def test_lecture_hors_bloc_with(self, tmp_path):
        chemin = ecrire(tmp_path, "RefMotifSort", texte_flux("RefMotifSort", [rang("RefMotifSort")]))
        with pytest.raises(RuntimeError, match="bloc with"):
            list(LecteurVue(fichier(chemin, "RefMotifSort")))
