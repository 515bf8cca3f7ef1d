"""The synthetic fluxIAE generator (benchmarks/fluxiae.py): the real layout, consistent keys, determinism, the
fake personal values really in the files (so that a test searching the database for them means something), the
noises of `bruit` and next week's extract (the same world, a month more). No database."""

import collections
import datetime as dt
import gzip
import os
import random
import re
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from benchmarks.fluxiae import NIR_PARTAGE, VUES_IGNOREES, VUES_LUES, crc_combine, generer_flux, luhn_valide

# The columns the importer keeps (design of issue 11): no fake personal value may sit in one of them.
GARDEES = {
    "Structure": (
        "structure_id_siae structure_siret_actualise structure_siret_signature structure_denomination "
        "structure_adresse_admin_cp structure_adresse_admin_commune structure_adresse_admin_code_insee "
        "structure_adresse_mail_corresp_technique structure_adresse_nom_corresp_technique "
        "structure_adresse_prenom_corresp_technique"
    ),
    "AnnexeFinanciere": (
        "af_id_annexe_financiere af_id_avenant_modification af_id_structure af_mesure_dispositif_code "
        "af_numero_annexe_financiere af_numero_avenant_renouvellement af_numero_avenant_modification "
        "af_numero_convention af_etat_annexe_financiere_code af_date_debut_effet af_date_fin_effet "
        "af_etp_postes_insertion af_duree_heure_annuel_etp_valeur af_montant_unitaire_annuel_valeur "
        "af_montant_total_annuel af_mt_cofinance af_taux_prev_sorties_dynamiques af_taux_prev_sorties_durable "
        "af_taux_prev_sorties_trans af_taux_prev_sorties_positives"
    ),
    "ContratMission": (
        "contrat_id_ctr contrat_id_pph contrat_id_structure contrat_mesure_disp_code contrat_type_contrat "
        "contrat_date_embauche contrat_date_fin_contrat contrat_date_sortie_definitive contrat_motif_sortie_id "
        "contrat_salarie_rsa contrat_salarie_rqth contrat_niveau_de_formation_code contrat_salarie_pe_duree_code "
        "contrat_format_contrat_code contrat_duree_hebdo_travail"
    ),
    "Salarie": (
        "salarie_id salarie_agrement salarie_nom_usage salarie_prenom salarie_date_naissance salarie_rci_libelle "
        "salarie_adr_qpv_type salarie_adr_is_zrr"
    ),
    "EtatMensuelIndiv": (
        "emi_afi_id emi_sme_annee emi_sme_mois emi_esm_etat_code emi_sme_version emi_pph_id emi_ctr_id "
        "emi_nb_heures_travail emi_date_fin_reelle emi_motif_sortie_id emi_date_validation emi_dsm_id"
    ),
}
NOM = re.compile(r"^fluxIAE_([A-Za-z]+)_02112026_\d{6}\.csv\.gz$")


@dataclass
class Vue:
    """A file read the way the spec describes it (by field count, no quoting)."""

    bom: bool
    deb: str | None
    entete: list[str]
    enregistrements: list[list[str]]
    bruts: list[str]  # each record's text, physical lines joined by "\n"
    fin: str
    texte: str

    def colonne(self, nom: str) -> list[str]:
        position = self.entete.index(nom)
        return [champs[position] for champs in self.enregistrements]

    def dicts(self) -> list[dict[str, str]]:
        return [dict(zip(self.entete, champs, strict=True)) for champs in self.enregistrements]


def lire(chemin: Path) -> Vue:
    octets = chemin.read_bytes()
    texte = (gzip.decompress(octets) if chemin.name.endswith(".gz") else octets).decode()
    bom = texte.startswith("\ufeff")
    lignes = texte.removeprefix("\ufeff").split("\n")
    assert lignes.pop() == "", "the file ends with a newline"
    deb = lignes.pop(0) if lignes[0].startswith("DEB") else None
    entete = lignes.pop(0).split("|")
    fin = lignes.pop()
    assert fin.startswith("FIN")
    enregistrements, bruts, courant, brut = [], [], None, []
    for ligne in lignes:
        champs = ligne.split("|")
        if courant is None:
            courant, brut = champs, [ligne]
        else:  # a newline inside a field: the record goes on, the newline is not data
            courant[-1] += champs[0]
            courant += champs[1:]
            brut.append(ligne)
        if len(courant) >= len(entete):
            enregistrements.append(courant)
            bruts.append("\n".join(brut))
            courant = None
    assert courant is None, "the last record is complete"
    return Vue(bom, deb, entete, enregistrements, bruts, fin, texte)


def lire_tout(resume) -> dict[str, Vue]:
    return {vue: lire(chemin) for vue, chemin in resume.fichiers.items()}


@pytest.fixture(scope="module")
def flux(tmp_path_factory):
    resume = generer_flux(tmp_path_factory.mktemp("flux"), ["55"], structures_par_departement=8)
    return resume, lire_tout(resume)


@pytest.fixture(scope="module")
def bruite(tmp_path_factory):
    resume = generer_flux(tmp_path_factory.mktemp("bruite"), ["2A", "59"], structures_par_departement=7, bruit=True)
    return resume, lire_tout(resume)


def octets(dossier: Path) -> dict[str, bytes]:
    return {chemin.name: chemin.read_bytes() for chemin in sorted(dossier.iterdir())}


class TestFormat:
    def test_un_fichier_par_vue_au_nom_de_l_asp(self, flux):
        resume, _ = flux
        assert set(resume.fichiers) == set(VUES_LUES + VUES_IGNOREES)
        for vue, chemin in resume.fichiers.items():
            assert NOM.match(chemin.name).group(1) == vue
        assert sorted(p.name for p in resume.dossier.iterdir()) == sorted(p.name for p in resume.fichiers.values())

    def test_deb_entete_et_fin(self, flux):
        resume, vues = flux
        for nom, vue in vues.items():
            colonnes = len(vue.entete)
            assert re.fullmatch(rf"DEB{nom}02112026_\d{{6}}\|{{{colonnes - 1}}}", vue.deb)
            assert vue.fin == f"FIN{len(vue.enregistrements)}" + "|" * (colonnes - 1)
            assert resume.lignes[nom] == len(vue.enregistrements) > 0
            assert {len(champs) for champs in vue.enregistrements} == {colonnes}
            assert len(set(vue.entete)) == colonnes
        assert len(vues["Structure"].entete) == 37
        assert len(vues["EtatMensuelIndiv"].entete) == 31
        assert "af_nb_banques numeric" in vues["AnnexeFinanciere"].entete

    def test_un_seul_membre_gzip(self, flux):
        """One deflate stream, as gzip(1) writes it: a reader decompressing one member gets the whole file."""
        resume, vues = flux
        for vue, chemin in resume.fichiers.items():
            decompresseur = zlib.decompressobj(wbits=31)
            texte = decompresseur.decompress(chemin.read_bytes())
            assert decompresseur.eof and decompresseur.unused_data == b""
            assert texte.decode() == vues[vue].texte

    def test_valeurs_au_format_de_l_asp(self, flux):
        _, vues = flux
        dates = vues["ContratMission"].colonne("contrat_date_embauche") + vues["AnnexeFinanciere"].colonne(
            "af_date_debut_effet"
        )
        assert all(re.fullmatch(r"\d\d/\d\d/20\d\d", date) for date in dates)
        creations = vues["Structure"].colonne("structure_date_creation")
        assert all(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", date) for date in creations)
        etp = vues["AnnexeFinanciere"].colonne("af_etp_postes_insertion")
        assert all(re.fullmatch(r"\d+\.\d\d", valeur) for valeur in etp if valeur)
        assert set(vues["ContratMission"].colonne("contrat_salarie_rqth")) == {"true", "false"}
        telephones = vues["Structure"].colonne("structure_adresse_admin_telephone")
        assert all(re.fullmatch(r"[1-9]\d{8}", telephone) for telephone in telephones)  # the leading 0 lost


class TestDeterminisme:
    def test_meme_graine_memes_octets(self, tmp_path):
        for nom, processus in (("a", 1), ("b", 1), ("c", 2)):
            generer_flux(tmp_path / nom, ["55", "971"], structures_par_departement=3, bruit=True, processus=processus)
        assert octets(tmp_path / "a") == octets(tmp_path / "b") == octets(tmp_path / "c")
        generer_flux(tmp_path / "d", ["55", "971"], structures_par_departement=3, bruit=True, graine=1)
        assert octets(tmp_path / "d") != octets(tmp_path / "a")

    def test_un_departement_donne_les_memes_lignes_seul_ou_non(self, tmp_path):
        seul = lire_tout(generer_flux(tmp_path / "seul", ["55"], structures_par_departement=3))
        deux = lire_tout(generer_flux(tmp_path / "deux", ["54", "55"], structures_par_departement=3))
        for vue in ("Structure", "AnnexeFinanciere", "ContratMission", "EtatMensuelIndiv"):
            assert set(seul[vue].bruts) < set(deux[vue].bruts)

    def test_crc_combine(self):
        alea = random.Random(3)
        for taille_a, taille_b in ((0, 5), (7, 0), (1000, 3_000_000), (1 << 20, (1 << 20) + 3)):
            a, b = alea.randbytes(taille_a), alea.randbytes(taille_b)
            assert crc_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


class TestDonneesPersonnelles:
    def test_les_valeurs_sensibles_sont_dans_les_fichiers(self, flux):
        resume, vues = flux
        for nom in ("nirs", "courriels", "telephones", "rues", "comptes_bancaires"):
            assert len(getattr(resume, nom)) >= 5, nom
        champs = {champ for vue in vues.values() for enregistrement in vue.enregistrements for champ in enregistrement}
        assert resume.valeurs_sensibles() <= champs
        nirs = vues["Salarie"].colonne("salarie_nir")
        assert set(nirs) >= resume.nirs
        assert NIR_PARTAGE in nirs and resume.nir_partage == NIR_PARTAGE
        assert all(re.fullmatch(r"\d{15}", nir) for nir in nirs)
        assert resume.courriels <= set(vues["Salarie"].colonne("salarie_adr_mail"))
        assert resume.comptes_bancaires <= set(vues["AnnexeFinanciere"].colonne("af_bban"))
        assert resume.rues & set(vues["ContratMission"].colonne("contrat_adr_libelle_voie"))
        assert resume.rues & set(vues["Structure"].colonne("structure_adresse_admin_nom_voie"))
        assert all(re.fullmatch(r"[1-9]\d{8}", telephone) for telephone in resume.telephones)
        assert set(vues["Salarie"].colonne("salarie_telephone")) & resume.telephones
        assert any(vues["ContratMission"].colonne("contrat_observations"))

    def test_aucune_valeur_sensible_dans_une_colonne_gardee(self, flux):
        """Otherwise a test finding one in the database would accuse the importer wrongly."""
        resume, vues = flux
        sensibles = resume.valeurs_sensibles() | {NIR_PARTAGE}
        for nom, colonnes in GARDEES.items():
            for colonne in colonnes.split():
                assert not set(vues[nom].colonne(colonne)) & sensibles, colonne

    def test_echantillon_plafonne(self, tmp_path):
        resume = generer_flux(tmp_path, ["55"], structures_par_departement=2, sensibles_max=3)
        assert len(resume.nirs) == len(resume.rues) == 3


class TestCoherence:
    def test_structures(self, flux):
        _, vues = flux
        for ligne in vues["Structure"].dicts():
            actualise, signature = ligne["structure_siret_actualise"], ligne["structure_siret_signature"]
            assert re.fullmatch(r"000\d{11}", actualise) and luhn_valide(actualise) and luhn_valide(signature)
            assert signature[:9] == actualise[:9]
            assert ligne["structure_id_siae"].startswith("55")
        mesures = collections.defaultdict(set)
        for ligne in vues["AnnexeFinanciere"].dicts():
            if ligne["af_mesure_dispositif_code"] != "FDI_DC":
                mesures[ligne["af_id_structure"]].add(ligne["af_mesure_dispositif_code"])
        assert {"AI_DC", "EI_DC"} in mesures.values()  # one ASP structure, two kinds
        assert set().union(*mesures.values()) == {"ACI_DC", "AI_DC", "EI_DC", "ETTI_DC", "EITI_DC", "ACI_MP"}

    def test_annexes_financieres(self, flux):
        _, vues = flux
        lignes = vues["AnnexeFinanciere"].dicts()
        structures = set(vues["Structure"].colonne("structure_id_siae"))
        par_annexe = collections.defaultdict(list)
        heures = collections.defaultdict(set)
        for ligne in lignes:
            assert ligne["af_id_structure"] in structures
            assert re.fullmatch(r"(ACI|EI|AI|ETTI|EITI|FDI)055\d{6}", ligne["af_numero_annexe_financiere"])
            par_annexe[ligne["af_id_annexe_financiere"]].append(ligne)
            if ligne["af_duree_heure_annuel_etp_valeur"]:
                heures[ligne["af_mesure_dispositif_code"]].add(ligne["af_duree_heure_annuel_etp_valeur"])
        assert heures == {
            "ACI_DC": {"1820.00"},
            "ACI_MP": {"1820.00"},
            "AI_DC": {"1607.00"},
            "ETTI_DC": {"1607.00"},
            "EI_DC": {"1505.00", "1607.00"},
            "EITI_DC": {"1505.00"},
        }
        etats = collections.Counter(ligne["af_etat_annexe_financiere_code"] for ligne in lignes)
        assert {"HISTORISE", "VALIDE", "CLOTURE", "SAISI"} <= set(etats)
        for versions in par_annexe.values():
            actives = [
                v for v in versions if v["af_etat_annexe_financiere_code"] in ("VALIDE", "PROVISOIRE", "CLOTURE")
            ]
            assert len(actives) == 1
            rangs = [int(v["af_numero_avenant_modification"]) for v in versions]
            assert rangs == list(range(len(versions)))
            active = actives[0]
            if active["af_mesure_dispositif_code"] != "FDI_DC" and active["af_date_debut_effet"].startswith("01/01"):
                total = Decimal(active["af_etp_postes_insertion"]) * Decimal(
                    active["af_montant_unitaire_annuel_valeur"]
                )
                assert Decimal(active["af_montant_total_annuel"]) == total

    def test_contrats_salaries_et_etats_mensuels(self, flux):
        resume, vues = flux
        annexes = set(vues["AnnexeFinanciere"].colonne("af_id_annexe_financiere"))
        salaries = vues["Salarie"].dicts()
        contrats = vues["ContratMission"].dicts()
        emi = vues["EtatMensuelIndiv"].dicts()
        motifs = set(vues["RefMotifSort"].colonne("rms_id"))
        ids_salaries = {s["salarie_id"] for s in salaries}
        ids_contrats = {c["contrat_id_ctr"] for c in contrats}
        assert len(ids_contrats) == len(contrats) == resume.contrats
        assert len(ids_salaries) == resume.salaries
        assert {e["emi_afi_id"] for e in emi} <= annexes
        assert {e["emi_pph_id"] for e in emi} <= ids_salaries
        assert {e["emi_ctr_id"] for e in emi} <= ids_contrats
        assert {c["contrat_id_pph"] for c in contrats} == ids_salaries
        # No id has the 9 digits of a phone: a search for a phone in the database cannot hit one.
        ids = ids_salaries | ids_contrats | {e["emi_dsm_id"] for e in emi} | annexes
        assert not [i for i in ids if len(i) == 9]

        # Salarie: one row per (id, agrément), some people with two.
        cles = [(s["salarie_id"], s["salarie_agrement"]) for s in salaries]
        assert len(set(cles)) == len(cles) and len(ids_salaries) < len(cles)
        assert all(re.fullmatch(r"\d{12}", agrement) for _, agrement in cles)
        assert {s["salarie_rci_libelle"] for s in salaries} == {"MME", "M."}
        assert {s["salarie_adr_qpv_type"] for s in salaries} == {"QP", "NQP"}
        assert {s["salarie_adr_is_zrr"] for s in salaries} == {"true", "false"}

        # Contracts: an initial one and renewals per parcours, exits with a motif of RefMotifSort.
        assert {c["contrat_salarie_rsa"] for c in contrats} == {"OUI-M", "OUI-NM", "NON"}
        types = collections.defaultdict(set)
        for contrat in contrats:
            types[contrat["contrat_id_pph"]].add(int(contrat["contrat_type_contrat"]))
            if contrat["contrat_date_sortie_definitive"]:
                assert contrat["contrat_motif_sortie_id"] in motifs
        assert all(0 in rangs for rangs in types.values())
        assert any(max(rangs) > 0 for rangs in types.values())

        # EMI: hours mostly whole, versions 1 and 2 of a few months, exits on their month.
        heures = [e["emi_nb_heures_travail"] for e in emi]
        demis = sum(h.endswith(".5") for h in heures)
        assert 0 < demis < len(heures) / 5 and all(re.fullmatch(r"\d+(\.5)?", h) for h in heures)
        versions = collections.defaultdict(set)
        for ligne in emi:
            versions[ligne["emi_afi_id"], ligne["emi_sme_annee"], ligne["emi_sme_mois"]].add(ligne["emi_sme_version"])
        assert {"1", "2"} in versions.values() and {"1"} in versions.values()
        sorties = [e for e in emi if e["emi_motif_sortie_id"]]
        assert sorties and all(e["emi_date_fin_reelle"] and e["emi_motif_sortie_id"] in motifs for e in sorties)
        etats = collections.Counter(e["emi_esm_etat_code"] for e in emi)
        assert etats.most_common(1)[0][0] == "VALIDE"
        assert max((int(e["emi_sme_annee"]), int(e["emi_sme_mois"])) for e in emi) == (2026, 10)
        assert {e["emi_sme_annee"] for e in emi} == {"2025", "2026"}

        # The hours a right import sums: the highest version of each AF × month.
        total = sum(
            Decimal(e["emi_nb_heures_travail"])
            for e in emi
            if e["emi_sme_version"] == max(versions[e["emi_afi_id"], e["emi_sme_annee"], e["emi_sme_mois"]])
        )
        assert resume.heures == {"55": total}

    def test_referentiels(self, flux):
        _, vues = flux
        assert vues["RefCategorieSort"].colonne("rcs_libelle") == [
            "Emploi durable",
            "Emploi de transition",
            "Sorties positives",
            "Autres sorties",
            "Retrait des sorties constatées",
        ]
        categories = set(vues["RefCategorieSort"].colonne("rcs_id"))
        assert set(vues["RefMotifSort"].colonne("rcs_id")) == categories
        codes = collections.Counter(vues["RefMontantIae"].colonne("rmi_code"))
        assert codes["DUR_AN_ETP"] >= 6 and codes["MT_AN_ETP"] >= 10
        assert "/" in vues["RefMontantIae"].colonne("rmi_date_fin_effet")
        ids = set(vues["RefMontantIae"].colonne("rmi_id"))
        af = vues["AnnexeFinanciere"]
        assert set(filter(None, af.colonne("af_duree_heure_annuel_etp_id"))) <= ids
        assert set(filter(None, af.colonne("af_montant_unitaire_annuel_id"))) <= ids


class TestBruit:
    def test_les_bruits_d_un_vrai_flux(self, bruite):
        resume, vues = bruite
        assert set(resume.bruits) == {
            "bom",
            "sans_deb",
            "colonne_inconnue",
            "guillemet",
            "guillemet_mission",
            "doublon_structure",
            "doublon_af",
            "retour_ligne",
            "contrat_a_l_envers",
            "autre_departement",
        }
        assert [nom for nom, vue in vues.items() if vue.bom] == ["Structure"]
        assert [nom for nom, vue in vues.items() if vue.deb is None] == ["Salarie"]
        assert "contrat_indic_nouveau_champ_2026" in vues["ContratMission"].entete
        assert any(d.count('"') == 1 for d in vues["Structure"].colonne("structure_denomination"))
        assert any(d.startswith('"') for d in vues["Missions"].colonne("mission_descriptif"))
        assert sum("\n" in brut for brut in vues["ContratMission"].bruts) == 1
        for vue in ("Structure", "AnnexeFinanciere"):
            assert collections.Counter(vues[vue].bruts).most_common(1)[0][1] == 2
        envers = [
            c
            for c in vues["ContratMission"].dicts()
            if c["contrat_date_fin_contrat"][6:]
            + c["contrat_date_fin_contrat"][3:5]
            + c["contrat_date_fin_contrat"][:2]
            < c["contrat_date_embauche"][6:] + c["contrat_date_embauche"][3:5] + c["contrat_date_embauche"][:2]
        ]
        assert len(envers) == 1
        # Rows of a département nobody asked for, not counted in the summary.
        assert resume.departement_etranger == "01"
        numeros = vues["AnnexeFinanciere"].colonne("af_numero_annexe_financiere")
        assert any(n[n.index("0") :].startswith("001") for n in numeros)
        assert {n[-9:-6] for n in numeros if not n.startswith("FDI")} >= {"02A", "001"}
        assert any(n[-9:-6] in ("59V", "059") for n in numeros)
        assert resume.structures == 14 and len(vues["Structure"].enregistrements) == 14 + 1 + 1

    def test_sans_bruit_rien_de_tout_cela(self, flux):
        resume, vues = flux
        assert resume.bruits == {} and resume.departement_etranger is None
        for vue in vues.values():
            assert not vue.bom and vue.deb
            assert not any("\n" in brut or '"' in brut for brut in vue.bruts)
        for vue in ("Structure", "AnnexeFinanciere", "ContratMission", "EtatMensuelIndiv"):
            assert len(set(vues[vue].bruts)) == len(vues[vue].bruts)


class TestLivraison:
    def test_archive_zip_sous_un_nom_tar_gz(self, tmp_path):
        resume = generer_flux(tmp_path, ["55"], structures_par_departement=2, archive=True)
        assert os.listdir(tmp_path) == ["fluxIAE_ITOU_02112026.tar.gz"] and resume.archive.parent == tmp_path
        with zipfile.ZipFile(resume.archive) as archive:
            noms = archive.namelist()
            assert sorted(noms) == sorted(p.name for p in resume.fichiers.values())
            texte = gzip.decompress(archive.read(resume.fichiers["Structure"].name)).decode()
        assert texte.startswith("DEBStructure02112026_")

    def test_sans_compression(self, tmp_path):
        resume = generer_flux(tmp_path, ["55"], structures_par_departement=2, compression=None)
        for vue, chemin in resume.fichiers.items():
            assert chemin.name.endswith(".csv") and chemin.read_text().startswith(f"DEB{vue}")

    @pytest.mark.parametrize("departements", [["55", "55"], ["20"], []])
    def test_departements_refuses(self, tmp_path, departements):
        with pytest.raises(ValueError):
            generer_flux(tmp_path, departements)


# Next week's extract -------------------------------------------------------------------------------------------

NOUVEAU_MOIS = dt.date(2026, 11, 1)


def jour(texte: str) -> dt.date:
    return dt.date(int(texte[6:10]), int(texte[3:5]), int(texte[:2]))


@pytest.fixture(scope="module")
def semaines(tmp_path_factory):
    """Week 0 (declared up to October, extracted Monday 2 November) and week 1 (up to November, 9 November), as the
    import benchmark generates them."""
    vues = []
    for semaine in (0, 1):
        resume = generer_flux(
            tmp_path_factory.mktemp(f"semaine{semaine}"),
            ["55", "2A"],
            structures_par_departement=8,
            compression=None,
            mois_fin=dt.date(2026, 10 + semaine, 1),
            date_extraction=dt.date(2026, 11, 2) + dt.timedelta(days=7 * semaine),
        )
        vues.append(lire_tout(resume))
    return vues


class TestSemaineSuivante:
    """Week 1 is week 0 a week later: the same rows but for what happened in between (the new month's rows, its
    hires, renewals and exits, the previous last month validated, AF modifications and month corrections made in
    the week)."""

    def test_memes_structures(self, semaines):
        avant, apres = semaines
        assert apres["Structure"].bruts == avant["Structure"].bruts

    def test_memes_salaries_et_ceux_du_nouveau_mois(self, semaines):
        avant, apres = semaines
        anciens = set(avant["Salarie"].bruts)
        assert anciens < set(apres["Salarie"].bruts)
        nouveaux = [
            s for s, brut in zip(apres["Salarie"].dicts(), apres["Salarie"].bruts, strict=True) if brut not in anciens
        ]
        assert all(jour(s["salarie_date_modification"]) >= NOUVEAU_MOIS for s in nouveaux)  # hired in November

    def test_memes_contrats_embauches_avant_le_nouveau_mois(self, semaines):
        avant, apres = semaines
        contrats_avant = {c["contrat_id_ctr"]: c for c in avant["ContratMission"].dicts()}
        contrats_apres = {c["contrat_id_ctr"]: c for c in apres["ContratMission"].dicts()}
        # Week 0 already holds the renewals decided in October that start on 1 November.
        anciens = {ctr for ctr, c in contrats_apres.items() if jour(c["contrat_date_embauche"]) < NOUVEAU_MOIS}
        assert anciens <= contrats_avant.keys() <= contrats_apres.keys()
        nouveaux = contrats_apres.keys() - contrats_avant.keys()  # hired or renewed in November
        assert nouveaux and all(jour(contrats_apres[ctr]["contrat_date_embauche"]) >= NOUVEAU_MOIS for ctr in nouveaux)
        sortie = {
            "contrat_date_modification",
            "contrat_date_sortie_definitive",
            "contrat_motif_sortie_id",
            "contrat_motif_sortie_code",
            "contrat_observations",
        }
        sortis = 0
        for ctr, contrat in contrats_avant.items():
            if contrats_apres[ctr] == contrat:
                continue
            # Only the exits of November change a contract row, and only in its exit columns.
            sortis += 1
            assert not contrat["contrat_date_sortie_definitive"]
            assert jour(contrats_apres[ctr]["contrat_date_sortie_definitive"]) >= NOUVEAU_MOIS
            assert {c: v for c, v in contrat.items() if c not in sortie} == {
                c: v for c, v in contrats_apres[ctr].items() if c not in sortie
            }
        assert 0 < sortis < len(contrats_avant) / 10

    def test_memes_annexes_financieres(self, semaines):
        avant, apres = semaines

        def par_annexe(vue):
            annexes = collections.defaultdict(list)
            for ligne in vue.dicts():
                annexes[ligne["af_id_annexe_financiere"]].append(ligne)
            return annexes

        annexes_avant, annexes_apres = par_annexe(avant["AnnexeFinanciere"]), par_annexe(apres["AnnexeFinanciere"])
        numeros = {afi: lignes[0]["af_numero_annexe_financiere"] for afi, lignes in annexes_avant.items()}
        assert numeros == {afi: lignes[0]["af_numero_annexe_financiere"] for afi, lignes in annexes_apres.items()}
        # The changes a week brings: a modification validated (the valid row HISTORISE, the new one valid) or a new
        # one entered (SAISI). Structure 1 of each département has one validated on 5 November.
        passages = collections.Counter()
        for afi, lignes in annexes_avant.items():
            nouvelles = annexes_apres[afi]
            assert len(nouvelles) - len(lignes) in (0, 1)
            for ligne, nouvelle in zip(lignes, nouvelles, strict=False):
                assert ligne["af_id_avenant_modification"] == nouvelle["af_id_avenant_modification"]
                if ligne != nouvelle:
                    passages[ligne["af_etat_annexe_financiere_code"], nouvelle["af_etat_annexe_financiere_code"]] += 1
            passages.update(("", ligne["af_etat_annexe_financiere_code"]) for ligne in nouvelles[len(lignes) :])
        assert passages[("VALIDE", "HISTORISE")] >= 2 and passages[("SAISI", "VALIDE")] >= 2
        assert set(passages) <= {
            ("VALIDE", "HISTORISE"),
            ("PROVISOIRE", "HISTORISE"),
            ("SAISI", "VALIDE"),
            ("SAISI", "PROVISOIRE"),
            ("", "VALIDE"),
            ("", "PROVISOIRE"),
            ("", "SAISI"),
        }

    def test_memes_etats_mensuels_et_le_nouveau_mois(self, semaines):
        avant, apres = semaines

        def par_mois(vue):
            mois = collections.defaultdict(dict)
            for ligne, brut in zip(vue.dicts(), vue.bruts, strict=True):
                mois[int(ligne["emi_sme_annee"]), int(ligne["emi_sme_mois"])][brut] = ligne
            return mois

        mois_avant, mois_apres = par_mois(avant["EtatMensuelIndiv"]), par_mois(apres["EtatMensuelIndiv"])
        dernier = max(mois_avant)
        assert dernier == (2026, 10) and set(mois_apres) == set(mois_avant) | {(2026, 11)}
        assert len(mois_apres[2026, 11]) > len(mois_avant[dernier]) / 2
        corrections = 0
        for mois, lignes in mois_avant.items():
            if mois == dernier:
                continue
            # Every row of a month before week 0's last one, as it was; a correction made in the week only adds
            # its version 2 rows.
            assert lignes.keys() <= mois_apres[mois].keys(), mois
            ajoutees = [mois_apres[mois][brut] for brut in mois_apres[mois].keys() - lignes.keys()]
            assert all(ligne["emi_sme_version"] == "2" for ligne in ajoutees)
            corrections += bool(ajoutees)
        assert corrections == 1  # September, corrected for structure 1 on 5 November

        # Week 0's last month: the same rows (people, contracts, hours, ids), now validated.
        def cles(lignes):
            colonnes = ("emi_afi_id", "emi_pph_id", "emi_ctr_id", "emi_nb_heures_travail", "emi_dsm_id")
            return sorted(tuple(ligne[c] for c in colonnes) for ligne in lignes.values())

        assert cles(mois_avant[dernier]) == cles(mois_apres[dernier])
        etats_avant = {ligne["emi_esm_etat_code"] for ligne in mois_avant[dernier].values()}
        etats_apres = {ligne["emi_esm_etat_code"] for ligne in mois_apres[dernier].values()}
        assert {"SAISI", "BROUILLON"} & etats_avant and etats_apres <= {"VALIDE", "DEBLOQUE"}
        ids = apres["EtatMensuelIndiv"].colonne("emi_dsm_id")
        assert len(set(ids)) == len(ids)
