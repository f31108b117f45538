"""The browser that signed up is signed in by its verification link and goes on where it was
going (a held slot's confirmation); any other browser is asked to log in, as before."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import Client, RequestFactory
from django.utils import timezone

from accounts import tokens
from accounts.models import SecurityEvent, User
from accounts.services.signup_browser import (
    SIGNUP_BROWSER_SESSION_KEY,
    signup_browser_login,
    signup_browser_mark,
)
from tests.accounts.conftest import PASSWORD, link_in, login_post, member_create
from tests.factories import practitioner_create
from tests.html import assert_valid_accessible_html
from tests.twofactor.helpers import totp_device_create

pytestmark = pytest.mark.django_db

TARGET = "/rendez-vous/42/7/confirmer/?debut=2027-01-12T09:00:00Z"


def signup_post(client, capture, email="nina@example.com", **extra):
    """Post the sign-up form; returns the response. The link is the last e-mail's."""
    data = {
        "email": email,
        "first_name": "Nina",
        "last_name": "Rossi",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_terms": "on",
        **extra,
    }
    with capture(execute=True):
        return client.post("/compte/inscription/", data)


def last_link() -> str:
    return link_in(mail.outbox[-1].body, "/compte/verification/")


def signed_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


@pytest.fixture
def signed_up(client, policies, django_capture_on_commit_callbacks):
    """A visitor who signed up in `client` on the way to TARGET; the link from their mailbox."""
    response = signup_post(client, django_capture_on_commit_callbacks, next=TARGET)
    assert response.status_code == 302
    return last_link()


def test_the_browser_that_signed_up_is_signed_in_and_lands_on_next(
    client, policies, django_capture_on_commit_callbacks
):
    client.get(f"/compte/inscription/?next={TARGET}")
    session = client.session
    session["booking_hold"] = "the held slot"  # what the booking funnel keeps in the session
    session.save()

    response = signup_post(client, django_capture_on_commit_callbacks, next=TARGET)
    assert response.status_code == 302 and response["Location"] == "/compte/inscription/envoyee/"
    assert client.get(response["Location"]).status_code == 200
    link = last_link()
    assert client.get(link).status_code == 200
    assert signed_in_as(client) is None  # opening the link does nothing (mail scanners)
    before = client.session.session_key

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)

    user = User.objects.get(email="nina@example.com")
    assert response.status_code == 303 and response["Location"] == TARGET
    assert signed_in_as(client) == str(user.pk)
    assert client.session.session_key != before  # no session fixation
    assert client.session["booking_hold"] == "the held slot"
    assert SIGNUP_BROWSER_SESSION_KEY not in client.session
    assert user.is_active and user.last_login is not None
    kinds = list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert sorted(kinds) == ["email_verified", "login_succeeded", "signed_up"]
    assert len(mail.outbox) == 1  # the first login is no "new device"
    assert client.get("/compte/").status_code == 200


def test_without_next_the_browser_lands_on_the_account_home(
    client, policies, django_capture_on_commit_callbacks
):
    signup_post(client, django_capture_on_commit_callbacks)
    response = client.post(last_link())
    assert response.status_code == 303 and response["Location"] == "/compte/"
    assert signed_in_as(client) is not None


def test_another_browser_activates_but_is_asked_to_log_in(client, signed_up):
    other = Client()
    done = other.post(signed_up)

    assert done.status_code == 200 and "Compte activé" in done.content.decode()
    assert_valid_accessible_html(done.content)
    assert signed_in_as(other) is None
    assert User.objects.get(email="nina@example.com").is_active
    # The link is used: back in the first browser it is refused, and signs nobody in.
    assert client.post(signed_up).status_code == 400
    assert signed_in_as(client) is None


def test_a_mark_for_another_account_signs_nobody_in(
    client, policies, django_capture_on_commit_callbacks
):
    signup_post(client, django_capture_on_commit_callbacks, email="ana@example.com")
    signup_post(Client(), django_capture_on_commit_callbacks, email="bob@example.com")

    done = client.post(last_link())  # Bob's link, opened where Ana signed up

    assert done.status_code == 200 and signed_in_as(client) is None
    assert User.objects.get(email="bob@example.com").is_active


def test_another_link_of_the_same_account_signs_nobody_in(client, signed_up):
    """The mark is bound to the link e-mailed at sign-up, not only to the account."""
    user = User.objects.get(email="nina@example.com")
    another = f"/compte/verification/{tokens.verification_token_make(user)}/"
    assert another != signed_up

    assert client.post(another).status_code == 200
    assert signed_in_as(client) is None


def _make_practitioner(user, directory):
    from staff.services import practitioner_account_link

    practitioner_account_link(user=user, page=practitioner_create(directory, title="Nina Rossi"))


def _make_staff(user, directory):
    User.objects.filter(pk=user.pk).update(is_staff=True)


def _give_a_device(user, directory):
    totp_device_create(user)


@pytest.mark.parametrize("change", [_make_practitioner, _make_staff, _give_a_device])
def test_accounts_that_need_a_second_factor_are_not_signed_in(change, client, signed_up, directory):
    change(User.objects.get(email="nina@example.com"), directory)

    done = client.post(signed_up)

    assert done.status_code == 200 and "Compte activé" in done.content.decode()
    assert signed_in_as(client) is None
    assert not SecurityEvent.objects.filter(kind="login_succeeded").exists()


@pytest.mark.parametrize(
    "where",
    [
        {"next": "https://evil.example/"},  # at sign-up: never put into the token
        {"query": "?next=//evil.example/"},  # on the link itself
    ],
)
def test_a_next_on_another_host_is_ignored(
    where, client, policies, django_capture_on_commit_callbacks
):
    fields = {"next": where["next"]} if "next" in where else {}
    signup_post(client, django_capture_on_commit_callbacks, **fields)
    response = client.post(last_link() + where.get("query", ""))
    assert response.status_code == 303 and response["Location"] == "/compte/"
    assert signed_in_as(client) is not None


def test_a_locked_account_is_not_signed_in(client, signed_up):
    for _ in range(5):
        login_post(Client(), "nina@example.com", "not the password")

    done = client.post(signed_up)

    assert done.status_code == 200 and signed_in_as(client) is None
    assert not SecurityEvent.objects.filter(kind="login_succeeded").exists()


def test_an_expired_link_signs_nobody_in(client, signed_up):
    with time_machine.travel(timezone.now() + dt.timedelta(hours=48, minutes=1)):
        response = client.post(signed_up)
    assert response.status_code == 400
    assert signed_in_as(client) is None
    assert not User.objects.get(email="nina@example.com").is_active


def test_someone_else_signed_in_here_is_not_switched(client, signed_up):
    member = member_create()
    assert login_post(client, member.email).status_code == 302  # keeps the session's data

    done = client.post(signed_up)

    assert done.status_code == 200
    assert signed_in_as(client) == str(member.pk)


def test_an_address_that_already_had_an_account_is_not_signed_in(
    client, policies, django_capture_on_commit_callbacks
):
    """The password typed here was never checked against that account."""
    signup_post(Client(), django_capture_on_commit_callbacks)  # created elsewhere, unverified
    signup_post(client, django_capture_on_commit_callbacks)  # a new link, asked for here

    assert client.post(last_link()).status_code == 200
    assert signed_in_as(client) is None


def test_signing_up_again_in_the_same_browser_sends_a_link_that_signs_in(
    client, policies, django_capture_on_commit_callbacks
):
    signup_post(client, django_capture_on_commit_callbacks)
    signup_post(client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2

    assert client.post(last_link()).status_code == 303
    assert signed_in_as(client) is not None


def test_the_session_is_written_whether_or_not_the_address_is_known(
    policies, django_capture_on_commit_callbacks
):
    member_create(email="known@example.com")
    for email in ("known@example.com", "new@example.com"):
        response = signup_post(Client(), django_capture_on_commit_callbacks, email=email)
        assert response.status_code == 302
        assert settings.SESSION_COOKIE_NAME in response.cookies, email


def _request_with_session():
    request = RequestFactory().post("/compte/verification/x/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    return request


def test_the_mark_works_once(policies):
    user = member_create(email="nina@example.com", last_login=None)
    request = _request_with_session()
    signup_browser_mark(request, user=user, token="the-token")
    mark = dict(request.session[SIGNUP_BROWSER_SESSION_KEY])

    assert signup_browser_login(request=request, user=user, token="the-token") is True
    assert SIGNUP_BROWSER_SESSION_KEY not in request.session
    # The same mark put back in a session (a copy of the old session data, say) is spent.
    again = _request_with_session()
    again.session[SIGNUP_BROWSER_SESSION_KEY] = mark
    user.refresh_from_db()
    assert signup_browser_login(request=again, user=user, token="the-token") is False
    assert "_auth_user_id" not in again.session
    assert SecurityEvent.objects.filter(kind="login_succeeded").count() == 1


def test_an_inactive_account_is_never_signed_in(policies):
    user = member_create(email="nina@example.com", is_active=False)
    request = _request_with_session()
    signup_browser_mark(request, user=user, token="the-token")

    assert signup_browser_login(request=request, user=user, token="the-token") is False
    assert "_auth_user_id" not in request.session


def test_a_forged_mark_signs_nobody_in(policies):
    user = member_create(email="nina@example.com")
    request = _request_with_session()
    request.session[SIGNUP_BROWSER_SESSION_KEY] = {
        "u": user.pk,
        "d": "0" * 64,
        "until": 2**40,
    }
    assert signup_browser_login(request=request, user=user, token="the-token") is False
