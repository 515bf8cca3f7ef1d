"""A session ends after 2 hours without a request (docs/rgpd.md); each request pushes the end back."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from comptes.middleware import CLE

pytestmark = pytest.mark.django_db


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_deux_heures_d_inactivite():
    assert settings.SESSION_COOKIE_AGE == 2 * 3600
    assert "comptes.middleware.PrendreEnCompteLActivite" in settings.MIDDLEWARE


def test_la_session_n_est_pas_reecrite_a_chaque_requete(client, agent_55):
    client.force_login(agent_55)
    fin = _session(client).expire_date
    client.get("/comptes/mot-de-passe/")
    assert _session(client).expire_date == fin  # within the 5 minutes after the login: not written again


def test_chaque_requete_repousse_la_fin_de_la_session(client, agent_55):
    client.force_login(agent_55)
    assert client.get("/").status_code == 200
    fin = _session(client).expire_date
    assert abs(fin - (timezone.now() + dt.timedelta(hours=2))) < dt.timedelta(minutes=1)
    # An hour and a half without a request, then one: two hours again from now.
    session = client.session
    session[CLE] -= 90 * 60
    session.save()
    Session.objects.filter(pk=session.session_key).update(expire_date=fin - dt.timedelta(minutes=90))
    assert client.get("/").status_code == 200
    assert abs(_session(client).expire_date - (timezone.now() + dt.timedelta(hours=2))) < dt.timedelta(minutes=1)


def test_apres_deux_heures_sans_requete_il_faut_se_reconnecter(client, agent_55):
    client.force_login(agent_55)
    assert client.get("/").status_code == 200
    Session.objects.filter(pk=client.session.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    reponse = client.get("/salaries/")
    assert reponse.status_code == 302 and reponse["Location"].startswith("/comptes/connexion/")
