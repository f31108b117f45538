"""Booking settings of the practitioner area: rules, weekly hours, days off, special openings."""

from datetime import date, datetime, time

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from booking.models import DayOff, OpeningHours, SpecialHours
from booking.selectors import practitioner_free_slots
from booking.services import appointment_book
from booking.services.schedule import day_off_add
from tests.booking.booking_helpers import paris
from tests.booking.practitioner_helpers import hours_post
from tests.factories import bookable_practitioner_create, client_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db

RULES = {
    "timezone": "Europe/Paris",
    "accepts_bookings": "on",
    "slot_step_minutes": "30",
    "buffer_minutes": "0",
    "min_notice_hours": "24",
    "horizon_days": "60",
    "cancellation_cutoff_hours": "24",
    "max_reschedules": "2",
}


def starts(practitioner, day: date) -> list[datetime]:
    practitioner.refresh_from_db()
    return [
        slot.start
        for slot in practitioner_free_slots(
            practitioner=practitioner,
            service=practitioner.page.services.first(),
            first_day=day,
            last_day=day,
        )
    ]


# --- Rules ------------------------------------------------------------------------------------


def test_new_rules_apply_to_new_bookings_but_not_to_booked_snapshots(client, own):
    service = own.page.services.first()
    before = appointment_book(
        practitioner=own, service=service, start=paris(2027, 3, 2, 10), client=client_create()
    )
    response = client.post(
        reverse("practitioner:rules"),
        {
            **RULES,
            "cancellation_cutoff_hours": "48",
            "max_reschedules": "0",
            "slot_step_minutes": "60",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.cancellation_cutoff_hours, own.max_reschedules, own.slot_step_minutes) == (
        48,
        0,
        60,
    )

    before.refresh_from_db()
    assert before.rules_snapshot["cancellation_cutoff_hours"] == 24
    assert before.rules_snapshot["max_reschedules"] == 2
    after = appointment_book(
        practitioner=own,
        service=service,
        start=paris(2027, 3, 3, 10),
        client=client_create(email="autre@example.com"),
    )
    assert after.rules_snapshot["cancellation_cutoff_hours"] == 48
    # The new step: only whole hours are offered now.
    assert all(start.minute == 0 for start in starts(own, date(2027, 3, 4)))


def test_pausing_bookings_offers_no_slot(client, own):
    assert starts(own, date(2027, 3, 2))
    data = {key: value for key, value in RULES.items() if key != "accepts_bookings"}
    assert client.post(reverse("practitioner:rules"), data).status_code == 302
    assert starts(own, date(2027, 3, 2)) == []


@pytest.mark.parametrize(
    "change",
    [
        {"slot_step_minutes": "1"},
        {"slot_step_minutes": "abc"},
        {"horizon_days": "0"},
        {"horizon_days": "9999"},
        {"buffer_minutes": "-5"},
        {"max_reschedules": "11"},
        {"timezone": "Europe/Atlantis"},
        {"min_notice_hours": ""},
    ],
)
def test_invalid_rules_are_refused_and_change_nothing(client, own, change):
    response = client.post(reverse("practitioner:rules"), {**RULES, **change})
    assert response.status_code == 400
    assert_valid_accessible_html(response.content)
    own.refresh_from_db()
    assert (own.slot_step_minutes, own.horizon_days, own.timezone) == (30, 60, "Europe/Paris")
    assert (own.buffer_minutes, own.max_reschedules, own.min_notice_hours) == (0, 2, 24)


# --- Weekly hours -----------------------------------------------------------------------------


def test_hours_page_shows_the_weekly_hours_as_a_form(client, own):
    response = client.get(reverse("practitioner:hours"))
    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    assert soup.find("input", {"name": "horaires-0-start", "value": "09:00"})
    # Twelve ranges (six days, two each) and three empty rows to add more.
    assert soup.find("input", {"name": "horaires-TOTAL_FORMS"})["value"] == "15"


def test_weekly_hours_are_replaced_with_several_ranges_a_day(client, own):
    data = hours_post(
        [
            ("0", "08:00", "10:00"),
            ("0", "13:00", "15:00"),
            ("2", "09:00", "12:00"),
            ("", "", ""),  # an empty row is ignored
            ("4", "09:00", "12:00"),  # deleted
        ],
        deleted={4},
    )
    response = client.post(reverse("practitioner:opening_hours_save"), data)
    assert response.status_code == 302
    rows = list(own.opening_hours.values_list("weekday", "start", "end"))
    assert rows == [
        (0, time(8), time(10)),
        (0, time(13), time(15)),
        (2, time(9), time(12)),
    ]
    monday = [s.astimezone(own.tz).time() for s in starts(own, date(2027, 3, 8))]
    assert time(8) in monday and time(13) in monday and time(16) not in monday
    assert starts(own, date(2027, 3, 9)) == []  # Tuesday: closed now


@pytest.mark.parametrize(
    "rows",
    [
        [("0", "09:00", "12:00"), ("0", "11:00", "14:00")],  # overlap
        [("0", "12:00", "09:00")],  # end before start
        [("0", "09:00", "09:00")],  # empty range
        [("7", "09:00", "12:00")],  # no such weekday
        [("0", "9h", "12:00")],
    ],
)
def test_bad_weekly_hours_are_refused_and_change_nothing(client, own, rows):
    response = client.post(reverse("practitioner:opening_hours_save"), hours_post(rows))
    assert response.status_code == 400
    assert_valid_accessible_html(response.content)
    assert own.opening_hours.count() == 12


def test_a_tampered_formset_is_refused(client, own):
    data = hours_post([("0", "09:00", "12:00")])
    del data["horaires-TOTAL_FORMS"]
    response = client.post(reverse("practitioner:opening_hours_save"), data)
    assert response.status_code == 400
    assert own.opening_hours.count() == 12


# --- Days off and special openings ------------------------------------------------------------


def test_a_day_off_removes_the_days_slots_and_can_be_removed(client, own):
    assert starts(own, date(2027, 3, 3))
    response = client.post(
        reverse("practitioner:day_off_add"),
        {"fermeture-date": "2027-03-03", "fermeture-reason": "Congrès"},
    )
    assert response.status_code == 302
    assert starts(own, date(2027, 3, 3)) == []
    page = client.get(reverse("practitioner:hours"))
    assert "Congrès" in page.content.decode()

    day_off = DayOff.objects.get(practitioner=own)
    assert client.post(reverse("practitioner:day_off_remove", args=[day_off.pk])).status_code == 302
    assert starts(own, date(2027, 3, 3))


@pytest.mark.parametrize("value", ["2027-02-27", "2027-02-30", "demain", ""])
def test_bad_or_past_days_off_are_refused(client, own, value):
    response = client.post(reverse("practitioner:day_off_add"), {"fermeture-date": value})
    assert response.status_code == 400
    assert_valid_accessible_html(response.content)
    assert not DayOff.objects.exists()


def test_the_same_day_off_twice_is_refused(client, own):
    day_off_add(practitioner=own, day=date(2027, 3, 3))
    response = client.post(reverse("practitioner:day_off_add"), {"fermeture-date": "2027-03-03"})
    assert response.status_code == 400
    assert "déjà fermé" in response.content.decode()
    assert DayOff.objects.count() == 1


def test_a_special_opening_on_a_sunday_offers_its_slots(client, own):
    sunday = date(2027, 3, 7)
    assert starts(own, sunday) == []
    response = client.post(
        reverse("practitioner:special_hours_add"),
        {"ouverture-date": "2027-03-07", "ouverture-start": "10:00", "ouverture-end": "12:00"},
    )
    assert response.status_code == 302
    assert starts(own, sunday) == [
        paris(2027, 3, 7, 10),
        paris(2027, 3, 7, 10, 30),
        paris(2027, 3, 7, 11),
    ]

    overlapping = client.post(
        reverse("practitioner:special_hours_add"),
        {"ouverture-date": "2027-03-07", "ouverture-start": "11:00", "ouverture-end": "13:00"},
    )
    assert overlapping.status_code == 400
    assert SpecialHours.objects.count() == 1

    opening = SpecialHours.objects.get()
    assert (
        client.post(reverse("practitioner:special_hours_remove", args=[opening.pk])).status_code
        == 302
    )
    assert starts(own, sunday) == []


def test_another_practitioners_days_off_and_openings_cannot_be_removed(client, own, directory):
    other = bookable_practitioner_create(directory, title="Dominique Autre")
    day_off = DayOff.objects.create(practitioner=other, date=date(2027, 3, 3))
    opening = SpecialHours.objects.create(
        practitioner=other, date=date(2027, 3, 7), start=time(10), end=time(12)
    )
    assert client.post(reverse("practitioner:day_off_remove", args=[day_off.pk])).status_code == 404
    assert (
        client.post(reverse("practitioner:special_hours_remove", args=[opening.pk])).status_code
        == 404
    )
    assert DayOff.objects.filter(pk=day_off.pk).exists()
    assert SpecialHours.objects.filter(pk=opening.pk).exists()
    assert OpeningHours.objects.filter(practitioner=other).count() == 12


def test_clearing_a_row_of_the_page_form_removes_that_range(client, own):
    """Posts the form as the page renders it (initial rows included), with one row cleared."""
    soup = BeautifulSoup(client.get(reverse("practitioner:hours")).content, "html.parser")
    form = soup.find("form", action=reverse("practitioner:opening_hours_save"))
    data = {}
    for field in form.find_all(["input", "select"]):
        if field.get("type") == "checkbox":
            continue
        if field.name == "select":
            selected = field.find("option", selected=True)
            data[field["name"]] = selected["value"] if selected else ""
        else:
            data[field["name"]] = field.get("value", "")
    assert data["horaires-INITIAL_FORMS"] == "12"
    data |= {"horaires-0-weekday": "", "horaires-0-start": "", "horaires-0-end": ""}
    response = client.post(reverse("practitioner:opening_hours_save"), data)
    assert response.status_code == 302
    assert own.opening_hours.count() == 11
    assert not own.opening_hours.filter(weekday=0, start=time(9)).exists()


def test_a_half_filled_row_is_refused(client, own):
    response = client.post(
        reverse("practitioner:opening_hours_save"), hours_post([("0", "09:00", "")])
    )
    assert response.status_code == 400
    assert "Indiquez le jour" in response.content.decode()
    assert own.opening_hours.count() == 12
