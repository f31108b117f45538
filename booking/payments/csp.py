"""The Content Security Policy of the payment page: Stripe's hosts there, and nowhere else.

Stripe documents what Stripe.js and the Payment Element need (its integration security guide):
scripts from js.stripe.com, frames from js.stripe.com and hooks.stripe.com (3-D Secure), and
requests to api.stripe.com. Nothing else on the site loads anything from Stripe, so the
site-wide policy (settings CONTENT_SECURITY_POLICY) names none of them; the payment views add
these sources to their own responses only (django-csp reads `response._csp_update`).

When STRIPE_JS_URL or STRIPE_API_BASE point elsewhere (the local test server's stand-in on
loopback), the sources are those origins instead, derived from the settings at request time.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse

from core.permissions_policy import permissions_policy_header

STRIPE_JS_ORIGIN = "https://js.stripe.com"
STRIPE_HOOKS_ORIGIN = "https://hooks.stripe.com"
STRIPE_API_ORIGIN = "https://api.stripe.com"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def stripe_csp_sources() -> dict[str, list[str]]:
    """The sources the payment page adds to the policy, by directive."""
    js = _origin(settings.STRIPE_JS_URL) or STRIPE_JS_ORIGIN
    api = _origin(settings.STRIPE_API_BASE) or STRIPE_API_ORIGIN
    frames = [js]
    if js == STRIPE_JS_ORIGIN:
        # 3-D Secure pages are framed from hooks.stripe.com by the real Stripe.js only.
        frames.append(STRIPE_HOOKS_ORIGIN)
    return {"script-src": [js], "frame-src": frames, "connect-src": [api]}


def stripe_csp_allow(response: HttpResponse) -> HttpResponse:
    """Add Stripe's sources to this response's policy (on top of what a view already added),
    and let Stripe's frame use the Payment Request API there (wallets such as Apple Pay and
    Google Pay), which the site-wide Permissions-Policy turns off everywhere else."""
    sources = stripe_csp_sources()
    update = dict(getattr(response, "_csp_update", None) or {})
    for directive, allowed in sources.items():
        update[directive] = [*update.get(directive, []), *allowed]
    response._csp_update = update  # type: ignore[attr-defined]
    policy = {**settings.PERMISSIONS_POLICY, "payment": ["self", f'"{sources["script-src"][0]}"']}
    response.headers["Permissions-Policy"] = permissions_policy_header(policy)
    return response
