"""Writes of the practitioner area: booking rules, weekly hours, days off, openings, blocks.

Each write locks the practitioner's row first, as appointment_book does: a booking that is
being checked against the hours cannot interleave with a change of those hours. Existing
appointments keep their own copies (rules_snapshot, blocked span): these writes never touch them.
"""

import secrets
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from booking.exceptions import BookingError
from booking.models import BlockedRange, DayOff, OpeningHours, Practitioner, SpecialHours
from booking.selectors import overlapping_active_appointments

RULE_FIELDS = (
    "timezone",
    "accepts_bookings",
    "slot_step_minutes",
    "buffer_minutes",
    "min_notice_hours",
    "horizon_days",
    "cancellation_cutoff_hours",
    "max_reschedules",
)


def _locked(practitioner: Practitioner) -> Practitioner:
    return Practitioner.objects.select_for_update().get(pk=practitioner.pk)


def ranges_overlap_check(ranges: list[tuple[int | date, time, time]]) -> None:
    """Raises ValidationError if a range ends before it starts or two ranges of a day overlap.

    Touching ranges (09:00-12:00 and 12:00-14:00) are accepted: the slot engine merges them.
    """
    by_day: dict = {}
    for day, start, end in ranges:
        if start >= end:
            raise ValidationError(_("L'heure de fin doit être après l'heure de début."))
        by_day.setdefault(day, []).append((start, end))
    for spans in by_day.values():
        spans.sort()
        for (_start, previous_end), (start, _end) in pairwise(spans):
            if start < previous_end:
                raise ValidationError(_("Deux plages horaires d'un même jour se chevauchent."))


@transaction.atomic
def practitioner_rules_update(
    *,
    practitioner: Practitioner,
    timezone: str,
    accepts_bookings: bool,
    slot_step_minutes: int,
    buffer_minutes: int,
    min_notice_hours: int,
    horizon_days: int,
    cancellation_cutoff_hours: int,
    max_reschedules: int,
) -> Practitioner:
    """New rules for bookings made from now on; booked appointments keep their snapshot."""
    locked = _locked(practitioner)
    values = {
        "timezone": timezone,
        "accepts_bookings": accepts_bookings,
        "slot_step_minutes": slot_step_minutes,
        "buffer_minutes": buffer_minutes,
        "min_notice_hours": min_notice_hours,
        "horizon_days": horizon_days,
        "cancellation_cutoff_hours": cancellation_cutoff_hours,
        "max_reschedules": max_reschedules,
    }
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["page", "calendar_token"])
    locked.save(update_fields=list(values))
    for name, value in values.items():
        setattr(practitioner, name, value)
    return locked


@transaction.atomic
def opening_hours_replace(
    *, practitioner: Practitioner, ranges: list[tuple[int, time, time]]
) -> list[OpeningHours]:
    """The weekly hours become `ranges` (weekday, start, end), all at once."""
    ranges_overlap_check(ranges)
    _locked(practitioner)
    practitioner.opening_hours.all().delete()
    return OpeningHours.objects.bulk_create(
        OpeningHours(practitioner=practitioner, weekday=weekday, start=start, end=end)
        for weekday, start, end in sorted(ranges)
    )


@transaction.atomic
def day_off_add(*, practitioner: Practitioner, day: date, reason: str = "") -> DayOff:
    _locked(practitioner)
    if practitioner.days_off.filter(date=day).exists():
        raise ValidationError(_("Ce jour est déjà fermé."))
    return DayOff.objects.create(practitioner=practitioner, date=day, reason=reason)


@transaction.atomic
def day_off_remove(*, practitioner: Practitioner, day_off_id: int) -> None:
    """Removes one of the practitioner's days off; another's id raises DayOff.DoesNotExist."""
    _locked(practitioner)
    practitioner.days_off.get(pk=day_off_id).delete()


@transaction.atomic
def special_hours_add(
    *, practitioner: Practitioner, day: date, start: time, end: time
) -> SpecialHours:
    """An opening that replaces the weekly hours of `day` (several may share a date)."""
    _locked(practitioner)
    existing = [(day, row.start, row.end) for row in practitioner.special_hours.filter(date=day)]
    ranges_overlap_check([*existing, (day, start, end)])
    return SpecialHours.objects.create(practitioner=practitioner, date=day, start=start, end=end)


@transaction.atomic
def special_hours_remove(*, practitioner: Practitioner, special_hours_id: int) -> None:
    _locked(practitioner)
    practitioner.special_hours.get(pk=special_hours_id).delete()


@transaction.atomic
def blocked_range_remove(*, practitioner: Practitioner, blocked_range_id: int) -> None:
    """The time becomes bookable again (if the hours and rules allow it)."""
    _locked(practitioner)
    BlockedRange.objects.get(pk=blocked_range_id, practitioner=practitioner).delete()


def blocked_range_create(
    *, practitioner: Practitioner, start: datetime, end: datetime, reason: str = ""
) -> BlockedRange:
    """Keep [start, end) free of new appointments.

    Refused when it overlaps an active appointment: the practitioner cancels it first (the
    client is told), rather than a block silently hiding a booked client.
    """
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise BookingError(_("Dates invalides (fuseau horaire manquant)."), code="naive_datetime")
    if start >= end:
        raise BookingError(_("La fin doit être après le début."), code="end_before_start")
    if end - start > timedelta(days=366):
        raise BookingError(_("Une plage bloquée dure au plus un an."), code="too_long")
    with transaction.atomic():
        locked = _locked(practitioner)
        clashes = overlapping_active_appointments(practitioner=locked, start=start, end=end)
        if clashes:
            tz = locked.tz
            listed = ", ".join(f"{a.start.astimezone(tz):%d/%m/%Y %H:%M}" for a in clashes)
            raise BookingError(
                _(
                    "Cette plage chevauche des rendez-vous (%(list)s). Annulez-les d'abord si "
                    "vous ne pouvez pas les assurer."
                )
                % {"list": listed},
                code="overlaps_appointments",
            )
        return BlockedRange.objects.create(
            practitioner=locked, start=start, end=end, reason=reason.strip()[:120]
        )


def calendar_token_regenerate(*, practitioner: Practitioner) -> str:
    """A new secret for the calendar feed URL; the old URL stops working at once."""
    with transaction.atomic():
        token = secrets.token_urlsafe(32)
        Practitioner.objects.filter(pk=practitioner.pk).update(calendar_token=token)
        practitioner.calendar_token = token
    return token
