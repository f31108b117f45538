"""The site's URLs with the views the gate lets through moved elsewhere (for test_gate.py).

Same views, same names, other prefixes: what the gate lets through must follow the names.
"""

from django.urls import URLResolver
from django.urls.resolvers import RoutePattern

from config import urls as site_urls

MOVED = {
    "compliance": "documents-et-consentements/",
    "accounts": "mon-compte/",
    "twofactor": "mon-compte/double-facteur/",
    "api": "interface/v1/",
}


def _moved(pattern):
    if not isinstance(pattern, URLResolver):
        return pattern
    prefix = MOVED.get(pattern.namespace)
    if prefix is None and str(pattern.pattern) == "i18n/":  # set_language, not namespaced
        prefix = "langue/"
    if prefix is None:
        return pattern
    return URLResolver(
        RoutePattern(prefix, is_endpoint=False),
        pattern.urlconf_name,
        pattern.default_kwargs,
        pattern.app_name,
        pattern.namespace,
    )


urlpatterns = [_moved(pattern) for pattern in site_urls.urlpatterns]
handler500 = site_urls.handler500
