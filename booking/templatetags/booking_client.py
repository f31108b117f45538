"""The booking box of a practitioner's profile page (templates/cms/practitioner_page.html).

The cms app imports nothing from booking; its template loads this library instead. The box
costs a fixed number of queries whatever the number of services and appointments: the
services, the practitioner, then each service's own next free slot
(booking.selectors.offer: the hours and what is busy read once, the pure engine run per
duration).
"""

from django import template
from django.urls import reverse
from django.utils import timezone

from booking.models import Practitioner
from booking.selectors.offer import services_next_free_slots

register = template.Library()

# Where the sticky "Prendre rendez-vous" bar leads when there is more than one service to choose.
BOOKING_ANCHOR = "#prendre-rendez-vous"


@register.simple_tag
def booking_offer(page) -> dict:
    """What the profile shows of booking.

    {"services": [{"service", "next_slot", "book_url"}], "bookable", "next_slot", "tz_name",
    "bar_url"}: `services` lists the page's services (bookable or not: `book_url` is "" when
    not); `next_slot` is the earliest of them; `bar_url` is where the sticky bar leads (the
    only service's slots, or the list of services).
    """
    services = list(page.services.all())
    rows = [{"service": service, "next_slot": None, "book_url": ""} for service in services]
    offer = {
        "services": rows,
        "bookable": False,
        "next_slot": None,
        "tz_name": "",
        "bar_url": "",
    }
    if not page.pk or not page.live or not services:
        return offer
    practitioner = Practitioner.objects.taking_bookings().filter(page_id=page.pk).first()
    if practitioner is None:
        return offer
    slots = services_next_free_slots(
        practitioner=practitioner, services=services, now=timezone.now()
    )
    for row in rows:
        service = row["service"]
        row["next_slot"] = slots.get(service.pk)
        row["book_url"] = reverse("booking:slot_choose", args=[page.pk, service.pk])
    found = [slot for slot in slots.values() if slot is not None]
    offer.update(
        bookable=True,
        next_slot=min(found, key=lambda slot: slot.start) if found else None,
        tz_name=practitioner.timezone,
        bar_url=rows[0]["book_url"] if len(rows) == 1 else BOOKING_ANCHOR,
    )
    return offer
