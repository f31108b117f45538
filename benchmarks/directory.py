"""Benchmark of the directory (/praticiens/) at 60 and at 5,000 practitioners.

Builds a throwaway SQLite database in var/bench-directory/ (migrations, the site tree, then
practitioner pages with services, a booking side and a cached next free slot), requests the
directory through Django's test client and prints the median time per request and the number
of queries, for a few filter combinations. Run:

    .venv/bin/python benchmarks/directory.py            # 60 and 5000
    .venv/bin/python benchmarks/directory.py 60 500     # other sizes

Building 5,000 pages takes a few minutes (each goes through Wagtail's page tree). It is a
measurement, not a test: it never fails a build because the machine was busy.
"""

import os
import shutil
import statistics
import sys
import time as clock
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = ROOT / "var" / "bench-directory"
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{WORK_DIR / 'db.sqlite3'}"

REQUESTS = [
    ("no filter", {}),
    ("available this week, soonest first", {"dispo": "semaine", "tri": "dispo"}),
    ("place 69002, by price", {"lieu": "69002", "tri": "prix"}),
    ("search 'naturo'", {"q": "naturo"}),
]
CITIES = [("Lyon", "69003"), ("Villeurbanne", "69100"), ("Paris", "75011"), ("Nantes", "44000")]
RUNS = 15


def practitioners_add(directory, start: int, count: int, disciplines) -> None:
    from django.utils import timezone

    from booking.models import Practitioner
    from cms.models import PractitionerPage, PractitionerService

    now = timezone.now()
    for number in range(start, start + count):
        city, postcode = CITIES[number % len(CITIES)]
        page = PractitionerPage(
            title=f"Praticienne {number:05d}",
            headline="Accompagnement bienveillant",
            biography="<p>Praticienne depuis dix ans.</p>",
            city=city,
            postcode=postcode,
            street_address="3 place Bellecour",
            offers_office=True,
            offers_video=number % 3 == 0,
            live=True,
        )
        page.disciplines = [disciplines[number % len(disciplines)]]
        directory.add_child(instance=page)
        PractitionerService.objects.create(
            page=page,
            name="Séance",
            duration_minutes=60,
            price=Decimal(40 + number % 60),
            mode="cabinet",
        )
        Practitioner.objects.create(
            page=page,
            next_free_start=now + timedelta(hours=2 + number % 200),
            next_free_refreshed_at=now,
        )
        if (number + 1) % 500 == 0:
            print(f"  {number + 1} pages…", flush=True)


def measure(client, params) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/praticiens/", params)  # warm-up (renditions, caches)
    times = []
    for _ in range(RUNS):
        started = clock.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/praticiens/", params)
        times.append(clock.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return statistics.median(times) * 1000, len(queries)


def main(sizes: list[int]) -> None:
    shutil.rmtree(WORK_DIR, ignore_errors=True)
    WORK_DIR.mkdir(parents=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from cms.models import Discipline
    from tests.factories import site_tree_create

    call_command("migrate", verbosity=0)
    directory = site_tree_create()["directory"]
    disciplines = [
        Discipline.objects.create(name=name, slug=name.lower(), synonyms=synonyms)
        for name, synonyms in [("Naturopathie", "naturo"), ("Sophrologie", "sophro"), ("Yoga", "")]
    ]
    client = Client()
    built = 0
    for size in sizes:
        print(f"Building {size} practitioners…", flush=True)
        practitioners_add(directory, built, size - built, disciplines)
        built = size
        print(f"\n{size} practitioners (page of 12 cards), median of {RUNS} requests:")
        for label, params in REQUESTS:
            milliseconds, queries = measure(client, params)
            print(f"  {label:<40} {milliseconds:7.1f} ms  {queries:3d} queries")
    shutil.rmtree(WORK_DIR, ignore_errors=True)


if __name__ == "__main__":
    main(sorted(int(arg) for arg in sys.argv[1:]) or [60, 5000])
