"""Wagtail API v2: pages, images and documents, with practitioner filters."""

from django.db.models import QuerySet
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms.models import Discipline, PractitionerPage


class PractitionerFilter(BaseFilterBackend):
    """`?discipline=<slug>` and `?city=<name or postcode prefix>` on practitioner pages."""

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
            city = city.strip()
            if city.isdigit():
                queryset = queryset.filter(postcode__startswith=city)
            else:
                queryset = queryset.filter(city__iexact=city)
        return queryset.distinct()


class PagesAPI(PagesAPIViewSet):
    filter_backends = [PractitionerFilter, *PagesAPIViewSet.filter_backends]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["discipline", "city"])


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPI)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
