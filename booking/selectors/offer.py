"""What a practitioner's profile offers: each service's own next free slot.

The slot engine is pure (booking.slots.free_slots): what it needs from the database (the hours,
what occupies the practitioner's time over the horizon) is read once, then the engine runs
once per distinct duration. The cost in queries is the same for one service or twenty; the
answer per service is the one the slot page gives (same engine, same busy intervals, the 120
minute service gets its own slot, not the shortest one's).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from booking.models import Practitioner, availability_of
from booking.selectors.slots import busy_intervals, day_bounds
from booking.slots import Slot, free_slots
from cms.models import PractitionerService

# The first pass looks at one week, where the answer usually is; the second at the rest of the
# horizon, only for the durations the first pass found nothing for.
FIRST_PASS_DAYS = 7


def services_next_free_slots(
    *,
    practitioner: Practitioner,
    services: Sequence[PractitionerService],
    now: datetime | None = None,
) -> dict[int, Slot | None]:
    """{service pk: its first bookable slot from now to the horizon, or None}.

    Five queries whatever the number of services (three for the hours, two for what is busy).
    The caller vouches that `services` are the practitioner's bookable ones.
    """
    if not services:
        return {}
    now = now or timezone.now()
    rules = practitioner.booking_rules()
    tz = rules.tz
    first_day = (now + rules.min_notice).astimezone(tz).date()
    last_day = (now + rules.horizon).astimezone(tz).date()
    if first_day > last_day:
        return {service.pk: None for service in services}
    availability = availability_of(practitioner)
    window_start, window_end = day_bounds(practitioner, first_day, last_day)
    busy = busy_intervals(practitioner=practitioner, start=window_start, end=window_end, now=now)
    week_end = min(first_day + timedelta(days=FIRST_PASS_DAYS - 1), last_day)

    def first_slot(duration: timedelta) -> Slot | None:
        for pass_first, pass_last in (
            (first_day, week_end),
            (week_end + timedelta(days=1), last_day),
        ):
            if pass_first > pass_last:
                break
            found = free_slots(
                availability=availability,
                busy=busy,
                duration=duration,
                rules=rules,
                now=now,
                first_day=pass_first,
                last_day=pass_last,
            )
            if found:
                return found[0]
        return None

    by_duration: dict[int, Slot | None] = {}
    for minutes in {service.duration_minutes for service in services}:
        by_duration[minutes] = first_slot(timedelta(minutes=minutes))
    return {service.pk: by_duration[service.duration_minutes] for service in services}
