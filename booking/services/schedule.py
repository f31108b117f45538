"""Writes of the practitioner area: booking rules, weekly hours, days off, openings, blocks.

Each write locks the practitioner's row first, as appointment_book does: a booking that is
being checked against the hours cannot interleave with a change of those hours. Existing
appointments keep their own copies (rules_snapshot, blocked span): these writes never change
them, except a closure (day off, blocked range) the practitioner asks to cancel them with
(booking.services.collisions), which cancels them as a cancellation by the practitioner does.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING
from uuid import UUID
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from booking.exceptions import BookingError, ChangeNotAllowed
from booking.models import (
    BlockedRange,
    DayOff,
    OpeningHours,
    Practitioner,
    SpecialHours,
)
from booking.selectors import is_practitioner_user
from booking.selectors.slots import day_bounds
from booking.services.availability import next_free_refresh_on_commit
from booking.services.collisions import Collisions, closure_collisions_settle

if TYPE_CHECKING:
    from accounts.models import User

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


def _today(practitioner: Practitioner) -> date:
    return timezone.now().astimezone(practitioner.tz).date()


def ranges_overlap_check(ranges: Sequence[tuple[int | date, time, time]]) -> None:
    """Raises ValidationError if a range ends before it starts or two ranges of a day overlap.

    Touching ranges (09:00-12:00 and 12:00-14:00) are accepted: the slot engine merges them.
    """
    by_day: dict[int | date, list[tuple[time, time]]] = {}
    for day, start, end in ranges:
        if start >= end:
            raise ValidationError(_("L'heure de fin doit être après l'heure de début."))
        by_day.setdefault(day, []).append((start, end))
    for spans in by_day.values():
        spans.sort()
        for (_start, previous_end), (start, _end) in pairwise(spans):
            if start < previous_end:
                raise ValidationError(_("Deux plages horaires d'un même jour se chevauchent."))


def _clock(moment: datetime | time, *, with_date: bool = False) -> str:
    return f"{moment:%d/%m/%Y %H:%M}" if with_date else f"{moment:%H:%M}"


def _gap_bounds(local: datetime) -> tuple[datetime, datetime]:
    """The wall-clock span skipped on `local`'s day, `local` being a time inside it (naive).

    zoneinfo reads a skipped time with the offset before the change (fold=0) or after it
    (fold=1); the change itself lies between those two instants: a bisection to the second.
    """
    tz = local.tzinfo
    offset_before = local.utcoffset() or timedelta(0)
    later = local.astimezone(UTC)
    earlier = local.replace(fold=1).astimezone(UTC)
    while later - earlier > timedelta(seconds=1):
        middle = earlier + (later - earlier) / 2
        if middle.astimezone(tz).utcoffset() == offset_before:
            earlier = middle
        else:
            later = middle
    change = later.replace(microsecond=0)
    return (change + offset_before).replace(tzinfo=None), change.astimezone(tz).replace(tzinfo=None)


def local_instant(*, day: date, clock: time, tz: ZoneInfo) -> datetime:
    """The instant (UTC) that `clock` on `day` means on the wall clock of `tz`.

    A time the clocks skip (02:30 on the last Sunday of March in Paris) is refused: datetime
    would silently read it an hour off, and the slot engine never offers such a time either.
    The first moment of the skip (02:00) is the change itself and stays a valid bound. A date
    whose instant leaves datetime's range (year 1, or 9999 west of Greenwich) is refused too.
    """
    local = datetime.combine(day, clock, tzinfo=tz)
    try:
        instant = local.astimezone(UTC)
    except OverflowError:
        raise ValidationError(
            _("Cette date est hors des dates possibles."), code="date_out_of_range"
        ) from None
    if instant.astimezone(tz).replace(tzinfo=None) == local.replace(tzinfo=None):
        return instant
    skipped_from, skipped_to = _gap_bounds(local)
    if skipped_from == local.replace(tzinfo=None):
        return instant
    raise ValidationError(
        _(
            "%(time)s n'existe pas le %(date)s : ce jour-là, les horloges passent de "
            "%(from)s à %(to)s (changement d'heure). Choisissez une autre heure."
        ),
        code="nonexistent_time",
        params={
            "time": _clock(clock),
            "date": f"{day:%d/%m/%Y}",
            # A whole day may be skipped (Samoa, 30 December 2011): then the dates say it.
            "from": _clock(skipped_from, with_date=skipped_from.date() != skipped_to.date()),
            "to": _clock(skipped_to, with_date=skipped_from.date() != skipped_to.date()),
        },
    )


def wall_clock_ranges_check(*, ranges: Sequence[tuple[date, time, time]], tz: ZoneInfo) -> None:
    """Raises ValidationError if a bound of a dated range is a time the clocks skip."""
    for day, start, end in ranges:
        local_instant(day=day, clock=start, tz=tz)
        local_instant(day=day, clock=end, tz=tz)


# How far ahead weekly hours are checked against the time changes: a year holds every change
# the rules of a time zone repeat.
WEEKLY_CHECK_DAYS = 371


def _change_days(tz: ZoneInfo, first: date, count: int) -> list[date]:
    """The days from `first` on whose clock is moved (their offset differs at both ends)."""
    days = (first + timedelta(days=n) for n in range(count))
    return [
        day
        for day in days
        if datetime.combine(day, time.min, tzinfo=tz).utcoffset()
        != datetime.combine(day, time.max, tzinfo=tz).utcoffset()
    ]


def weekly_ranges_check(
    *, ranges: Sequence[tuple[int, time, time]], tz: ZoneInfo, today: date
) -> None:
    """Raises ValidationError if weekly ranges overlap, or if a bound is a time the clocks skip
    on one of the coming year's dates of its weekday (Sunday 02:30 in Paris, in March)."""
    ranges_overlap_check(ranges)
    change_days = _change_days(tz, today, WEEKLY_CHECK_DAYS)
    for weekday, start, end in ranges:
        wall_clock_ranges_check(
            ranges=[(day, start, end) for day in change_days if day.weekday() == weekday],
            tz=tz,
        )


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
    next_free_refresh_on_commit(practitioner.pk)
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
    locked = _locked(practitioner)
    next_free_refresh_on_commit(practitioner.pk)
    weekly_ranges_check(ranges=ranges, tz=locked.tz, today=_today(locked))
    practitioner.opening_hours.all().delete()
    return OpeningHours.objects.bulk_create(
        OpeningHours(practitioner=practitioner, weekday=weekday, start=start, end=end)
        for weekday, start, end in sorted(ranges)
    )


@transaction.atomic
def opening_hours_copy(
    *, practitioner: Practitioner, from_weekday: int, to_weekdays: Collection[int], by: User
) -> list[OpeningHours]:
    """The ranges of `from_weekday` replace those of each of `to_weekdays`, all at once.

    The other days are untouched. Refused (ValidationError) when the source day has no range
    (copying nothing would wipe the targets' hours), when no other day is chosen, or when a
    copied bound is a time the clocks skip on a target day (Saturday 02:30 copied to Sunday).
    """
    if not is_practitioner_user(by, practitioner):
        raise ChangeNotAllowed(_("Ces horaires ne sont pas les vôtres."), code="not_yours")
    targets = {day for day in to_weekdays if day != from_weekday}
    if not targets:
        raise ValidationError(_("Choisissez au moins un autre jour vers lequel copier."))
    if not all(0 <= day <= 6 for day in (from_weekday, *targets)):
        raise ValidationError(_("Jour inconnu."))
    locked = _locked(practitioner)
    next_free_refresh_on_commit(practitioner.pk)
    rows = list(locked.opening_hours.all())
    source = [(row.start, row.end) for row in rows if row.weekday == from_weekday]
    if not source:
        raise ValidationError(_("Ce jour n'a aucune plage horaire : il n'y a rien à copier."))
    ranges = [(row.weekday, row.start, row.end) for row in rows if row.weekday not in targets]
    ranges += [(day, start, end) for day in sorted(targets) for start, end in source]
    weekly_ranges_check(ranges=ranges, tz=locked.tz, today=_today(locked))
    locked.opening_hours.filter(weekday__in=targets).delete()
    return OpeningHours.objects.bulk_create(
        OpeningHours(practitioner=locked, weekday=day, start=start, end=end)
        for day in sorted(targets)
        for start, end in source
    )


@transaction.atomic
def day_off_add(
    *,
    practitioner: Practitioner,
    day: date,
    reason: str = "",
    collisions: Collisions = Collisions.REFUSE,
    seen: Collection[UUID] | None = None,
    cancel_reason: str = "",
    by: User | None = None,
) -> DayOff:
    """Close `day` (the practitioner's local date).

    Its confirmed appointments still to come are cancelled (clients told, with
    `cancel_reason`) or kept, as `collisions` says; by default the day off is refused with
    their list (AppointmentsCollide). See booking.services.collisions for `seen`. One
    transaction: a cancellation refused leaves neither the day off nor any cancellation.
    """
    locked = _locked(practitioner)
    next_free_refresh_on_commit(practitioner.pk)
    if practitioner.days_off.filter(date=day).exists():
        raise ValidationError(_("Ce jour est déjà fermé."))
    try:
        start, end = day_bounds(locked, day, day)
    except OverflowError:  # 31 December 9999: its end is past datetime's range
        raise ValidationError(
            _("Cette date est hors des dates possibles."), code="date_out_of_range"
        ) from None
    closure_collisions_settle(
        practitioner=locked,
        start=start,
        end=end,
        choice=collisions,
        seen=seen,
        cancel_reason=cancel_reason,
        by=by,
        refusal=_(
            "Vous avez des rendez-vous ce jour-là (%(list)s). Choisissez de les annuler (les "
            "clients sont prévenus avec votre motif) ou de les garder."
        ),
    )
    return DayOff.objects.create(practitioner=locked, date=day, reason=reason)


@transaction.atomic
def day_off_remove(*, practitioner: Practitioner, day_off_id: int) -> None:
    """Removes one of the practitioner's days off; another's id raises DayOff.DoesNotExist."""
    _locked(practitioner)
    next_free_refresh_on_commit(practitioner.pk)
    practitioner.days_off.get(pk=day_off_id).delete()


@transaction.atomic
def special_hours_add(
    *, practitioner: Practitioner, day: date, start: time, end: time
) -> SpecialHours:
    """An opening that replaces the weekly hours of `day` (several may share a date)."""
    locked = _locked(practitioner)
    next_free_refresh_on_commit(practitioner.pk)
    wall_clock_ranges_check(ranges=[(day, start, end)], tz=locked.tz)
    existing = [(day, row.start, row.end) for row in practitioner.special_hours.filter(date=day)]
    ranges_overlap_check([*existing, (day, start, end)])
    return SpecialHours.objects.create(practitioner=practitioner, date=day, start=start, end=end)


@transaction.atomic
def special_hours_remove(*, practitioner: Practitioner, special_hours_id: int) -> None:
    _locked(practitioner)
    next_free_refresh_on_commit(practitioner.pk)
    practitioner.special_hours.get(pk=special_hours_id).delete()


@transaction.atomic
def blocked_range_remove(*, practitioner: Practitioner, blocked_range_id: int) -> None:
    """The time becomes bookable again (if the hours and rules allow it)."""
    _locked(practitioner)
    next_free_refresh_on_commit(practitioner.pk)
    BlockedRange.objects.get(pk=blocked_range_id, practitioner=practitioner).delete()


def blocked_range_create(
    *,
    practitioner: Practitioner,
    start: datetime,
    end: datetime,
    reason: str = "",
    collisions: Collisions = Collisions.REFUSE,
    seen: Collection[UUID] | None = None,
    cancel_reason: str = "",
    by: User | None = None,
) -> BlockedRange:
    """Keep [start, end) free of new appointments; it may span several days (a year at most).

    The confirmed appointments still to come that it covers are cancelled or kept as
    `collisions` says, in the same transaction; by default the range is refused with their
    list (AppointmentsCollide), rather than a block silently hiding a booked client.
    """
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise BookingError(_("Dates invalides (fuseau horaire manquant)."), code="naive_datetime")
    if start >= end:
        raise BookingError(_("La fin doit être après le début."), code="end_before_start")
    if end - start > timedelta(days=366):
        raise BookingError(_("Une plage bloquée dure au plus un an."), code="too_long")
    with transaction.atomic():
        locked = _locked(practitioner)
        next_free_refresh_on_commit(practitioner.pk)
        closure_collisions_settle(
            practitioner=locked,
            start=start,
            end=end,
            choice=collisions,
            seen=seen,
            cancel_reason=cancel_reason,
            by=by,
            refusal=_(
                "Cette plage chevauche des rendez-vous (%(list)s). Choisissez de les annuler "
                "(les clients sont prévenus avec votre motif) ou de les garder."
            ),
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
