import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

User = get_user_model()

# Passwords longer than this are refused before any hashing (see validators.py).
PASSWORD_MAX_LENGTH = 1024
_PHONE = re.compile(r"^\+?[0-9 .()\-]{6,25}$")


def _password_field(label, autocomplete: str, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        help_text=help_text,
        error_messages={
            "max_length": _(
                "Ce mot de passe est trop long : %(limit_value)d caractères au maximum."
            )
        },
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


def _email_field() -> forms.EmailField:
    return forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


def _phone_clean(value: str) -> str:
    value = value.strip()
    if value and (not _PHONE.match(value) or sum(c.isdigit() for c in value) < 6):
        raise ValidationError(
            _("Saisissez un numéro de téléphone, par exemple 06 12 34 56 78 ou +33 6 12 34 56 78.")
        )
    return value


class NamesPhoneMixin(forms.Form):
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    phone = forms.CharField(
        label=_("Téléphone (facultatif)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def clean_phone(self) -> str:
        return _phone_clean(self.cleaned_data.get("phone", ""))


class SignupForm(NamesPhoneMixin, forms.Form):
    email = _email_field()
    password1 = _password_field(
        _("Mot de passe"),
        "new-password",
        _(
            "Au moins 12 caractères. Une phrase de plusieurs mots, facile à retenir, convient "
            "très bien ; évitez un mot de passe courant ou tiré de votre nom."
        ),
    )
    password2 = _password_field(_("Confirmation du mot de passe"), "new-password")
    accept_terms = forms.BooleanField(
        label=_(
            "J'accepte les conditions générales d'utilisation et je reconnais avoir lu la "
            "politique de confidentialité."
        ),
        error_messages={
            "required": _("Pour créer un compte, acceptez les conditions générales d'utilisation.")
        },
    )

    field_order = [
        "email",
        "first_name",
        "last_name",
        "phone",
        "password1",
        "password2",
        "accept_terms",
    ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif password1:
            # A throw-away user so that passwords derived from the name or e-mail are refused.
            candidate = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(forms.Form):
    email = _email_field()
    password = _password_field(_("Mot de passe"), "current-password")
    remember = forms.BooleanField(
        label=_("Rester connecté sur cet appareil (30 jours)"),
        required=False,
        initial=False,
        help_text=_("À ne cocher que sur un appareil personnel."),
    )


class PasswordResetRequestForm(forms.Form):
    email = _email_field()


class ProfileForm(NamesPhoneMixin, forms.Form):
    email = _email_field()

    field_order = ["first_name", "last_name", "email", "phone"]

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "phone": user.phone,
                "email": user.email,
            },
        )
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email"].help_text = _(
            "Si vous la changez, nous envoyons un lien de confirmation à la nouvelle adresse ; "
            "elle remplace l'ancienne une fois le lien suivi."
        )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    @property
    def email_changed(self) -> bool:
        return self.cleaned_data["email"] != self.user.email.lower()
