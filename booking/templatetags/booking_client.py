"""The booking box of a practitioner's profile page (templates/cms/practitioner_page.html).

The cms app imports nothing from booking; its template loads this library instead. The box
costs a fixed number of queries whatever the number of services and appointments: the
practitioner, then the next free slot of the shortest service only (the earliest anyone could
book), found by the same selector as the booking pages and the API.
"""

from datetime import timedelta

from django import template
from django.utils import timezone

from booking import selectors
from booking.models import Practitioner

register = template.Library()


@register.simple_tag
def booking_offer(page) -> dict:
    """What the profile shows of booking: {"services", "bookable", "next_slot", "tz_name"}.

    `services` are the page's services (the template lists them, bookable or not);
    `bookable` is whether the practitioner takes bookings online.
    """
    services = list(page.services.all())
    offer = {"services": services, "bookable": False, "next_slot": None, "tz_name": ""}
    if not page.pk or not page.live or not services:
        return offer
    practitioner = Practitioner.objects.taking_bookings().filter(page_id=page.pk).first()
    if practitioner is None:
        return offer
    shortest = min(services, key=lambda service: service.duration_minutes)
    # The shortest service's first slot: the earliest anyone could book.
    now = timezone.now()
    found = selectors.upcoming_free_slots(
        practitioner=practitioner,
        duration=timedelta(minutes=shortest.duration_minutes),
        first_day=now.astimezone(practitioner.tz).date(),
        count=1,
        now=now,
    )
    offer.update(
        bookable=True, next_slot=found[0] if found else None, tz_name=practitioner.timezone
    )
    return offer
