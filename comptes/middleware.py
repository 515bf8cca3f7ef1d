"""The end of a session is pushed back by activity (SESSION_COOKIE_AGE after the last request, docs/rgpd.md).

Django's SESSION_SAVE_EVERY_REQUEST would write the session at every request; this writes it at most every few
minutes, which moves the end by as much: an idle session ends between 1 h 55 and 2 h after the last request."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

CLE = "_derniere_activite"
# How often the session is written again, in seconds.
PAS = 5 * 60


class PrendreEnCompteLActivite:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        # Only a session with a user (an anonymous visit without a session cookie reads nothing).
        if session.session_key and session.get("_auth_user_id"):
            maintenant = int(time.time())
            if maintenant - session.get(CLE, 0) >= PAS:
                session[CLE] = maintenant  # modified: saved after the response, with its end pushed back
        return self.get_response(request)


@receiver(user_logged_in)
def _noter_la_connexion(sender, request, user, **kwargs):
    # The login writes the session: the activity starts there, without a second write at the next request.
    if request is not None and hasattr(request, "session"):
        request.session[CLE] = int(time.time())
