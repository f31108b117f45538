"""Staff see appointments read-only in the Wagtail admin, and each opening is logged."""

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission

from booking.models import AppointmentAccessLog
from booking.services import appointment_book
from tests.booking.booking_helpers import NOW, paris
from tests.factories import bookable_practitioner_create, client_create, otp_login

LIST_URL = "/admin/booking/appointment/"


@pytest.fixture
def appointment(directory):
    practitioner = bookable_practitioner_create(directory)
    with time_machine.travel(NOW, tick=False):
        return appointment_book(
            practitioner=practitioner,
            service=practitioner.page.services.get(),
            start=paris(2027, 3, 4, 10),
            client=client_create(),
        )


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(
        email="admin@example.com", password="x", first_name="Ada", last_name="Admin"
    )


@pytest.fixture
def editor(db):
    user = client_create(email="editeur@example.com")
    user.is_staff = True
    user.save()
    editors = Group.objects.get(name="Editors")
    user.groups.add(editors)
    return user


def inspect_url(appointment):
    return f"{LIST_URL}inspect/{appointment.pk}/"


def test_opening_an_appointment_in_the_admin_writes_one_access_log(client, superuser, appointment):
    otp_login(client, superuser)

    response = client.get(inspect_url(appointment))

    assert response.status_code == 200
    assert "Première consultation" in response.content.decode()
    log = AppointmentAccessLog.objects.get()
    assert (log.appointment, log.user, log.action) == (appointment, superuser, "inspect")


def test_the_list_is_not_logged_and_shows_no_client(client, superuser, appointment):
    otp_login(client, superuser)

    response = client.get(LIST_URL, {"status": "confirmed"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Camille Martin" in page
    assert "client@example.com" not in page
    assert not AppointmentAccessLog.objects.exists()


def test_appointments_cannot_be_created_edited_or_deleted_in_the_admin(
    client, superuser, appointment
):
    otp_login(client, superuser)

    for url in (
        f"{LIST_URL}create/",
        f"{LIST_URL}edit/{appointment.pk}/",
        f"{LIST_URL}delete/{appointment.pk}/",
    ):
        # Wagtail answers a refused permission with a redirect to the dashboard.
        for response in (client.get(url), client.post(url, {})):
            assert (response.status_code, response["Location"]) == (302, "/admin/")
    appointment.refresh_from_db()
    assert appointment.status == "confirmed"


def test_an_editor_is_refused(client, editor, appointment):
    assert not Permission.objects.filter(
        group__name="Editors", codename="view_appointment"
    ).exists()
    otp_login(client, editor)

    assert client.get("/admin/").status_code == 200  # signed in to the admin...
    for url in (LIST_URL, inspect_url(appointment)):  # ...but refused the appointments
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not AppointmentAccessLog.objects.exists()


def test_staff_with_the_view_permission_may_inspect(client, editor, appointment):
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="booking", codename="view_appointment")
    )
    otp_login(client, editor)

    assert client.get(inspect_url(appointment)).status_code == 200
    assert AppointmentAccessLog.objects.get().user == editor
