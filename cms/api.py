"""Wagtail API v2: pages, images and documents, with practitioner filters.

Errors keep Wagtail's shape, 400 or 404 with {"message": "..."}. The query string is checked
before Wagtail reads it (`QueryGuard`): as shipped, some values reach the database or the
parsers unchecked and end in a 500 — a NUL character (PostgreSQL refuses it in any text), an
offset beyond a 64-bit integer, fields nested a thousand deep (RecursionError), a
search_operator other than and/or, a non-numeric id in find/, a search the SQLite backend
cannot quote.
"""

from copy import copy
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import FieldsFilter, SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms.models import Discipline, PractitionerPage
from cms.selectors import filter_by_place, search_terms
from core.api_language import api_language_activate

if TYPE_CHECKING:
    # What Wagtail's viewsets are (wagtail ships no types): initial() and action.
    from rest_framework.viewsets import GenericViewSet as _ViewSetBase
else:
    _ViewSetBase = object

# Far beyond any listing, far below the 64-bit integers SQL OFFSET and LIMIT take.
MAX_OFFSET = 2_147_483_647
# Nesting of `fields` (e.g. services(name)): real clients use two or three levels.
MAX_FIELDS_DEPTH = 10
SEARCH_OPERATORS = ("and", "or")


def _with_query(request, **changes):
    """A copy of `request` whose query string has `changes` (None removes a parameter)."""
    changed = copy(request)
    changed.GET = request.GET.copy()
    for name, value in changes.items():
        if value is None:
            changed.GET.pop(name, None)
        else:
            changed.GET[name] = value
    return changed


def _nesting_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth -= 1
    return deepest


def query_check(request, action: str) -> None:
    """Refuse (400) the query strings that Wagtail would turn into a 500."""
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            raise BadRequestError(
                _("Le paramètre « %(name)s » contient un caractère nul.")
                % {"name": name.replace("\x00", "\\0")[:80]}
            )
    # Wagtail caps limit at WAGTAILAPI_LIMIT_MAX, with its own message; offset has no cap.
    capped = ("offset",) if getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20) else ("offset", "limit")
    for name in capped:
        try:
            value = int(request.GET.get(name, 0))
        except ValueError:
            continue  # Wagtail's own message: "offset must be a positive integer"
        if value > MAX_OFFSET:
            raise BadRequestError(
                _("%(name)s ne peut dépasser %(max)s.") % {"name": name, "max": MAX_OFFSET}
            )
    if _nesting_depth(request.GET.get("fields", "")) > MAX_FIELDS_DEPTH:
        raise BadRequestError(
            _("fields : pas plus de %(depth)s niveaux d'imbrication.") % {"depth": MAX_FIELDS_DEPTH}
        )
    if action == "find_view" and "id" in request.GET:
        try:
            int(request.GET["id"])
        except ValueError as error:
            raise BadRequestError(_("id doit être un nombre entier.")) from error


class QueryGuard(_ViewSetBase):
    """First of the viewsets' bases: answers in the request's language (core.api_language) and
    checks the query string before any view reads it."""

    def initial(self, request, *args, **kwargs):
        api_language_activate(request)
        super().initial(request, *args, **kwargs)
        query_check(request, self.action or "")


class GuardedSearchFilter(SearchFilter):
    """Wagtail's search, with its operator checked and the text reduced to plain words.

    The SQLite backend wraps each word in double quotes without escaping them (a `"` in the
    text is an FTS5 syntax error, a 500) and fails on a text of spaces only. The API's text is
    a list of words, not a query language: the directory's own reduction (search_terms) makes
    it safe on both databases. A text of spaces finds nothing, as it does on PostgreSQL.
    """

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        operator = request.GET.get("search_operator")
        if operator is not None and operator.lower() not in SEARCH_OPERATORS:
            raise BadRequestError(_("search_operator vaut « and » ou « or »."))
        text = search_terms(request.GET["search"])
        return super().filter_queryset(_with_query(request, search=text), queryset, view)


def _guarded(backends: list) -> list:
    return [GuardedSearchFilter if backend is SearchFilter else backend for backend in backends]


class PractitionerFilter(BaseFilterBackend):
    """`?discipline=<slug>` and `?city=<name or postcode prefix>` on practitioner pages."""

    parameters = ("discipline", "city")

    def filter_queryset(self, request, queryset: QuerySet, view) -> QuerySet:
        discipline = request.GET.get("discipline")
        city = request.GET.get("city")
        if discipline is None and city is None:
            return queryset
        if queryset.model is not PractitionerPage:
            raise BadRequestError(
                _("Les filtres discipline et city demandent type=cms.PractitionerPage.")
            )
        if discipline is not None:
            if not Discipline.objects.filter(slug=discipline).exists():
                raise BadRequestError(
                    _("Discipline inconnue : %(slug)s.") % {"slug": discipline[:80]}
                )
            queryset = queryset.filter(disciplines__slug=discipline)
        if city is not None:
            queryset = filter_by_place(queryset, city)
        return queryset.distinct()


class PagesFieldsFilter(FieldsFilter):
    """Wagtail's exact-match field filter, minus the fields PractitionerFilter handles."""

    def filter_queryset(self, request, queryset, view):
        request_without_ours = _with_query(request, **dict.fromkeys(PractitionerFilter.parameters))
        return super().filter_queryset(request_without_ours, queryset, view)


class PagesAPI(QueryGuard, PagesAPIViewSet):
    filter_backends = [
        PractitionerFilter,
        *[
            PagesFieldsFilter if backend is FieldsFilter else backend
            for backend in _guarded(PagesAPIViewSet.filter_backends)
        ],
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["discipline", "city"])


class ImagesAPI(QueryGuard, ImagesAPIViewSet):
    filter_backends = _guarded(ImagesAPIViewSet.filter_backends)


class DocumentsAPI(QueryGuard, DocumentsAPIViewSet):
    filter_backends = _guarded(DocumentsAPIViewSet.filter_backends)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPI)
api_router.register_endpoint("images", ImagesAPI)
api_router.register_endpoint("documents", DocumentsAPI)
