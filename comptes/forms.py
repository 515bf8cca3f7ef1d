from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from dsfr.forms import DsfrBaseForm


class ConnexionForm(DsfrBaseForm, AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    password = forms.CharField(
        label="Mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


def identifiant_de_connexion(request, credentials=None) -> str:
    """The address a login attempt is for, as django-axes counts failures: lower-cased, as accounts are."""
    donnees = credentials if credentials is not None else getattr(request, "data", request.POST)
    return str(donnees.get("username") or "").strip().lower()


class DemandeReinitialisationForm(DsfrBaseForm, PasswordResetForm):
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        help_text="L'adresse avec laquelle vous vous connectez.",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class NouveauMotDePasseForm(DsfrBaseForm, SetPasswordForm):
    pass


class ChangementMotDePasseForm(DsfrBaseForm, PasswordChangeForm):
    pass
