"""Helpers of the client booking page tests (their fixtures: tests/booking/client/conftest.py)."""

from datetime import UTC, datetime

from booking.services import appointment_book

# Monday 11 January 2027, 08:00 in Paris (CET, UTC+1). With the default 24 h notice the first
# free slot is Tuesday 12 January at 09:00 in Paris, 08:00 UTC.
NOW = datetime(2027, 1, 11, 7, 0, tzinfo=UTC)
FIRST_SLOT = "2027-01-12T08:00:00Z"
FIRST_SLOT_AT = datetime(2027, 1, 12, 8, 0, tzinfo=UTC)
PASSWORD = "une phrase de passe"


def week_url(practitioner, service, semaine: str | None = None) -> str:
    url = f"/rendez-vous/{practitioner.page_id}/{service.pk}/"
    return f"{url}?semaine={semaine}" if semaine else url


def confirm_url(practitioner, service, debut: str = FIRST_SLOT) -> str:
    return f"/rendez-vous/{practitioner.page_id}/{service.pk}/confirmer/?debut={debut}"


def book(practitioner, service, client, start=FIRST_SLOT_AT):
    return appointment_book(practitioner=practitioner, service=service, start=start, client=client)


def hold_url(practitioner, service) -> str:
    return f"/rendez-vous/{practitioner.page_id}/{service.pk}/retenir/"


def hold(client, practitioner, service, debut: str = FIRST_SLOT):
    """Choose a slot on the week page (a POST: it holds the slot for this browser)."""
    return client.post(hold_url(practitioner, service), {"debut": debut})
