"""Benchmark of the slot engine: 60 days of slots for one practitioner with 200 appointments.

Target: well under 50 ms per computation on the CI machine (2 cores). Run:

    .venv/bin/python benchmarks/slots_bench.py

It prints the median and the worst of several runs; it is a measurement, not a test, so it never
fails a build because the machine was busy.
"""

import random
import statistics
import sys
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from booking.slots import Availability, BookingRules, Interval, OpeningRange, free_slots


def scenario():
    weekly = [
        OpeningRange(weekday, start, end)
        for weekday in range(6)
        for start, end in [(time(9), time(12, 30)), (time(14), time(19))]
    ]
    availability = Availability(
        weekly,
        days_off={date(2027, 5, 1), date(2027, 5, 8), date(2027, 5, 26)},
        special_hours={date(2027, 5, 9): [(time(10), time(13))]},
    )
    now = datetime(2027, 4, 20, 8, 0, tzinfo=UTC)
    rng = random.Random(42)
    busy = []
    for _ in range(200):
        day = now + timedelta(days=rng.randint(1, 59))
        start = day.replace(hour=rng.choice([7, 8, 9, 10, 12, 13, 14, 15, 16]), minute=0)
        busy.append(Interval(start, start + timedelta(minutes=rng.choice([45, 60, 90]))))
    rules = BookingRules(
        step=timedelta(minutes=15),
        buffer=timedelta(minutes=10),
        min_notice=timedelta(hours=24),
        horizon=timedelta(days=60),
    )
    return {
        "availability": availability,
        "busy": busy,
        "duration": timedelta(minutes=60),
        "rules": rules,
        "now": now,
        "first_day": now.date(),
        "last_day": now.date() + timedelta(days=60),
    }


def main() -> None:
    arguments = scenario()
    free_slots(**arguments)  # warm-up
    timings = []
    for _ in range(30):
        started = clock.perf_counter()
        slots = free_slots(**arguments)
        timings.append((clock.perf_counter() - started) * 1000)
    print(
        f"free_slots, 60 days, 200 appointments: {len(slots)} slots; "
        f"median {statistics.median(timings):.2f} ms, worst {max(timings):.2f} ms "
        f"over {len(timings)} runs (target: < 50 ms)"
    )


if __name__ == "__main__":
    main()
