"""The cached "next free slot" of each practitioner, which the directory and home cards show.

Lists of practitioners must not run the slot engine per card per request: each practitioner
keeps the start of their first free slot (Practitioner.next_free_start) and the time it was
computed. Every write that changes availability schedules a refresh once its transaction
commits (next_free_refresh_on_commit); a periodic pass (manage.py next_free_slots_refresh, every
15 minutes from cron) catches what no write announces: time passing (the cached slot goes by,
the horizon moves on) and services edited in the page editor.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks import task

from booking.models import Practitioner
from booking.selectors import practitioner_services, upcoming_free_slots

logger = logging.getLogger(__name__)

# The periodic pass recomputes a cached value older than this even if its slot is still ahead:
# a booking rule such as the minimum notice or the horizon moves with the clock.
STALE_AFTER = timedelta(hours=1)


def _shortest_service_minutes(practitioner: Practitioner) -> int | None:
    """The duration of the practitioner's shortest bookable service (one query)."""
    durations = practitioner_services(practitioner=practitioner).values_list(
        "duration_minutes", flat=True
    )
    return min(durations, default=None)


def practitioner_next_free_compute(
    *, practitioner: Practitioner, now: datetime | None = None
) -> datetime | None:
    """The first free slot of the practitioner's shortest bookable service, or None.

    None when online booking is not live for them (not taking bookings, suspended, no hours or
    no live page), when they offer no service, or when nothing is free within the horizon.
    """
    now = now or timezone.now()
    if not Practitioner.objects.taking_bookings().filter(pk=practitioner.pk).exists():
        return None
    minutes = _shortest_service_minutes(practitioner)
    if minutes is None:
        return None
    found = upcoming_free_slots(
        practitioner=practitioner,
        duration=timedelta(minutes=minutes),
        first_day=now.astimezone(practitioner.tz).date(),
        count=1,
        now=now,
    )
    return found[0].start if found else None


def practitioner_next_free_refresh(
    *, practitioner: Practitioner, now: datetime | None = None
) -> datetime | None:
    """Recompute and store the practitioner's next free slot; returns it (None: none online)."""
    now = now or timezone.now()
    practitioner.next_free_start = practitioner_next_free_compute(
        practitioner=practitioner, now=now
    )
    practitioner.next_free_refreshed_at = now
    practitioner.save(update_fields=["next_free_start", "next_free_refreshed_at"])
    return practitioner.next_free_start


def practitioner_next_free_refresh_by_id(practitioner_id: int) -> None:
    """The refresh of one practitioner, by id (the task's body; a deleted one is skipped)."""
    practitioner = Practitioner.objects.filter(pk=practitioner_id).first()
    if practitioner is not None:
        practitioner_next_free_refresh(practitioner=practitioner)


@task()
def practitioner_next_free_refresh_task(*, practitioner_id: int) -> None:
    """The refresh after the response: a booking, a hold or a change of hours does not wait
    for the slot engine to run again."""
    practitioner_next_free_refresh_by_id(practitioner_id)


def next_free_refresh_on_commit(practitioner_id: int) -> None:
    """What every write that changes a practitioner's availability calls, inside its
    transaction: the refresh is enqueued once the change is committed (it reads committed data,
    and a rolled-back change leaves the cached value alone), so the request does not run the
    slot engine again. robust: the write already succeeded, a failed enqueue is logged and the
    periodic pass repairs it."""
    transaction.on_commit(
        lambda: practitioner_next_free_refresh_task.enqueue(practitioner_id=practitioner_id),
        robust=True,
    )


def practitioners_to_refresh(
    *, now: datetime, stale_after: timedelta = STALE_AFTER
) -> QuerySet[Practitioner]:
    """Practitioners whose cached slot is in the past, older than `stale_after`, or never
    computed."""
    return Practitioner.objects.filter(
        Q(next_free_refreshed_at__isnull=True)
        | Q(next_free_refreshed_at__lt=now - stale_after)
        | Q(next_free_start__lt=now)
    ).order_by("pk")


def next_free_slots_refresh(
    *, now: datetime | None = None, stale_after: timedelta = STALE_AFTER
) -> int:
    """The periodic pass: refresh every practitioner whose cached value may be wrong; returns
    how many were refreshed. One practitioner failing does not stop the others."""
    now = now or timezone.now()
    refreshed = 0
    for practitioner in practitioners_to_refresh(now=now, stale_after=stale_after).iterator():
        try:
            with transaction.atomic():
                practitioner_next_free_refresh(practitioner=practitioner, now=now)
        except Exception:
            logger.exception("next free slot refresh failed for practitioner %s", practitioner.pk)
            continue
        refreshed += 1
    return refreshed
