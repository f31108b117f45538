"""The re-acceptance gate: what needs consent waits until a pending material change is accepted.

A signed-in user with a material version pending keeps browsing the public site (with the
banner of templates/compliance/policy_notice.html); what acts on their behalf under the
documents waits for their acceptance: booking (the funnel and "Mes rendez-vous"), their account,
the practitioner's area, the JSON API and the Wagtail admin.

The areas are told from the resolved URL, never from literal paths: by URL namespace, and for
the Wagtail admin by the include its URLs come through (the admin's own names carry no
namespace). Moving a URL keeps its status, and renaming a namespace breaks a test
(tests/compliance/test_gate.py) instead of silently opening it. It runs in process_view, once
the URL is resolved; a path that resolves to nothing is the site's 404, which hides nothing.

An editor who publishes a material version that comes into force at once is not thrown out
mid-action: their POST succeeds (the version did not exist when it started), and the page it
redirects to is shown with its message; the gate applies from the navigation after that.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin import urls as wagtailadmin_urls

from compliance.models import PolicyVersion
from compliance.selectors import request_pending_versions
from core.api_errors import is_api_request
from core.api_language import api_language_activate
from core.links import absolute_url

# URL namespaces whose views act under the documents: booking (the funnel under /rendez-vous/ and
# "Mes rendez-vous"), the account and its security settings, the practitioner's area, the site's
# JSON API. The documents, their versions and the consent pages (namespace "compliance") stay
# readable, like every public page.
GATED_NAMESPACES = frozenset({"booking", "accounts", "twofactor", "practitioner", "api"})

# What a gated user may still reach inside those namespaces: logging out (and the second-factor
# step that finishes a login), the policies API (to read and accept from an app) and the API's
# description.
GATE_EXEMPT_URL_NAMES = frozenset(
    {
        "api:api_policies",
        "api:api_versions",
        "api:api_version",
        "api:api_version_accept",
        "api:schema",
        "api:docs",
        "accounts:logout",
        "twofactor:login_verify",
    }
)

# Where a version published during a POST lets the next request through once (see __call__).
GRACE_SESSION_KEY = "policy_gate_grace"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@lru_cache(maxsize=8)
def _admin_routes(urlconf: str) -> tuple[str, ...]:
    """The route prefixes under which `urlconf` includes Wagtail's admin URLs ("admin/")."""
    return tuple(
        str(pattern.pattern)
        for pattern in get_resolver(urlconf).url_patterns
        if isinstance(pattern, URLResolver) and pattern.urlconf_module is wagtailadmin_urls
    )


def needs_consent(request) -> bool:
    """Whether the resolved view of `request` waits for a pending material change's acceptance."""
    match = request.resolver_match
    if match.view_name in GATE_EXEMPT_URL_NAMES:
        return False
    if match.namespaces and match.namespaces[0] in GATED_NAMESPACES:
        return True
    admin_routes = _admin_routes(getattr(request, "urlconf", None) or settings.ROOT_URLCONF)
    return bool(admin_routes) and match.route.startswith(admin_routes)


class PolicyGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = timezone.now()
        response = self.get_response(request)
        if getattr(request, "_policy_gate_passed", False) and response.status_code in _REDIRECTS:
            self._grant_grace(request, started)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        # Read (and spent) by whatever request comes next, gated area or not.
        session = getattr(request, "session", None)
        grace = session.pop(GRACE_SESSION_KEY, None) if session is not None else None
        # Cheapest first: names cost no query, the ledger two (shared with the banner).
        if not needs_consent(request):
            return None
        pending = request_pending_versions(request)
        if not pending.gated:
            request._policy_gate_passed = request.method not in ("GET", "HEAD")
            return None
        if grace and request.method in ("GET", "HEAD") and set(pending.material) <= set(grace):
            return None
        return self._refuse(request)

    def _grant_grace(self, request, started) -> None:
        """A material version that came into force during this POST (the editor's publication):
        the page the POST redirects to is still shown, once."""
        came_into_force = list(
            PolicyVersion.objects.filter(
                is_material=True, created_at__gte=started, effective_at__lte=timezone.now()
            ).values_list("pk", flat=True)
        )
        if came_into_force and hasattr(request, "session"):
            request.session[GRACE_SESSION_KEY] = came_into_force

    def _refuse(self, request):
        gate = reverse("compliance:reacceptance")
        # A client of the JSON APIs cannot follow a redirect to an HTML form: it gets a 403 it
        # can act upon, in the language it asked for.
        if is_api_request(request):
            api_language_activate(request)
            return JsonResponse(
                {
                    "detail": _(
                        "Une nouvelle version des conditions doit être acceptée avant de continuer."
                    ),
                    "code": "policy_acceptance_required",
                    "acceptance_url": absolute_url(gate),
                    "policies_url": absolute_url(reverse("api:api_policies")),
                },
                status=403,
            )
        if request.method in ("GET", "HEAD"):
            gate = f"{gate}?{urlencode({'next': request.get_full_path()})}"
            return HttpResponseRedirect(gate)
        # After a refused POST, go to the gate without replaying the form (303: as a GET).
        return HttpResponseRedirect(gate, status=303)
