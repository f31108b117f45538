"""The public origin and the default Wagtail Site agree, or the site does not start.

Wagtail builds page URLs (the sitemap, JSON-LD, its API's html_url) from the default Site's
hostname and port, the rest of the site from settings.PUBLIC_ORIGIN (core/links.py). The Site
follows the origin: `migrate` aligns it (post_migrate, cms/apps.py), and this system check stops
`runserver` and the other commands when someone changed one without the other.
"""

from django.core import checks
from django.db import DatabaseError
from wagtail.models import Site

from core.links import public_host_port, public_origin


def default_site_mismatch() -> str | None:
    """How the default Site disagrees with the public origin, or None (also when no table yet)."""
    try:
        site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    except DatabaseError:
        return None  # not migrated yet: the post_migrate sync will set it
    if site is None:
        return None
    if (site.hostname, site.port) != public_host_port():
        return f"{site.hostname}:{site.port} (root URL {site.root_url})"
    return None


def site_sync_public_origin() -> bool:
    """Give the default Site the origin's host and port; True if it changed.

    One UPDATE rather than save(); the root URLs Wagtail caches with the Site's root paths
    are cleared when it changed.
    """
    hostname, port = public_host_port()
    changed = (
        Site.objects.filter(is_default_site=True)
        .exclude(hostname=hostname, port=port)
        .update(hostname=hostname, port=port)
    )
    if changed:
        Site.clear_site_root_paths_cache()
    return bool(changed)


def public_origin_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    mismatch = default_site_mismatch()
    if mismatch is None:
        return []
    return [
        checks.Error(
            f"The default Wagtail Site is {mismatch}, the public origin (SITE_URL) is "
            f"{public_origin()}: the sitemap and page links would disagree with the rest.",
            hint="Run `manage.py migrate`, which aligns the Site with SITE_URL.",
            id="core.E001",
        )
    ]
