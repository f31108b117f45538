"""Forms of onboarding: the editor's actions and the practitioner's acceptance."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import SignupForm


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


class InvitationAcceptForm(SignupForm):
    """The sign-up form without the address (the invitation's) and without the phone."""

    email = None  # type: ignore[assignment]  # removes the field: the invitation gives the address
    phone = None  # type: ignore[assignment]
    field_order = ["first_name", "last_name", "password1", "password2", "accept_terms"]

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invited_email = email

    def clean(self) -> dict[str, Any]:
        # The password checks of sign-up compare it with the address: give them the invited one.
        self.cleaned_data["email"] = self.invited_email
        return super().clean()
