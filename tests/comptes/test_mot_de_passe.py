"""The password reset by e-mail and the password change, for every user, in French with the design system."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail

from tests.factories import MOT_DE_PASSE

pytestmark = pytest.mark.django_db

NOUVEAU = "Un-nouveau-mot-de-passe-solide-2026"


def _lien_du_courriel() -> str:
    (message,) = mail.outbox
    return re.search(r"https?://[^/\s]+(/comptes/reinitialisation/\S+/)", message.body).group(1)


def test_la_page_mot_de_passe_oublie_est_ouverte_a_tous_en_francais(client):
    page = client.get("/comptes/mot-de-passe-oublie/")
    texte = page.content.decode()
    assert page.status_code == 200
    assert "Mot de passe oublié" in texte and "Recevoir le lien" in texte
    assert 'class="fr-input-group' in texte and 'class="fr-btn"' in texte
    assert "/comptes/mot-de-passe-oublie/" in client.get("/comptes/connexion/").content.decode()


def test_reinitialiser_son_mot_de_passe_par_courriel(client, agent_55):
    reponse = client.post("/comptes/mot-de-passe-oublie/", {"email": "AGENT55@ddets.test"})
    assert reponse.status_code == 302 and reponse["Location"] == "/comptes/mot-de-passe-oublie/envoye/"
    (message,) = mail.outbox
    assert message.to == [agent_55.email]
    assert message.subject == "Pilot'IAE : réinitialisation de votre mot de passe"
    assert "dans l'heure qui suit" in message.body and "Le lien ne sert qu'une fois" in message.body

    lien = _lien_du_courriel()
    # Django swaps the token for a session key before showing the form (the token leaves the address bar).
    formulaire = client.get(lien, follow=True)
    assert "Choisir un nouveau mot de passe" in formulaire.content.decode()
    adresse = formulaire.redirect_chain[-1][0]
    trop_court = client.post(adresse, {"new_password1": "court", "new_password2": "court"})
    assert "Ce mot de passe est trop court" in trop_court.content.decode()
    fini = client.post(adresse, {"new_password1": NOUVEAU, "new_password2": NOUVEAU})
    assert fini.status_code == 302 and fini["Location"] == "/comptes/reinitialisation/terminee/"
    assert "Mot de passe enregistré" in client.get(fini["Location"]).content.decode()

    agent_55.refresh_from_db()
    assert agent_55.check_password(NOUVEAU) and not agent_55.check_password(MOT_DE_PASSE)
    # The link served once.
    client.logout()
    perime = client.get(lien, follow=True)
    assert "Ce lien n'est plus valable" in perime.content.decode()


def test_une_adresse_inconnue_recoit_la_meme_reponse_et_aucun_courriel(client, agent_55):
    reponse = client.post("/comptes/mot-de-passe-oublie/", {"email": "personne@ailleurs.test"})
    assert reponse.status_code == 302 and reponse["Location"] == "/comptes/mot-de-passe-oublie/envoye/"
    assert mail.outbox == []


def test_un_nouveau_mot_de_passe_debloque_le_compte(client, agent_55):
    for _ in range(5):
        client.post("/comptes/connexion/", {"username": agent_55.email, "password": "mauvais-mot-de-passe"})
    assert (
        client.post("/comptes/connexion/", {"username": agent_55.email, "password": MOT_DE_PASSE}).status_code == 429
    )
    assert "Mot de passe oublié" in client.get("/comptes/mot-de-passe-oublie/").content.decode()
    client.post("/comptes/mot-de-passe-oublie/", {"email": agent_55.email})
    adresse = client.get(_lien_du_courriel(), follow=True).redirect_chain[-1][0]
    client.post(adresse, {"new_password1": NOUVEAU, "new_password2": NOUVEAU})
    assert not AccessAttempt.objects.filter(username=agent_55.email).exists()
    assert client.post("/comptes/connexion/", {"username": agent_55.email, "password": NOUVEAU}).status_code == 302


@pytest.mark.parametrize("role", ["agent_55", "personnel_a", "membre_cdiae_55", "admin"])
def test_chaque_utilisateur_change_son_mot_de_passe(client, role, request):
    utilisateur = request.getfixturevalue(role)
    client.force_login(utilisateur)
    accueil = client.get("/").content.decode()
    assert 'href="/comptes/mot-de-passe/"' in accueil
    page = client.get("/comptes/mot-de-passe/")
    assert page.status_code == 200 and "Changer de mot de passe" in page.content.decode()

    faux = client.post(
        "/comptes/mot-de-passe/", {"old_password": "pas-le-bon", "new_password1": NOUVEAU, "new_password2": NOUVEAU}
    )
    assert "Votre ancien mot de passe est incorrect" in faux.content.decode()
    reponse = client.post(
        "/comptes/mot-de-passe/", {"old_password": MOT_DE_PASSE, "new_password1": NOUVEAU, "new_password2": NOUVEAU}
    )
    assert reponse.status_code == 302 and reponse["Location"] == "/comptes/mot-de-passe/modifie/"
    # The session stays open; the new password is the one.
    assert "Mot de passe modifié" in client.get("/comptes/mot-de-passe/modifie/").content.decode()
    utilisateur.refresh_from_db()
    assert utilisateur.check_password(NOUVEAU)


def test_changer_de_mot_de_passe_demande_d_etre_connecte(client):
    reponse = client.get("/comptes/mot-de-passe/")
    assert reponse.status_code == 302 and reponse["Location"].startswith("/comptes/connexion/")
