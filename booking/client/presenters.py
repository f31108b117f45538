"""What the client's booking pages show, computed from the selectors: a week of free slots,
links to slots, a refused slot with what to offer instead.

URLs carry instants in UTC (`debut=2027-01-12T09:00:00Z`); times are shown in the
practitioner's time zone, named when it is not the one visitors assume.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from booking import selectors
from booking.models import Appointment, Practitioner
from booking.slots import Slot
from cms.models import PractitionerService

DEFAULT_TIMEZONE = "Europe/Paris"


class BadWeek(Exception):
    """`semaine` is not a date."""


class WeekOutOfRange(Exception):
    """`semaine` is before the current week or beyond the horizon: nothing to book there."""


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def start_parse(value: str | None) -> datetime | None:
    """An aware instant from `debut` (ISO 8601 with an offset or Z), None if malformed."""
    if not value or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            return None
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    # Far enough from datetime's limits that shifting to any time zone cannot overflow.
    if not 2 <= moment.year <= 9998:
        return None
    return moment


def day_label(value: date | datetime, *, year: bool = False, time: bool = False) -> str:
    """A day as people write it: "mardi 1er décembre" ("Tuesday 1 December" in English),
    optionally with the year and the time ("mardi 1er décembre à 17:00").

    An aware datetime is shown in the current time zone (the pages set the practitioner's).
    """
    moment = value
    if isinstance(value, datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
    number = moment.day
    day = pgettext("first day of a month", "1er") if number == 1 else str(number)
    label = _("%(weekday)s %(day)s %(month)s") % {
        "weekday": dateformat.format(moment, "l"),
        "day": day,
        "month": dateformat.format(moment, "F"),
    }
    if year:
        label = _("%(day)s %(year)s") % {"day": label, "year": moment.year}
    if time and isinstance(moment, datetime):
        label = _("%(day)s à %(time)s") % {"day": label, "time": dateformat.format(moment, "H:i")}
    return label


def tz_context(practitioner: Practitioner) -> dict[str, str]:
    """The zone's name, and the label shown next to times when it is not the expected one."""
    label = "" if practitioner.timezone == DEFAULT_TIMEZONE else practitioner.timezone
    return {"tz_name": practitioner.timezone, "tz_label": label}


def slot_links(slots: list[Slot], slot_url: str) -> list[dict[str, Any]]:
    """Each slot's start, its `debut` value and its link (`slot_url?debut=`; the funnel's week
    posts `debut` to its hold URL instead: a GET must not hold anything)."""
    return [
        {"start": s.start, "debut": iso_utc(s.start), "url": f"{slot_url}?debut={iso_utc(s.start)}"}
        for s in slots
    ]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class SlotWeek:
    """One week of free slots of a service (or of an appointment being moved)."""

    practitioner: Practitioner
    service: PractitionerService
    week_url: str
    slot_url: str
    exclude_appointment: Appointment | None = None
    # The booking funnel's: slots are buttons of a POST form to this URL (they hold the slot).
    hold_url: str = ""

    @property
    def duration(self) -> timedelta:
        minutes = (
            self.exclude_appointment.duration_minutes
            if self.exclude_appointment is not None
            else self.service.duration_minutes
        )
        return timedelta(minutes=minutes)

    def free_slots(self, first_day: date, last_day: date, now: datetime) -> list[Slot]:
        """Free slots on [first_day, last_day]; a moved appointment's own time counts as free."""
        if self.exclude_appointment is None:
            return selectors.practitioner_free_slots(
                practitioner=self.practitioner,
                service=self.service,
                first_day=first_day,
                last_day=last_day,
                now=now,
            )
        return selectors.slots_for_duration(
            practitioner=self.practitioner,
            duration=self.duration,
            first_day=first_day,
            last_day=last_day,
            now=now,
            exclude_appointment_id=self.exclude_appointment.pk,
        )

    def is_free(self, start: datetime) -> bool:
        day = start.astimezone(self.practitioner.tz).date()
        return any(s.start == start for s in self.free_slots(day, day, timezone.now()))

    def context(self, semaine: str | None) -> dict[str, Any]:
        """The days of the week of `semaine` (default: the week of the first free slot) with
        their free slots, from today on (past days are never listed).

        Without `semaine` the list starts at the first day with a free slot: a page opened on
        Monday evening with a 24 h notice starts on Tuesday, an agenda full for two weeks opens
        on the third. Raises BadWeek for a malformed date, WeekOutOfRange outside
        [this week, horizon].
        """
        practitioner = self.practitioner
        tz = practitioner.tz
        now = timezone.now()
        today = now.astimezone(tz).date()
        first_monday = _monday(today)
        last_monday = _monday(
            (now + timedelta(days=practitioner.horizon_days)).astimezone(tz).date()
        )
        next_slot = self._first_free(today, now)
        next_day = next_slot.start.astimezone(tz).date() if next_slot is not None else None
        first_shown = today
        if semaine is None:
            monday = _monday(next_day) if next_day is not None else first_monday
            first_shown = next_day or today
        else:
            try:
                monday = _monday(date.fromisoformat(semaine))  # date.min is a Monday
            except ValueError as error:
                raise BadWeek from error
        if not first_monday <= monday <= last_monday:
            raise WeekOutOfRange

        sunday = monday + timedelta(days=6)
        first_day = max(monday, first_shown)
        slots = self.free_slots(first_day, sunday, now)
        by_day: dict[date, list[dict[str, Any]]] = {
            first_day + timedelta(days=i): [] for i in range((sunday - first_day).days + 1)
        }
        for link in slot_links(slots, self.slot_url):
            by_day.setdefault(link["start"].astimezone(tz).date(), []).append(link)
        # The shortcut to the first free slot, when it is not on the page shown.
        next_link = None
        if next_day is not None and not first_day <= next_day <= sunday:
            next_link = (
                f"{self.week_url}?semaine={_monday(next_day).isoformat()}"
                f"#jour-{next_day.isoformat()}"
            )
        previous_monday = monday - timedelta(days=7)
        following_monday = monday + timedelta(days=7)
        return {
            **tz_context(practitioner),
            "monday": first_day,
            "sunday": sunday,
            "days": [{"date": d, "slots": day_slots} for d, day_slots in sorted(by_day.items())],
            "has_slots": bool(slots),
            "next_slot": next_slot,
            "next_link": next_link,
            "hold_url": self.hold_url,
            "previous_url": (
                f"{self.week_url}?semaine={previous_monday.isoformat()}"
                if previous_monday >= first_monday
                else None
            ),
            "next_url": (
                f"{self.week_url}?semaine={following_monday.isoformat()}"
                if following_monday <= last_monday
                else None
            ),
        }

    def _first_free(self, today: date, now: datetime) -> Slot | None:
        found = selectors.upcoming_free_slots(
            practitioner=self.practitioner,
            duration=self.duration,
            first_day=today,
            count=1,
            now=now,
            exclude_appointment_id=getattr(self.exclude_appointment, "pk", None),
        )
        return found[0] if found else None

    def offered_by_rules(self, start: datetime) -> bool:
        """Whether the rules alone (hours, step, notice, horizon) offer `start`, taken or not.

        Only used to word a refusal: a time the practitioner never offers (400) is not a slot
        that someone else has just taken (409).
        """
        if not selectors.service_is_bookable(practitioner=self.practitioner, service=self.service):
            return False
        day = start.astimezone(self.practitioner.tz).date()
        offered = selectors.slots_for_duration(
            practitioner=self.practitioner,
            duration=self.duration,
            first_day=day,
            last_day=day,
            ignore_busy=True,
        )
        return any(slot.start == start for slot in offered)

    def refusal_context(
        self,
        start: datetime,
        *,
        alternatives: list[Slot] | None = None,
        reason: str = "",
        taken: bool | None = None,
    ) -> tuple[dict[str, Any], int]:
        """The page for a slot that cannot be booked and its status: 409 taken, 400 never
        offered; with the same alternatives as the API gives."""
        if taken is None:
            taken = self.offered_by_rules(start)
        if alternatives is None:
            alternatives = selectors.slot_alternatives(
                practitioner=self.practitioner,
                duration=self.duration,
                around=start,
                exclude_appointment_id=getattr(self.exclude_appointment, "pk", None),
            )
        if taken:
            reason = _("Ce créneau vient d'être réservé par quelqu'un d'autre.")
        elif not reason:
            reason = _(
                "Ce créneau n'est pas proposé : il est en dehors des horaires du praticien, trop "
                "proche ou trop lointain."
            )
        context = {
            **tz_context(self.practitioner),
            "practitioner": self.practitioner,
            "service": self.service,
            "reason": reason,
            "taken": taken,
            "alternatives": slot_links(alternatives, self.slot_url),
            "hold_url": self.hold_url,
            "week_url": self.week_url,
        }
        return context, 409 if taken else 400
