"""Password reset: same answer for every address; links expire, work once, fail cleanly."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import SecurityEvent, User
from tests.accounts.conftest import PASSWORD, body_shape, link_in, login_post, member_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un tout nouveau mot de passe"


def reset_request(client, capture, email):
    with capture(execute=True):
        return client.post("/compte/mot-de-passe/oubli/", {"email": email})


def reset_link(client, capture, email="camille@example.com") -> str:
    reset_request(client, capture, email)
    return link_in(mail.outbox[-1].body, "/compte/reinitialisation/")


def choose_password(client, link, password=NEW_PASSWORD):
    page = client.get(link)
    if page.status_code != 302:  # an invalid link shows its page straight away
        return page
    return client.post(page["Location"], {"new_password1": password, "new_password2": password})


def test_reset_answers_the_same_whether_or_not_an_account_exists(
    client, member, django_capture_on_commit_callbacks
):
    known = reset_request(client, django_capture_on_commit_callbacks, "camille@example.com")
    unknown = reset_request(client, django_capture_on_commit_callbacks, "nobody@example.com")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert body_shape(client.get(known["Location"])) == body_shape(client.get(unknown["Location"]))
    assert [m.to for m in mail.outbox] == [["camille@example.com"]]
    assert "/compte/reinitialisation/" in mail.outbox[0].body
    assert SecurityEvent.objects.filter(kind="password_reset_requested", user=member).exists()


def test_reset_pages_are_accessible(client, member, django_capture_on_commit_callbacks):
    soup = assert_valid_accessible_html(client.get("/compte/mot-de-passe/oubli/").content)
    assert soup.find("input", {"name": "email"})["autocomplete"] == "email"
    assert_valid_accessible_html(client.get("/compte/mot-de-passe/oubli/envoye/").content)
    link = reset_link(client, django_capture_on_commit_callbacks)
    form = client.get(client.get(link)["Location"])
    soup = assert_valid_accessible_html(form.content)
    assert soup.find("input", {"name": "new_password1"})["autocomplete"] == "new-password"
    assert_valid_accessible_html(client.get("/compte/reinitialisation/terminee/").content)


def test_reset_link_sets_the_password_once(client, member, django_capture_on_commit_callbacks):
    link = reset_link(client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        done = choose_password(client, link)

    assert done.status_code == 302 and done["Location"] == "/compte/reinitialisation/terminee/"
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert SecurityEvent.objects.filter(kind="password_reset", user=member).exists()
    assert "modifié" in mail.outbox[-1].subject

    again = choose_password(client, link, "encore un autre mot de passe")
    assert again.status_code == 200
    assert "Lien invalide ou expiré" in again.content.decode()
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_reset_link_expires_after_one_hour(client, member, django_capture_on_commit_callbacks):
    # Both ends under time_machine: Django's reset tokens read the naive local clock, which
    # time_machine fakes differently from the real one.
    start = timezone.now()
    with time_machine.travel(start):
        link = reset_link(client, django_capture_on_commit_callbacks)
    with time_machine.travel(start + dt.timedelta(minutes=59)):
        assert client.get(link).status_code == 302  # still valid: on to the form
    with time_machine.travel(start + dt.timedelta(hours=1, minutes=1)):
        response = choose_password(client, link)
    assert "Lien invalide ou expiré" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda link: link.replace("/reinitialisation/", "/reinitialisation/x"),
        lambda link: link[:-3] + "zz/",
        lambda link: "/compte/reinitialisation/AAAA/set-password/",
        lambda link: "/compte/reinitialisation/%ff%00/abc-def/",
    ],
)
def test_tampered_reset_links_fail_cleanly(
    mangle, client, member, django_capture_on_commit_callbacks
):
    link = reset_link(client, django_capture_on_commit_callbacks)
    response = choose_password(client, mangle(link))
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert "Lien invalide ou expiré" in response.content.decode()
        assert_valid_accessible_html(response.content)
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_reset_lifts_the_lockout_of_the_account(client, member, django_capture_on_commit_callbacks):
    for _ in range(5):
        login_post(client, "camille@example.com", "wrong password!!")
    assert login_post(client, "camille@example.com").status_code == 429

    choose_password(client, reset_link(client, django_capture_on_commit_callbacks))
    assert login_post(client, "camille@example.com", NEW_PASSWORD).status_code == 302


def test_unverified_account_asking_for_a_reset_gets_a_new_verification_link(
    client, policies, django_capture_on_commit_callbacks
):
    User.objects.create_user("nina@example.com", PASSWORD, is_active=False)
    reset_request(client, django_capture_on_commit_callbacks, "nina@example.com")
    (message,) = mail.outbox
    assert "/compte/verification/" in message.body
    assert "/compte/reinitialisation/" not in message.body


def test_deactivated_account_gets_no_email(client, policies, django_capture_on_commit_callbacks):
    member_create(email="closed@example.com", is_active=False)
    reset_request(client, django_capture_on_commit_callbacks, "closed@example.com")
    assert not mail.outbox
