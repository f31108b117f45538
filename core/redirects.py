"""The one check applied to every `next` redirect of the site (no open redirect)."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, url: str | None = None) -> str:
    """`url` (by default the request's `next` parameter) if it points to this site, else ""."""
    if url is None:
        url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""
