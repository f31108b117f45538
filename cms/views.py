import mimetypes

from csp.constants import NONE, SELF
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.http import require_GET

from core import api_errors
from core.links import absolute_reverse


@require_GET
def robots_txt(request):
    # The public origin, not the request's host: a proxy or a second name must not change it.
    sitemap_url = absolute_reverse("sitemap")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /django-admin/",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def server_error(request):
    # API clients read JSON errors, a 500 included (core/api_errors.py).
    if api_errors.is_api_path(request.path_info):
        return api_errors.server_error_response(request)
    # No request context: a context processor that failed once (the database is down, say)
    # would fail again here, so the 500 page renders from its template alone.
    return HttpResponseServerError(loader.get_template("500.html").render())


# What the web server must send for /media/ in production too (README): an upload opened
# directly loads nothing, runs no script and gets an opaque origin, whatever its bytes.
MEDIA_CSP = {"default-src": [NONE], "img-src": [SELF], "style-src": [NONE], "sandbox": [""]}


def media_serve(request, path: str):
    """Serve uploaded media from the default storage (embedded default and tests only).

    Production serves media from the web server or object storage; this view is routed only
    when SERVE_MEDIA is on.
    Wagtail documents are never served here: they go through Wagtail's serve view
    (/documents/<id>/<name>), which enforces private collections. The web server in front of
    production must not expose MEDIA_ROOT/documents/ either.
    """
    if path.startswith("documents/"):
        raise Http404("Fichier introuvable.")
    try:
        handle = default_storage.open(path)
    except (FileNotFoundError, SuspiciousFileOperation, OSError) as exc:
        raise Http404("Fichier introuvable.") from exc
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    # What django-csp's @csp decorator sets (its typing refuses views with URL arguments).
    setattr(response, "_csp_config", MEDIA_CSP)  # noqa: B010
    return response
