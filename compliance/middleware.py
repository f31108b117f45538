"""The re-acceptance gate: a signed-in user with a material change pending accepts it first.

Placed after the authentication (and OTP) middleware. Costs nothing for visitors, and two small
queries per request for a signed-in user, computed once per request and shared with the notice
banner (selectors.request_pending_versions).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse

from compliance.selectors import request_pending_versions
from compliance.templatetags.compliance_tags import logout_url

# What a gated user may still reach: the gate, logging out, reading every version of the
# documents (and the legal notice), their own consent history, the policies API (to read and
# accept from an app), the language switch, and static files.
ALWAYS_ALLOWED = (
    "/compte/reacceptation/",
    "/compte/deconnexion/",
    "/compte/consentements/",
    "/confidentialite/",
    "/cgu/",
    "/mentions-legales/",
    "/api/v1/policies/",
    "/i18n/",
    "/favicon.ico",
    "/robots.txt",
)


class PolicyGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.allowed = (
            *ALWAYS_ALLOWED,
            settings.STATIC_URL,
            settings.MEDIA_URL,
            # Other apps may add paths a gated user must reach (e.g. a second-factor step).
            *getattr(settings, "POLICY_GATE_ALLOWED_PATHS", ()),
        )

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not self._is_allowed(request.path_info)
            and request_pending_versions(request).gated
        ):
            return self._refuse(request)
        return self.get_response(request)

    def _is_allowed(self, path: str) -> bool:
        return path.startswith(self.allowed) or path == logout_url()

    def _refuse(self, request):
        gate = reverse("compliance:reacceptance")
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": "Une nouvelle version des conditions doit être acceptée avant "
                    "de continuer.",
                    "code": "policy_acceptance_required",
                    "acceptance_url": request.build_absolute_uri(gate),
                    "policies_url": request.build_absolute_uri("/api/v1/policies/"),
                },
                status=403,
            )
        if request.method in ("GET", "HEAD"):
            gate = f"{gate}?{urlencode({'next': request.get_full_path()})}"
            return HttpResponseRedirect(gate)
        # After a refused POST, go to the gate without replaying the form (303: as a GET).
        return HttpResponseRedirect(gate, status=303)
