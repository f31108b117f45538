"""Nothing under /admin/ is served to a session opened with a password alone."""

from django.core.exceptions import PermissionDenied
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from core.second_factor import second_factor_redirect
from staff.selectors import practitioner_scope_page_id

# The only admin views a password-only session may reach: signing in (to give the code) and out.
ALLOWED_URL_NAMES = {"wagtailadmin_login", "wagtailadmin_logout"}


class AdminOTPRequiredMiddleware:
    """Every admin URL needs a session verified by django-otp (after OTPMiddleware).

    An account without a device is sent to enrol one (first login); an account with a device
    whose session was not verified is signed out and asked for its code at the admin login.
    It applies to every signed-in user, whatever their permissions: Wagtail refuses the rest.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._refused(request):
            return self._redirect(request)
        return self.get_response(request)

    def _refused(self, request) -> bool:
        if not request.path_info.startswith(reverse("wagtailadmin_home")):
            return False
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return False
        try:
            url_name = resolve(request.path_info).url_name
        except Resolver404:
            return True
        return url_name not in ALLOWED_URL_NAMES

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
