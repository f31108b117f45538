"""Free slots: what the practitioner offers, minus what already occupies their time.

Free slots come from the pure engine (booking.slots.free_slots) fed with the practitioner's
hours and what already occupies their time. Each call runs a fixed number of queries, whatever
the number of days or appointments (no N+1).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone

from booking.models import (
    ACTIVE_STATUSES,
    PENDING_STATUSES,
    Appointment,
    AppointmentStatus,
    BlockedRange,
    Practitioner,
    availability_of,
)
from booking.slots import Availability, Interval, Slot, free_slots
from cms.models import PractitionerService

if TYPE_CHECKING:
    pass

# A request for free slots covers at most this many days (a week view, an API range); the
# horizon caps it anyway, this only keeps a crafted range from running the engine for years.
MAX_RANGE_DAYS = 366
# Slots offered instead of one that cannot be booked (pages and API alike).
ALTERNATIVES_COUNT = 5


def practitioner_services(*, practitioner: Practitioner) -> QuerySet[PractitionerService]:
    """The services a client may book: those of the practitioner's live page (none otherwise)."""
    return PractitionerService.objects.filter(
        page_id=practitioner.page_id, page__live=True
    ).order_by("sort_order", "pk")


def bookable_practitioner(page_id: int) -> Practitioner | None:
    """The practitioner of a live page who takes bookings online, or None."""
    return (
        Practitioner.objects.taking_bookings()
        .select_related("page")
        .filter(page__pk=page_id)
        .first()
    )


def practitioner_service(
    *, practitioner: Practitioner, service_id: int
) -> PractitionerService | None:
    """One of the practitioner's bookable services; another practitioner's is None."""
    return practitioner_services(practitioner=practitioner).filter(pk=service_id).first()


def service_is_bookable(*, practitioner: Practitioner, service: PractitionerService) -> bool:
    """Whether `service` belongs to the practitioner's live page (one query)."""
    if practitioner.page_id is None or service.page_id != practitioner.page_id:
        return False
    return practitioner_services(practitioner=practitioner).filter(pk=service.pk).exists()


def day_bounds(
    practitioner: Practitioner, first_day: date, last_day: date
) -> tuple[datetime, datetime]:
    """The UTC instants of the start of `first_day` and of the day after `last_day`, locally."""
    tz = practitioner.tz
    start = datetime.combine(first_day, time.min, tzinfo=tz).astimezone(UTC)
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=tz).astimezone(UTC)
    return start, end


def busy_intervals(
    *,
    practitioner: Practitioner,
    start: datetime,
    end: datetime,
    exclude_appointment_id: int | None = None,
    now: datetime | None = None,
) -> list[Interval]:
    """What occupies the practitioner's time between `start` and `end` (two queries).

    Active appointments count with their *blocked* span (their time widened by the buffer in
    force when they were booked). The engine widens every busy interval by the current buffer
    again, so a new slot widened by the buffer never overlaps an existing blocked span: exactly
    the condition of the PostgreSQL exclusion constraint (migration 0002), and back-to-back
    appointments remain possible when the buffer is 0. Blocked ranges get the buffer around
    them too: the practitioner keeps the same breathing space before and after them.
    """
    # Anything within a buffer of the window can still push a slot out of it.
    margin = timedelta(minutes=practitioner.buffer_minutes)
    # A hold, or an appointment awaiting its payment, occupies its time until it expires, and
    # not a moment longer: no sweep has to run for an expired one to free its slot
    # (booking.services.holds, booking.payments.expiry).
    occupying = Q(status__in=ACTIVE_STATUSES) | Q(
        status__in=PENDING_STATUSES, hold_expires_at__gt=now or timezone.now()
    )
    appointments = Appointment.objects.filter(
        occupying,
        practitioner=practitioner,
        blocked_start__lt=end + margin,
        blocked_end__gt=start - margin,
    )
    if exclude_appointment_id is not None:
        appointments = appointments.exclude(pk=exclude_appointment_id)
    ranges = BlockedRange.objects.filter(
        practitioner=practitioner, start__lt=end + margin, end__gt=start - margin
    )
    return [
        Interval(span_start, span_end)
        for span_start, span_end in appointments.values_list("blocked_start", "blocked_end")
    ] + [Interval(r_start, r_end) for r_start, r_end in ranges.values_list("start", "end")]


def slots_for_duration(
    *,
    practitioner: Practitioner,
    duration: timedelta,
    first_day: date,
    last_day: date,
    now: datetime | None = None,
    availability: Availability | None = None,
    exclude_appointment_id: int | None = None,
    ignore_busy: bool = False,
    ignore_notice: bool = False,
) -> list[Slot]:
    """Free slots of `duration` starting on [first_day, last_day] (local dates), in UTC.

    The building block of practitioner_free_slots and of the booking service (which checks a
    slot again inside its lock, ignoring the appointment being moved in a reschedule).
    `ignore_busy` tells "not offered by the rules" from "taken"; `ignore_notice` drops the
    minimum notice, which protects the practitioner from last-minute online bookings, not
    from the ones they take themselves.
    """
    now = now or timezone.now()
    rules = practitioner.booking_rules()
    if ignore_notice:
        rules = replace(rules, min_notice=timedelta(0))
    # Clamp the range to what the rules can offer before touching the database.
    first_day = max(first_day, (now + rules.min_notice).astimezone(rules.tz).date())
    last_day = min(last_day, (now + rules.horizon).astimezone(rules.tz).date())
    if first_day > last_day:
        return []
    last_day = min(last_day, first_day + timedelta(days=MAX_RANGE_DAYS))
    if availability is None:
        availability = availability_of(practitioner)
    busy: list[Interval] = []
    if not ignore_busy:
        window_start, window_end = day_bounds(practitioner, first_day, last_day)
        busy = busy_intervals(
            practitioner=practitioner,
            start=window_start,
            end=window_end,
            exclude_appointment_id=exclude_appointment_id,
            now=now,
        )
    return free_slots(
        availability=availability,
        busy=busy,
        duration=duration,
        rules=rules,
        now=now,
        first_day=first_day,
        last_day=last_day,
    )


def practitioner_free_slots(
    *,
    practitioner: Practitioner,
    service: PractitionerService,
    first_day: date,
    last_day: date,
    now: datetime | None = None,
) -> list[Slot]:
    """The slots a client may book for `service` on [first_day, last_day] (local dates), UTC.

    Empty when the practitioner does not take bookings or the service is not one of their
    live page's.
    """
    if not practitioner.takes_bookings:
        return []
    if not service_is_bookable(practitioner=practitioner, service=service):
        return []
    return slots_for_duration(
        practitioner=practitioner,
        duration=timedelta(minutes=service.duration_minutes),
        first_day=first_day,
        last_day=last_day,
        now=now,
    )


def upcoming_free_slots(
    *,
    practitioner: Practitioner,
    duration: timedelta,
    first_day: date,
    count: int,
    now: datetime | None = None,
    exclude_appointment_id: int | None = None,
) -> list[Slot]:
    """The first `count` free slots of `duration` from `first_day` (local date) on, in UTC.

    The one answer to "next free slot" and "what else after a conflict", for the pages, the
    API and the profile alike. Two passes at most, so a fixed number of queries however full
    the agenda is: the first week (where the answer usually is), then the rest of the horizon.
    """
    now = now or timezone.now()
    rules = practitioner.booking_rules()
    last_day = (now + rules.horizon).astimezone(rules.tz).date()
    availability = availability_of(practitioner)  # the hours do not change between passes

    def pass_over(pass_first: date, pass_last: date) -> list[Slot]:
        return slots_for_duration(
            practitioner=practitioner,
            duration=duration,
            first_day=pass_first,
            last_day=pass_last,
            now=now,
            availability=availability,
            exclude_appointment_id=exclude_appointment_id,
        )

    week_end = min(first_day + timedelta(days=6), last_day)
    found = pass_over(first_day, week_end)
    if len(found) < count and week_end < last_day:
        found += pass_over(week_end + timedelta(days=1), last_day)
    return found[:count]


def practitioner_next_free_slot(
    *,
    practitioner: Practitioner,
    service: PractitionerService,
    now: datetime | None = None,
) -> Slot | None:
    """The first bookable slot of `service` from now to the horizon, or None."""
    if not practitioner.takes_bookings:
        return None
    if not service_is_bookable(practitioner=practitioner, service=service):
        return None
    now = now or timezone.now()
    found = upcoming_free_slots(
        practitioner=practitioner,
        duration=timedelta(minutes=service.duration_minutes),
        first_day=now.astimezone(practitioner.tz).date(),
        count=1,
        now=now,
    )
    return found[0] if found else None


def slot_alternatives(
    *,
    practitioner: Practitioner,
    duration: timedelta,
    around: datetime,
    now: datetime | None = None,
    exclude_appointment_id: int | None = None,
) -> list[Slot]:
    """What to offer instead of a slot that cannot be booked: the first free slots from the
    day of `around` on (at most ALTERNATIVES_COUNT)."""
    return upcoming_free_slots(
        practitioner=practitioner,
        duration=duration,
        first_day=around.astimezone(practitioner.tz).date(),
        count=ALTERNATIVES_COUNT,
        now=now,
        exclude_appointment_id=exclude_appointment_id,
    )


def session_hold(*, hold_key: str, reference: UUID | None) -> Appointment | None:
    """The hold `reference` of the browser whose session keeps `hold_key`, expired or not; any
    other browser's hold, a confirmed appointment or an unknown reference is None."""
    if not hold_key or reference is None:
        return None
    return (
        Appointment.objects.select_related("practitioner__page", "service")
        .filter(reference=reference, hold_key=hold_key, status=AppointmentStatus.HELD)
        .first()
    )
