"""The slot engine, tested as the pure function it is."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.slots import (
    PARIS,
    Availability,
    BookingRules,
    Interval,
    OpeningRange,
    free_slots,
)
from tests.booking.booking_helpers import paris

WEEKDAYS_9_TO_12 = [OpeningRange(weekday, time(9), time(12)) for weekday in range(7)]
HOUR = timedelta(hours=1)
NO_NOTICE = BookingRules(min_notice=timedelta(0), step=timedelta(minutes=30))


def slots_on(day: date, *, busy=(), rules=NO_NOTICE, availability=None, duration=HOUR, now=None):
    return free_slots(
        availability=availability or Availability(WEEKDAYS_9_TO_12),
        busy=list(busy),
        duration=duration,
        rules=rules,
        now=now or paris(day.year, day.month, day.day, 0, 0) - timedelta(days=1),
        first_day=day,
        last_day=day,
    )


def local_starts(slots) -> list[str]:
    return [slot.start.astimezone(PARIS).strftime("%H:%M") for slot in slots]


def test_a_free_morning_offers_every_step_that_fits():
    assert local_starts(slots_on(date(2027, 1, 12))) == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
    ]


def test_an_appointment_removes_the_overlapping_starts_but_back_to_back_is_fine():
    busy = [Interval(paris(2027, 1, 12, 10), paris(2027, 1, 12, 11))]
    assert local_starts(slots_on(date(2027, 1, 12), busy=busy)) == ["09:00", "11:00"]


def test_the_buffer_keeps_a_gap_around_appointments():
    rules = BookingRules(min_notice=timedelta(0), buffer=timedelta(minutes=15))
    busy = [Interval(paris(2027, 1, 12, 10), paris(2027, 1, 12, 11))]
    assert local_starts(slots_on(date(2027, 1, 12), busy=busy, rules=rules)) == []
    rules = BookingRules(
        min_notice=timedelta(0), buffer=timedelta(minutes=15), step=timedelta(minutes=15)
    )
    half_hour = timedelta(minutes=30)
    starts = local_starts(slots_on(date(2027, 1, 12), busy=busy, rules=rules, duration=half_hour))
    assert starts == ["09:00", "09:15", "11:15", "11:30"]


def test_minimum_notice_and_horizon():
    rules = BookingRules(min_notice=timedelta(hours=24), horizon=timedelta(days=2))
    now = paris(2027, 1, 11, 10, 15)
    slots = free_slots(
        availability=Availability(WEEKDAYS_9_TO_12),
        busy=[],
        duration=HOUR,
        rules=rules,
        now=now,
        first_day=date(2027, 1, 10),
        last_day=date(2027, 3, 1),
    )
    assert slots[0].start == paris(2027, 1, 12, 10, 30)
    assert slots[-1].start == paris(2027, 1, 13, 10, 0)


def test_days_off_close_and_special_hours_replace_the_week():
    availability = Availability(
        WEEKDAYS_9_TO_12,
        days_off={date(2027, 1, 12)},
        special_hours={date(2027, 1, 13): [(time(14), time(16))]},
    )
    assert slots_on(date(2027, 1, 12), availability=availability) == []
    assert local_starts(slots_on(date(2027, 1, 13), availability=availability)) == [
        "14:00",
        "14:30",
        "15:00",
    ]


def test_overlapping_ranges_are_merged_not_doubled():
    availability = Availability(
        [OpeningRange(1, time(9), time(10)), OpeningRange(1, time(9, 30), time(11))]
    )
    starts = local_starts(slots_on(date(2027, 1, 12), availability=availability))
    assert starts == ["09:00", "09:30", "10:00"]


def test_several_ranges_a_day():
    availability = Availability(
        [OpeningRange(1, time(9), time(10)), OpeningRange(1, time(14), time(15, 30))]
    )
    assert local_starts(slots_on(date(2027, 1, 12), availability=availability)) == [
        "09:00",
        "14:00",
        "14:30",
    ]


def test_spring_forward_sunday_keeps_every_morning_slot_once():
    # 28 March 2027, last Sunday of March: 02:00 becomes 03:00 in Paris.
    night = Availability([OpeningRange(6, time(1), time(5))])
    slots = slots_on(date(2027, 3, 28), availability=night, duration=timedelta(minutes=30))
    assert local_starts(slots) == ["01:00", "01:30", "03:00", "03:30", "04:00", "04:30"]
    morning = slots_on(date(2027, 3, 28))
    assert local_starts(morning) == ["09:00", "09:30", "10:00", "10:30", "11:00"]
    assert all(slot.end - slot.start == HOUR for slot in morning)
    assert morning[0].start.astimezone(PARIS).utcoffset() == timedelta(hours=2)
    assert morning[0].start == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)


def test_fall_back_sunday_offers_the_repeated_hour_once():
    # 31 October 2027, last Sunday of October: 03:00 goes back to 02:00 in Paris.
    night = Availability([OpeningRange(6, time(1), time(4))])
    slots = slots_on(date(2027, 10, 31), availability=night, duration=timedelta(minutes=30))
    assert local_starts(slots) == ["01:00", "01:30", "02:00", "02:30", "03:00", "03:30"]
    assert len({slot.start for slot in slots}) == len(slots)
    morning = slots_on(date(2027, 10, 31))
    assert local_starts(morning) == ["09:00", "09:30", "10:00", "10:30", "11:00"]
    assert morning[0].start.astimezone(PARIS).utcoffset() == timedelta(hours=1)
    assert morning[0].start == datetime(2027, 10, 31, 8, 0, tzinfo=UTC)


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="now must be an aware datetime"):
        slots_on(date(2027, 1, 12), now=datetime(2027, 1, 1))  # noqa: DTZ001 (the point)


# --- Properties ----------------------------------------------------------------------------

minutes = st.integers(min_value=0, max_value=24 * 60 - 15).map(lambda m: m - m % 15)


@st.composite
def opening_ranges(draw):
    weekday = draw(st.integers(0, 6))
    start = draw(minutes)
    length = draw(st.integers(min_value=1, max_value=40)) * 15
    end = min(start + length, 24 * 60 - 1)
    return OpeningRange(weekday, time(start // 60, start % 60), time(end // 60, end % 60))


# (offset from the window's start, length), in minutes
busy_spans = st.tuples(
    st.integers(min_value=0, max_value=20 * 24 * 60), st.integers(min_value=5, max_value=240)
)

# Windows of three weeks around the spring and the autumn changes.
WINDOWS = [datetime(2027, 3, 20, tzinfo=UTC), datetime(2027, 10, 23, tzinfo=UTC)]


@pytest.mark.parametrize("first", WINDOWS)
@settings(max_examples=120, deadline=None)
@given(
    weekly=st.lists(opening_ranges(), min_size=1, max_size=10),
    spans=st.lists(busy_spans, max_size=30),
    day_offsets=st.sets(st.integers(min_value=0, max_value=21), max_size=5),
    duration=st.sampled_from([15, 30, 45, 60, 90]).map(lambda m: timedelta(minutes=m)),
    buffer=st.sampled_from([0, 5, 10, 15]).map(lambda m: timedelta(minutes=m)),
    step=st.sampled_from([15, 30, 60]).map(lambda m: timedelta(minutes=m)),
    notice_hours=st.integers(min_value=0, max_value=72),
    horizon_days=st.integers(min_value=1, max_value=20),
    now_offset=st.integers(min_value=0, max_value=5 * 24 * 60),
)
def test_slots_respect_every_rule(
    first,
    weekly,
    spans,
    day_offsets,
    duration,
    buffer,
    step,
    notice_hours,
    horizon_days,
    now_offset,
):
    busy = [
        Interval(first + timedelta(minutes=o), first + timedelta(minutes=o + length))
        for o, length in spans
    ]
    days_off = {first.date() + timedelta(days=offset) for offset in day_offsets}
    rules = BookingRules(
        step=step,
        buffer=buffer,
        min_notice=timedelta(hours=notice_hours),
        horizon=timedelta(days=horizon_days),
    )
    availability = Availability(weekly, days_off=days_off)
    now = first + timedelta(minutes=now_offset)
    slots = free_slots(
        availability=availability,
        busy=busy,
        duration=duration,
        rules=rules,
        now=now,
        first_day=first.date() - timedelta(days=1),
        last_day=first.date() + timedelta(days=23),
    )
    starts = [slot.start for slot in slots]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for slot in slots:
        assert slot.end - slot.start == duration
        assert now + rules.min_notice <= slot.start <= now + rules.horizon
        local_day = slot.start.astimezone(PARIS).date()
        assert local_day not in days_off
        inside = any(
            datetime.combine(local_day, start, tzinfo=PARIS) <= slot.start
            and slot.end <= datetime.combine(local_day, end, tzinfo=PARIS)
            for start, end in availability.ranges_on(local_day)
        )
        assert inside, slot
        for interval in busy:
            assert slot.end + buffer <= interval.start or interval.end <= slot.start - buffer
