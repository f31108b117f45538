"""Nothing under /admin/ is served to a session opened with a password alone."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from core.second_factor import second_factor_redirect
from staff.selectors import practitioner_scope_page_id, user_may_use_admin

# The only admin views a password-only session may reach: signing in (to give the code) and out.
ALLOWED_URL_NAMES = {"wagtailadmin_login", "wagtailadmin_logout"}


class AdminOTPRequiredMiddleware:
    """Every admin URL needs a session verified by django-otp (after OTPMiddleware).

    An account without a device is sent to enrol one (first login); an account with a device
    whose session was not verified is signed out and asked for its code at the admin login.
    Wagtail refuses the rest according to each account's permissions.

    An account without the admin access right (a client) is refused with a plain page instead,
    verified session or not: enrolment would only lead it to Wagtail's "no permission", and
    being asked to set up two-factor authentication for a place it may not enter is confusing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        url_name = self._guarded_url_name(request)
        if url_name is not None:
            if not user_may_use_admin(request.user):
                return render(request, "staff/admin_refused.html", status=403)
            if not request.user.is_verified():
                return self._redirect(request)
        return self.get_response(request)

    def _guarded_url_name(self, request) -> str | None:
        """The admin URL name a signed-in user asks for, or None where no check applies."""
        if not request.path_info.startswith(reverse("wagtailadmin_home")):
            return None
        if not request.user.is_authenticated:
            return None  # Wagtail sends anonymous visitors to its login
        try:
            url_name = resolve(request.path_info).url_name or ""
        except Resolver404:
            url_name = ""
        return None if url_name in ALLOWED_URL_NAMES else url_name

    def _redirect(self, request):
        return second_factor_redirect(
            request,
            login_url_name="wagtailadmin_login",
            after_post_url=reverse("wagtailadmin_home"),
            enrol_message=_(
                "L'administration exige la double authentification : activez-la pour continuer."
            ),
        )


class PractitionerAdminScopeMiddleware:
    """Admin screens a practitioner has no use for, closed where Wagtail would list other pages.

    Wagtail's bulk-action confirmation lists the titles of the pages whose ids are in the URL,
    even those the user may not act on; a practitioner acts on one page and needs none of it.
    """

    CLOSED_PREFIXES = ("bulk/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin_root = reverse("wagtailadmin_home")
        if request.path_info.startswith(admin_root):
            rest = request.path_info[len(admin_root) :]
            if rest.startswith(self.CLOSED_PREFIXES) and practitioner_scope_page_id(request.user):
                raise PermissionDenied
        return self.get_response(request)
