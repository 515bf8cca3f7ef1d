"""The rules of an identity, without the database: the age at hire, names compared as spellings, the end of a
suspension of imports for repeated mismatches."""

import datetime as dt

from parcours.regles import erreur_age_a_l_embauche, fin_de_la_suspension, forme_comparable

D = dt.date
EMBAUCHE = D(2024, 3, 1)


def test_de_14_a_100_ans_a_l_embauche():
    assert erreur_age_a_l_embauche(D(2010, 3, 1), EMBAUCHE) is None  # 14 years that day
    assert erreur_age_a_l_embauche(D(1923, 3, 2), EMBAUCHE) is None  # 100 years until the day before the 101st
    assert erreur_age_a_l_embauche(D(2010, 3, 2), EMBAUCHE) == (
        "la date de naissance donne 13 ans à l'embauche du 01/03/2024 : de 14 à 100 ans attendus"
    )
    assert erreur_age_a_l_embauche(D(1923, 3, 1), EMBAUCHE) == (
        "la date de naissance donne 101 ans à l'embauche du 01/03/2024 : de 14 à 100 ans attendus"
    )
    assert erreur_age_a_l_embauche(D(1800, 1, 1), EMBAUCHE).startswith("la date de naissance donne 224 ans")
    assert erreur_age_a_l_embauche(EMBAUCHE, EMBAUCHE) == "la date de naissance doit précéder l'embauche"


def test_deux_graphies_d_un_meme_nom():
    assert forme_comparable("LEA") == forme_comparable("Léa") == forme_comparable(" léa ")
    assert forme_comparable("Jean-Pierre") == forme_comparable("JEAN PIERRE")
    assert forme_comparable("N'Diaye") == forme_comparable("N\u2019DIAYE") == forme_comparable("n diaye")
    assert forme_comparable("Lea") != forme_comparable("Leo")


H = dt.timedelta(hours=1)
T0 = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)


def test_la_suspension_finit_quand_assez_de_discordances_sortent_de_la_fenetre():
    fenetre = 24 * H
    assert fin_de_la_suspension([], 20, fenetre) is None
    assert fin_de_la_suspension([(T0, 12), (T0 + H, 7)], 20, fenetre) is None  # 19: still below
    # 12 + 7 + 3 = 22: the imports reopen once the 12 of T0 have left the window, 24 h after them.
    assert fin_de_la_suspension([(T0 + 2 * H, 3), (T0, 12), (T0 + H, 7)], 20, fenetre) == T0 + fenetre
    # 25 at once: the window must pass over them.
    assert fin_de_la_suspension([(T0, 25)], 20, fenetre) == T0 + fenetre
    # 10 + 10 + 10: dropping the first leaves 20, still the limit; dropping the second too reopens.
    assert fin_de_la_suspension([(T0, 10), (T0 + H, 10), (T0 + 2 * H, 10)], 20, fenetre) == T0 + H + fenetre
