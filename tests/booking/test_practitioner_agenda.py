"""The agenda: day and week views on the practitioner's frozen_clock, their appointments only."""

from datetime import UTC, datetime

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
    soup = BeautifulSoup(content, "html.parser")
    return soup.find(id=f"jour-{day}").find_parent("section")


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

    response = client.get(AGENDA, {"semaine": "2026-03-26"})
    assert response.status_code == 200
    assert_valid_accessible_html(response.content)
    # The week runs Monday 23 to Sunday 29: Monday 30 belongs to the next one.
    assert "10:00" in day_section(response.content, "2026-03-28").get_text()
    assert "10:00" in day_section(response.content, "2026-03-29").get_text()
    assert BeautifulSoup(response.content, "html.parser").find(id="jour-2026-03-30") is None

    following = client.get(AGENDA, {"semaine": "2026-03-30"})
    monday = day_section(following.content, "2026-03-30").get_text()
    assert "10:00" in monday and "11:00" in monday
    assert "08:00" not in monday and "09:00" not in monday


def test_day_of_the_october_change_lists_appointments_on_the_local_clock(client, own, frozen_clock):
    frozen_clock.move_to(datetime(2026, 10, 20, 12, 0, tzinfo=UTC))
    claire = client_create()
    # 25 October 2026 lasts 25 hours in Paris: 09:00 is 08:00 UTC, 18:00 is 17:00 UTC.
    appointment_insert(own, claire, paris(2026, 10, 25, 9))
    appointment_insert(own, claire, paris(2026, 10, 25, 17))
    appointment_insert(own, claire, paris(2026, 10, 26, 0, 30))  # the next day, just after midnight

    response = client.get(AGENDA, {"jour": "2026-10-25"})
    text = day_section(response.content, "2026-10-25").get_text()
    assert "09:00" in text and "17:00" in text
    assert "00:30" not in text
    assert "00:30" in client.get(AGENDA, {"jour": "2026-10-26"}).content.decode()


def test_agenda_shows_only_the_practitioners_own_appointments(client, own, other):
    mine = client_create(email="mine@example.com")
    theirs = client_create(email="theirs@example.com")
    mine.first_name, mine.last_name = "Alice", "Durand"
    mine.save()
    theirs.first_name, theirs.last_name = "Bernard", "Secret"
    theirs.save()
    appointment_insert(own, mine, paris(2027, 3, 2, 10))
    appointment_insert(other, theirs, paris(2027, 3, 2, 11))

    for params in ({"jour": "2027-03-02"}, {"semaine": "2027-03-01"}):
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
    response = client.get(AGENDA, {"jour": "2027-03-02"})
    text = day_section(response.content, "2027-03-02").get_text(" ")
    assert "14:00" in text and "Première consultation" in text
    assert "Claire Dupont" in text and "Annulé" in text
    assert "09:00" in text and "Dentiste" in text
    # Chronological: the blocked morning comes before the afternoon appointment.
    assert text.index("Dentiste") < text.index("Première consultation")


def test_default_view_is_today_with_previous_and_next_links(client, own, frozen_clock):
    frozen_clock.move_to(datetime(2027, 3, 3, 10, 0, tzinfo=UTC))
    response = client.get(AGENDA)
    soup = assert_valid_accessible_html(response.content)
    assert "mercredi 3 mars 2027" in soup.h1.get_text().lower()
    hrefs = {a.get("href") for a in soup.find_all("a")}
    assert "?jour=2027-03-02" in hrefs and "?jour=2027-03-04" in hrefs
    week = client.get(AGENDA, {"semaine": "2027-03-03"})
    hrefs = {a.get("href") for a in BeautifulSoup(week.content, "html.parser").find_all("a")}
    assert "?semaine=2027-02-22" in hrefs and "?semaine=2027-03-08" in hrefs


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
