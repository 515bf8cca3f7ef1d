"""A person's identity across structures and départements: the parcours import is no oracle of identities (one
message for every mismatch, repeated mismatches suspend the user's imports and show to the DDETS), and only a DDETS
agent of a département that follows the person, or the structure that alone employed them, changes their identity."""

import datetime as dt
import logging

import pytest
from django.test import override_settings

from imports.services import analyser_fichier
from parcours.importation import IDENTITE_DISCORDANTE, ImportParcours
from parcours.models import DiscordanceIdentite, Salarie
from parcours.services_identite import IdentiteNonModifiable, modifier_identite
from tests.factories import ParcoursFactory

pytestmark = pytest.mark.django_db

D = dt.date
ENTETE = ";".join(ImportParcours.colonnes)
NUMERO = "999992500009"


def ligne(siret, *, nom="Martin", prenom="Léa", naissance="1985-03-14", genre="F", embauche="2025-01-06"):
    return f"{NUMERO};{nom};{prenom};{naissance};{genre};{siret};2024-03-01;{embauche};CDDI;26;non;non;non;non;;;;"


def analyser(*lignes, utilisateur):
    contenu = "\n".join([ENTETE, *lignes]) + "\n"
    return analyser_fichier("parcours", "parcours.csv", contenu.encode("utf-8"), utilisateur)


def messages(analyse) -> list[str]:
    return [str(e) for e in analyse.erreurs]


@pytest.fixture
def suivie_en_moselle(siae_57):
    """Léa Martin, born on 14/03/1985, followed by a structure of the Moselle."""
    return ParcoursFactory(
        siae=siae_57,
        salarie__nom="Martin",
        salarie__prenom="Léa",
        salarie__date_naissance=D(1985, 3, 14),
        salarie__genre="F",
        pass_iae__numero=NUMERO,
        pass_iae__date_debut=D(2024, 3, 1),
        date_embauche=D(2024, 3, 1),
    )


def identite(parcours) -> tuple:
    salarie = Salarie.objects.get(pk=parcours.salarie_id)
    return (salarie.nom, salarie.prenom, salarie.date_naissance, salarie.genre)


LEA = ("Martin", "Léa", D(1985, 3, 14), "F")


# The import: one message, whatever differs and wherever the person is followed ---------------------------------


def test_une_meme_reponse_pour_toute_identite_discordante(siae_a, personnel_a, suivie_en_moselle):
    analyse = analyser(
        ligne(siae_a.siret, naissance="1985-03-15", embauche="2025-01-06"),
        ligne(siae_a.siret, nom="Martine", embauche="2025-01-07"),
        ligne(siae_a.siret, prenom="Lucie", embauche="2025-01-08"),
        ligne(siae_a.siret, genre="M", embauche="2025-01-09"),
        ligne(siae_a.siret, embauche="2025-02-03"),  # the right identity: a hire that can be recorded
        utilisateur=personnel_a,
    )
    assert messages(analyse) == [f"ligne {n}, colonne numero_pass : {IDENTITE_DISCORDANTE}" for n in (2, 3, 4, 5)]
    # Neither which field differs, nor that another structure or département follows the person.
    for mot in ("autre personne", "autre structure", "naissance diffère", "Moselle", "57"):
        assert mot not in IDENTITE_DISCORDANTE


def test_la_meme_reponse_quand_la_personne_est_suivie_par_la_structure(siae_a, siae_b, personnel_a):
    ParcoursFactory(
        siae=siae_a,
        siae__departement="55",
        salarie__nom="Martin",
        salarie__prenom="Léa",
        salarie__date_naissance=D(1985, 3, 14),
        pass_iae__numero=NUMERO,
        pass_iae__date_debut=D(2024, 3, 1),
        date_embauche=D(2024, 3, 1),
    )
    ParcoursFactory(siae=siae_b, salarie=Salarie.objects.get(), pass_iae__numero="999992500010")
    analyse = analyser(ligne(siae_a.siret, naissance="1985-03-15"), utilisateur=personnel_a)
    assert messages(analyse) == [f"ligne 2, colonne numero_pass : {IDENTITE_DISCORDANTE}"]


def test_une_graphie_differente_n_est_pas_une_discordance_et_ne_change_rien(siae_a, personnel_a, suivie_en_moselle):
    analyse = analyser(ligne(siae_a.siret, nom="MARTIN", prenom="LEA"), utilisateur=personnel_a)
    assert analyse.valide, messages(analyse)
    ImportParcours(personnel_a).appliquer(analyse)
    # The hire is recorded; the identity stays as the Moselle recorded it.
    assert identite(suivie_en_moselle) == LEA
    assert suivie_en_moselle.salarie.parcours.count() == 2
    assert not DiscordanceIdentite.objects.exists()


def test_la_structure_ne_change_pas_l_identite_d_une_personne_suivie_ailleurs(
    siae_a, personnel_a, suivie_en_moselle, agent_57
):
    # A first name or a sex the structure would correct is refused like any mismatch.
    assert not analyser(ligne(siae_a.siret, prenom="Lucie"), utilisateur=personnel_a).valide
    # The DDETS of the Moselle, which follows the person, may correct them by a file of its own structure.
    analyse = analyser(
        ligne(suivie_en_moselle.siae.siret, prenom="Lucie", embauche="2024-03-01"), utilisateur=agent_57
    )
    assert analyse.valide, messages(analyse)
    assert [(c.action, c.details) for c in analyse.changements] == [("modification", "identité")]
    ImportParcours(agent_57).appliquer(analyse)
    assert identite(suivie_en_moselle) == ("Martin", "Lucie", D(1985, 3, 14), "F")


def test_la_structure_qui_l_a_seule_employee_corrige_le_prenom(siae_a, personnel_a):
    seule = ParcoursFactory(
        siae=siae_a,
        salarie__nom="Martin",
        salarie__prenom="Lea",
        salarie__date_naissance=D(1985, 3, 14),
        pass_iae__numero=NUMERO,
        pass_iae__date_debut=D(2024, 3, 1),
        date_embauche=D(2025, 1, 6),
    )
    analyse = analyser(ligne(siae_a.siret), utilisateur=personnel_a)
    assert [(c.action, c.details) for c in analyse.changements] == [("modification", "identité")]
    ImportParcours(personnel_a).appliquer(analyse)
    assert identite(seule) == LEA


# Repeated mismatches: the imports are suspended, the DDETS sees them ---------------------------------------------


@override_settings(IDENTITE_DISCORDANCES_MAX=5, IDENTITE_DISCORDANCES_FENETRE_HEURES=24)
def test_essayer_les_dates_de_naissance_suspend_les_imports(siae_a, personnel_a, suivie_en_moselle, caplog):
    candidates = [D(1985, 1, 1) + dt.timedelta(days=n) for n in range(120)]  # the right date is among them
    lignes = [
        ligne(siae_a.siret, naissance=f"{jour:%Y-%m-%d}", embauche=f"{D(2025, 1, 1) + dt.timedelta(days=n):%Y-%m-%d}")
        for n, jour in enumerate(candidates)
    ]
    with caplog.at_level(logging.WARNING, logger="parcours.services_identite"):
        analyse = analyser(*lignes, utilisateur=personnel_a)
    # Past the limit the file says nothing of any line: the right date is not told from the wrong ones.
    (erreur,) = analyse.erreurs
    assert (erreur.ligne, erreur.colonne) == (1, "numero_pass")
    assert erreur.message.startswith(
        "trop de lignes dont l'identité ne correspond pas au numéro de PASS IAE ces dernières heures : vos imports de "
        "parcours sont suspendus jusqu'au "
    )
    assert not analyse.changements and not analyse.plan
    # Counted against the user, for the structure, without a name or a date in the logs.
    assert list(DiscordanceIdentite.objects.values_list("auteur", "siae", "nombre")) == [
        (personnel_a.pk, siae_a.pk, 119)
    ]
    journal = caplog.text
    assert f"utilisateur {personnel_a.pk}" in journal and f"salarié(s) [{suivie_en_moselle.salarie_id}]" in journal
    assert "Martin" not in journal and "1985" not in journal

    # The right identity alone, afterwards: still suspended.
    apres = analyser(ligne(siae_a.siret), utilisateur=personnel_a)
    assert [e.message[:30] for e in apres.erreurs] == ["trop de lignes dont l'identité"]


@override_settings(IDENTITE_DISCORDANCES_MAX=5)
def test_sous_la_limite_chaque_ligne_est_dite(siae_a, personnel_a, suivie_en_moselle):
    analyse = analyser(
        ligne(siae_a.siret, naissance="1985-03-15"),
        ligne(siae_a.siret, embauche="2025-02-03"),
        utilisateur=personnel_a,
    )
    assert messages(analyse) == [f"ligne 2, colonne numero_pass : {IDENTITE_DISCORDANTE}"]
    assert DiscordanceIdentite.objects.get().nombre == 1
    # The command line (the operators) is neither counted nor suspended.
    assert not analyser_fichier(
        "parcours", "p.csv", f"{ENTETE}\n{ligne(siae_a.siret, naissance='1985-03-15')}\n".encode()
    ).valide
    assert DiscordanceIdentite.objects.count() == 1


def test_la_ddets_voit_les_discordances_de_son_departement(
    client_de, siae_a, personnel_a, suivie_en_moselle, agent_55, agent_57, membre_cdiae_55
):
    analyser(ligne(siae_a.siret, naissance="1985-03-15"), utilisateur=personnel_a)
    page = client_de(agent_55).get("/salaries/discordances/")
    assert page.status_code == 200
    texte = page.content.decode()
    assert personnel_a.email in texte and siae_a.nom in texte
    assert "Martin" not in texte  # who was tried is not said
    assert not client_de(agent_57).get("/salaries/discordances/").context["object_list"]
    for role in (personnel_a, membre_cdiae_55):
        assert client_de(role).get("/salaries/discordances/").status_code == 404


# The salarié's page and the service --------------------------------------------------------------------------


def formulaire(parcours, **identite):
    valeurs = {"nom": "Martin", "prenom": "Léa", "date_naissance": "1985-03-14", "genre": "F", **identite}
    return {
        **{f"salarie-{champ}": valeur for champ, valeur in valeurs.items()},
        "situation-brsa": "on",
        "situation-niveau_formation": "SANS",
    }


def test_la_page_d_une_structure_qui_ne_l_a_pas_seule_employee(client_de, siae_a, personnel_a, suivie_en_moselle):
    ici = ParcoursFactory(
        siae=siae_a,
        salarie=suivie_en_moselle.salarie,
        pass_iae=suivie_en_moselle.pass_iae,
        date_embauche=D(2025, 1, 6),
    )
    adresse = f"/salaries/parcours/{ici.pk}/modifier/"
    client = client_de(personnel_a)
    page = client.get(adresse).content.decode()
    assert "Seule la DDETS d&#x27;un département qui suit cette personne" in page
    assert 'name="salarie-nom"' in page and "disabled" in page
    # Posted all the same: the identity is untouched, the situation at hire is saved.
    reponse = client.post(adresse, formulaire(ici, nom="Autre", date_naissance="1990-01-01", genre="M"))
    assert reponse.status_code == 302
    assert identite(suivie_en_moselle) == LEA
    ici.refresh_from_db()
    assert ici.brsa and ici.niveau_formation == "SANS"


def test_la_ddets_d_un_departement_qui_la_suit_corrige_l_identite(client_de, siae_a, agent_57, suivie_en_moselle):
    ParcoursFactory(
        siae=siae_a,
        salarie=suivie_en_moselle.salarie,
        pass_iae=suivie_en_moselle.pass_iae,
        date_embauche=D(2025, 1, 6),
    )
    reponse = client_de(agent_57).post(
        f"/salaries/parcours/{suivie_en_moselle.pk}/modifier/", formulaire(suivie_en_moselle, nom="Martin-Durand")
    )
    assert reponse.status_code == 302
    assert identite(suivie_en_moselle) == ("Martin-Durand", "Léa", D(1985, 3, 14), "F")


def test_la_date_de_naissance_du_formulaire_donne_14_a_100_ans(client_de, agent_57, suivie_en_moselle):
    reponse = client_de(agent_57).post(
        f"/salaries/parcours/{suivie_en_moselle.pk}/modifier/",
        formulaire(suivie_en_moselle, date_naissance="1800-01-01"),
    )
    assert reponse.status_code == 200
    assert reponse.context["salarie"].errors["date_naissance"] == [
        "La date de naissance donne 224 ans à l'embauche du 01/03/2024 : de 14 à 100 ans attendus."
    ]
    assert identite(suivie_en_moselle) == LEA


def test_le_service_refuse_qui_ne_peut_pas_modifier_l_identite(siae_a, personnel_a, agent_55, suivie_en_moselle):
    salarie = suivie_en_moselle.salarie
    ParcoursFactory(siae=siae_a, salarie=salarie, pass_iae=suivie_en_moselle.pass_iae, date_embauche=D(2025, 1, 6))
    for auteur in (personnel_a,):
        with pytest.raises(IdentiteNonModifiable):
            modifier_identite(salarie, {"date_naissance": D(1990, 1, 1)}, auteur=auteur)
    assert identite(suivie_en_moselle) == LEA
    # The DDETS of the Meuse follows the person too now (a hire in its département); the command line always may.
    assert modifier_identite(salarie, {"prenom": "Lucie"}, auteur=agent_55)
    assert modifier_identite(salarie, {"prenom": "Léa"}, auteur=None)
    assert not modifier_identite(salarie, {"prenom": "Léa"}, auteur=None)  # nothing changes, nothing written
    with pytest.raises(ValueError):
        modifier_identite(salarie, {"date_anonymisation": None}, auteur=None)


def test_l_import_refuse_une_date_de_naissance_invraisemblable(siae_a, personnel_a):
    analyse = analyser(
        ligne(siae_a.siret, naissance="1800-01-01"),
        ligne(siae_a.siret, naissance="2011-01-07", embauche="2025-02-03"),  # 14 years old: accepted
        utilisateur=personnel_a,
    )
    assert messages(analyse) == [
        "ligne 2, colonne date_naissance : la date de naissance donne 225 ans à l'embauche du 06/01/2025 : de 14 à "
        "100 ans attendus"
    ]
