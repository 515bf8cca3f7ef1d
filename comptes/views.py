from axes.utils import reset as debloquer
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from .adresse import adresse_du_client
from .forms import ChangementMotDePasseForm, ConnexionForm, DemandeReinitialisationForm, NouveauMotDePasseForm
from .limitation import reinitialisation_permise


@method_decorator(login_not_required, name="dispatch")
class Connexion(auth_views.LoginView):
    template_name = "comptes/connexion.html"
    authentication_form = ConnexionForm
    redirect_authenticated_user = True


class Deconnexion(auth_views.LogoutView):
    pass


# The password reset by e-mail (Django's views, one-time links valid for PASSWORD_RESET_TIMEOUT). The page answers
# the same whether the address has an account or not: it tells no one who uses Pilot'IAE. Past the hourly limits of
# an address or a client (comptes/limitation.py) it still answers the same, and sends nothing.
@method_decorator(login_not_required, name="dispatch")
class DemandeReinitialisation(auth_views.PasswordResetView):
    template_name = "comptes/reinitialisation_demande.html"
    form_class = DemandeReinitialisationForm
    subject_template_name = "comptes/email/reinitialisation_sujet.txt"
    email_template_name = "comptes/email/reinitialisation.txt"
    success_url = reverse_lazy("comptes:reinitialisation-envoyee")

    def form_valid(self, form):
        if not reinitialisation_permise(form.cleaned_data["email"], adresse_du_client(self.request)):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class ReinitialisationEnvoyee(auth_views.PasswordResetDoneView):
    template_name = "comptes/reinitialisation_envoyee.html"


@method_decorator(login_not_required, name="dispatch")
class NouveauMotDePasse(auth_views.PasswordResetConfirmView):
    template_name = "comptes/reinitialisation_nouveau.html"
    form_class = NouveauMotDePasseForm
    success_url = reverse_lazy("comptes:reinitialisation-terminee")

    def form_valid(self, form):
        reponse = super().form_valid(form)
        # Whoever proved they hold the mailbox may log in again at once: the failures counted on the account
        # (someone else's, perhaps) no longer lock it.
        debloquer(username=form.user.email.lower())
        return reponse


@method_decorator(login_not_required, name="dispatch")
class ReinitialisationTerminee(auth_views.PasswordResetCompleteView):
    template_name = "comptes/reinitialisation_terminee.html"


class ChangementMotDePasse(auth_views.PasswordChangeView):
    """Every user changes their own password; the session stays open (Django updates its hash)."""

    template_name = "comptes/mot_de_passe.html"
    form_class = ChangementMotDePasseForm
    success_url = reverse_lazy("comptes:mot-de-passe-modifie")


class MotDePasseModifie(auth_views.PasswordChangeDoneView):
    template_name = "comptes/mot_de_passe_modifie.html"
