"""One JSON error shape for everything under /api/, whatever goes wrong and wherever.

The site's API (/api/v1/) answers errors as DRF does, {"detail": "..."} (field errors as
{"field": ["..."]}); Wagtail's API (/api/v2/) as {"message": "..."}. Without the pieces below,
some failures would still come back as the site's HTML pages, or as a 500:
- a JSON body nested deeply enough makes the json module raise RecursionError (a 500), and a
  JSON or form body is read whole, whatever its size (Django's limit only guards request.body
  and request.POST, which DRF's parsers bypass): `JSONParser`, `FormParser`;
- Django's own refusals (a multipart body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields)
  are unknown to DRF's exception handler and reach Django's HTML 400 page; CSRF refusals and
  malformed multipart bodies come in English: `exception_handler`;
- a URL no route knows falls through to Wagtail's page tree (HTML 404): `not_found`, in this
  module's `urlpatterns`, included under /api/ after the APIs' own routes;
- a write to a view that is not DRF's fails Django's CSRF check with its HTML page:
  `csrf_failure` (CSRF_FAILURE_VIEW);
- the 500 page: `server_error_response`, for the site's handler500.

Which requests are the APIs' is told by their URL namespace (`is_api_request`), the one answer
the 500 page and the re-acceptance gate (compliance/middleware.py) use too. Messages come in
the request's language (core/api_language.py).

Settings: REST_FRAMEWORK's DEFAULT_PARSER_CLASSES and EXCEPTION_HANDLER, and
CSRF_FAILURE_VIEW, name the callables of this module.
"""

import codecs
import json
import logging
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, JsonResponse, QueryDict
from django.urls import Resolver404, ResolverMatch, re_path, resolve
from django.utils.translation import gettext as _
from django.views import csrf
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, parsers

# Newer than djangorestframework-stubs: the charset named by Content-Type, checked.
from rest_framework.parsers import get_encoding  # type: ignore[attr-defined]
from rest_framework.utils import json as drf_json
from rest_framework.views import exception_handler as drf_exception_handler

from core.api_language import api_language_activate

# URL namespaces of the JSON APIs: the site's /api/v1/ (site/api.py), Wagtail's /api/v2/
# (cms/api.py) and this module's catch-all under /api/ (`urlpatterns`, below). "Is this an API
# request?" is answered here, from the resolved URL, for every caller (errors, the 500 page,
# the re-acceptance gate): moving an API keeps its errors JSON.
app_name = "api_errors"
WAGTAIL_API_NAMESPACE = "wagtailapi"
API_NAMESPACES = frozenset({"api", WAGTAIL_API_NAMESPACE, app_name})
# Wagtail's API keeps its own error key; clients of /api/v2/ read "message". The catch-all has
# no namespace of Wagtail's: an unknown address under /api/v2/ is told by its path.
WAGTAIL_API_PREFIX = "/api/v2/"


def _api_match(request: HttpRequest) -> ResolverMatch | None:
    """The request's URL match if it is one of an API, else None."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        # Not resolved yet (a middleware refusing the request) or no more (handler500).
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return None
    return match if _is_api_match(match) else None


def _is_api_match(match: ResolverMatch) -> bool:
    return bool(match.namespaces) and match.namespaces[0] in API_NAMESPACES


def is_api_request(request: HttpRequest) -> bool:
    return _api_match(request) is not None


def is_api_path(path: str) -> bool:
    """The same answer for a bare path (callers without a request)."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return _is_api_match(match)


def _is_wagtail_api(request: HttpRequest) -> bool:
    match = _api_match(request)
    if match is None:
        return False
    if match.namespaces[0] == app_name:
        return request.path_info.startswith(WAGTAIL_API_PREFIX)
    return match.namespaces[0] == WAGTAIL_API_NAMESPACE


def error_body(request: HttpRequest, message: str) -> dict[str, str]:
    return {("message" if _is_wagtail_api(request) else "detail"): message}


def error_response(request: HttpRequest, status: int, message: str) -> JsonResponse:
    """A JSON error for a view that is not DRF's (no content negotiation needed: JSON only)."""
    return JsonResponse(error_body(request, message), status=status)


class PayloadTooLarge(exceptions.APIException):
    status_code = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self):
        super().__init__(
            _("Le corps de la requête dépasse %(size)s octets.")
            % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
        )


def _read_capped(stream) -> bytes:
    """The body, refused beyond DATA_UPLOAD_MAX_MEMORY_SIZE as Django refuses request.body."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if stream is None:
        return b""
    body = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(body) > limit:
        raise PayloadTooLarge()
    return body


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a size cap and a 400 (not a 500) for what json cannot nest."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        body = _read_capped(stream)
        # NaN and Infinity are not JSON (STRICT_JSON, as DRF's parser).
        parse_constant = drf_json.strict_constant if self.strict else None
        try:
            return json.loads(codecs.decode(body, encoding), parse_constant=parse_constant)
        except json.JSONDecodeError as error:
            raise exceptions.ParseError(
                _(
                    "Le corps de la requête n'est pas du JSON valide "
                    "(ligne %(line)s, colonne %(column)s)."
                )
                % {"line": error.lineno, "column": error.colno}
            ) from error
        except RecursionError as error:
            # Python's json module recurses once per nesting level ("[" * 100_000).
            raise exceptions.ParseError(
                _("Le corps JSON est imbriqué trop profondément.")
            ) from error
        except ValueError as error:  # undecodable bytes, NaN, an integer of 5,000 digits...
            raise exceptions.ParseError(
                _("Le corps de la requête n'est pas du JSON valide.")
            ) from error


class FormParser(parsers.FormParser):
    """DRF's form parser, with the size cap Django applies to request.POST."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        # QueryDict applies DATA_UPLOAD_MAX_NUMBER_FIELDS (TooManyFieldsSent, handled below).
        return QueryDict(_read_capped(stream), encoding=encoding)


def _is_csrf_refusal(exc) -> bool:
    # DRF's SessionAuthentication gives CSRF refusals no code of their own, only this prefix.
    return isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith(
        "CSRF Failed"
    )


def _is_multipart_refusal(exc) -> bool:
    # DRF's MultiPartParser reports Django's MultiPartParserError in English, with this prefix.
    return isinstance(exc, exceptions.ParseError) and str(exc.detail).startswith(
        "Multipart form parse error"
    )


def csrf_message() -> str:
    return _(
        "Jeton CSRF absent ou invalide : envoyez le jeton de la page dans l'en-tête X-CSRFToken."
    )


def exception_handler(exc, context):
    """DRF's handler, plus Django's refusals of a request, in the API's error shape."""
    request = context.get("request")
    if isinstance(exc, RequestDataTooBig):
        _log_suspicious(exc)
        exc = PayloadTooLarge()
    elif isinstance(exc, SuspiciousOperation):  # TooManyFieldsSent and its kin
        _log_suspicious(exc)
        exc = exceptions.ParseError(_("Requête refusée : elle est mal formée ou trop grande."))
    elif _is_csrf_refusal(exc):
        exc = exceptions.PermissionDenied(csrf_message())
    elif _is_multipart_refusal(exc):
        exc = exceptions.ParseError(_("Le corps multipart/form-data de la requête est mal formé."))

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: logged, then answered by the 500 handler
    if isinstance(response.data, dict) and set(response.data) == {"detail"}:
        response.data = (
            error_body(request, response.data["detail"]) if request is not None else response.data
        )
    return response


def _log_suspicious(exc: SuspiciousOperation) -> None:
    # What Django would have logged had the exception reached it.
    logging.getLogger(f"django.security.{exc.__class__.__name__}").error(str(exc))


def csrf_failure(request, reason: str = "", template_name=csrf.CSRF_FAILURE_TEMPLATE_NAME):
    """CSRF_FAILURE_VIEW: JSON 403 under /api/, Django's page elsewhere."""
    if is_api_request(request):
        api_language_activate(request)
        return error_response(request, HTTPStatus.FORBIDDEN, csrf_message())
    return csrf.csrf_failure(request, reason=reason, template_name=template_name)


@csrf_exempt  # answers 404 to any method; a CSRF refusal first would hide that
def not_found(request, *args, **kwargs):
    """Routed last under /api/: an address no endpoint answers, as JSON."""
    api_language_activate(request)
    return error_response(request, HTTPStatus.NOT_FOUND, _("Cette adresse n'existe pas."))


# Included under /api/ after every API (site/urls.py). Only addresses ending in "/": one
# without it still gets Django's redirect to the address with it (APPEND_SLASH), which is then
# either an endpoint or this 404. [\s\S]: any character, line breaks (%0A) included.
urlpatterns = [re_path(r"^(?:[\s\S]*/)?$", not_found)]


def server_error_response(request) -> JsonResponse:
    api_language_activate(request)
    return error_response(
        request,
        HTTPStatus.INTERNAL_SERVER_ERROR,
        _("Erreur interne du serveur : réessayez dans un moment."),
    )
