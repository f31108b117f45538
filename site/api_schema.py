"""OpenAPI generation settings that need code (see SPECTACULAR_SETTINGS in site/settings)."""

API_PREFIX = "/api/v1/"


def api_v1_only(endpoints, **kwargs):
    """Describe the site's own API only: Wagtail's read-only /api/v2/ is documented by Wagtail."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
