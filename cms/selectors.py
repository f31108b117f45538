"""Reads of CMS content that are more than a filter."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from cms.forms import Availability, Sort
from cms.models.practitioner import MODE_FLAGS, PHOTO_CARD, PractitionerPage, PractitionerService
from cms.models.snippets import ConsultationMode, Discipline
from cms.places import Commune, departement_of, place_resolve

SEARCH_RESULTS_MAX = 500
_NON_WORD = re.compile(r"[\W_]+")
# Place ranks: the commune searched for, its département, then video consultations elsewhere.
RANK_COMMUNE, RANK_DEPARTEMENT, RANK_VIDEO = 0, 1, 2


@dataclass
class Directory:
    """The directory's answer: the pages, and what the page says about the place."""

    pages: QuerySet
    place: Commune | None = None
    departement: str | None = None
    # A place was resolved but nobody practises there: the results are video consultations.
    nobody_near: bool = False


def with_card_facts(pages: QuerySet, *, now: datetime | None = None) -> QuerySet:
    """What a card shows besides the page: the price from, and the next free slot.

    The next free slot is the value booking keeps per practitioner (refreshed when their
    availability changes), read through the reverse one-to-one `bookable`: no slot engine per
    card, and cms imports nothing from booking. One already past counts as none.
    """
    now = now or timezone.now()
    cheapest = PractitionerService.objects.filter(page=OuterRef("pk")).order_by("price")
    return pages.annotate(
        price_from=Subquery(cheapest.values("price")[:1]),
        next_free=Case(
            When(bookable__next_free_start__gte=now, then=F("bookable__next_free_start")),
            default=None,
        ),
        next_free_tz=F("bookable__timezone"),
    )


def practitioner_directory(
    *, parent: Page | None = None, filters: dict, now: datetime | None = None
) -> Directory:
    """Live, public practitioner pages matching the directory filters, ready to render.

    The number of queries does not depend on the number of practitioners: the price and the
    next free slot are columns of the one query, every relation the card shows is prefetched
    (the photo's rendition included), and no filter joins a many-to-many (no DISTINCT).
    """
    now = now or timezone.now()
    pages = PractitionerPage.objects.live().public()
    if parent is not None:
        pages = pages.child_of(parent)

    # Subqueries rather than joins: a many-to-many join repeats pages (and needs DISTINCT).
    if discipline := filters.get("discipline"):
        pages = pages.filter(pk__in=discipline.practitioners.values("pk"))
    if language := filters.get("langue"):
        pages = pages.filter(pk__in=language.practitioners.values("pk"))
    mode = filters.get("mode")
    if mode:
        pages = pages.filter(**{MODE_FLAGS[mode]: True})

    pages = with_card_facts(pages, now=now)
    if (max_price := filters.get("prix_max")) is not None:
        pages = pages.filter(price_from__lte=max_price)
    if availability := filters.get("dispo"):
        pages = pages.filter(next_free__lt=availability_limit(availability, now))

    directory = Directory(pages=pages)
    if place := filters.get("lieu", "").strip():
        directory = _near(
            directory, place, video_allowed=mode in ("", None, ConsultationMode.VIDEO)
        )

    ordering: list = ["place_rank"] if directory.place is not None else []
    sort = filters.get("tri", "")
    query = filters.get("q", "").strip()
    if query:
        ranked_ids = _search_ids(query)
        directory.pages = directory.pages.filter(pk__in=ranked_ids)
        if not sort:
            ordering.append(
                Case(
                    *[When(pk=pk, then=Value(position)) for position, pk in enumerate(ranked_ids)],
                    output_field=IntegerField(),
                )
            )
    if sort == Sort.AVAILABILITY:
        ordering.append(F("next_free").asc(nulls_last=True))
    elif sort == Sort.PRICE:
        ordering.append(F("price_from").asc(nulls_last=True))
    ordering += ["sort_name", "pk"]
    directory.pages = directory.pages.order_by(*ordering).prefetch_related(
        Prefetch("photo", queryset=get_image_model().objects.prefetch_renditions(PHOTO_CARD)),
        "disciplines",
        "languages",
    )
    return directory


def availability_limit(choice: str, now: datetime) -> datetime:
    """The instant before which the next free slot must start for `choice` (local days)."""
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if choice == Availability.WEEK:
        return now + timedelta(days=7)
    return _local_midnight_after(midnight, 1 if choice == Availability.TODAY else 2)


def _local_midnight_after(midnight: datetime, days: int) -> datetime:
    # Adding days to an aware local time keeps the wall clock: 00:00 stays 00:00 across a
    # change to or from summer time once re-localised.
    naive = midnight.replace(tzinfo=None) + timedelta(days=days)
    return timezone.make_aware(naive)


def _near(directory: Directory, place: str, *, video_allowed: bool) -> Directory:
    """Practitioners of the commune first, then of its département, then in video."""
    pages = directory.pages
    if (commune := place_resolve(place)) is not None:
        near = Q(commune_code=commune.code) | Q(departement_code=commune.departement)
        video = Q(offers_video=True) if video_allowed else Q(pk__in=[])
        pages = pages.filter(near | video).annotate(
            place_rank=Case(
                When(commune_code=commune.code, then=Value(RANK_COMMUNE)),
                When(departement_code=commune.departement, then=Value(RANK_DEPARTEMENT)),
                default=Value(RANK_VIDEO),
                output_field=IntegerField(),
            )
        )
        nobody_near = not pages.filter(near).exists()
        return Directory(pages=pages, place=commune, nobody_near=nobody_near)
    if (departement := departement_of(place)) is not None:
        return Directory(pages=pages.filter(departement_code=departement), departement=departement)
    return Directory(pages=filter_by_place(pages, place))


def filter_by_place(pages: QuerySet, place: str) -> QuerySet:
    """A city (whatever its case), or a postcode or its first digits: the API's `city` filter,
    and the directory's when the place is no commune the data set knows."""
    place = place.strip()
    if place.isdigit():
        return pages.filter(postcode__startswith=place)
    return pages.filter(city__iexact=place)


def search_terms(query: str) -> str:
    """Words only, lower-cased: punctuation and upper-case OR/AND/NOT are query syntax to the
    full-text engines (SQLite FTS5 rejects a stray quote), and a visitor never means them."""
    return " ".join(_NON_WORD.sub(" ", query).lower().split())


def _search_ids(query: str) -> list[int]:
    """Page ids matching a full-text query, best first (Wagtail search, live pages only).

    Whole words first, then word prefixes ("naturo" → naturopathie), then the practitioners
    of the disciplines whose name or synonyms match. A fixed number of queries.
    """
    terms = search_terms(query)
    if not terms:
        return [0]
    live = PractitionerPage.objects.live()
    found: list[int] = [page.pk for page in live.search(terms)[:SEARCH_RESULTS_MAX]]
    found += [page.pk for page in live.autocomplete(terms)[:SEARCH_RESULTS_MAX]]
    backend = get_search_backend()
    # Disciplines are searched on their own too: editing a synonym re-indexes the snippet,
    # not every page of that discipline.
    matching = [
        *backend.search(terms, Discipline)[:50],
        *backend.autocomplete(terms, Discipline)[:50],
    ]
    disciplines = [discipline.pk for discipline in matching]
    if disciplines:
        found += list(
            live.filter(disciplines__in=disciplines)
            .order_by("pk")
            .values_list("pk", flat=True)[:SEARCH_RESULTS_MAX]
        )
    return list(dict.fromkeys(found))[:SEARCH_RESULTS_MAX] or [0]


def next_free_label(moment: datetime, tz_name: str, *, now: datetime | None = None) -> str:
    """ "aujourd'hui 10:00", "demain 10:00" or "jeudi 10 décembre 10:00", in the practitioner's
    time zone (where the appointment takes place)."""
    tz = ZoneInfo(tz_name)
    local = moment.astimezone(tz)
    today = (now or timezone.now()).astimezone(tz).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return _("aujourd'hui %(time)s") % {"time": clock}
    if local.date() == today + timedelta(days=1):
        return _("demain %(time)s") % {"time": clock}
    day = "1er" if local.day == 1 and get_language().startswith("fr") else str(local.day)
    return _("%(weekday)s %(day)s %(month)s %(time)s") % {
        "weekday": date_format(local, "l"),
        "day": day,
        "month": date_format(local, "F"),
        "time": clock,
    }


def card_labels(pages: Iterable[PractitionerPage], *, now: datetime | None = None) -> None:
    """The next free slot as each card says it (pages annotated by with_card_facts)."""
    now = now or timezone.now()
    for page in pages:
        moment = getattr(page, "next_free", None)
        tz_name = getattr(page, "next_free_tz", None)
        label = next_free_label(moment, tz_name, now=now) if moment and tz_name else ""
        page.next_free_label = label


def practitioner_cards(pages: list[PractitionerPage]) -> None:
    """Give the pages chosen elsewhere (the home page's featured practitioners) the facts their
    card shows, in one query whatever their number."""
    if not pages:
        return
    facts = {
        row["pk"]: row
        for row in with_card_facts(
            PractitionerPage.objects.filter(pk__in=[p.pk for p in pages])
        ).values("pk", "price_from", "next_free", "next_free_tz")
    }
    for page in pages:
        for name, value in facts.get(page.pk, {}).items():
            if name != "pk":
                setattr(page, name, value)
    card_labels(pages)


def paginate(items: QuerySet, page_number: str | None, *, per_page: int) -> PaginatorPage:
    """One page of results: a page number that is not a number is the first page, one past
    the end the last (a shared link to page 9 of a list that shrank still shows results)."""
    return Paginator(items, per_page).get_page(page_number)
