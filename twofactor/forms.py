from django import forms
from django.utils.translation import gettext_lazy as _


def code_field(label=None, help_text=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Code"),
        help_text=help_text,
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class TOTPConfirmForm(forms.Form):
    code = code_field(
        _("Code à six chiffres affiché par l'application"),
        _("Il change toutes les 30 secondes."),
    )


class LoginCodeForm(forms.Form):
    code = code_field(
        _("Code de vérification"),
        _(
            "Le code à six chiffres de votre application d'authentification, "
            "ou l'un de vos codes de secours."
        ),
    )


class DeviceRemoveForm(forms.Form):
    """Removing a device proves again who is there: a current code, or the password."""

    code = forms.CharField(
        label=_("Code actuel ou mot de passe"),
        help_text=_("Un code de votre application ou de secours, ou votre mot de passe."),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
