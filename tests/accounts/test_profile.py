"""Profile: rectify names and phone; a new e-mail replaces the old one only once confirmed."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import SecurityEvent
from tests.accounts.conftest import link_in, login_post, member_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db


def profile_post(client, capture, **changes):
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@example.com",
        "phone": "",
    }
    data.update(changes)
    with capture(execute=True):
        return client.post("/compte/profil/", data)


@pytest.fixture
def signed_in(client, member):
    login_post(client, "camille@example.com")
    return client


def test_profile_needs_a_login(client):
    assert client.get("/compte/profil/").status_code == 302


def test_profile_page_is_accessible_and_filled_in(signed_in):
    soup = assert_valid_accessible_html(signed_in.get("/compte/profil/").content)
    assert soup.find("input", {"name": "email"})["value"] == "camille@example.com"
    assert soup.find("input", {"name": "first_name"})["autocomplete"] == "given-name"
    assert soup.find("input", {"name": "phone"})["autocomplete"] == "tel"


def test_names_and_phone_are_rectified(signed_in, member, django_capture_on_commit_callbacks):
    response = profile_post(
        signed_in,
        django_capture_on_commit_callbacks,
        first_name="Camila",
        last_name="Martín",
        phone="+33 6 12 34 56 78",
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.first_name, member.last_name, member.phone) == (
        "Camila",
        "Martín",
        "+33 6 12 34 56 78",
    )
    page = signed_in.get("/compte/profil/")
    assert "Modifications enregistrées" in page.content.decode()
    assert_valid_accessible_html(page.content)


def test_invalid_profile_changes_nothing(signed_in, member, django_capture_on_commit_callbacks):
    response = profile_post(signed_in, django_capture_on_commit_callbacks, first_name="", phone="x")
    assert response.status_code == 200
    assert_valid_accessible_html(response.content)
    member.refresh_from_db()
    assert member.first_name == "Camille" and member.phone == ""


def test_new_email_is_used_only_after_its_link_is_followed(
    signed_in, member, client, django_capture_on_commit_callbacks
):
    profile_post(signed_in, django_capture_on_commit_callbacks, email="Camille.New@Example.com")

    member.refresh_from_db()
    assert member.email == "camille@example.com"
    (message,) = mail.outbox
    assert message.to == ["camille.new@example.com"]
    link = link_in(message.body, "/compte/profil/adresse/")
    page = client.get(link)
    assert page.status_code == 200
    assert_valid_accessible_html(page.content)
    member.refresh_from_db()
    assert member.email == "camille@example.com"  # opening the link changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link)
    assert done.status_code == 200
    assert_valid_accessible_html(done.content)
    member.refresh_from_db()
    assert member.email == "camille.new@example.com"
    notice = mail.outbox[-1]
    assert notice.to == ["camille@example.com"]  # the old address is told
    assert "camille.new@example.com" in notice.body
    assert SecurityEvent.objects.filter(user=member, kind="email_changed").exists()

    client.logout()
    assert login_post(client, "camille.new@example.com").status_code == 302
    client.logout()
    assert login_post(client, "camille@example.com").status_code == 200


def test_email_change_link_works_once_and_expires(
    signed_in, member, client, django_capture_on_commit_callbacks
):
    profile_post(signed_in, django_capture_on_commit_callbacks, email="other@example.com")
    link = link_in(mail.outbox[0].body, "/compte/profil/adresse/")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=48, minutes=1)):
        assert client.post(link).status_code == 400
    member.refresh_from_db()
    assert member.email == "camille@example.com"

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link).status_code == 200
    assert client.post(link).status_code == 400
    assert client.get(link[:-5] + "abcd/").status_code == 400


def test_an_address_with_an_account_gets_no_link_and_the_member_is_told_the_same(
    signed_in, member, django_capture_on_commit_callbacks
):
    member_create(email="taken@example.com")
    taken = profile_post(signed_in, django_capture_on_commit_callbacks, email="taken@example.com")
    taken_page = signed_in.get("/compte/profil/").content.decode()
    free = profile_post(signed_in, django_capture_on_commit_callbacks, email="free@example.com")
    free_page = signed_in.get("/compte/profil/").content.decode()

    assert taken.status_code == free.status_code == 302
    assert "taken@example.com" in taken_page and "free@example.com" in free_page
    assert [m.to for m in mail.outbox] == [["free@example.com"]]


def test_address_taken_after_the_link_was_sent_is_refused_cleanly(
    signed_in, member, client, django_capture_on_commit_callbacks
):
    profile_post(signed_in, django_capture_on_commit_callbacks, email="race@example.com")
    link = link_in(mail.outbox[0].body, "/compte/profil/adresse/")
    member_create(email="race@example.com")

    response = client.post(link)
    assert response.status_code == 409
    assert_valid_accessible_html(response.content)
    member.refresh_from_db()
    assert member.email == "camille@example.com"


def test_account_home_links_every_setting(signed_in):
    soup = assert_valid_accessible_html(signed_in.get("/compte/").content)
    hrefs = {a["href"] for a in soup.find("main").find_all("a")}
    assert {"/compte/profil/", "/compte/mot-de-passe/"} <= hrefs
