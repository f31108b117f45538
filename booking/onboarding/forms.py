"""Forms of onboarding: the editor's actions and the practitioner's acceptance."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.forms import PASSWORD_MAX_LENGTH

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

User = get_user_model()


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail du praticien"), max_length=254)


class LinkExistingForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail du compte existant"), max_length=254)


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (pour l'historique, non montré aux clients)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _password(label: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class InvitationAcceptForm(forms.Form):
    """A new account for the invited address: names, password, the documents in force."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    password1 = _password(_("Mot de passe"))
    password2 = _password(_("Confirmation du mot de passe"))
    accept_terms = forms.BooleanField(
        label=_(
            "J'accepte les conditions générales d'utilisation et je reconnais avoir lu la "
            "politique de confidentialité."
        ),
        error_messages={
            "required": _("Pour créer votre compte, acceptez les conditions générales.")
        },
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["password1"].help_text = _(
            "Au moins 12 caractères. Une phrase de plusieurs mots convient très bien."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif password1:
            candidate = User(
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned
