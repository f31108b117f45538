"""The agenda: day and week views on the practitioner's frozen_clock, their appointments only."""

from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from booking.models import AppointmentStatus
from tests.booking.booking_helpers import paris
from tests.booking.practitioner_helpers import appointment_insert, sign_in_again
from tests.factories import bookable_practitioner_create, client_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db

AGENDA = reverse("practitioner:agenda")


def day_section(content: bytes, day: str):
    """The day's column of the grid."""
    soup = BeautifulSoup(content, "html.parser")
    return soup.find(id=f"jour-{day}").find_parent("section")


def list_section(content: bytes, day: str):
    """The day's table in the list alternative."""
    soup = BeautifulSoup(content, "html.parser")
    return soup.find(id=f"liste-{day}").find_parent("section")


def appointment_times(content: bytes, day: str) -> list[str]:
    """The times of the appointments on the day's column, as the grid shows them."""
    return [
        link.find(class_="agenda-entry__time").get_text(strip=True)
        for link in day_section(content, day).select("a.agenda-entry__link")
    ]


@pytest.fixture
def other(directory):
    return bookable_practitioner_create(directory, title="Dominique Autre")


def test_week_across_the_march_change_shows_appointments_at_their_local_hours(
    client, own, frozen_clock
):
    frozen_clock.move_to(datetime(2026, 3, 20, 12, 0, tzinfo=UTC))
    claire = client_create()
    # Saturday before the change (UTC+1), Sunday of the change, and Monday after it (UTC+2).
    appointment_insert(own, claire, paris(2026, 3, 28, 10))
    appointment_insert(own, claire, paris(2026, 3, 29, 10))
    appointment_insert(own, claire, paris(2026, 3, 30, 10))

    response = client.get(AGENDA, {"vue": "semaine", "date": "2026-03-26"})
    assert response.status_code == 200
    assert_valid_accessible_html(response.content)
    # The week runs Monday 23 to Sunday 29: Monday 30 belongs to the next one.
    assert appointment_times(response.content, "2026-03-28") == ["10:00\u201311:00"]
    assert appointment_times(response.content, "2026-03-29") == ["10:00\u201311:00"]
    assert BeautifulSoup(response.content, "html.parser").find(id="jour-2026-03-30") is None

    following = client.get(AGENDA, {"vue": "semaine", "date": "2026-03-30"})
    assert appointment_times(following.content, "2026-03-30") == ["10:00\u201311:00"]
    assert "10:00" in list_section(following.content, "2026-03-30").get_text()


def test_day_of_the_october_change_lists_appointments_on_the_local_clock(client, own, frozen_clock):
    frozen_clock.move_to(datetime(2026, 10, 20, 12, 0, tzinfo=UTC))
    claire = client_create()
    # 25 October 2026 lasts 25 hours in Paris: 09:00 is 08:00 UTC, 18:00 is 17:00 UTC.
    appointment_insert(own, claire, paris(2026, 10, 25, 9))
    appointment_insert(own, claire, paris(2026, 10, 25, 17))
    appointment_insert(own, claire, paris(2026, 10, 26, 0, 30))  # the next day, just after midnight

    response = client.get(AGENDA, {"vue": "jour", "date": "2026-10-25"})
    times = appointment_times(response.content, "2026-10-25")
    assert times == ["09:00\u201310:00", "17:00\u201318:00"]
    next_day = client.get(AGENDA, {"vue": "jour", "date": "2026-10-26"})
    assert appointment_times(next_day.content, "2026-10-26") == ["00:30\u201301:30"]


def test_agenda_shows_only_the_practitioners_own_appointments(client, own, other):
    mine = client_create(email="mine@example.com")
    theirs = client_create(email="theirs@example.com")
    mine.first_name, mine.last_name = "Alice", "Durand"
    mine.save()
    theirs.first_name, theirs.last_name = "Bernard", "Secret"
    theirs.save()
    appointment_insert(own, mine, paris(2027, 3, 2, 10))
    appointment_insert(other, theirs, paris(2027, 3, 2, 11))

    for params in ({"vue": "jour", "date": "2027-03-02"}, {"vue": "semaine", "date": "2027-03-01"}):
        content = client.get(AGENDA, params).content.decode()
        assert "Alice Durand" in content
        assert "Bernard" not in content and "Secret" not in content


def test_agenda_lists_time_service_client_and_status_and_blocked_ranges(client, own):
    from booking.services import blocked_range_create

    claire = client_create()
    appointment = appointment_insert(own, claire, paris(2027, 3, 2, 14))
    appointment.status = AppointmentStatus.CANCELLED
    appointment.save()
    blocked_range_create(
        practitioner=own, start=paris(2027, 3, 2, 9), end=paris(2027, 3, 2, 10), reason="Dentiste"
    )
    response = client.get(AGENDA, {"vue": "jour", "date": "2027-03-02"})
    for section in (day_section, list_section):
        text = section(response.content, "2027-03-02").get_text(" ")
        assert "14:00" in text and "Première consultation" in text
        assert "Claire Dupont" in text and "annulé" in text.lower()
        assert "09:00" in text and "Dentiste" in text
        # Chronological: the blocked morning comes before the afternoon appointment.
        assert text.index("Dentiste") < text.index("Première consultation")
    assert "Annulé" in list_section(response.content, "2027-03-02").get_text()


def test_default_view_is_this_week_with_previous_and_next_links(client, own, frozen_clock):
    frozen_clock.move_to(datetime(2027, 3, 3, 10, 0, tzinfo=UTC))
    response = client.get(AGENDA)
    soup = assert_valid_accessible_html(response.content)
    assert "semaine du 1 mars au 7 mars 2027" in soup.h1.get_text().lower()
    assert "agenda-col--today" in soup.find(id="jour-2027-03-03").parent["class"]
    hrefs = {a.get("href") for a in soup.find_all("a")}
    assert "?vue=semaine&date=2027-02-22" in hrefs and "?vue=semaine&date=2027-03-08" in hrefs
    assert "?vue=jour&date=2027-03-03" in hrefs  # the day view opens on today
    day = client.get(AGENDA, {"vue": "jour", "date": "2027-03-03"})
    soup = assert_valid_accessible_html(day.content)
    assert "mercredi 3 mars 2027" in soup.h1.get_text().lower()
    hrefs = {a.get("href") for a in soup.find_all("a")}
    assert "?vue=jour&date=2027-03-02" in hrefs and "?vue=jour&date=2027-03-04" in hrefs


def test_older_day_and_week_addresses_still_work(client, own):
    appointment_insert(own, client_create(), paris(2027, 3, 2, 10))
    day = client.get(AGENDA, {"jour": "2027-03-02"})
    assert "mardi 2 mars 2027" in BeautifulSoup(day.content, "html.parser").h1.get_text().lower()
    assert appointment_times(day.content, "2027-03-02") == ["10:00\u201311:00"]
    week = client.get(AGENDA, {"semaine": "2027-03-03"})
    assert appointment_times(week.content, "2027-03-02") == ["10:00\u201311:00"]


@pytest.mark.parametrize(
    "params",
    [
        {"jour": "abc"},
        {"jour": "2026-02-30"},
        {"jour": "2026-1-1"},
        {"jour": ""},
        {"jour": "9999-12-31"},
        {"semaine": "0001-01-01"},
        {"semaine": "2026-13-01"},
        {"semaine": "\uff12\uff10\uff12\uff16-01-01"},  # full-width digits
        {"jour": "2026-03-01T00:00"},
        {"vue": "jour", "date": "2026-02-30"},
        {"vue": "semaine", "date": "2101-01-01"},
        {"vue": "semaine", "date": "1999-12-31"},
        {"vue": "semaine", "date": "9" * 40},
        {"date": "demain"},
    ],
)
def test_malformed_dates_get_a_clear_400(client, own, params):
    response = client.get(AGENDA, params)
    assert response.status_code == 400
    assert "AAAA-MM-JJ" in response.content.decode()
    assert_valid_accessible_html(response.content)


def test_appointment_detail_shows_the_clients_contact_details(client, own):
    claire = client_create()
    claire.phone = "+33 6 12 34 56 78"
    claire.save()
    appointment = appointment_insert(own, claire, paris(2027, 3, 2, 10))
    response = client.get(reverse("practitioner:appointment", args=[appointment.reference]))
    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    text = soup.get_text(" ")
    assert "Claire Dupont" in text and "client@example.com" in text
    assert "+33 6 12 34 56 78" in text
    assert "10:00" in soup.h1.get_text()


def test_another_practitioners_appointment_is_404_and_unchanged(client, own, other, frozen_clock):
    theirs = appointment_insert(other, client_create(), paris(2027, 3, 2, 10))
    reference = theirs.reference
    assert client.get(reverse("practitioner:appointment", args=[reference])).status_code == 404
    cancel = client.post(
        reverse("practitioner:appointment_cancel", args=[reference]), {"reason": "Malade"}
    )
    assert cancel.status_code == 404
    frozen_clock.move_to(datetime(2027, 3, 2, 12, 0, tzinfo=UTC))  # after its start
    sign_in_again(client, own)
    mark = client.post(
        reverse("practitioner:appointment_mark", args=[reference]), {"status": "done"}
    )
    assert mark.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == AppointmentStatus.CONFIRMED


def test_unknown_or_malformed_references_are_404(client, own):
    assert client.get("/espace-praticien/rendez-vous/pas-un-uuid/").status_code == 404
    unknown = reverse("practitioner:appointment", args=["6f1c1b1e-0000-4000-8000-000000000000"])
    assert client.get(unknown).status_code == 404


# --- The time grid, its list alternative and the past -----------------------------------------


@pytest.mark.parametrize(
    "params",
    [{"vue": "mois"}, {"vue": ""}, {"affichage": "tableau"}, {"vue": "jour", "affichage": ""}],
)
def test_unknown_view_or_display_is_a_clear_400(client, own, params):
    response = client.get(AGENDA, params)
    assert response.status_code == 400
    assert "« semaine » ou « jour »" in response.content.decode()
    assert_valid_accessible_html(response.content)


def test_each_appointment_is_a_link_to_its_page_labelled_with_time_and_client(client, own):
    appointment = appointment_insert(own, client_create(), paris(2027, 3, 2, 10))
    response = client.get(AGENDA, {"vue": "semaine", "date": "2027-03-01"})
    (link,) = day_section(response.content, "2027-03-02").select("a.agenda-entry__link")
    assert link["href"] == reverse("practitioner:appointment", args=[appointment.reference])
    assert link["aria-label"] == "10:00\u201311:00, Claire Dupont, Première consultation, confirmé"
    # Placed on the rows of 10:00-11:00 (line 1 is 09:00, one row per quarter of an hour).
    assert {"ag-s-5", "ag-e-9"} <= set(link.parent["class"])


def test_the_grid_shows_opening_hours_free_gaps_blocked_ranges_and_days_off(client, own):
    from booking.models import DayOff
    from booking.services import blocked_range_create

    DayOff.objects.create(practitioner=own, date=date(2027, 3, 4), reason="Formation")
    blocked_range_create(
        practitioner=own, start=paris(2027, 3, 3, 9), end=paris(2027, 3, 3, 12), reason="Dentiste"
    )
    appointment_insert(own, client_create(), paris(2027, 3, 3, 14))
    response = client.get(AGENDA, {"vue": "semaine", "date": "2027-03-01"})
    wednesday = day_section(response.content, "2027-03-03")
    assert len(wednesday.select(".agenda-open")) == 2
    assert "Dentiste" in wednesday.select_one(".agenda-entry--blocked").get_text()
    free = [li.get_text(" ", strip=True) for li in wednesday.select(".agenda-entry--free")]
    assert free == ["Libre 15:00 \u2013 18:00"]
    thursday = day_section(response.content, "2027-03-04")
    assert "Jour de fermeture : Formation" in thursday.select_one(".agenda-closed").get_text()
    assert not thursday.select(".agenda-open") and not thursday.select(".agenda-entry--free")
    assert "Fermé" in day_section(response.content, "2027-03-07").get_text()
    listed = list_section(response.content, "2027-03-04").get_text(" ")
    assert "Jour de fermeture : Formation" in listed


def test_the_list_is_read_by_screen_readers_and_shown_on_request(client, own):
    appointment_insert(own, client_create(), paris(2027, 3, 2, 10))
    grid = BeautifulSoup(client.get(AGENDA).content, "html.parser")
    listing = grid.select_one("[data-agenda-list]")
    # Visually hidden (still in the accessibility tree), not hidden.
    assert "visually-hidden" in listing["class"] and not listing.has_attr("hidden")
    assert "Claire Dupont" in listing.get_text()
    toggle = grid.select_one('[data-agenda-show="list"]')
    assert toggle["href"] == "?vue=semaine&date=2027-03-01&affichage=liste"

    response = client.get(AGENDA, {"vue": "semaine", "date": "2027-03-01", "affichage": "liste"})
    soup = assert_valid_accessible_html(response.content)
    assert "agenda--list" in soup.select_one("[data-agenda]")["class"]
    assert "visually-hidden" not in soup.select_one("[data-agenda-list]")["class"]
    assert soup.select_one('[data-agenda-show="list"]')["aria-current"] == "page"
    # The navigation keeps the display chosen.
    assert soup.find("a", rel="next")["href"] == "?vue=semaine&date=2027-03-08&affichage=liste"
    # One heading per day in each: h2 on the grid, h3 in the list under its own h2.
    assert len(soup.select(".agenda-col h2")) == 7 and len(soup.select(".agenda-list h3")) == 7


def test_the_agenda_loads_its_own_stylesheet_and_script(client, own):
    from django.conf import settings
    from django.contrib.staticfiles import finders

    soup = BeautifulSoup(client.get(AGENDA).content, "html.parser")
    assert soup.find("link", href=settings.STATIC_URL + "css/agenda.css")
    script = soup.find("script", src=settings.STATIC_URL + "js/agenda.js")
    assert script and script.has_attr("defer")
    assert finders.find("css/agenda.css") and finders.find("js/agenda.js")
    # No inline style: the Content-Security-Policy would block it.
    assert not soup.select("[style]")


def test_query_count_does_not_grow_with_appointments(client, own):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from booking.models import ClientRecord

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(AGENDA, {"vue": "semaine", "date": "2027-03-08"}).status_code == 200
        return len(captured)

    queries()  # warms the caches of the first request (site, settings, content types)
    record = ClientRecord.objects.create(practitioner=own, first_name="Rémi", last_name="Roux")
    appointment = appointment_insert(own, None, paris(2027, 3, 9, 10))
    appointment.client_record = record
    appointment.save()
    appointment_insert(own, client_create(), paris(2027, 3, 9, 14))
    few = queries()
    for n in range(6):
        record = ClientRecord.objects.create(practitioner=own, first_name=f"P{n}", last_name="R")
        appointment = appointment_insert(own, None, paris(2027, 3, 10 + n % 3, 9 + n))
        appointment.client_record = record
        appointment.save()
        appointment_insert(own, client_create(f"c{n}@example.com"), paris(2027, 3, 13, 9 + n))
    assert queries() == few


def test_the_agenda_reaches_2100_and_stops_there(client, own):
    response = client.get(AGENDA, {"vue": "semaine", "date": "2100-12-31"})
    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    assert not soup.find("a", rel="next") and not soup.find("a", rel="prev")


def test_a_confirmed_appointment_of_last_week_can_be_marked_from_the_agenda(
    client, own, frozen_clock
):
    past = appointment_insert(own, client_create(), paris(2027, 2, 23, 10))  # a week ago
    week = client.get(AGENDA, {"vue": "semaine", "date": "2027-02-22"})
    (link,) = day_section(week.content, "2027-02-23").select("a.agenda-entry__link")
    assert link["aria-label"].endswith("confirmé")
    page = client.get(link["href"])
    assert_valid_accessible_html(page.content)
    assert reverse("practitioner:appointment_mark", args=[past.reference]) in page.content.decode()

    for status, label in (("no_show", "absence"), ("done", "honoré")):
        mark = client.post(
            reverse("practitioner:appointment_mark", args=[past.reference]), {"status": status}
        )
        assert mark.status_code == 302
        past.refresh_from_db()
        assert past.status == status
        week = client.get(AGENDA, {"vue": "semaine", "date": "2027-02-22"})
        (link,) = day_section(week.content, "2027-02-23").select("a.agenda-entry__link")
        assert link["aria-label"].endswith(label)
