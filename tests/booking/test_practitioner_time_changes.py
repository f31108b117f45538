"""The practitioner's schedule forms and the days the clocks change.

On the last Sunday of March (28 March 2027 in Paris) the clocks go from 02:00 to 03:00: 02:30
does not exist, and datetime would silently read it an hour off. Blocked ranges, special
openings and weekly hours with such a bound are refused with a message that says why; the
change itself (02:00) stays a valid bound. Dates whose instant leaves datetime's range are a
form error, never a 500.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from booking.models import BlockedRange, Practitioner, SpecialHours
from booking.services import opening_hours_replace, special_hours_add
from booking.services.schedule import local_instant
from tests.booking.practitioner_helpers import hours_post
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db

SPRING_FORWARD = "2027-03-28"  # 02:00 → 03:00 in Paris
FALL_BACK = "2027-10-31"  # 03:00 → 02:00 in Paris
GAP_MESSAGE = (
    "02:30 n'existe pas le 28/03/2027 : ce jour-là, les horloges passent de 02:00 à 03:00 "
    "(changement d'heure). Choisissez une autre heure."
)


def exists(wall: datetime, tz: ZoneInfo) -> bool:
    local = wall.replace(tzinfo=tz)
    return local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall


def page_text(response) -> str:
    return assert_valid_accessible_html(response.content).get_text(" ")


def block(client, day: str, start: str, end: str):
    return client.post(
        reverse("practitioner:blocked_ranges"),
        {"plage-date": day, "plage-start": start, "plage-end": end},
    )


def special_opening(client, day: str, start: str, end: str):
    return client.post(
        reverse("practitioner:special_hours_add"),
        {"ouverture-date": day, "ouverture-start": start, "ouverture-end": end},
    )


def weekly_hours(client, rows):
    return client.post(reverse("practitioner:opening_hours_save"), hours_post(rows))


# --- Blocked ranges ---------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end"), [("02:30", "04:00"), ("01:00", "02:30")])
def test_a_blocked_range_with_a_bound_the_clocks_skip_is_refused(client, own, start, end):
    response = block(client, SPRING_FORWARD, start, end)
    assert response.status_code == 400
    assert GAP_MESSAGE in page_text(response)
    assert not BlockedRange.objects.exists()


def test_a_blocked_range_from_the_change_itself_covers_the_real_hours(client, own):
    """02:00 on that day is the instant of the change (01:00 UTC), 04:00 is 02:00 UTC."""
    response = block(client, SPRING_FORWARD, "02:00", "04:00")
    assert response.status_code == 302
    blocked = BlockedRange.objects.get(practitioner=own)
    assert (blocked.start, blocked.end) == (
        datetime(2027, 3, 28, 1, tzinfo=UTC),
        datetime(2027, 3, 28, 2, tzinfo=UTC),
    )


def test_a_time_that_exists_twice_in_autumn_is_its_first_occurrence(client, own):
    response = block(client, FALL_BACK, "02:30", "04:00")
    assert response.status_code == 302
    blocked = BlockedRange.objects.get(practitioner=own)
    # 02:30 summer time (00:30 UTC), as the slot engine offers it; 04:00 winter time.
    assert (blocked.start, blocked.end) == (
        datetime(2027, 10, 31, 0, 30, tzinfo=UTC),
        datetime(2027, 10, 31, 3, tzinfo=UTC),
    )


def test_a_blocked_range_dated_year_1_is_a_form_error(client, own):
    response = block(client, "0001-01-01", "00:00", "01:00")
    assert response.status_code == 400
    assert "Cette date est déjà passée." in page_text(response)
    assert not BlockedRange.objects.exists()


def test_a_blocked_range_beyond_the_last_instant_datetime_holds_is_a_form_error(client, own):
    # 31 December 9999, 23:00 in Los Angeles is in year 10000 in UTC.
    Practitioner.objects.filter(pk=own.pk).update(timezone="America/Los_Angeles")
    response = block(client, "9999-12-31", "22:00", "23:00")
    assert response.status_code == 400
    assert "Cette date est hors des dates possibles." in page_text(response)
    assert not BlockedRange.objects.exists()


# --- Special openings -------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end"), [("02:30", "05:00"), ("00:30", "02:30")])
def test_a_special_opening_with_a_bound_the_clocks_skip_is_refused(client, own, start, end):
    response = special_opening(client, SPRING_FORWARD, start, end)
    assert response.status_code == 400
    assert GAP_MESSAGE in page_text(response)
    assert not SpecialHours.objects.exists()


def test_a_special_opening_around_the_change_is_accepted(client, own):
    assert special_opening(client, SPRING_FORWARD, "01:00", "05:00").status_code == 302
    assert SpecialHours.objects.filter(practitioner=own, date=date(2027, 3, 28)).exists()


def test_a_special_opening_in_year_1_is_a_form_error(client, own):
    response = special_opening(client, "0001-01-01", "00:00", "01:00")
    assert response.status_code == 400
    assert "Cette date est déjà passée." in page_text(response)


def test_the_special_opening_service_refuses_a_skipped_time_whoever_calls_it(own):
    with pytest.raises(ValidationError) as refusal:
        special_hours_add(practitioner=own, day=date(2027, 3, 28), start=time(2, 30), end=time(5))
    assert refusal.value.code == "nonexistent_time"
    assert not SpecialHours.objects.exists()


# --- Weekly hours -----------------------------------------------------------------------------


def test_weekly_hours_with_a_sunday_bound_the_clocks_skip_are_refused(client, own):
    """Sunday 02:30 exists on every Sunday but one: the one the practitioner would not see."""
    response = weekly_hours(client, [("6", "02:30", "05:00")])
    assert response.status_code == 400
    assert GAP_MESSAGE in page_text(response)
    assert own.opening_hours.count() == 12


def test_weekly_hours_that_end_at_the_change_are_accepted(client, own):
    assert weekly_hours(client, [("6", "00:00", "02:00"), ("5", "02:30", "05:00")]).status_code == (
        302
    )
    assert list(own.opening_hours.values_list("weekday", "start", "end")) == [
        (5, time(2, 30), time(5)),
        (6, time(0), time(2)),
    ]


def test_the_weekly_hours_service_refuses_a_skipped_time_whoever_calls_it(own):
    with pytest.raises(ValidationError) as refusal:
        opening_hours_replace(practitioner=own, ranges=[(6, time(2, 30), time(5))])
    assert refusal.value.code == "nonexistent_time"
    assert own.opening_hours.count() == 12


# --- The conversion itself --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day", "clock", "skipped"),
    [
        ("America/New_York", date(2027, 3, 14), time(2, 15), "de 02:00 à 03:00"),
        # Lord Howe Island moves its clocks by half an hour.
        ("Australia/Lord_Howe", date(2027, 10, 3), time(2, 15), "de 02:00 à 02:30"),
        # Samoa skipped a whole day to cross the date line.
        ("Pacific/Apia", date(2011, 12, 30), time(12), "de 30/12/2011 00:00 à 31/12/2011 00:00"),
    ],
)
def test_the_refusal_names_the_skipped_span_of_any_zone(zone, day, clock, skipped):
    with pytest.raises(ValidationError) as refusal:
        local_instant(day=day, clock=clock, tz=ZoneInfo(zone))
    assert refusal.value.code == "nonexistent_time"
    assert skipped in refusal.value.messages[0]


@given(
    zone=st.sampled_from(["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "UTC"]),
    day=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    clock=st.times().map(lambda moment: moment.replace(second=0, microsecond=0)),
)
def test_an_accepted_time_reads_back_as_typed_or_is_the_change_itself(zone, day, clock):
    tz = ZoneInfo(zone)
    typed = datetime.combine(day, clock)
    try:
        instant = local_instant(day=day, clock=clock, tz=tz)
    except ValidationError as refusal:
        assert refusal.code == "nonexistent_time"
        # Refused only when the wall-clock time really does not exist.
        assert not exists(typed, tz)
        return
    wall = instant.astimezone(tz).replace(tzinfo=None)
    # Either the very time typed, or the first moment of a skip (read as the change itself).
    assert wall == typed or (not exists(typed, tz) and exists(typed - timedelta(minutes=1), tz))
