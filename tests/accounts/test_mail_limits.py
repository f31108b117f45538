"""E-mails sent to a typed address are capped per address, per network and per account.

Every request counts before anything is looked up, so a refusal says nothing about which
addresses have accounts, and the form can say plainly what happened.
"""

import datetime as dt
from html import unescape

import pytest
import time_machine
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from accounts import services, throttle
from accounts.models import User
from tests.accounts.conftest import PASSWORD, body_shape, login_post, member_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db

RESET_URL = "/compte/mot-de-passe/oubli/"
SIGNUP_URL = "/compte/inscription/"


def signup_post(client, capture, email, *, ip="203.0.113.5", first_name="Nina"):
    data = {
        "email": email,
        "first_name": first_name,
        "last_name": "Rossi",
        "phone": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_terms": "on",
    }
    with capture(execute=True):
        return client.post(SIGNUP_URL, data, REMOTE_ADDR=ip)


def reset_post(client, capture, email, *, ip="203.0.113.5"):
    with capture(execute=True):
        return client.post(RESET_URL, {"email": email}, REMOTE_ADDR=ip)


def test_reset_emails_to_one_address_stop_at_the_cap_with_a_clear_message(
    client, member, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    for n in range(throttle.MAX_MAILS_PER_ADDRESS):
        # From different networks: the cap is the address's, not the requester's.
        assert (
            reset_post(client, capture, "camille@example.com", ip=f"198.51.100.{n}").status_code
            == 302
        )
    assert len(mail.outbox) == throttle.MAX_MAILS_PER_ADDRESS

    refused = reset_post(client, capture, "Camille@Example.com", ip="192.0.2.1")

    assert refused.status_code == 429
    page = unescape(refused.content.decode())
    assert "Trop d'e-mails ont été demandés pour cette adresse" in page
    assert "60 minutes" in page
    assert_valid_accessible_html(refused.content)
    assert len(mail.outbox) == throttle.MAX_MAILS_PER_ADDRESS

    later = timezone.now() + dt.timedelta(seconds=throttle.MAIL_WINDOW + 1)
    with time_machine.travel(later):
        assert reset_post(client, capture, "camille@example.com").status_code == 302
    assert len(mail.outbox) == throttle.MAX_MAILS_PER_ADDRESS + 1


def test_the_address_cap_looks_the_same_for_known_and_unknown_addresses(
    client, member, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    pages = {}
    for email in ("camille@example.com", "nobody@example.com"):
        for n in range(throttle.MAX_MAILS_PER_ADDRESS):
            reset_post(client, capture, email, ip=f"198.51.100.{n}")
        pages[email] = reset_post(client, capture, email, ip="192.0.2.1")

    known, unknown = pages["camille@example.com"], pages["nobody@example.com"]
    assert known.status_code == unknown.status_code == 429
    assert body_shape(known).replace("camille@", "X@") == body_shape(unknown).replace(
        "nobody@", "X@"
    )


def test_sign_up_on_an_existing_address_hits_the_cap_exactly_like_a_new_one(
    client, policies, django_capture_on_commit_callbacks
):
    """The cap counts attempts, not accounts: it cannot tell that the address is taken."""
    capture = django_capture_on_commit_callbacks
    member_create(email="nina@example.com")
    pages = {}
    for email in ("nina@example.com", "new@example.com"):
        for n in range(throttle.MAX_MAILS_PER_ADDRESS):
            assert signup_post(client, capture, email, ip=f"198.51.100.{n}").status_code == 302
        pages[email] = signup_post(client, capture, email, ip="192.0.2.1")

    existing, new = pages["nina@example.com"], pages["new@example.com"]
    assert existing.status_code == new.status_code == 429
    assert body_shape(existing).replace("nina@", "X@") == body_shape(new).replace("new@", "X@")
    assert "Trop d'e-mails ont été demandés pour cette adresse" in unescape(new.content.decode())
    assert_valid_accessible_html(new.content)
    sent_to = [m.to[0] for m in mail.outbox]
    assert sent_to.count("nina@example.com") == sent_to.count("new@example.com")
    assert sent_to.count("new@example.com") == throttle.MAX_MAILS_PER_ADDRESS


def test_the_forms_share_one_cap_per_address(client, policies, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    signup_post(client, capture, "nina@example.com", ip="198.51.100.1")  # one verification mail
    for n in range(throttle.MAX_MAILS_PER_ADDRESS - 1):  # a new one each time: never verified
        assert (
            reset_post(client, capture, "nina@example.com", ip=f"198.51.100.{n + 2}").status_code
            == 302
        )

    assert signup_post(client, capture, "nina@example.com", ip="192.0.2.1").status_code == 429
    assert len(mail.outbox) == throttle.MAX_MAILS_PER_ADDRESS


def test_one_network_cannot_mail_address_after_address(
    client, policies, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(throttle, "MAX_MAILS_PER_NETWORK", 3)
    capture = django_capture_on_commit_callbacks
    for n in range(3):
        assert (
            signup_post(client, capture, f"v{n}@example.com", ip="203.0.113.5").status_code == 302
        )

    refused = signup_post(client, capture, "v9@example.com", ip="203.0.113.5")
    assert refused.status_code == 429
    assert "Trop de demandes d'e-mail depuis votre connexion" in unescape(refused.content.decode())
    assert_valid_accessible_html(refused.content)
    assert not User.objects.filter(email="v9@example.com").exists()
    assert reset_post(client, capture, "v0@example.com", ip="203.0.113.5").status_code == 429
    assert len(mail.outbox) == 3

    # Another network is not held back by this one.
    assert signup_post(client, capture, "v9@example.com", ip="198.51.100.7").status_code == 302
    assert len(mail.outbox) == 4


def test_an_ipv6_network_counts_as_one_requester(
    client, member, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(throttle, "MAX_MAILS_PER_NETWORK", 2)
    capture = django_capture_on_commit_callbacks
    reset_post(client, capture, "a@example.com", ip="2001:db8:1:2::1")
    reset_post(client, capture, "b@example.com", ip="2001:db8:1:2::ffff")
    assert reset_post(client, capture, "c@example.com", ip="2001:db8:1:2:3::9").status_code == 429
    assert reset_post(client, capture, "c@example.com", ip="2001:db8:1:3::1").status_code == 302


def test_a_refused_request_does_not_use_up_the_address_quota(
    client, member, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(throttle, "MAX_MAILS_PER_NETWORK", 1)
    capture = django_capture_on_commit_callbacks
    reset_post(client, capture, "other@example.com", ip="203.0.113.5")
    for _ in range(10):  # all refused: this network is over its cap
        reset_post(client, capture, "camille@example.com", ip="203.0.113.5")

    assert reset_post(client, capture, "camille@example.com", ip="192.0.2.1").status_code == 302
    assert [m.to for m in mail.outbox] == [["camille@example.com"]]


def test_changes_of_address_are_capped_per_account_and_nothing_is_saved_over_the_cap(
    client, member, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    login_post(client, "camille@example.com")

    def change(email, first_name="Camille"):
        data = {"first_name": first_name, "last_name": "Martin", "email": email, "phone": ""}
        with capture(execute=True):
            return client.post("/compte/profil/", data)

    for n in range(throttle.MAX_EMAIL_CHANGES_PER_ACCOUNT):
        assert change(f"new{n}@example.com").status_code == 302
    assert len(mail.outbox) == throttle.MAX_EMAIL_CHANGES_PER_ACCOUNT

    refused = change("one-more@example.com", first_name="Camila")
    assert refused.status_code == 429
    assert "trop de changements d'adresse" in unescape(refused.content.decode())
    assert_valid_accessible_html(refused.content)
    member.refresh_from_db()
    assert member.first_name == "Camille" and member.email == "camille@example.com"
    assert len(mail.outbox) == throttle.MAX_EMAIL_CHANGES_PER_ACCOUNT

    # Names alone still save: no e-mail is asked for.
    assert change("camille@example.com", first_name="Camila").status_code == 302
    member.refresh_from_db()
    assert member.first_name == "Camila"


def test_the_services_say_which_cap_was_reached(member):
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.5")
    for _ in range(throttle.MAX_EMAIL_CHANGES_PER_ACCOUNT):
        services.user_email_change_request(
            request=request, user=member, new_email=f"x{_}@example.com"
        )
    with pytest.raises(services.MailLimitReached) as refused:
        services.user_email_change_request(request=request, user=member, new_email="y@example.com")
    assert refused.value.code == throttle.MailLimit.ACCOUNT

    for _ in range(throttle.MAX_MAILS_PER_ADDRESS):
        services.user_password_reset_request(email="z@example.com", request=None)
    with pytest.raises(services.MailLimitReached) as refused:
        services.user_password_reset_request(email="Z@example.com", request=None)
    assert refused.value.code == throttle.MailLimit.ADDRESS


def test_mails_to_unverified_addresses_greet_neutrally(
    client, member, django_capture_on_commit_callbacks
):
    """Nothing a visitor typed reaches an inbox that never proved to be theirs."""
    capture = django_capture_on_commit_callbacks
    spam = "Gagnez 1000 euros sur arnaque.example"
    member_create(
        email="pending@example.com", first_name=spam, is_active=False, email_verified_at=None
    )
    # A first sign-up, a second one, a reset on the unverified account, a change of address.
    signup_post(client, capture, "nina@example.com", first_name=spam)
    signup_post(client, capture, "pending@example.com", first_name=spam)
    reset_post(client, capture, "pending@example.com")
    member.first_name = spam
    member.save()
    login_post(client, "camille@example.com")
    with capture(execute=True):
        client.post(
            "/compte/profil/",
            {
                "first_name": spam,
                "last_name": "Martin",
                "email": "elsewhere@example.com",
                "phone": "",
            },
        )

    assert [m.to[0] for m in mail.outbox] == [
        "nina@example.com",
        "pending@example.com",
        "pending@example.com",
        "elsewhere@example.com",
    ]
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert message.body.startswith("Bonjour,\n")
        for part in (message.subject, message.body, html):
            assert "Gagnez" not in part and "arnaque" not in part
    change_mail = mail.outbox[-1]
    assert "elsewhere@example.com" not in change_mail.body + change_mail.alternatives[0][0]
