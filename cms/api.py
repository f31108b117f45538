"""Wagtail API v2: pages, images and documents, with practitioner filters."""

from copy import copy

from django.db.models import QuerySet
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import FieldsFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms.models import Discipline, PractitionerPage
from cms.selectors import filter_by_place


class PractitionerFilter(BaseFilterBackend):
    """`?discipline=<slug>` and `?city=<name or postcode prefix>` on practitioner pages."""

    parameters = ("discipline", "city")

    def filter_queryset(self, request, queryset: QuerySet, view) -> QuerySet:
        discipline = request.GET.get("discipline")
        city = request.GET.get("city")
        if discipline is None and city is None:
            return queryset
        if queryset.model is not PractitionerPage:
            raise BadRequestError("discipline and city filters need type=cms.PractitionerPage")
        if discipline is not None:
            if not Discipline.objects.filter(slug=discipline).exists():
                raise BadRequestError(f"unknown discipline: {discipline[:80]}")
            queryset = queryset.filter(disciplines__slug=discipline)
        if city is not None:
            queryset = filter_by_place(queryset, city)
        return queryset.distinct()


class PagesFieldsFilter(FieldsFilter):
    """Wagtail's exact-match field filter, minus the fields PractitionerFilter handles."""

    def filter_queryset(self, request, queryset, view):
        request_without_ours = copy(request)
        request_without_ours.GET = request.GET.copy()
        for name in PractitionerFilter.parameters:
            request_without_ours.GET.pop(name, None)
        return super().filter_queryset(request_without_ours, queryset, view)


class PagesAPI(PagesAPIViewSet):
    filter_backends = [
        PractitionerFilter,
        *[
            PagesFieldsFilter if backend is FieldsFilter else backend
            for backend in PagesAPIViewSet.filter_backends
        ],
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["discipline", "city"])


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPI)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
