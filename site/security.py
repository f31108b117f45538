"""Security headers that Django and django-csp do not set on their own.

- Permissions-Policy: powerful browser features (camera, microphone, location...) are off for
  the site and anything it frames; nothing on the site needs them.
- Content-Security-Policy, adjusted per response before django-csp writes it (this middleware
  sits below csp.middleware.CSPMiddleware, so it sees the response first):
  * a view that allowed framing by its own site (X-Frame-Options: SAMEORIGIN, as Wagtail does
    for the page preview shown in the editor's iframe) gets `frame-ancestors 'self'` instead of
    'none', so the two headers say the same thing;
  * the Wagtail admin gets ADMIN_CSP_UPDATE (see settings): its own pages write a few style
    attributes and show blob: image previews.
  * Wagtail 8 still renders a few inline <script> elements in the admin (date choosers, inline
    panels, image choosers: `initDateChooser("id_go_live_at", {...})`). Rather than
    'unsafe-inline', an admin HTML response allows exactly the inline scripts it contains, by
    their SHA-256 hashes. Inline event handlers (onerror=...) and javascript: URLs stay blocked,
    which 'unsafe-inline' would allow; what this cannot stop is a <script> element injected
    into the admin's own server-side HTML (Wagtail escapes what editors type, and the admin is
    reachable only with two factors). The public site has no inline script at all.
"""

import base64
import hashlib
import re

from csp.constants import SELF
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from core.permissions_policy import permissions_policy_header

# An inline classic or module script (no src): type absent or a JavaScript type.
_INLINE_SCRIPT = re.compile(
    r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<code>.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
_TYPE_ATTR = re.compile(r"""(?:^|\s)type\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
_SRC_ATTR = re.compile(r"(?:^|\s)src\s*=", re.IGNORECASE)


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-...') of the inline scripts in an HTML document."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs")
        type_match = _TYPE_ATTR.search(attrs)
        script_type = type_match.group(1).lower() if type_match else ""
        if _SRC_ATTR.search(attrs) or script_type not in _JS_TYPES:
            continue
        digest = hashlib.sha256(match.group("code").encode()).digest()
        source = f"'sha256-{base64.b64encode(digest).decode()}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy_header(settings.PERMISSIONS_POLICY)
        self.admin_prefix = settings.ADMIN_URL_PREFIX

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        # Static files are answered by WhiteNoise, above XFrameOptionsMiddleware: same default.
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)

        replace = dict(getattr(response, "_csp_replace", None) or {})
        if response.headers.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            replace["frame-ancestors"] = [SELF]
        if replace:
            response._csp_replace = replace

        if request.path_info.startswith(self.admin_prefix):
            update = dict(getattr(response, "_csp_update", None) or {})
            for directive, sources in settings.ADMIN_CSP_UPDATE.items():
                update[directive] = [*update.get(directive, []), *sources]
            hashes = self._admin_inline_script_hashes(response)
            if hashes:
                update["script-src"] = [*update.get("script-src", []), *hashes]
            response._csp_update = update
        return response

    @staticmethod
    def _admin_inline_script_hashes(response: HttpResponse) -> list[str]:
        if getattr(response, "streaming", False):
            return []
        if not response.headers.get("Content-Type", "").startswith("text/html"):
            return []
        return inline_script_hashes(response.content.decode(response.charset or "utf-8", "replace"))
