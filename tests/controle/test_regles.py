"""The sampling rules of spec §9, without the database."""

import datetime as dt

import pytest

from controle.regles import (
    A_VENIR,
    EN_COURS,
    PASSEE,
    TAILLE_MAX_JUSTIFICATIF,
    Candidate,
    arrondi_demi_superieur,
    calendrier_par_defaut,
    compter,
    erreur_justificatif,
    erreurs_calendrier,
    est_eligible,
    etats_des_phases,
    nombre_d_embauches_controlees,
    nombre_de_siae_tirees,
    tirer_echantillon,
)


def candidates(nombre, embauches=5, type_="ACI", premier_id=1):
    """`nombre` structures, each with `embauches` auto-prescriptions numbered apart."""
    return [
        Candidate(siae_id=s, type=type_, embauches=tuple(range(s * 1000, s * 1000 + embauches)))
        for s in range(premier_id, premier_id + nombre)
    ]


class TestEligibilite:
    @pytest.mark.parametrize("type_", ["ACI", "EI", "ETTI", "AI"])
    def test_deux_auto_prescriptions_suffisent(self, type_):
        assert est_eligible(Candidate(1, type_, (10, 11)))

    def test_une_seule_ne_suffit_pas(self):
        assert not est_eligible(Candidate(1, "ACI", (10,)))

    def test_une_meme_embauche_ne_compte_qu_une_fois(self):
        assert not est_eligible(Candidate(1, "ACI", (10, 10)))

    def test_les_eiti_ne_sont_pas_controlees(self):
        assert not est_eligible(Candidate(1, "EITI", (10, 11, 12)))

    def test_le_tirage_ignore_les_structures_non_eligibles(self):
        echantillon = tirer_echantillon(
            [Candidate(1, "ACI", (10,)), Candidate(2, "EITI", (20, 21, 22)), Candidate(3, "AI", (30, 31))], 30, 1
        )
        assert echantillon.eligibles == (3,)
        assert echantillon.embauches == {3: (30, 31)}


class TestNombreDEmbauches:
    @pytest.mark.parametrize(
        "auto_prescriptions, controlees",
        [
            (1, 0),  # not eligible
            (2, 2),  # at least 2
            (3, 2),  # 20 % = 0.6 → at least 2
            (10, 2),  # 20 % = 2
            (11, 3),  # 2.2, rounded up: never under 20 %
            (14, 3),  # 2.8 → 3
            (15, 3),
            (16, 4),  # 3.2 → 4
            (100, 20),
            (101, 20),  # 20.2 → 21, capped at 20
            (150, 20),  # 30 → at most 20
        ],
    )
    def test_vingt_pour_cent_au_moins_deux_au_plus_vingt(self, auto_prescriptions, controlees):
        assert nombre_d_embauches_controlees(auto_prescriptions) == controlees


class TestNombreDeStructures:
    @pytest.mark.parametrize(
        "eligibles, part, tirees",
        [
            (0, 30, 0),  # nobody to draw
            (1, 20, 1),  # 0.2 → at least one
            (3, 30, 1),  # 0.9 → 1
            (4, 30, 1),  # 1.2 → 1
            (5, 30, 2),  # 1.5: halves round up
            (10, 30, 3),
            (15, 30, 5),  # 4.5 → 5
            (10, 20, 2),
            (10, 40, 4),
            (28, 30, 8),  # 8.4 → 8 (the Meuse's 28 structures)
            (28, 40, 11),  # 11.2 → 11
        ],
    )
    def test_part_arrondie_au_plus_proche_au_moins_une(self, eligibles, part, tirees):
        assert nombre_de_siae_tirees(eligibles, part) == tirees

    @pytest.mark.parametrize("part", [19, 41, 0, 100])
    def test_part_hors_de_20_40(self, part):
        with pytest.raises(ValueError, match="entre 20 et 40"):
            nombre_de_siae_tirees(10, part)

    @pytest.mark.parametrize("part", [20, 40])
    def test_bornes_comprises(self, part):
        assert nombre_de_siae_tirees(100, part) == part

    def test_arrondi_exact(self):
        assert [arrondi_demi_superieur(n, 10) for n in (14, 15, 16, 25, 35)] == [1, 2, 2, 3, 4]


class TestTirage:
    def test_meme_graine_meme_tirage(self):
        structures = candidates(20, embauches=30)
        assert tirer_echantillon(structures, 30, 42) == tirer_echantillon(structures, 30, 42)

    def test_l_ordre_des_donnees_ne_change_rien(self):
        structures = candidates(20, embauches=30)
        melangees = [Candidate(c.siae_id, c.type, tuple(reversed(c.embauches))) for c in reversed(structures)]
        assert tirer_echantillon(melangees, 30, 42) == tirer_echantillon(structures, 30, 42)

    def test_une_autre_graine_tire_autrement(self):
        structures = candidates(20, embauches=30)
        tirages = {tuple(tirer_echantillon(structures, 30, graine).embauches.items()) for graine in range(10)}
        assert len(tirages) > 1

    def test_tirage_connu(self):
        """The draw only depends on `random.Random(graine)`: this one is pinned so a change shows."""
        echantillon = tirer_echantillon(candidates(5, embauches=3), 30, 1234)
        assert echantillon.eligibles == (1, 2, 3, 4, 5)
        assert echantillon.embauches == {1: (1000, 1002), 4: (4000, 4002)}

    def test_nombres_tires(self):
        structures = [
            Candidate(1, "ACI", tuple(range(100, 103))),  # 3 → 2
            Candidate(2, "EI", tuple(range(200, 214))),  # 14 → 3
            Candidate(3, "ETTI", tuple(range(300, 450))),  # 150 → 20
        ]
        # 3 eligible at 40 %: 1.2 → 1 structure; draw several seeds to see each structure.
        vus = {}
        for graine in range(50):
            vus.update({s: len(ids) for s, ids in tirer_echantillon(structures, 40, graine).embauches.items()})
        assert vus == {1: 2, 2: 3, 3: 20}

    def test_embauches_tirees_parmi_celles_de_la_structure(self):
        structures = candidates(10, embauches=40)
        echantillon = tirer_echantillon(structures, 40, 7)
        assert len(echantillon.siae_tirees) == 4
        for siae_id, ids in echantillon.embauches.items():
            assert set(ids) <= set(range(siae_id * 1000, siae_id * 1000 + 40))
            assert len(ids) == len(set(ids)) == 8  # 20 % of 40
            assert list(ids) == sorted(ids)

    def test_personne_d_eligible(self):
        echantillon = tirer_echantillon(candidates(3, embauches=1), 30, 1)
        assert echantillon.eligibles == () and echantillon.embauches == {}


class TestCalendrier:
    def test_calendrier_du_bilan_de_la_meuse(self):
        """Seed 000: embauches 2021, échantillonnage in April 2022, contrôle until 21 June, then 6 weeks."""
        assert calendrier_par_defaut(2021) == {
            "echantillonnage_debut": dt.date(2022, 4, 1),
            "echantillonnage_fin": dt.date(2022, 4, 28),
            "controle_debut": dt.date(2022, 5, 11),
            "controle_fin": dt.date(2022, 6, 21),
            "contradictoire_debut": dt.date(2022, 6, 22),
            "contradictoire_fin": dt.date(2022, 8, 2),
            "sanctions_debut": dt.date(2022, 8, 3),
        }

    def test_six_semaines_de_controle_et_de_contradictoire(self):
        dates = calendrier_par_defaut(2024)
        assert (dates["controle_fin"] - dates["controle_debut"]).days + 1 == 42
        assert (dates["contradictoire_fin"] - dates["contradictoire_debut"]).days + 1 == 42
        assert (dates["echantillonnage_fin"] - dates["echantillonnage_debut"]).days + 1 == 28

    def test_le_calendrier_par_defaut_est_valide(self):
        assert erreurs_calendrier(2024, calendrier_par_defaut(2024)) == {}

    def test_phases_qui_se_chevauchent(self):
        dates = calendrier_par_defaut(2024)
        dates["controle_debut"] = dates["echantillonnage_fin"]
        dates["contradictoire_fin"] = dates["contradictoire_debut"] - dt.timedelta(days=1)
        assert erreurs_calendrier(2024, dates) == {
            "controle_debut": "Une phase commence après la fin de la précédente.",
            "contradictoire_fin": "La fin d'une phase ne peut précéder son début.",
        }

    def test_echantillonnage_pendant_l_annee_controlee(self):
        dates = calendrier_par_defaut(2023)
        assert "echantillonnage_debut" in erreurs_calendrier(2024, dates)


class TestJustificatif:
    def test_pdf(self):
        assert erreur_justificatif(1000, b"%PDF-") is None
        assert erreur_justificatif(TAILLE_MAX_JUSTIFICATIF, b"%PDF-") is None

    def test_trop_gros(self):
        assert erreur_justificatif(TAILLE_MAX_JUSTIFICATIF + 1, b"%PDF-").startswith("Le fichier dépasse 5 Mo")

    def test_pas_un_pdf(self):
        assert erreur_justificatif(1000, b"PK\x03\x04").startswith("Le fichier n'est pas un PDF")
        assert erreur_justificatif(1000, b"%PD").startswith("Le fichier n'est pas un PDF")

    def test_vide(self):
        assert erreur_justificatif(0, b"") == "Le fichier est vide."


class TestPageDeLaCampagne:
    ORDRE = ("ECHANTILLONNAGE", "CONTROLE", "CONTRADICTOIRE", "SANCTIONS", "CLOTUREE")

    def test_les_phases_passees_en_cours_et_a_venir(self):
        assert etats_des_phases(self.ORDRE, "CONTRADICTOIRE") == {
            "ECHANTILLONNAGE": PASSEE,
            "CONTROLE": PASSEE,
            "CONTRADICTOIRE": EN_COURS,
            "SANCTIONS": A_VENIR,
            "CLOTUREE": A_VENIR,
        }
        assert set(etats_des_phases(self.ORDRE, "CLOTUREE").values()) == {PASSEE, EN_COURS}

    def test_compter_garde_chaque_cle_meme_a_zero(self):
        cles = ("A_EXAMINER", "ACCEPTEE", "REFUSEE")
        assert compter(["ACCEPTEE", "REFUSEE", "ACCEPTEE"], cles) == {"A_EXAMINER": 0, "ACCEPTEE": 2, "REFUSEE": 1}
        assert list(compter([], cles)) == list(cles)
