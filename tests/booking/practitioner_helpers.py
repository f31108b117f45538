"""Helpers of the practitioner-area tests: a practitioner signed in with two factors."""

from collections.abc import Collection
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model

from booking.models import Appointment, Practitioner
from staff.services import practitioner_account_link
from tests.factories import bookable_practitioner_create, otp_login


def practitioner_user_create(practitioner: Practitioner, email: str):
    """An account linked to the practitioner's page (staff.PractitionerAccount)."""
    user = get_user_model().objects.create_user(
        email=email, password="une phrase de passe", first_name="Camille", last_name="Martin"
    )
    practitioner_account_link(user=user, page=practitioner.page)
    return user


def signed_in_practitioner(client, directory, *, title="Camille Martin", email=None, **rules):
    """A bookable practitioner whose account is signed in with a verified (OTP) session."""
    practitioner = bookable_practitioner_create(directory, title=title, **rules)
    user = practitioner_user_create(
        practitioner, email or f"{title.split()[0].lower()}@praticien.example"
    )
    otp_login(client, user)
    return practitioner, user


def appointment_insert(practitioner: Practitioner, client_user, start: datetime, minutes=60):
    """An appointment row as booking leaves it, at a time the rules may no longer offer.

    For the agenda's display tests only; behaviour tests book through appointment_book.
    """
    service = practitioner.page.services.first()
    start = start.astimezone(UTC)
    end = start + timedelta(minutes=minutes)
    return Appointment.objects.create(
        practitioner=practitioner,
        client=client_user,
        service=service,
        service_name=service.name,
        duration_minutes=minutes,
        price=service.price,
        mode=service.mode,
        start=start,
        end=end,
        blocked_start=start,
        blocked_end=end,
        rules_snapshot=practitioner.cancellation_rules(),
    )


def sign_in_again(client, practitioner: Practitioner) -> None:
    """After moving the clock hours ahead: the idle timeout (accounts.sessions) ended it."""
    client.logout()
    otp_login(client, practitioner.page.account.user)


def hours_post(rows: list[tuple[str, str, str]], deleted: Collection[int] = ()) -> dict:
    """The weekly hours form as posted: one (weekday, start, end) row each, `deleted` ticked."""
    data = {
        "horaires-TOTAL_FORMS": str(len(rows)),
        "horaires-INITIAL_FORMS": "0",
        "horaires-MIN_NUM_FORMS": "0",
        "horaires-MAX_NUM_FORMS": "1000",
    }
    for index, (weekday, start, end) in enumerate(rows):
        data |= {
            f"horaires-{index}-weekday": weekday,
            f"horaires-{index}-start": start,
            f"horaires-{index}-end": end,
        }
        if index in deleted:
            data[f"horaires-{index}-DELETE"] = "on"
    return data
