"""The site's one public address, and absolute links built on it.

Everything that leaves the site with a link (e-mails, calendar files, PDFs, the sitemap,
robots.txt, JSON-LD, API URLs) goes through here rather than through the request's Host: a
request that reached the server as 127.0.0.1 must not hand out links on 127.0.0.1 when the
public address is localhost (or a real domain behind a proxy).

`PUBLIC_ORIGIN` (read from the SITE_URL environment variable) is parsed strictly at start-up:
a scheme, a host and maybe a port, nothing else.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_parse(value: str) -> str:
    """`value` as a normalised origin ("https://example.org", "http://localhost:8000").

    Refused: anything but http(s), a path, query, fragment or credentials, and an https address
    on another port than 443 or an http one on 443. Wagtail's Site (whose root URL the sitemap
    and page URLs use) stores only a host and a port and derives the scheme from the port, so
    such an origin could not be represented there and the two would disagree.
    """
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"SITE_URL={value!r} is not a URL: {exc}.") from exc
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ImproperlyConfigured(
            f"SITE_URL={value!r} must be an http:// or https:// address with a host."
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ImproperlyConfigured(
            f"SITE_URL={value!r} must be an origin only (scheme, host, port), without path."
        )
    port = port or DEFAULT_PORTS[parts.scheme]
    if (parts.scheme == "https") != (port == 443):
        raise ImproperlyConfigured(
            f"SITE_URL={value!r}: https goes with port 443 and http with any other port "
            "(Wagtail's Site tells the scheme from the port)."
        )
    host = parts.hostname
    if ":" in host:  # an IPv6 address keeps its brackets in a URL
        host = f"[{host}]"
    suffix = "" if port == DEFAULT_PORTS[parts.scheme] else f":{port}"
    return f"{parts.scheme}://{host}{suffix}"


def public_origin() -> str:
    return settings.PUBLIC_ORIGIN


def public_host_port() -> tuple[str, int]:
    """The host and port a Wagtail Site must have to serve the public origin."""
    parts = urlsplit(public_origin())
    return parts.hostname or "", parts.port or DEFAULT_PORTS[parts.scheme]


def public_hostname() -> str:
    """The public host alone (calendar files' UIDs end with it)."""
    return public_host_port()[0]


def absolute_url(path: str = "") -> str:
    """`path` (a site-relative URL) on the public origin; an absolute URL stays as it is."""
    if urlsplit(path).scheme:
        return path
    return public_origin() + path


def absolute_reverse(name: str, *args) -> str:
    return absolute_url(reverse(name, args=args))
