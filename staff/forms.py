from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm

from accounts.models import SecurityEvent
from accounts.services import login_success_record, security_event_record
from core.second_factor import user_is_enrolled
from twofactor.services import CodeRefused, code_verify


class AdminLoginForm(LoginForm):
    """Wagtail's login form with the two-factor code (WAGTAILADMIN_USER_LOGIN_FORM).

    The code is optional in the form because an account without a device must still log in once
    with its password, to enrol: staff.middleware then serves it nothing but the enrolment.
    """

    otp_token = forms.CharField(
        label=_("Code de double authentification"),
        help_text=_(
            "Le code de votre application, ou un code de secours. Vide à la première connexion."
        ),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off"}),
    )

    def clean(self):
        cleaned_data = super().clean()  # authenticates: a wrong password stops here
        user = self.get_user()
        if user is not None and user_is_enrolled(user):
            code = cleaned_data.get("otp_token") or ""
            if not code.strip():
                raise forms.ValidationError(
                    _("Saisissez le code de votre application d'authentification."),
                    code="otp_required",
                )
            try:
                device = code_verify(user=user, code=code)
            except CodeRefused as refusal:
                security_event_record(
                    kind=SecurityEvent.Kind.OTP_FAILED, request=self.request, user=user
                )
                raise forms.ValidationError(refusal.message, code="otp_invalid") from refusal
            # django-otp's user_logged_in receiver stores this device in the new session,
            # which is what makes the session "verified".
            user.otp_device = device
        if user is not None:
            # Every factor passed: Django's LoginView logs the user in next. Record it like the
            # site's own login does (security log, new-device e-mail).
            login_success_record(
                request=self.request, user=user, first_login=user.last_login is None
            )
        return cleaned_data
