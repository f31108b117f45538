"""The verification link: a button activates, once, within 48 hours; bad links fail cleanly."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import SecurityEvent, User
from accounts.tokens import verification_token_make
from tests.accounts.conftest import PASSWORD, link_in, login_post
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(policies):
    return User.objects.create_user(
        "nina@example.com", PASSWORD, first_name="Nina", last_name="Rossi", is_active=False
    )


def url_for(user) -> str:
    return f"/compte/verification/{verification_token_make(user)}/"


def test_opening_the_link_shows_a_button_and_activates_nothing(client, pending):
    response = client.get(url_for(pending))

    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    assert soup.find("form", method="post").find("button")
    pending.refresh_from_db()
    assert not pending.is_active


def test_confirming_activates_the_account_and_logs_it(client, pending):
    response = client.post(url_for(pending))

    assert response.status_code == 200
    assert_valid_accessible_html(response.content)
    pending.refresh_from_db()
    assert pending.is_active and pending.email_verified_at is not None
    assert SecurityEvent.objects.filter(user=pending, kind="email_verified").count() == 1


def test_the_link_works_once(client, pending):
    url = url_for(pending)
    client.post(url)
    verified_at = User.objects.get(pk=pending.pk).email_verified_at

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "Lien invalide ou expiré" in response.content.decode()
    assert User.objects.get(pk=pending.pk).email_verified_at == verified_at


def test_the_link_expires_after_48_hours(client, pending):
    url = url_for(pending)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=47, minutes=59)):
        assert client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(hours=48, minutes=1)):
        response = client.post(url)
    assert response.status_code == 400
    assert_valid_accessible_html(response.content)
    pending.refresh_from_db()
    assert not pending.is_active


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature altered
        lambda token: "x" + token,  # payload altered
        lambda token: "not-a-token",
        lambda token: "a:b:c:d:e",
        lambda token: "%00%ff",
    ],
)
def test_tampered_links_fail_cleanly(mangle, client, pending):
    token = verification_token_make(pending)
    for method in (client.get, client.post):
        response = method(f"/compte/verification/{mangle(token)}/")
        assert response.status_code == 400
    pending.refresh_from_db()
    assert not pending.is_active


def test_a_link_for_a_deactivated_account_does_not_reactivate_it(client, pending):
    url = url_for(pending)
    client.post(url)
    User.objects.filter(pk=pending.pk).update(is_active=False)  # staff closes the account

    assert client.post(url).status_code == 400
    assert not User.objects.get(pk=pending.pk).is_active


def test_an_unverified_account_cannot_log_in(client, pending):
    response = login_post(client, "nina@example.com")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_up_then_email_then_verify_elsewhere_then_log_in(
    client, policies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/compte/inscription/",
            {
                "email": "Nina@Example.com",
                "first_name": "Nina",
                "last_name": "Rossi",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "accept_terms": "on",
            },
        )
    assert response.status_code == 302
    assert login_post(client, "nina@example.com").status_code == 200  # not yet verified

    (message,) = mail.outbox
    assert message.to == ["nina@example.com"]
    verify_path = link_in(message.body, "/compte/verification/")
    # Opened in another browser (the one that signed up is signed in: test_signup_browser).
    client = Client()
    assert client.get(verify_path).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(verify_path).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = login_post(client, "nina@example.com")
    assert response.status_code == 302 and response["Location"] == "/compte/"
    home = client.get("/compte/")
    assert home.status_code == 200
    assert "nina@example.com" in home.content.decode()
    assert_valid_accessible_html(home.content)
    # The first login of a new account is not reported as a new device.
    assert len(mail.outbox) == 1


def test_sign_up_verify_log_in_enrol_totp_then_log_in_with_the_code(
    client, policies, django_capture_on_commit_callbacks
):
    """The whole journey of issue 4, in the test client."""
    from tests.twofactor.helpers import totp_code

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/compte/inscription/",
            {
                "email": "lou@example.com",
                "first_name": "Lou",
                "last_name": "Bernard",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "accept_terms": "on",
            },
        )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in(mail.outbox[-1].body, "/compte/verification/"))
    assert login_post(client, "lou@example.com").status_code == 302

    client.get("/compte/securite/application/ajouter/")
    device = User.objects.get(email="lou@example.com").totpdevice_set.get()
    with django_capture_on_commit_callbacks(execute=True):
        enrolled = client.post("/compte/securite/application/ajouter/", {"code": totp_code(device)})
    assert enrolled.status_code == 302
    assert "lou@example.com" in mail.outbox[-1].to  # the enrolment confirmation
    client.post("/compte/deconnexion/")
    assert "_auth_user_id" not in client.session

    # The password alone no longer signs in: the code is asked for, then it does.
    response = login_post(client, "lou@example.com")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=31)):
        response = client.post(response["Location"], {"code": totp_code(device)})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(device.user_id)
        assert client.get("/compte/").status_code == 200


def test_the_page_a_visitor_was_going_to_survives_sign_up_and_verification(
    client, policies, django_capture_on_commit_callbacks
):
    target = "/rendez-vous/42/7/confirmer/?debut=2027-01-12T09:00:00Z"
    login_page = client.get("/compte/connexion/", {"next": target})
    assert _next_of_link(login_page, "/compte/inscription/") == target

    signup_page = client.get("/compte/inscription/", {"next": target}).content.decode()
    assert 'name="next"' in signup_page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/compte/inscription/",
            {
                "email": "sam@example.com",
                "first_name": "Sam",
                "last_name": "Petit",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "accept_terms": "on",
                "next": target,
            },
        )
    verify_link = link_in(mail.outbox[-1].body, "/compte/verification/")
    # The destination travels inside the signed token: the mail shows nothing the visitor typed.
    assert "next=" not in verify_link and "rendez-vous" not in mail.outbox[-1].body
    client = Client()  # another browser: asked to log in, on the way to the same page
    done = client.post(verify_link)
    assert _next_of_link(done, "/compte/connexion/") == target

    response = client.post(
        "/compte/connexion/", {"email": "sam@example.com", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == target


def test_a_foreign_next_is_not_carried_into_the_verification_link(
    client, policies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/compte/inscription/",
            {
                "email": "eve@example.com",
                "first_name": "Eve",
                "last_name": "Martin",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "accept_terms": "on",
                "next": "https://evil.example/",
            },
        )
    assert "evil" not in mail.outbox[-1].body


def test_a_link_with_a_next_parameter_still_leads_there(client, pending):
    """Links e-mailed before the destination moved into the token carry it as ?next=."""
    done = client.post(url_for(pending) + "?next=/praticiens/")
    assert _next_of_link(done, "/compte/connexion/") == "/praticiens/"


def test_a_foreign_destination_inside_a_token_is_not_followed(client, pending):
    token = verification_token_make(pending, next_url="https://evil.example/")
    done = client.post(f"/compte/verification/{token}/")
    assert done.status_code == 200 and "Compte activé" in done.content.decode()
    assert "evil" not in done.content.decode()


def _hidden_next(response) -> str | None:
    from bs4 import BeautifulSoup

    # The account form's own (the language switcher has a `next` of its own).
    soup = BeautifulSoup(response.content, "html.parser")
    field = soup.select_one("form.account-form input[name=next]")
    return field["value"] if field is not None else None


def test_sign_up_and_log_in_pages_keep_next_in_their_links_to_each_other(client, policies):
    target = "/rendez-vous/42/7/confirmer/?debut=2027-01-12T09:00:00Z"
    assert (
        _next_of_link(client.get("/compte/inscription/", {"next": target}), "/compte/connexion/")
        == target
    )
    assert (
        _next_of_link(client.get("/compte/connexion/", {"next": target}), "/compte/inscription/")
        == target
    )


def test_a_failed_sign_up_or_login_keeps_next(client, policies):
    target = "/rendez-vous/42/7/confirmer/?debut=2027-01-12T09:00:00Z"
    signup = client.post(
        "/compte/inscription/",
        {"email": "not an address", "password1": "a", "password2": "b", "next": target},
    )
    assert signup.status_code == 200 and "error-summary" in signup.content.decode()
    assert _hidden_next(signup) == target
    assert _next_of_link(signup, "/compte/connexion/") == target

    login = login_post(client, "nobody@example.com", next=target)
    assert login.status_code == 200 and "error-summary" in login.content.decode()
    assert _hidden_next(login) == target
    assert _next_of_link(login, "/compte/inscription/") == target


def test_a_foreign_next_is_dropped_from_both_pages(client, policies):
    from bs4 import BeautifulSoup

    for path in ("/compte/inscription/", "/compte/connexion/"):
        page = client.get(path, {"next": "https://evil.example/"})
        assert _hidden_next(page) is None
        main = BeautifulSoup(page.content, "html.parser").find("main")
        assert not [a["href"] for a in main.find_all("a") if "evil" in a["href"]]


def _next_of_link(response, path: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.content, "html.parser")
    link = soup.find("a", href=lambda href: href and href.startswith(path + "?"))
    assert link is not None, f"no link to {path} with a next parameter"
    return parse_qs(urlsplit(link["href"]).query)["next"][0]
