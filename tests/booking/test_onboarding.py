"""Editors take on a practitioner from the admin: open booking, invite, suspend, revoke.

Every state change goes through booking.onboarding.services and leaves an audit-log entry
(who, what); the invitation is a single-use link that expires; an account has one page at most.
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from booking.exceptions import OutsideBookingRules
from booking.models import Appointment, OpeningHours, Practitioner, PractitionerInvitation
from booking.onboarding import services
from booking.onboarding.exceptions import InvitationInvalid, OnboardingError
from booking.services import appointment_book
from booking.templatetags.booking_client import booking_offer
from compliance.models import Acceptance
from compliance.services import policy_versions_accept_in_force
from staff.models import PractitionerAccount
from staff.services import practitioner_account_link
from tests.factories import (
    bookable_practitioner_create,
    client_create,
    otp_login,
    practitioner_create,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


def _member(email: str) -> User:
    """A verified account that accepted the documents in force (the gate lets it through)."""
    user = client_create(email)
    policy_versions_accept_in_force(user=user, context="signup")
    return user


@pytest.fixture
def editor(page):
    user = User.objects.create_user(
        "redaction@example.com", "phrase-de-passe-redaction", email_verified_at=timezone.now()
    )
    user.groups.add(Group.objects.get(name="Editors"))
    policy_versions_accept_in_force(user=user, context="signup")
    return user


@pytest.fixture
def editor_client(client, editor):
    otp_login(client, editor)
    return client


@pytest.fixture
def page(directory, policies):
    return practitioner_create(directory, title="Inès Garnier", slug="ines-garnier")


def _actions(practitioner: Practitioner) -> list[tuple[str, str | None]]:
    entries = ModelLogEntry.objects.for_instance(practitioner).order_by("timestamp", "pk")
    return [(entry.action, entry.user.email if entry.user else None) for entry in entries]


def _link_in_last_mail() -> str:
    """The path of the invitation link in the last e-mail sent."""
    (url,) = re.findall(r"https?://\S+/espace-praticien/invitation/[^/\s]+/", mail.outbox[-1].body)
    return urlsplit(url).path


def _hours(practitioner: Practitioner) -> None:
    OpeningHours.objects.create(practitioner=practitioner, weekday=0, start=time(9), end=time(12))


# --- The register --------------------------------------------------------------------------


def test_the_register_lists_every_profile_with_its_state(editor_client, page, directory):
    bookable = bookable_practitioner_create(directory, title="Aline Roux")
    practitioner_account_link(user=_member("aline@example.com"), page=bookable.page)

    response = editor_client.get(reverse("booking_onboarding_register"))

    assert response.status_code == 200
    states = dict(re.findall(r'>([^<>]+)</a>[^\n]*\n\s*<td data-state="(\w+)"', response.text))
    assert states == {"Aline Roux": "bookable", "Inès Garnier": "closed"}


def test_the_register_is_for_editors_only(client, page):
    practitioner = _member("pro@example.com")
    practitioner_account_link(user=practitioner, page=page)
    otp_login(client, practitioner)

    # Wagtail turns the refusal into a redirect to the dashboard with an error message.
    refused = client.get(reverse("booking_onboarding_register"))
    assert (refused.status_code, refused["Location"]) == (302, reverse("wagtailadmin_home"))
    response = client.post(reverse("booking_onboarding_open", args=[page.pk]))
    assert response.status_code == 302
    assert not Practitioner.objects.filter(page=page).exists()


def test_an_editor_opens_booking_and_the_profile_waits_for_opening_hours(
    editor_client, editor, page
):
    response = editor_client.post(reverse("booking_onboarding_open", args=[page.pk]))

    assert response.status_code == 302
    practitioner = Practitioner.objects.get(page=page)
    assert _actions(practitioner) == [(services.ACTION_BOOKING_OPEN, editor.email)]
    assert booking_offer(page)["bookable"] is False  # no hours yet: not offered to clients
    _hours(practitioner)
    assert booking_offer(page)["bookable"] is True


def test_actions_on_an_unknown_page_or_with_get_are_refused(editor_client, page):
    assert editor_client.post(reverse("booking_onboarding_open", args=[999999])).status_code == 404
    assert editor_client.get(reverse("booking_onboarding_open", args=[page.pk])).status_code == 405
    assert not Practitioner.objects.exists()


# --- Invitations ---------------------------------------------------------------------------


@pytest.fixture
def opened(page, editor):
    return services.practitioner_booking_open(page=page, by=editor)


def test_an_invitation_is_mailed_with_a_link_whose_token_is_not_stored(
    editor_client, editor, opened, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("booking_onboarding_invite", args=[opened.page_id]),
            {"email": "Ines.Garnier@Example.com"},
        )

    assert response.status_code == 302
    assert mail.outbox[-1].to == ["ines.garnier@example.com"]
    token = _link_in_last_mail().rstrip("/").rsplit("/", 1)[1]
    invitation = PractitionerInvitation.objects.get()
    assert token not in invitation.token_digest
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert _actions(opened)[-1] == (services.ACTION_INVITE, editor.email)
    register = editor_client.get(reverse("booking_onboarding_register")).text
    assert 'data-state="invited"' in register


def test_a_bad_address_is_refused_and_nothing_is_sent(editor_client, opened):
    response = editor_client.post(
        reverse("booking_onboarding_invite", args=[opened.page_id]), {"email": "pas-une-adresse"}
    )

    assert response.status_code == 400
    assert "adresse e-mail valide" in response.text
    assert not PractitionerInvitation.objects.exists()
    assert mail.outbox == []


def test_re_sending_withdraws_the_previous_link(
    client, editor, opened, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.practitioner_invite(practitioner=opened, email="ines@example.com", by=editor)
    first = _link_in_last_mail()
    with django_capture_on_commit_callbacks(execute=True):
        services.practitioner_invite(practitioner=opened, email="ines@example.com", by=editor)
    second = _link_in_last_mail()

    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_the_link_expires_after_seven_days(
    client, editor, opened, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.practitioner_invite(practitioner=opened, email="ines@example.com", by=editor)
    link = _link_in_last_mail()

    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = client.get(link)

    assert response.status_code == 410
    assert "nouvelle invitation" in response.text


def test_an_unknown_token_is_a_clear_410(client):
    response = client.get(reverse("practitioner_invitation", args=["x" * 43]))
    assert response.status_code == 410
    assert "pas (ou plus) valable" in response.text


def _invite(opened, editor, capture, email="ines@example.com") -> str:
    with capture(execute=True):
        services.practitioner_invite(practitioner=opened, email=email, by=editor)
    return _link_in_last_mail()


NEW_ACCOUNT = {
    "first_name": "Inès",
    "last_name": "Garnier",
    "password1": "une longue phrase de passe",
    "password2": "une longue phrase de passe",
    "accept_terms": "on",
}


def test_the_practitioner_creates_an_account_lands_in_the_area_and_must_enrol(
    client, editor, opened, django_capture_on_commit_callbacks
):
    link = _invite(opened, editor, django_capture_on_commit_callbacks)
    assert client.get(link).status_code == 200

    response = client.post(link, NEW_ACCOUNT)

    assert response.status_code == 302
    assert response["Location"] == reverse("practitioner:agenda")
    user = User.objects.get(email="ines@example.com")
    assert user.email_verified_at is not None and user.is_active
    assert PractitionerAccount.objects.get(user=user).page_id == opened.page_id
    assert Acceptance.objects.filter(user=user, context="signup").count() == 2
    assert (services.ACTION_INVITATION_ACCEPT, user.email) in _actions(opened)
    # Signed in, but the area demands a second factor first.
    area = client.get(reverse("practitioner:agenda"))
    assert area.status_code == 302
    assert "securite" in area["Location"]
    # Single use.
    assert client.get(link).status_code in (403, 410)
    client.logout()
    assert client.get(link).status_code == 410


def test_a_weak_password_keeps_the_invitation_usable(
    client, editor, opened, django_capture_on_commit_callbacks
):
    link = _invite(opened, editor, django_capture_on_commit_callbacks)

    response = client.post(link, {**NEW_ACCOUNT, "password1": "court", "password2": "court"})

    assert response.status_code == 400
    assert not User.objects.filter(email="ines@example.com").exists()
    assert client.get(link).status_code == 200


def test_an_existing_account_signs_in_then_accepts(
    client, editor, opened, django_capture_on_commit_callbacks
):
    existing = _member("ines@example.com")
    link = _invite(opened, editor, django_capture_on_commit_callbacks)

    anonymous = client.get(link)
    assert anonymous.status_code == 200
    assert "connectez-vous" in anonymous.text
    assert client.post(link, NEW_ACCOUNT).status_code == 302  # to the login page, nothing made
    assert not PractitionerAccount.objects.exists()

    client.force_login(existing)
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    assert PractitionerAccount.objects.get(user=existing).page_id == opened.page_id


def test_another_signed_in_account_cannot_use_the_link(
    client, editor, opened, django_capture_on_commit_callbacks
):
    link = _invite(opened, editor, django_capture_on_commit_callbacks)
    client.force_login(_member("intrus@example.com"))

    assert client.get(link).status_code == 403
    assert client.post(link).status_code == 403
    assert not PractitionerAccount.objects.exists()
    with pytest.raises(OnboardingError) as refused:
        services.invitation_accept(
            token=link.rstrip("/").rsplit("/", 1)[1],
            user=User.objects.get(email="intrus@example.com"),
        )
    assert refused.value.code == "other_account"


def test_an_account_manages_one_page_at_most(editor, opened, directory):
    other_page = practitioner_create(directory, title="Nina Rossi", slug="nina-rossi")
    user = _member("nina@example.com")
    practitioner_account_link(user=user, page=other_page)

    with pytest.raises(OnboardingError) as refused:
        services.practitioner_invite(practitioner=opened, email="nina@example.com", by=editor)
    assert refused.value.code == "account_has_page"
    with pytest.raises(OnboardingError) as refused:
        services.practitioner_account_link_existing(
            practitioner=opened, email="nina@example.com", by=editor
        )
    assert refused.value.code == "account_has_page"
    assert PractitionerAccount.objects.get(user=user).page_id == other_page.pk


def test_an_editor_links_an_existing_verified_account(editor_client, editor, opened):
    user = _member("ines@example.com")
    unverified = User.objects.create_user("brouillon@example.com", "x" * 20)

    refused = editor_client.post(
        reverse("booking_onboarding_link", args=[opened.page_id]), {"email": unverified.email}
    )
    assert refused.status_code == 409
    assert "envoyez plutôt une invitation" in refused.text

    response = editor_client.post(
        reverse("booking_onboarding_link", args=[opened.page_id]), {"email": "INES@example.com"}
    )
    assert response.status_code == 302
    assert PractitionerAccount.objects.get(user=user).page_id == opened.page_id
    assert _actions(opened)[-1] == (services.ACTION_ACCOUNT_LINK, editor.email)
    with pytest.raises(OnboardingError) as already:
        services.practitioner_invite(practitioner=opened, email="autre@example.com", by=editor)
    assert already.value.code == "already_linked"


def test_invitation_for_token_refuses_a_used_link(
    editor, opened, django_capture_on_commit_callbacks
):
    link = _invite(opened, editor, django_capture_on_commit_callbacks)
    token = link.rstrip("/").rsplit("/", 1)[1]
    services.invitation_accept(token=token, first_name="I", last_name="G", password="p" * 16)

    with pytest.raises(InvitationInvalid) as used:
        services.invitation_for_token(token)
    assert used.value.code == "invitation_invalid"


# --- Suspension and revocation -------------------------------------------------------------


@pytest.fixture
def active(directory, editor):
    practitioner = bookable_practitioner_create(directory, title="Aline Roux")
    user = _member("aline@example.com")
    practitioner_account_link(user=user, page=practitioner.page)
    return practitioner, user


def _next_monday_ten(practitioner: Practitioner):
    today = timezone.now().astimezone(practitioner.tz).date()
    monday = today + timedelta(days=7 - today.weekday() + 7)
    return timezone.make_aware(timezone.datetime.combine(monday, time(10)), practitioner.tz)


def test_suspending_refuses_new_bookings_and_keeps_booked_ones(editor_client, editor, active):
    practitioner, _user = active
    service = practitioner.page.services.first()
    client = _member("client@example.com")
    kept = appointment_book(
        practitioner=practitioner,
        service=service,
        start=_next_monday_ten(practitioner),
        client=client,
    )

    response = editor_client.post(
        reverse("booking_onboarding_suspend", args=[practitioner.page_id]),
        {"reason": "Diplôme à vérifier"},
    )

    assert response.status_code == 302
    practitioner.refresh_from_db()
    with pytest.raises(OutsideBookingRules) as refused:
        appointment_book(
            practitioner=practitioner,
            service=service,
            start=_next_monday_ten(practitioner) + timedelta(hours=1),
            client=client,
        )
    assert refused.value.code == "not_accepting_bookings"
    assert Appointment.objects.get(pk=kept.pk).status == kept.status
    assert booking_offer(practitioner.page)["bookable"] is False
    entry = ModelLogEntry.objects.for_instance(practitioner).latest("timestamp")
    assert (entry.action, entry.user, entry.data["reason"]) == (
        services.ACTION_SUSPEND,
        editor,
        "Diplôme à vérifier",
    )

    editor_client.post(reverse("booking_onboarding_resume", args=[practitioner.page_id]))
    practitioner.refresh_from_db()
    assert booking_offer(practitioner.page)["bookable"] is True
    assert _actions(practitioner)[-1] == (services.ACTION_RESUME, editor.email)


def test_a_suspension_needs_a_reason(editor_client, active):
    practitioner, _user = active
    response = editor_client.post(
        reverse("booking_onboarding_suspend", args=[practitioner.page_id]), {"reason": ""}
    )
    assert response.status_code == 400
    practitioner.refresh_from_db()
    assert practitioner.booking_suspended_at is None


def test_revoking_closes_sessions_removes_devices_and_keeps_page_and_appointments(
    editor_client, editor, active
):
    from django.test import Client

    practitioner, user = active
    appointment = appointment_book(
        practitioner=practitioner,
        service=practitioner.page.services.first(),
        start=_next_monday_ten(practitioner),
        client=_member("client@example.com"),
    )
    their_browser = Client()
    otp_login(their_browser, user)
    assert their_browser.get(reverse("practitioner:agenda")).status_code == 200
    sessions_before = Session.objects.count()

    response = editor_client.post(reverse("booking_onboarding_revoke", args=[practitioner.page_id]))

    assert response.status_code == 302
    assert not PractitionerAccount.objects.filter(user=user).exists()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert Session.objects.count() == sessions_before - 1  # theirs, not the editor's
    assert their_browser.get(reverse("practitioner:agenda")).status_code == 302  # to login
    assert Appointment.objects.filter(pk=appointment.pk).exists()
    practitioner.refresh_from_db()
    assert practitioner.page is not None
    entry = ModelLogEntry.objects.for_instance(practitioner).latest("timestamp")
    assert (entry.action, entry.user, entry.data["devices_removed"]) == (
        services.ACTION_REVOKE,
        editor,
        1,
    )
    assert (
        editor_client.get(
            reverse("booking_onboarding_detail", args=[practitioner.page_id])
        ).status_code
        == 200
    )


def test_the_admins_site_history_shows_who_did_what(editor_client, editor, opened):
    services.practitioner_invite(practitioner=opened, email="ines@example.com", by=editor)

    response = editor_client.get(reverse("wagtailadmin_reports:site_history"))

    assert response.status_code == 200
    assert "Invitation envoyée à ines@example.com" in response.text
    assert "Réservation ouverte" in response.text
