"""Who may change a person's identity (comptes.perimetre): the rule, on values, without the database."""

from comptes.perimetre import Perimetre

A, B, C = 1, 2, 3  # structures: A and B in the Meuse (55), C in the Moselle (57)
EMPLOYE_PAR_A = {(A, "55")}
EMPLOYE_PAR_A_ET_B = {(A, "55"), (B, "55")}
EMPLOYE_PAR_A_ET_C = {(A, "55"), (C, "57")}


def test_la_structure_qui_l_a_seule_employe():
    structure_a = Perimetre(siae_ids=frozenset({A}), departements_siae=frozenset({"55"}))
    assert structure_a.peut_modifier_identite(EMPLOYE_PAR_A)
    # Another structure employed the person too, in the département or elsewhere: the identity is theirs as well.
    assert not structure_a.peut_modifier_identite(EMPLOYE_PAR_A_ET_B)
    assert not structure_a.peut_modifier_identite(EMPLOYE_PAR_A_ET_C)
    # A person the structure never employed.
    assert not Perimetre(siae_ids=frozenset({B})).peut_modifier_identite(EMPLOYE_PAR_A)
    # A user of both structures answers for both: still not « the only structure ».
    assert not Perimetre(siae_ids=frozenset({A, B})).peut_modifier_identite(EMPLOYE_PAR_A_ET_B)


def test_la_ddets_d_un_departement_qui_suit_la_personne():
    assert Perimetre(departements_ddets=frozenset({"55"})).peut_modifier_identite(EMPLOYE_PAR_A_ET_C)
    assert Perimetre(departements_ddets=frozenset({"57"})).peut_modifier_identite(EMPLOYE_PAR_A_ET_C)
    assert not Perimetre(departements_ddets=frozenset({"57"})).peut_modifier_identite(EMPLOYE_PAR_A_ET_B)
    # A CDIAE member never.
    assert not Perimetre(departements_cdiae=frozenset({"55"})).peut_modifier_identite(EMPLOYE_PAR_A)


def test_l_administrateur():
    assert Perimetre(administrateur=True).peut_modifier_identite(EMPLOYE_PAR_A_ET_C)


def test_personne():
    assert not Perimetre().peut_modifier_identite(EMPLOYE_PAR_A)
    assert not Perimetre(siae_ids=frozenset({A})).peut_modifier_identite(set())
