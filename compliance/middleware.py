"""The re-acceptance gate: a signed-in user with a material change pending accepts it first.

Placed after the authentication (and OTP) middleware. Costs nothing for visitors, and two small
queries per request for a signed-in user, computed once per request and shared with the notice
banner (selectors.request_pending_versions).

What stays reachable is decided from the resolved URL (its namespaced name) or, for Wagtail
pages, from the page's type, never from literal paths: moving a URL or a page keeps its status,
and renaming one breaks a test (tests/compliance/test_gate.py) instead of silently gating it.
It runs in process_view, once the URL is resolved; a path that resolves to nothing (e.g.
/favicon.ico) never gets there and is the site's 404, which has nothing to hide.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.models import LegalPage, VersionedDocumentPage
from compliance.models import DocumentKind
from compliance.selectors import request_pending_versions
from core.api_errors import is_api_request
from core.api_language import api_language_activate

# What a gated user may still reach: the gate and their consent pages, logging out (and the
# second-factor step that finishes a login), every version of the documents, the policies API
# (to read and accept from an app), the language switch, and robots.txt.
GATE_EXEMPT_URL_NAMES = frozenset(
    {
        "compliance:reacceptance",
        "compliance:consent_history",
        "compliance:consent_history_csv",
        "compliance:notice_dismiss",
        *(
            f"compliance:{kind}_{view}"
            for kind in DocumentKind.values
            for view in ("versions", "version", "version_pdf", "version_diff")
        ),
        "api:api_policies",
        "api:api_versions",
        "api:api_version",
        "api:api_version_accept",
        "accounts:logout",
        "twofactor:login_verify",
        "set_language",
        "robots_txt",
    }
)

# Wagtail serves every page through one URL name: the page's type decides. The documents to
# accept and the legal notice (who the operator is, how to reach them) stay readable.
WAGTAIL_PAGE_URL_NAME = "wagtail_serve"
GATE_EXEMPT_PAGE_TYPES = (VersionedDocumentPage, LegalPage)


class PolicyGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Static files normally never get here (WhiteNoise answers first); media may, when the
        # site serves them itself. Only local prefixes: a CDN's absolute URL is not a path here.
        self.file_prefixes = tuple(
            url for url in (settings.STATIC_URL, settings.MEDIA_URL) if url and url.startswith("/")
        )

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        # Cheapest first: a name or a prefix costs no query, the ledger two, a page's route a few
        # (which Wagtail's serve view then reuses: the route is cached on the request).
        if request.resolver_match.view_name in GATE_EXEMPT_URL_NAMES:
            return None
        if request.path_info.startswith(self.file_prefixes):
            return None
        if not request_pending_versions(request).gated:
            return None
        if self._is_exempt_page(request, view_args, view_kwargs):
            return None
        return self._refuse(request)

    def _is_exempt_page(self, request, view_args, view_kwargs) -> bool:
        if request.resolver_match.view_name != WAGTAIL_PAGE_URL_NAME:
            return False
        # wagtail.views.serve(request, path): Wagtail's pattern passes the path positionally.
        path = view_kwargs.get("path", view_args[0] if view_args else "")
        route = Page.route_for_request(request, path)
        return route is not None and isinstance(route[0], GATE_EXEMPT_PAGE_TYPES)

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
                    "acceptance_url": request.build_absolute_uri(gate),
                    "policies_url": request.build_absolute_uri(reverse("api:api_policies")),
                },
                status=403,
            )
        if request.method in ("GET", "HEAD"):
            gate = f"{gate}?{urlencode({'next': request.get_full_path()})}"
            return HttpResponseRedirect(gate)
        # After a refused POST, go to the gate without replaying the form (303: as a GET).
        return HttpResponseRedirect(gate, status=303)
