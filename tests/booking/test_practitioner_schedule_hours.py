"""Weekly hours copied from one day to others, and the time-zone choice of the booking rules."""

from datetime import time

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from booking.exceptions import ChangeNotAllowed
from booking.models import OpeningHours
from booking.services.schedule import opening_hours_copy
from tests.booking.practitioner_helpers import practitioner_user_create
from tests.factories import bookable_practitioner_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY, WEDNESDAY, SATURDAY, SUNDAY = 0, 1, 2, 5, 6


def hours_of(practitioner, weekday: int) -> list[tuple[time, time]]:
    return [
        (row.start, row.end)
        for row in OpeningHours.objects.filter(practitioner=practitioner, weekday=weekday).order_by(
            "start"
        )
    ]


def copy_post(client, from_weekday, *to_weekdays):
    return client.post(
        reverse("practitioner:opening_hours_copy"),
        {
            "copie-from_weekday": str(from_weekday),
            "copie-to_weekdays": [str(d) for d in to_weekdays],
        },
    )


# --- Copying a day's hours --------------------------------------------------------------------


def test_the_hours_page_offers_the_copy_form_without_script(client, own):
    response = client.get(reverse("practitioner:hours"))
    assert response.status_code == 200
    assert_valid_accessible_html(response.content)
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("form", action=reverse("practitioner:opening_hours_copy"))
    assert form is not None and form["method"] == "post"
    boxes = form.find_all("input", attrs={"type": "checkbox", "name": "copie-to_weekdays"})
    assert len(boxes) == 7
    assert "Mardi" in form.get_text()


def test_copying_monday_to_other_days_replaces_their_hours_only(client, own, directory):
    OpeningHours.objects.filter(practitioner=own, weekday=MONDAY).delete()
    OpeningHours.objects.create(
        practitioner=own, weekday=MONDAY, start=time(8, 30), end=time(12, 30)
    )
    other = bookable_practitioner_create(directory, title="Dominique Autre")
    before_other = list(other.opening_hours.values_list("weekday", "start", "end"))
    before_wednesday = hours_of(own, WEDNESDAY)

    response = copy_post(client, MONDAY, TUESDAY, SUNDAY)

    assert response.status_code == 302
    assert hours_of(own, TUESDAY) == [(time(8, 30), time(12, 30))]
    assert hours_of(own, SUNDAY) == [(time(8, 30), time(12, 30))]
    assert hours_of(own, MONDAY) == [(time(8, 30), time(12, 30))]
    assert hours_of(own, WEDNESDAY) == before_wednesday  # not ticked: untouched
    assert list(other.opening_hours.values_list("weekday", "start", "end")) == before_other
    assert "Horaires copiés" in client.get(reverse("practitioner:hours")).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"copie-from_weekday": "0"}, "Cochez au moins un jour"),
        ({"copie-from_weekday": "0", "copie-to_weekdays": ["0"]}, "autre jour que le jour copié"),
        ({"copie-from_weekday": "9", "copie-to_weekdays": ["1"]}, "Sélectionnez un choix valide"),
        ({"copie-from_weekday": "0", "copie-to_weekdays": ["lundi"]}, "Sélectionnez un choix"),
        ({"copie-to_weekdays": ["1"]}, "Champ requis"),
    ],
)
def test_bad_copies_are_a_400_with_a_message_and_change_nothing(client, own, data, message):
    before = list(own.opening_hours.values_list("weekday", "start", "end"))
    response = client.post(reverse("practitioner:opening_hours_copy"), data)
    assert response.status_code == 400
    assert_valid_accessible_html(response.content)
    assert message in response.content.decode()
    assert list(own.opening_hours.values_list("weekday", "start", "end")) == before


def test_copying_a_day_without_hours_is_refused_rather_than_wiping_the_others(client, own):
    before = list(own.opening_hours.values_list("weekday", "start", "end"))
    response = copy_post(client, SUNDAY, MONDAY, TUESDAY)  # Sunday is closed
    assert response.status_code == 400
    assert "rien à copier" in response.content.decode()
    assert list(own.opening_hours.values_list("weekday", "start", "end")) == before


def test_a_copied_time_the_clocks_skip_on_the_target_day_is_refused_atomically(client, own):
    """Saturday 02:00-03:00 is fine; on Sundays in March, 02:30 does not exist in Paris."""
    OpeningHours.objects.create(
        practitioner=own, weekday=SATURDAY, start=time(1, 0), end=time(2, 30)
    )
    before = list(own.opening_hours.values_list("weekday", "start", "end"))
    response = copy_post(client, SATURDAY, MONDAY, SUNDAY)
    assert response.status_code == 400
    assert "changement d&#x27;heure" in response.content.decode()
    assert list(own.opening_hours.values_list("weekday", "start", "end")) == before


def test_only_the_practitioners_own_account_may_copy(own, directory):
    other = bookable_practitioner_create(directory, title="Dominique Autre")
    intruder = practitioner_user_create(other, "dominique@praticien.example")
    before = list(own.opening_hours.values_list("weekday", "start", "end"))
    with pytest.raises(ChangeNotAllowed):
        opening_hours_copy(practitioner=own, from_weekday=MONDAY, to_weekdays=[SUNDAY], by=intruder)
    assert list(own.opening_hours.values_list("weekday", "start", "end")) == before


def test_the_copy_needs_a_signed_in_practitioner(client, own):
    client.logout()
    response = copy_post(client, MONDAY, SUNDAY)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert hours_of(own, SUNDAY) == []
    assert client.get(reverse("practitioner:opening_hours_copy")).status_code in (302, 405)


# --- Time zones -------------------------------------------------------------------------------

FRENCH_FIRST = [
    "Europe/Paris",
    "America/Guadeloupe",
    "America/Martinique",
    "America/Cayenne",
    "Indian/Reunion",
    "Indian/Mayotte",
    "America/Miquelon",
    "Pacific/Noumea",
    "Pacific/Tahiti",
    "Pacific/Marquesas",
    "Pacific/Gambier",
    "Pacific/Wallis",
]


def test_the_french_zones_come_first_with_french_names_then_the_rest_grouped(client, own):
    response = client.get(reverse("practitioner:rules"))
    assert_valid_accessible_html(response.content)
    select = BeautifulSoup(response.content, "html.parser").find("select", id="id_timezone")
    groups = select.find_all("optgroup")
    assert groups[0]["label"] == "Zones françaises"
    french = [option["value"] for option in groups[0].find_all("option")]
    assert french[: len(FRENCH_FIRST)] == FRENCH_FIRST
    labels = {option["value"]: option.get_text() for option in groups[0].find_all("option")}
    assert labels["America/Guadeloupe"] == "Guadeloupe (America/Guadeloupe)"
    assert labels["Indian/Reunion"] == "La Réunion (Indian/Reunion)"
    assert labels["Europe/Paris"] == "France métropolitaine (Europe/Paris)"
    # The rest follows by region; no zone twice, and every other zone still there.
    names = [option["value"] for option in select.find_all("option")]
    assert len(names) == len(set(names)) > 400
    assert {"Europe", "Amériques", "Asie"} <= {group["label"] for group in groups[1:]}
    assert select.find("option", value="Europe/Paris").has_attr("selected")


def test_an_overseas_zone_is_saved_and_a_made_up_one_refused(client, own):
    data = {
        "timezone": "America/Martinique",
        "accepts_bookings": "on",
        "slot_step_minutes": "30",
        "buffer_minutes": "0",
        "min_notice_hours": "24",
        "horizon_days": "60",
        "cancellation_cutoff_hours": "24",
        "max_reschedules": "2",
    }
    assert client.post(reverse("practitioner:rules"), data).status_code == 302
    own.refresh_from_db()
    assert own.timezone == "America/Martinique"

    refused = client.post(reverse("practitioner:rules"), {**data, "timezone": "Mars/Olympus"})
    assert refused.status_code == 400
    assert "Sélectionnez un choix valide" in refused.content.decode()
    own.refresh_from_db()
    assert own.timezone == "America/Martinique"


def test_the_zone_names_follow_the_language(client, own):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("practitioner:rules"), HTTP_ACCEPT_LANGUAGE="en")
    select = BeautifulSoup(response.content, "html.parser").find("select", id="id_timezone")
    assert select.find("optgroup")["label"] == "French time zones"
    assert select.find("option", value="Indian/Reunion").get_text() == "Réunion (Indian/Reunion)"
