"""seed_booking_demo makes every live practitioner bookable, once, without accounts."""

from datetime import datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from booking.models import Practitioner
from booking.selectors import practitioner_next_free_slot
from tests.factories import bookable_practitioner_create, practitioner_create


def run():
    out = StringIO()
    call_command("seed_booking_demo", stdout=out)
    return out.getvalue()


def test_seed_makes_live_practitioners_bookable_once(directory):
    pages = [practitioner_create(directory, title=f"Praticien {n}") for n in range(5)]
    draft = practitioner_create(directory, title="Brouillon", live=False)
    already = bookable_practitioner_create(directory, title="Déjà réservable", buffer_minutes=5)
    users_before = get_user_model().objects.count()

    assert "5" in run()

    seeded = Practitioner.objects.filter(page__in=pages)
    assert seeded.count() == 5
    assert not Practitioner.objects.filter(page=draft).exists()
    # Varied rules, hours and exceptions, and each one offers slots.
    assert len({p.slot_step_minutes for p in seeded}) > 1
    for practitioner in seeded:
        assert practitioner.opening_hours.exists()
        assert practitioner.days_off.count() == 1
        assert practitioner.special_hours.get().date.weekday() == 6
        service = practitioner.page.services.first()
        assert practitioner_next_free_slot(practitioner=practitioner, service=service)
    already.refresh_from_db()
    assert already.buffer_minutes == 5 and already.special_hours.count() == 0

    assert "Rien à créer" in run()
    assert Practitioner.objects.count() == 6
    assert get_user_model().objects.count() == users_before


def test_embedded_demo_gets_a_practitioner_and_a_client_account_once(directory, settings):
    from staff.models import PractitionerAccount

    settings.DEMO_MODE = True
    practitioner_create(directory, title="Léa Perrin")
    output = run()
    assert "praticien@example.com" in output and "client@example.com" in output

    User = get_user_model()
    practitioner_user = User.objects.get(email="praticien@example.com")
    account = PractitionerAccount.objects.get(user=practitioner_user)
    assert account.page.title == "Léa Perrin"
    assert practitioner_user.check_password("demo-praticien-2026")
    assert User.objects.get(email="client@example.com").is_active

    run()
    assert (
        User.objects.filter(email__in=["praticien@example.com", "client@example.com"]).count() == 2
    )
    assert PractitionerAccount.objects.count() == 1


# Any day of the week may be "today"; two of them just after a change of the clocks.
@pytest.mark.parametrize(
    "today", ["2027-03-29T10:00:00+00:00", "2027-11-07T07:00:00+00:00", "2027-06-16T12:00:00+00:00"]
)
def test_seed_creates_past_appointments_to_mark_once_and_sends_nothing(
    directory, mailoutbox, today
):
    from datetime import timedelta

    from booking.models import Appointment, AppointmentStatus

    pages = [practitioner_create(directory, title=f"Praticien {n}") for n in range(4)]
    already = bookable_practitioner_create(directory, title="Déjà réservable")
    with time_machine.travel(today, tick=False):
        run()

    now = datetime.fromisoformat(today)
    for practitioner in Practitioner.objects.filter(page__in=pages):
        past = list(practitioner.appointments.order_by("start"))
        statuses = [a.status for a in past]
        # Some awaiting a mark (the most recent), some marked already; all in the last 14 days.
        assert statuses[-2:] == [AppointmentStatus.CONFIRMED] * 2
        assert AppointmentStatus.DONE in statuses[:-2]
        assert len(past) == 5
        assert all(now - timedelta(days=15) < a.start and a.end < now for a in past)
        # On the practitioner's hours, for their own client records.
        hours = {(h.weekday, h.start) for h in practitioner.opening_hours.all()}
        for appointment in past:
            local = appointment.start.astimezone(practitioner.tz)
            assert (local.weekday(), local.time()) in hours
            assert appointment.client_record.practitioner == practitioner
            assert appointment.client is None
    assert not already.appointments.exists()
    assert mailoutbox == []

    count = Appointment.objects.count()
    with time_machine.travel(now + timedelta(days=1), tick=False):  # a run the next day
        run()
    assert Appointment.objects.count() == count


def test_the_demo_practitioner_can_mark_a_seeded_past_appointment(directory, settings, client):
    from django.urls import reverse

    from booking.models import AppointmentStatus
    from tests.factories import otp_login

    settings.DEMO_MODE = True
    practitioner_create(directory, title="Léa Perrin")
    run()
    user = get_user_model().objects.get(email="praticien@example.com")
    otp_login(client, user)
    awaiting = Practitioner.objects.get().appointments.filter(status="confirmed").last()
    response = client.post(
        reverse("practitioner:appointment_mark", args=[awaiting.reference]), {"status": "done"}
    )
    assert response.status_code == 302
    awaiting.refresh_from_db()
    assert awaiting.status == AppointmentStatus.DONE


def test_the_embedded_demo_keeps_the_newest_profiles_closed_for_onboarding(directory, settings):
    settings.DEMO_MODE = True
    pages = [practitioner_create(directory, title=f"Praticien {n}") for n in range(5)]

    run()
    run()

    opened = set(Practitioner.objects.values_list("page_id", flat=True))
    assert opened == {page.pk for page in pages[:3]}
