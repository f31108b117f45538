"""Reads of CMS content that are more than a filter."""

import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.paginator import Page as PaginatorPage
from django.db.models import Case, IntegerField, Min, Prefetch, QuerySet, Value, When
from django.http import Http404
from wagtail.images import get_image_model
from wagtail.models import Page

from cms.models.practitioner import MODE_FLAGS, PHOTO_CARD, PractitionerPage

SEARCH_RESULTS_MAX = 500
_NON_WORD = re.compile(r"[\W_]+")


def practitioner_directory(*, parent: Page | None = None, filters: dict) -> QuerySet:
    """Live, public practitioner pages matching the directory filters, ready to render.

    The number of queries does not depend on the number of practitioners: every relation the
    card shows is prefetched, including the photo's rendition.
    """
    pages = PractitionerPage.objects.live().public()
    if parent is not None:
        pages = pages.child_of(parent)

    if discipline := filters.get("discipline"):
        pages = pages.filter(disciplines=discipline)
    if language := filters.get("langue"):
        pages = pages.filter(languages=language)
    if place := filters.get("lieu"):
        pages = filter_by_place(pages, place)
    if mode := filters.get("mode"):
        pages = pages.filter(**{MODE_FLAGS[mode]: True})

    pages = pages.annotate(price_from=Min("services__price"))
    if (max_price := filters.get("prix_max")) is not None:
        pages = pages.filter(price_from__lte=max_price)

    if query := filters.get("q", "").strip():
        ranked_ids = _search_ids(query)
        ordering = Case(
            *[When(pk=pk, then=Value(position)) for position, pk in enumerate(ranked_ids)],
            output_field=IntegerField(),
        )
        pages = pages.filter(pk__in=ranked_ids).order_by(ordering, "title")
    else:
        pages = pages.order_by("title")

    return pages.distinct().prefetch_related(
        Prefetch("photo", queryset=get_image_model().objects.prefetch_renditions(PHOTO_CARD)),
        "disciplines",
        "languages",
    )


def filter_by_place(pages: QuerySet, place: str) -> QuerySet:
    """A city (whatever its case), or a postcode or its first digits (a département)."""
    place = place.strip()
    if place.isdigit():
        return pages.filter(postcode__startswith=place)
    return pages.filter(city__iexact=place)


def search_terms(query: str) -> str:
    """Words only, lower-cased: punctuation and upper-case OR/AND/NOT are query syntax to the
    full-text engines (SQLite FTS5 rejects a stray quote), and a visitor never means them."""
    return " ".join(_NON_WORD.sub(" ", query).lower().split())


def _search_ids(query: str) -> list[int]:
    """Page ids matching a full-text query, best first (Wagtail search, live pages only)."""
    terms = search_terms(query)
    if not terms:
        return [0]
    results = PractitionerPage.objects.live().search(terms)[:SEARCH_RESULTS_MAX]
    return [page.pk for page in results] or [0]


def paginate(items: QuerySet, page_number: str | None, *, per_page: int) -> PaginatorPage:
    """One page of results; a page number that is not a positive integer in range is a 404."""
    paginator = Paginator(items, per_page)
    try:
        return paginator.page(page_number or 1)
    except (PageNotAnInteger, EmptyPage) as exc:
        raise Http404("Cette page de résultats n'existe pas.") from exc
