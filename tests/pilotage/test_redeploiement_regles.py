"""The redeployment rules on values, without the database: checks, ETP after the moves, projected rates and the
effect on the aide au poste socle, all computed by hand below."""

import datetime as dt
from decimal import Decimal

from aides_au_poste.regles import LigneBareme
from pilotage.redeploiement import (
    AnnexeSimulee,
    Erreur,
    Mouvement,
    appliquer,
    delta_socle,
    simuler,
    verifier,
)

D = Decimal
SEUILS = (D("0.95"), D("1.00"))
# A revaluation on 1 November, as the real barème of 2024 has one.
BAREME_ACI = [LigneBareme(dt.date(2024, 1, 1), D(24000)), LigneBareme(dt.date(2024, 11, 1), D(24600))]
BAREME_EI = [LigneBareme(dt.date(2024, 1, 1), D(12000)), LigneBareme(dt.date(2024, 11, 1), D(12300))]


def mois(m: int, annee: int = 2024) -> dt.date:
    return dt.date(annee, m, 1)


JANVIER = dt.date(2024, 1, 1)
DECEMBRE = dt.date(2024, 12, 31)
ZERO = D(0)


def annexe(pk, numero, type_, etp, debut=JANVIER, fin=DECEMBRE, reel=ZERO, nom=None, siae_id=None):
    """An annexe whose ETP are `etp` every month (or the given dict)."""
    annexe = AnnexeSimulee(
        pk=pk,
        numero=numero,
        siae_id=siae_id or pk,
        siret=f"{pk:014d}",
        nom=nom or f"Structure {pk}",
        type=type_,
        date_debut=debut,
        date_fin=fin,
        reel_a_date=reel,
        bareme=BAREME_ACI if type_ == "ACI" else BAREME_EI,
    )
    annexe.etp_par_mois = etp if isinstance(etp, dict) else {m: D(etp) for m in annexe.mois}
    return annexe


def par_pk(*annexes):
    return {a.pk: a for a in annexes}


# A: ACI, 5 ETP, 27 ETP-mois réalisés January–June (projection 54 of 60: 90 %, sous-consommation).
# B: EI, 3 ETP, 21 ETP-mois réalisés (projection 42 of 36: 116,7 %, sur-consommation).
A = annexe(1, "ACI055240001A0M0", "ACI", "5", reel=D(27))
B = annexe(2, "EI055240002A0M0", "EI", "3", reel=D(21))
# C runs from July 2024 to June 2025: longer after any month of 2024 than A and B.
C = annexe(3, "ACI055240003A0M0", "ACI", "4", debut=mois(7), fin=dt.date(2025, 6, 30))


class TestDeltaSocle:
    def test_a_travers_une_revalorisation(self):
        # 2 ETP less in October (24 000), November and December (24 600):
        # 2 × (24 000 + 24 600 + 24 600) / 12 = 2 × 73 200 / 12 = 12 200.
        avant = {mois(10): D(5), mois(11): D(5), mois(12): D(5)}
        apres = {mois(10): D(3), mois(11): D(3), mois(12): D(3)}
        assert delta_socle(avant, apres, BAREME_ACI) == D(-12200)
        assert delta_socle(apres, avant, BAREME_ACI) == D(12200)

    def test_seuls_les_mois_changes_comptent(self):
        avant = {mois(9): D(5), mois(10): D(5)}
        apres = {mois(9): D(5), mois(10): D("5.5")}
        # 0,5 × 24 000 / 12 = 1 000.
        assert delta_socle(avant, apres, BAREME_ACI) == D(1000)


class TestSimulation:
    def simulation(self, mouvements, annexes=(A, B)):
        return simuler(list(annexes), mouvements, 2024, "55", mois(6), SEUILS)

    def test_un_mouvement_de_l_aci_vers_l_ei(self):
        simulation = self.simulation([Mouvement(1, A.pk, B.pk, D(1), mois(7))])
        assert simulation.erreurs == []
        structures = {s.cle: s for s in simulation.structures}
        a, b = structures[A.siae_id], structures[B.siae_id]
        # A: 5 × 6 + 4 × 6 = 54 ETP-mois, 4,5 ETP; projection 27 × 12 / 6 = 54: 90 % → 100 %.
        assert (a.conv_avant, a.conv_apres) == (D(60), D(54))
        assert a.etp_conventionnes_apres == D("4.5")
        assert a.projection == D(54)
        assert a.taux_projete_avant == D("0.9") and a.taux_projete_apres == D(1)
        assert (a.statut_avant, a.statut_apres) == ("sous-consommation", "conforme")
        # B: 3 × 6 + 4 × 6 = 42; projection 21 × 12 / 6 = 42: 116,7 % → 100 %.
        assert (b.conv_avant, b.conv_apres) == (D(36), D(42))
        assert (b.statut_avant, b.statut_apres) == ("sur-consommation", "conforme")
        # Socle: July–October at the first rate, November–December at the revalued one.
        # A: −(4 × 24 000 + 2 × 24 600) / 12 = −145 200 / 12 = −12 100.
        # B: +(4 × 12 000 + 2 × 12 300) / 12 = 72 600 / 12 = +6 050.
        assert a.delta_socle == D(-12100)
        assert b.delta_socle == D(6050)
        assert simulation.total.delta_socle == D(-6050)
        # The département's envelope is unchanged: 60 + 36 ETP-mois before and after.
        assert simulation.total.conv_avant == simulation.total.conv_apres == D(96)
        assert simulation.etp_mois_retires == simulation.etp_mois_ajoutes == D(6)
        (effet,) = simulation.effets
        assert (effet.socle_cede, effet.socle_recu, effet.effet_socle) == (D(12100), D(6050), D(-6050))

    def test_sans_mouvement_rien_ne_change(self):
        simulation = self.simulation([])
        assert not simulation.simulee and simulation.structures == []
        # Sorted by projected rate: A (90 %) before B (116,7 %).
        assert [s.numero for s in simulation.annexes] == [A.numero, B.numero]
        assert [s.statut_avant for s in simulation.annexes] == ["sous-consommation", "sur-consommation"]
        assert simulation.annexes[0].taux_a_date == D("0.9")  # 27 réalisés / 30 conventionnés, January–June

    def test_une_structure_compte_toutes_ses_annexes(self):
        # A second annexe of A's structure, not moved: it stays in the structure's figures.
        a2 = annexe(4, "ACI055240004A0M0", "ACI", "1", reel=D(6), siae_id=A.siae_id, nom=A.nom)
        simulation = self.simulation([Mouvement(1, A.pk, B.pk, D(1), mois(7))], annexes=(A, B, a2))
        structure = next(s for s in simulation.structures if s.cle == A.siae_id)
        # (60 + 12) before, (54 + 12) after; projection (27 + 6) × 2 = 66.
        assert (structure.conv_avant, structure.conv_apres, structure.projection) == (D(72), D(66), D(66))
        assert structure.statut_apres == "conforme"

    def test_annexe_plus_courte_rend_des_etp_mois(self):
        # From C (July 2024–June 2025) to A from September: 10 months withdrawn, 4 added.
        simulation = self.simulation([Mouvement(1, C.pk, A.pk, D(2), mois(9))], annexes=(A, B, C))
        assert simulation.erreurs == []
        assert (simulation.etp_mois_retires, simulation.etp_mois_ajoutes) == (D(20), D(8))
        assert simulation.etp_mois_non_redeployes == D(12)
        # Over 2024 the département loses C's 2 ETP × 4 months and A gains 2 × 4: the year is unchanged.
        assert simulation.total.conv_apres == simulation.total.conv_avant
        apres = appliquer(par_pk(A, B, C), [Mouvement(1, C.pk, A.pk, D(2), mois(9))])
        assert apres[C.pk][mois(6, 2025)] == D(2) and apres[C.pk][mois(8)] == D(4)


class TestVerification:
    def messages(self, mouvements, *annexes):
        return [str(e) for e in verifier(mouvements, par_pk(*(annexes or (A, B, C))), 2024, "55")]

    def test_annexe_hors_du_departement(self):
        assert self.messages([Mouvement(1, 999, B.pk, D(1), mois(7))]) == [
            "Ligne 1, « annexe qui cède » : cette annexe n'est pas une annexe active du département 55 en 2024"
        ]
        assert self.messages([Mouvement(2, A.pk, 999, D(1), mois(7))]) == [
            "Ligne 2, « annexe qui reçoit » : cette annexe n'est pas une annexe active du département 55 en 2024"
        ]

    def test_la_meme_annexe_des_deux_cotes(self):
        assert self.messages([Mouvement(1, A.pk, A.pk, D(1), mois(7))]) == [
            "Ligne 1, « annexe qui reçoit » : c'est aussi l'annexe qui cède : choisissez deux annexes différentes"
        ]

    def test_retirer_plus_que_l_annexe_n_a(self):
        assert self.messages([Mouvement(1, B.pk, A.pk, D("3.5"), mois(7))]) == [
            "Ligne 1, « ETP déplacés » : l'annexe EI055240002A0M0 n'a que 3,00 ETP conventionnés en juillet 2024 : "
            "impossible d'en retirer 3,50"
        ]

    def test_apres_les_lignes_precedentes(self):
        # 3 of A's 5 ETP go from July; 3 more from October are too many: 2 are left.
        assert self.messages([Mouvement(1, A.pk, B.pk, D(3), mois(7)), Mouvement(2, A.pk, B.pk, D(3), mois(10))]) == [
            "Ligne 2, « ETP déplacés » : l'annexe ACI055240001A0M0 n'a que 2,00 ETP conventionnés en octobre 2024 "
            "après les lignes précédentes : impossible d'en retirer 3,00"
        ]

    def test_le_mois_le_plus_bas_apres_un_avenant(self):
        # An avenant brought the annexe down to 2 ETP from September.
        avenant = annexe(5, "ACI055240005A1M0", "ACI", {mois(m): D(5) if m < 9 else D(2) for m in range(1, 13)})
        assert self.messages([Mouvement(1, avenant.pk, B.pk, D(3), mois(3))], avenant, B) == [
            "Ligne 1, « ETP déplacés » : l'annexe ACI055240005A1M0 n'a que 2,00 ETP conventionnés en septembre "
            "2024 : impossible d'en retirer 3,00"
        ]
        assert self.messages([Mouvement(1, avenant.pk, B.pk, D(2), mois(3))], avenant, B) == []

    def test_mois_hors_de_l_annexe_ou_de_l_annee(self):
        assert self.messages([Mouvement(1, A.pk, C.pk, D(1), mois(3))]) == [
            "Ligne 1, « à partir de » : l'annexe ACI055240003A0M0 ne court pas en mars 2024 (du 01/07/2024 au "
            "30/06/2025)"
        ]
        assert self.messages([Mouvement(1, A.pk, B.pk, D(1), mois(1, 2025))]) == [
            "Ligne 1, « à partir de » : choisissez un mois de 2024"
        ]

    def test_etp_nul_ou_negatif(self):
        assert self.messages([Mouvement(3, A.pk, B.pk, D(0), mois(7))]) == [
            "Ligne 3, « ETP déplacés » : indiquez un nombre d'ETP supérieur à 0"
        ]

    def test_ligne_en_double(self):
        assert self.messages([Mouvement(1, A.pk, B.pk, D(1), mois(7)), Mouvement(2, A.pk, B.pk, D(1), mois(7))]) == [
            "Ligne 2 : mêmes annexes et même mois qu'à la ligne 1 : regroupez-les en une seule ligne"
        ]

    def test_l_enveloppe_du_departement(self):
        # A (to December) gives 1 ETP to C (to June 2025) from September: 4 ETP-mois withdrawn, 10 added.
        assert self.messages([Mouvement(1, A.pk, C.pk, D(1), mois(9))]) == [
            "L'enveloppe du département serait dépassée : les ETP-mois ajoutés (10,00) dépassent les ETP-mois "
            "retirés (4,00), l'annexe qui reçoit courant plus longtemps que celle qui cède (ligne 1). Choisissez des "
            "annexes qui finissent le même mois, ou retirez ailleurs les ETP-mois qui manquent."
        ]
        # C passing 1 ETP on to B from September (10 withdrawn, 4 added) balances it: 4 + 10 withdrawn, 10 + 4 added.
        assert self.messages([Mouvement(1, A.pk, C.pk, D(1), mois(9)), Mouvement(2, C.pk, B.pk, D(1), mois(9))]) == []

    def test_une_ligne_fautive_n_est_pas_appliquee(self):
        erreurs = verifier(
            [Mouvement(1, A.pk, 999, D(4), mois(7)), Mouvement(2, A.pk, B.pk, D(5), mois(7))], par_pk(A, B), 2024, "55"
        )
        # Line 1 withdrew nothing: line 2 may take A's 5 ETP.
        assert erreurs == [
            Erreur("cette annexe n'est pas une annexe active du département 55 en 2024", 1, "destination")
        ]
